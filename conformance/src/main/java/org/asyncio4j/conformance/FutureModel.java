package org.asyncio4j.conformance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.EventLoop;
import org.asyncio4j.InvalidStateException;

/**
 * The state of a future property: one future of the loop under test, its done-callbacks, and a model of
 * asyncio.Future's state machine (FUT-01..14).
 */
final class FutureModel implements AutoCloseable {
    private enum State { PENDING, RESULT, EXCEPTION, CANCELLED }

    /** A done-callback that records its runs and the argument it got. */
    private final class Callback implements Consumer<AsyncFuture<Object>> {
        final int id;

        Callback(int id) {
            this.id = id;
        }

        @Override
        public void accept(AsyncFuture<Object> f) {
            runs.add(id);
            Check.same("FUT-13", future, f, "the argument of done-callback #" + id);
        }

        @Override
        public String toString() {
            return "callback#" + id;
        }
    }

    final EventLoop loop;
    final AsyncFuture<Object> future;
    private final List<Callback> callbacks = new ArrayList<>();
    private final List<Callback> registered = new ArrayList<>();
    private final List<Integer> scheduled = new ArrayList<>();
    /** Callbacks removed after the future completed, when they were already scheduled (FUT-15: they still run). */
    private final List<Integer> removedWhileScheduled = new ArrayList<>();
    private final List<Integer> runs = new ArrayList<>();
    private State state = State.PENDING;
    private Object value;
    private RuntimeException error;

    FutureModel(EventLoop loop) {
        this.loop = loop;
        this.future = loop.createFuture();
        Check.that("FUT-01", !future.done() && !future.cancelled(), () -> "a new future is not pending: " + future);
        Check.throwsWith("FUT-03", InvalidStateException.class, null, future::result, "result() of a pending future");
        Check.throwsWith("FUT-03", InvalidStateException.class, null, future::exception, "exception() of a pending future");
    }

    int callbackCount() {
        return callbacks.size();
    }

    void addNewCallback() {
        Callback cb = new Callback(callbacks.size());
        callbacks.add(cb);
        add(cb);
    }

    void addAgain(int index) {
        Actions.refersTo(index, callbacks.size());
        add(callbacks.get(index));
    }

    private void add(Callback cb) {
        int before = runs.size();
        future.addDoneCallback(cb);
        Check.equal(state == State.PENDING ? "FUT-11" : "FUT-12", before, runs.size(), "callbacks run inside addDoneCallback");
        if (state == State.PENDING) {
            registered.add(cb);
        } else {
            scheduled.add(cb.id);
        }
    }

    void remove(int index) {
        Actions.refersTo(index, callbacks.size());
        Callback cb = callbacks.get(index);
        int expected = 0;
        for (Callback c : registered) {
            if (c == cb) {
                expected++;
            }
        }
        if (scheduled.contains(cb.id)) {
            removedWhileScheduled.add(cb.id);
        }
        int removed = future.removeDoneCallback(cb);
        Check.equal("FUT-14", expected, removed, "removeDoneCallback(" + cb + ") with " + expected + " registered instances");
        registered.removeIf(c -> c == cb);
    }

    void setResult(int v) {
        if (state != State.PENDING) {
            Check.throwsWith("FUT-07", InvalidStateException.class, null, () -> future.setResult(v), "setResult on a done future");
            checkState();
            return;
        }
        future.setResult(v);
        state = State.RESULT;
        value = v;
        completed();
    }

    void setException() {
        RuntimeException e = new IllegalArgumentException("conformance failure #" + scheduled.size());
        if (state != State.PENDING) {
            Check.throwsWith("FUT-07", InvalidStateException.class, null, () -> future.setException(e), "setException on a done future");
            checkState();
            return;
        }
        future.setException(e);
        state = State.EXCEPTION;
        error = e;
        completed();
    }

    void cancel() {
        boolean answer = future.cancel();
        Check.equal("FUT-08", state == State.PENDING, answer, "cancel() on a " + state + " future");
        if (state == State.PENDING) {
            state = State.CANCELLED;
            completed();
        } else {
            checkState();
        }
    }

    private void completed() {
        int before = runs.size();
        for (Callback cb : registered) {
            scheduled.add(cb.id);
        }
        registered.clear();
        Check.equal("FUT-11", before, runs.size(), "done-callbacks run synchronously on completion");
        checkState();
    }

    private void checkState() {
        switch (state) {
            case RESULT -> {
                Check.that("FUT-04", future.done() && !future.cancelled(), () -> "done()/cancelled() after setResult: " + future);
                Check.equal("FUT-04", value, future.result(), "result() after setResult");
                Check.equal("FUT-04", null, future.exception(), "exception() after setResult");
            }
            case EXCEPTION -> {
                Check.that("FUT-05", future.done() && !future.cancelled(), () -> "done()/cancelled() after setException: " + future);
                Check.same("FUT-05", error, future.exception(), "exception() after setException");
                RuntimeException thrown = Check.throwsWith("FUT-05", RuntimeException.class, null, future::result, "result() after setException");
                Check.same("FUT-05", error, thrown, "the exception result() throws");
            }
            case CANCELLED -> {
                Check.that("FUT-09", future.done() && future.cancelled(), () -> "done()/cancelled() after cancel: " + future);
                Check.throwsWith("FUT-09", CancellationException.class, null, future::result, "result() of a cancelled future");
                Check.throwsWith("FUT-09", CancellationException.class, null, future::exception, "exception() of a cancelled future");
            }
            default -> Check.that("FUT-01", !future.done(), () -> "a pending future says done");
        }
    }

    /** One loop iteration: every scheduled done-callback runs, in order. */
    void runOnce() {
        runs.clear();
        Check.runOneIteration(loop);
        List<Integer> withoutRemoved = new ArrayList<>(scheduled);
        withoutRemoved.removeIf(removedWhileScheduled::contains);
        Check.that("FUT-15", removedWhileScheduled.isEmpty() || scheduled.equals(runs) || !withoutRemoved.equals(runs),
                () -> "done-callbacks removed after they were scheduled did not run: " + removedWhileScheduled + " of " + scheduled);
        if (!scheduled.equals(runs) && sorted(scheduled).equals(sorted(runs)) && !callSoonKeepsOrder()) {
            throw new RuleViolation("LOOP-23", "callSoon runs callbacks out of order, so the done-callbacks it schedules"
                    + " ran as " + runs + " for " + scheduled);
        }
        Check.equal("FUT-11", scheduled, new ArrayList<>(runs), "done-callbacks run by the next iteration (in registration order)");
        scheduled.clear();
        removedWhileScheduled.clear();
    }

    /**
     * Whether plain {@code callSoon} callbacks run in the order scheduled (LOOP-23): FUT-11's order rests on it, so
     * a loop that breaks it is blamed for that, not for its futures.
     */
    private boolean callSoonKeepsOrder() {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int n = i;
            loop.callSoon(() -> order.add(n));
        }
        Check.runOneIteration(loop);
        return order.equals(List.of(0, 1, 2));
    }

    private static List<Integer> sorted(List<Integer> values) {
        List<Integer> copy = new ArrayList<>(values);
        Collections.sort(copy);
        return copy;
    }

    @Override
    public void close() {
        if (!loop.isRunning() && !loop.isClosed()) {
            loop.close();
        }
    }

    @Override
    public String toString() {
        return "FutureModel[" + state + ", callbacks=" + callbacks.size() + "]";
    }
}
