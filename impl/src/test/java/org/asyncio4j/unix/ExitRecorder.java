package org.asyncio4j.unix;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.asyncio4j.ChildHandler;

/**
 * Test helper: a {@link ChildHandler} that records every call (pid, return code, thread) so tests can wait
 * for an exit and then check it was delivered exactly once.
 */
final class ExitRecorder implements ChildHandler {
    /** One call of {@link #childExited}. */
    record Call(long pid, int returnCode, String thread) {}

    private final Map<Long, List<Call>> calls = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    @Override
    public void childExited(long pid, int returnCode) {
        Call call = new Call(pid, returnCode, Thread.currentThread().getName());
        calls.compute(pid, (p, list) -> {  // atomic: a list is visible only with its call in it
            List<Call> l = list != null ? list : Collections.synchronizedList(new ArrayList<>());
            l.add(call);
            return l;
        });
        total.incrementAndGet();
    }

    /** Waits for the first call for {@code pid} and returns its return code. */
    int await(long pid) {
        TestChildren.await("the exit callback of pid " + pid, () -> calls.containsKey(pid));
        return calls.get(pid).get(0).returnCode();
    }

    /** Waits until {@code n} calls in all have arrived. */
    void awaitTotal(int n) {
        TestChildren.await(n + " exit callbacks (have " + total.get() + ")", () -> total.get() >= n);
    }

    /** The calls for {@code pid}, in order (empty if none). */
    List<Call> callsFor(long pid) {
        List<Call> list = calls.get(pid);
        return list == null ? List.of() : List.copyOf(list);
    }

    /** The return codes delivered for {@code pid}, in order. */
    List<Integer> codes(long pid) {
        return callsFor(pid).stream().map(Call::returnCode).toList();
    }

    int total() {
        return total.get();
    }

    Map<Long, List<Call>> all() {
        return calls;
    }
}
