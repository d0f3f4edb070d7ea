package org.asyncio4j.conformance;

/**
 * What an implementation may legitimately lack or claim. Each constant is answered by a capability method
 * of the conformance class under test; a property that {@link Requires} a capability the implementation
 * does not have is reported as skipped.
 */
public enum Capability {
    /** The policy keeps one current loop per thread and raises in threads without one (POL-09..15). */
    DEFAULT_POLICY_PROFILE("claimsDefaultPolicyProfile()"),
    /**
     * The policy names the thread it treats as the main thread (auto-creation, watcher attachment: POL-11,
     * POL-27, POL-29, RACE-23); those properties run only when the engine runs them on that thread.
     */
    MAIN_THREAD("mainThread()"),
    /** The policy has child watchers ({@code getChildWatcher} does not throw UnsupportedOperationException). */
    CHILD_WATCHERS("supportsChildWatchers()"),
    /** The loop supports {@code addSignalHandler}/{@code removeSignalHandler}. */
    SIGNALS("supportsSignals()"),
    /** The loop accepts raw file descriptors in {@code addReader}/{@code addWriter}. */
    RAW_FD_READERS("supportsRawFdReaders()"),
    /** Timers due at the same instant run in the order they were scheduled (stronger than LOOP-29). */
    TIMER_TIES_IN_SCHEDULING_ORDER("claimsTimerTiesInSchedulingOrder()"),
    /** The loop or watcher logs asyncio4j's reference texts on the {@code org.asyncio4j} logger (LOOP-43, LOOP-50, WCH-17, FAST-04). */
    REFERENCE_LOG_TEXTS("logsReferenceTexts()"),
    /**
     * An exception from a child handler called inside a SIGCHLD sweep reaches the loop's exception handler as
     * "Unknown exception in SIGCHLD handler" (Safe, Fast: WCH-22); without it, as "Exception in callback ..."
     * of a loop callback that delivered the exit.
     */
    CALLBACK_ERRORS_AS_SWEEP_ERRORS("reportsCallbackErrorsAsSweepErrors()"),
    /** {@code addChildHandler} for a child that has already exited calls the handler before it returns (Safe: WCH-23). */
    DELIVERS_EXITED_CHILD_ON_REGISTRATION("deliversExitedChildOnRegistration()"),
    /** {@code addChildHandler} needs a loop running in the calling thread (Threaded, MultiLoop). */
    NEEDS_RUNNING_LOOP_TO_REGISTER("needsRunningLoopToRegister()"),
    /** {@code addChildHandler} needs an attached loop (Safe, Fast, Pidfd). */
    NEEDS_ATTACHED_LOOP("needsAttachedLoop()"),
    /** {@code addChildHandler} is refused outside {@code spawning()} (Fast). */
    NEEDS_SPAWNING_WINDOW("needsSpawningWindow()"),
    /** The watcher reaps every child of the process, registered or not (Fast). */
    REAPS_EVERY_CHILD("reapsEveryChild()"),
    /** The watcher never touches children it was not told about (the negation of REAPS_EVERY_CHILD). */
    LEAVES_OTHER_CHILDREN_ALONE(REAPS_EVERY_CHILD),
    /** {@code attachLoop} drops every registration (Pidfd). */
    DROPS_REGISTRATIONS_ON_ATTACH("dropsRegistrationsOnAttach()"),
    /** Registrations survive {@code attachLoop} (the negation of DROPS_REGISTRATIONS_ON_ATTACH). */
    KEEPS_REGISTRATIONS_ON_ATTACH(DROPS_REGISTRATIONS_ON_ATTACH),
    /** {@code isActive()} is true only while attached to a running loop (Safe, Fast, Pidfd: WCH-25, PFD-02). */
    ACTIVE_ONLY_WHILE_LOOP_RUNS("activeOnlyWhileLoopRuns()"),
    /**
     * {@code close()} is {@code attachLoop(null)}: pending registrations are still there when it detaches, so it warns
     * as a detach does (Pidfd: PFD-07); without it, close() may drop them first (Safe, Fast: WCH-24).
     */
    CLOSE_IS_DETACH("closeIsDetach()"),
    /** The loop has pipe transports: {@code connectReadPipe}/{@code connectWritePipe} (TRN rules). */
    PIPE_TRANSPORTS("supportsPipeTransports()"),
    /** The loop has no pipe transports (the negation of PIPE_TRANSPORTS): it refuses them (TRN-18). */
    NO_PIPE_TRANSPORTS(PIPE_TRANSPORTS),
    /** The loop has subprocess transports: {@code subprocessExec} with a protocol and with streams (SUB, STR rules). */
    SUBPROCESS_TRANSPORTS("supportsSubprocessTransports()"),
    /** The loop has TCP sockets: {@code createConnection}, {@code createServer} and the low-level socket calls (SCK rules). */
    SOCKETS("supportsSockets()");

    private final String declaredBy;
    private final Capability opposite;

    Capability(String declaredBy) {
        this.declaredBy = declaredBy;
        this.opposite = null;
    }

    Capability(Capability opposite) {
        this.declaredBy = "!" + opposite.declaredBy;
        this.opposite = opposite;
    }

    /** The capability method that declares it. */
    public String declaredBy() {
        return declaredBy;
    }

    /** The capability this one is the negation of, or null: an implementation has exactly one of the two. */
    public Capability opposite() {
        return opposite;
    }
}
