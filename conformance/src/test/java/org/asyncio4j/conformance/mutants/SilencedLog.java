package org.asyncio4j.conformance.mutants;

import java.util.function.Predicate;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Drops, while a mutant watcher is open, the records of the {@code org.asyncio4j} logger whose message
 * satisfies a predicate: the mutant behaves as the reference watcher it wraps, except that it never logs
 * that text. The filter is counted per open watcher and removed when the last one closes.
 */
final class SilencedLog implements AutoCloseable {
    private static final Logger LOGGER = Logger.getLogger("org.asyncio4j");
    private static int open;
    private static Predicate<String> silenced = text -> false;

    private boolean closed;

    SilencedLog(Predicate<String> text) {
        synchronized (SilencedLog.class) {
            silenced = text;
            if (open++ == 0) {
                LOGGER.setFilter(SilencedLog::keep);
            }
        }
    }

    private static boolean keep(LogRecord record) {
        Predicate<String> p;
        synchronized (SilencedLog.class) {
            p = silenced;
        }
        return record.getMessage() == null || !p.test(record.getMessage());
    }

    @Override
    public void close() {
        synchronized (SilencedLog.class) {
            if (closed) {
                return;
            }
            closed = true;
            if (--open == 0) {
                LOGGER.setFilter((Filter) null);
                silenced = text -> false;
            }
        }
    }
}
