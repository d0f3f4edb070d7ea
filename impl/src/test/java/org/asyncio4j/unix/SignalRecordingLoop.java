package org.asyncio4j.unix;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test helper: a real {@link SelectorEventLoop} that also records its {@code addSignalHandler} and
 * {@code removeSignalHandler} calls, CPython's {@code m_add_signal_handler}/{@code m_remove_signal_handler}.
 */
class SignalRecordingLoop extends SelectorEventLoop {
    final List<String> signalCalls = new CopyOnWriteArrayList<>();

    @Override
    public void addSignalHandler(int signum, Runnable callback) {
        signalCalls.add("add " + signum);
        super.addSignalHandler(signum, callback);
    }

    @Override
    public boolean removeSignalHandler(int signum) {
        signalCalls.add("remove " + signum);
        return super.removeSignalHandler(signum);
    }
}
