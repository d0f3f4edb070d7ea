package org.asyncio4j.benchmarks.report;

/**
 * The complexity fits of one series: time per SIGCHLD and system calls per SIGCHLD against n
 * (either fit may be null when there were fewer than two usable points).
 */
public record WatcherFit(String label, LogLogFit time, LogLogFit syscalls) {
}
