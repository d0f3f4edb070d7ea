package org.asyncio4j.conformance.reference;

import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * A {@link System.LoggerFinder} that takes every {@code System.Logger} record away from java.util.logging,
 * as an SLF4J bridge ({@code slf4j-jdk-platform-logging}) does. Installed only in the child JVM of
 * {@link LoggingBridgeTest}, through {@code src/test/logging-bridge/META-INF/services}.
 */
public final class SilentLoggerFinder extends System.LoggerFinder {
    /** Created by the service loader. */
    public SilentLoggerFinder() {}

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new System.Logger() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public boolean isLoggable(Level level) {
                return true;
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            }

            @Override
            public void log(Level level, Supplier<String> msgSupplier) {
            }
        };
    }
}
