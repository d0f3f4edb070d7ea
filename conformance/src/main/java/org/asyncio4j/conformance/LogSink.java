package org.asyncio4j.conformance;

import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what the implementation under test logs on {@code org.asyncio4j} and its child
 * {@code org.asyncio4j.warnings} (CPython's warnings, prefixed with their class) while it is open, with every
 * level enabled and nothing passed on to the console; {@link #close()} restores the loggers as they were. The
 * properties that check asyncio4j's reference texts read them here, and {@link #unroutedReason()} says when
 * they cannot. asyncio4j's API has no log capture of its own, and impl's test {@code LogCapture} is test code
 * of another module, out of the kit's reach.
 */
final class LogSink extends Handler implements AutoCloseable {
    /** The logger asyncio4j's loops and watchers log to. */
    static final String LOGGER = "org.asyncio4j";

    private final Logger logger = Logger.getLogger(LOGGER);
    private final Level oldLevel = logger.getLevel();
    private final boolean oldUseParent = logger.getUseParentHandlers();
    private final List<LogRecord> records = new ArrayList<>();

    private static volatile String unrouted;
    private static volatile boolean probed;

    /**
     * Null if what is logged through {@link System.Logger} on {@code org.asyncio4j} reaches java.util.logging,
     * where this sink listens; otherwise why not (another {@link System.LoggerFinder}, such as an SLF4J
     * bridge, takes the records). The properties that read logs are then skipped with this reason.
     */
    static String unroutedReason() {
        if (!probed) {
            synchronized (LogSink.class) {
                if (!probed) {
                    unrouted = probe();
                    probed = true;
                }
            }
        }
        return unrouted;
    }

    private static String probe() {
        String marker = "asyncio4j conformance kit: log routing probe " + System.nanoTime();
        try (LogSink sink = new LogSink()) {
            System.getLogger(LOGGER + ".conformance.probe").log(System.Logger.Level.DEBUG, marker);
            if (!sink.matching(marker::equals).isEmpty()) {
                return null;
            }
        }
        return "System.Logger records do not reach java.util.logging (the LoggerFinder is "
                + System.LoggerFinder.getLoggerFinder().getClass().getName() + "), so the kit cannot read what is logged";
    }

    /** Starts capturing. */
    LogSink() {
        setLevel(Level.ALL);
        logger.setLevel(Level.ALL);
        logger.setUseParentHandlers(false);
        logger.addHandler(this);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        records.add(record);
    }

    /** The records captured so far whose formatted message satisfies {@code test}. */
    synchronized List<LogRecord> matching(Predicate<String> test) {
        List<LogRecord> out = new ArrayList<>();
        for (LogRecord r : records) {
            if (test.test(text(r))) {
                out.add(r);
            }
        }
        return out;
    }

    /** Every record captured so far. */
    synchronized List<LogRecord> all() {
        return new ArrayList<>(records);
    }

    /** The message of {@code record} with its parameters filled in. */
    static String text(LogRecord record) {
        String m = record.getMessage();
        Object[] p = record.getParameters();
        return m == null ? "" : p == null || p.length == 0 ? m : MessageFormat.format(m, p);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setLevel(oldLevel);
        logger.setUseParentHandlers(oldUseParent);
    }

    @Override
    public synchronized String toString() {
        List<String> texts = new ArrayList<>();
        records.forEach(r -> texts.add(r.getLevel() + " " + text(r)));
        return texts.toString();
    }
}
