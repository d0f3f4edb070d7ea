package org.asyncio4j.unix;

/** Linux signal numbers (x86-64 and arm64), for {@code addSignalHandler} and {@code Subprocess.sendSignal}. */
public final class Signals {
    /** Hangup. */
    public static final int SIGHUP = 1;
    /** Interrupt (Ctrl-C). */
    public static final int SIGINT = 2;
    /** Quit; the JVM uses it for thread dumps. */
    public static final int SIGQUIT = 3;
    /** Kill; cannot be caught. */
    public static final int SIGKILL = 9;
    /** User-defined signal 1. */
    public static final int SIGUSR1 = 10;
    /** User-defined signal 2; HotSpot uses it to suspend threads. */
    public static final int SIGUSR2 = 12;
    /** Write to a pipe nobody reads. */
    public static final int SIGPIPE = 13;
    /** Timer alarm. */
    public static final int SIGALRM = 14;
    /** Polite termination request. */
    public static final int SIGTERM = 15;
    /** A child stopped or exited. */
    public static final int SIGCHLD = 17;
    /** Continue if stopped. */
    public static final int SIGCONT = 18;
    /** Stop; cannot be caught. */
    public static final int SIGSTOP = 19;
    /** Terminal window size changed. */
    public static final int SIGWINCH = 28;

    private Signals() {}
}
