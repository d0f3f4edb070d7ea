package org.asyncio4j.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.asyncio4j.DatagramProtocol;
import org.asyncio4j.EventLoop;
import org.asyncio4j.WriteTransport.WriteBufferLimits;
import org.asyncio4j.unix.SelectorEventLoop;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The one flow control of every write side ({@code WritePipeTransport}, {@code SocketTransport},
 * {@code BaseDatagramTransport}), CPython's {@code _FlowControlMixin}: the marks' validation, pausing once above
 * the high mark, resuming once at or below the low mark, and a protocol that throws going to the loop's
 * exception handler. The buffer size is a plain counter here; the transports' own tests drive it with real
 * pipes and sockets.
 */
class WriteFlowControlTest {
    /** Records pauses and resumes; throws {@link #pauseFailure} from {@code pauseWriting} if set. */
    private static final class Recorder implements DatagramProtocol {
        final List<String> events = new ArrayList<>();
        @Nullable RuntimeException pauseFailure;

        @Override
        public void pauseWriting() {
            if (pauseFailure != null) {
                throw pauseFailure;
            }
            events.add("pause");
        }

        @Override
        public void resumeWriting() {
            events.add("resume");
        }
    }

    private int size;

    private WriteFlowControl control(EventLoop loop, Recorder protocol) {
        return new WriteFlowControl(new BaseDatagramTransportTest.FakeKernelTransport(loop, protocol), () -> size);
    }

    @Test
    void theMarksAreValidatedAndNamedInTheError() {
        try (EventLoop loop = new SelectorEventLoop()) {
            WriteFlowControl control = control(loop, new Recorder());
            assertEquals(new WriteBufferLimits(16 * 1024, 64 * 1024), control.limits());
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> control.setLimits(10, 20));
            assertEquals("high (10) must be >= low (20) must be >= 0", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> control.setLimits(10, -1));
            assertEquals("high (10) must be >= low (-1) must be >= 0", e.getMessage());
            assertEquals(new WriteBufferLimits(16 * 1024, 64 * 1024), control.limits(),
                    "a rejected pair changes nothing");
            control.setLimits(0, 0);
            assertEquals(new WriteBufferLimits(0, 0), control.limits());
        }
    }

    @Test
    void pausesOnceAboveHighAndResumesOnceAtLow() {
        try (EventLoop loop = new SelectorEventLoop()) {
            Recorder protocol = new Recorder();
            WriteFlowControl control = control(loop, protocol);
            control.setLimits(100, 10);
            size = 100;
            control.maybePause();
            assertEquals(List.of(), protocol.events, "at the high mark: not paused");
            size = 101;
            control.maybePause();
            control.maybePause();
            assertEquals(List.of("pause"), protocol.events, "paused once");
            size = 11;
            control.maybeResume();
            assertEquals(List.of("pause"), protocol.events, "above the low mark: still paused");
            size = 10;
            control.maybeResume();
            control.maybeResume();
            assertEquals(List.of("pause", "resume"), protocol.events, "resumed once");
            size = 50;
            control.setLimits(40, 0);
            assertEquals(List.of("pause", "resume", "pause"), protocol.events, "lowering the marks pauses at once");
        }
    }

    @Test
    void aThrowingProtocolGoesToTheExceptionHandler() {
        try (EventLoop loop = new SelectorEventLoop()) {
            List<Map<String, Object>> reported = new ArrayList<>();
            loop.setExceptionHandler((l, context) -> reported.add(context));
            RuntimeException boom = new IllegalStateException("boom");
            Recorder protocol = new Recorder();
            protocol.pauseFailure = boom;
            BaseDatagramTransportTest.FakeKernelTransport transport =
                    new BaseDatagramTransportTest.FakeKernelTransport(loop, protocol);
            WriteFlowControl control = new WriteFlowControl(transport, () -> size);
            size = 64 * 1024 + 1;
            control.maybePause();
            assertEquals(1, reported.size());
            Map<String, Object> context = reported.get(0);
            assertEquals("protocol.pauseWriting() failed", context.get("message"));
            assertSame(boom, context.get("exception"));
            assertSame(transport, context.get("transport"));
            assertSame(protocol, context.get("protocol"));
            size = 0;
            control.maybeResume();
            assertEquals(List.of("resume"), protocol.events, "paused all the same: the resume follows");
        }
    }
}
