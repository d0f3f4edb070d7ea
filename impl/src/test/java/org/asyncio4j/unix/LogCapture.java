package org.asyncio4j.unix;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Test helper: records what asyncio4j logs on {@code org.asyncio4j} (CPython's asyncio logger) and
 * {@code org.asyncio4j.warnings} (CPython's RuntimeWarning/ResourceWarning channel) while open.
 */
final class LogCapture extends Handler implements AutoCloseable {
    private static final String[] NAMES = {"org.asyncio4j", "org.asyncio4j.warnings"};

    /** Strong references: java.util.logging keeps loggers weakly. */
    private final Logger[] loggers = new Logger[NAMES.length];
    private final Level[] levels = new Level[NAMES.length];
    final List<LogRecord> records = new CopyOnWriteArrayList<>();

    LogCapture() {
        setLevel(Level.ALL);
        for (int i = 0; i < NAMES.length; i++) {
            loggers[i] = Logger.getLogger(NAMES[i]);
            levels[i] = loggers[i].getLevel();
            loggers[i].setLevel(Level.ALL);
        }
        // org.asyncio4j.warnings is a child of org.asyncio4j: its records reach the parent's handlers.
        loggers[0].addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    /** Messages logged on {@code logger} at {@code level}, in order. */
    List<String> messages(String logger, Level level) {
        return records.stream().filter(r -> r.getLoggerName().equals(logger) && r.getLevel().equals(level))
                .map(LogRecord::getMessage).toList();
    }

    /** WARNING messages of {@code org.asyncio4j}. */
    List<String> warnings() {
        return messages("org.asyncio4j", Level.WARNING);
    }

    /** Messages of {@code org.asyncio4j.warnings} (CPython's warnings). */
    List<String> runtimeWarnings() {
        return messages("org.asyncio4j.warnings", Level.WARNING);
    }

    /** Messages of {@code org.asyncio4j} at {@code level}. */
    List<String> log(Level level) {
        return messages("org.asyncio4j", level);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        loggers[0].removeHandler(this);
        for (int i = 0; i < NAMES.length; i++) {
            loggers[i].setLevel(levels[i]);
        }
    }
}
