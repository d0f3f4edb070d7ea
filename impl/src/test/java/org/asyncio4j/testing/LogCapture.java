package org.asyncio4j.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Collects the java.util.logging records of one logger ("org.asyncio4j", or "org.asyncio4j.warnings")
 * while open, and keeps them off the console. {@code System.Logger} is backed by java.util.logging here.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final boolean useParentHandlers;
    private final Level level;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private LogCapture(String name) {
        logger = Logger.getLogger(name);
        useParentHandlers = logger.getUseParentHandlers();
        level = logger.getLevel();
        handler.setLevel(Level.ALL);
        logger.setLevel(Level.ALL);
        logger.setUseParentHandlers(false);
        logger.addHandler(handler);
    }

    /** Captures the "org.asyncio4j" logger. */
    public static LogCapture loop() {
        return new LogCapture("org.asyncio4j");
    }

    /** Captures the "org.asyncio4j.warnings" logger (CPython's RuntimeWarning/ResourceWarning). */
    public static LogCapture warnings() {
        return new LogCapture("org.asyncio4j.warnings");
    }

    /** Every record so far. */
    public List<LogRecord> records() {
        return new ArrayList<>(records);
    }

    /** Messages logged on {@code loggerName} at exactly {@code level}, in order. */
    public List<String> messages(String loggerName, Level wanted) {
        return records.stream().filter(r -> r.getLoggerName().equals(loggerName) && r.getLevel().equals(wanted))
                .map(LogRecord::getMessage).collect(Collectors.toList());
    }

    /** WARNING messages of {@code org.asyncio4j}: what CPython logs on the asyncio logger. */
    public List<String> loopWarnings() {
        return messages("org.asyncio4j", Level.WARNING);
    }

    /** WARNING messages of {@code org.asyncio4j.warnings}: CPython's RuntimeWarning and ResourceWarning. */
    public List<String> runtimeWarnings() {
        return messages("org.asyncio4j.warnings", Level.WARNING);
    }

    /** Messages of {@code org.asyncio4j} at exactly {@code level}. */
    public List<String> log(Level wanted) {
        return messages("org.asyncio4j", wanted);
    }

    /** The records at exactly {@code level}. */
    public List<LogRecord> at(Level wanted) {
        return records.stream().filter(r -> r.getLevel().equals(wanted)).collect(Collectors.toList());
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setUseParentHandlers(useParentHandlers);
        logger.setLevel(level);
    }
}
