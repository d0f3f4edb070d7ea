package org.asyncio4j.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Keeps what the library logs during a test off the console, and prints it to stderr only when the test
 * fails. Many tests provoke the warnings and errors a watcher or loop reports (unknown pids, a detached
 * loop, a failing handler); those that check the text capture it themselves with {@code LogCapture}.
 * Registered for every Jupiter test of impl through {@code META-INF/services}, like {@link NoLeaks}.
 */
public final class QuietLogs implements BeforeEachCallback, AfterEachCallback {
    /** The parent of every asyncio4j logger; held so that its configuration is not collected. */
    private static final Logger LIBRARY = Logger.getLogger("org.asyncio4j");
    private static final List<LogRecord> RECORDS = new CopyOnWriteArrayList<>();

    static {
        LIBRARY.setUseParentHandlers(false);
        LIBRARY.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                RECORDS.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        RECORDS.clear();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (context.getExecutionException().isPresent() && !RECORDS.isEmpty()) {
            SimpleFormatter format = new SimpleFormatter();
            StringBuilder out = new StringBuilder("log of the failed test " + context.getDisplayName() + ":\n");
            RECORDS.forEach(r -> out.append(format.format(r)));
            System.err.print(out);
        }
        RECORDS.clear();
    }
}
