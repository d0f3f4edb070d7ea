package org.asyncio4j.conformance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.asyncio4j.EventLoop;
import org.asyncio4j.ExceptionHandler;
import org.asyncio4j.Handle;

/**
 * Exception handling and debug mode of an {@link EventLoop}: a failing callback reaches the exception handler
 * and the loop goes on, a custom handler can be set, reset and fail without harm, the default handler logs, an
 * {@link Error} propagates; debug mode keeps creation stacks and reports slow callbacks.
 */
public interface ExceptionHandlingContract extends LoopContract {
    /** The context keys LOOP-54 documents, with the 'source_traceback' LOOP-47 adds in debug mode. */
    Set<String> DOCUMENTED_CONTEXT_KEYS = Set.of("message", "exception", "future", "task", "handle", "protocol", "transport",
            "socket", "asyncgen", "source_traceback");

    /** An exception in a callback goes to the exception handler, and the loop goes on. */
    @Property
    @Rule({"LOOP-47", "LOOP-49", "LOOP-54"})
    default void anExceptionInACallbackGoesToTheHandlerAndTheLoopGoesOn(@ForAll @IntRange(min = 1, max = 4) int failing) {
        EventLoop loop = track(newLoop());
        List<Map<String, Object>> contexts = new ArrayList<>();
        loop.setExceptionHandler((l, context) -> contexts.add(context));
        List<Handle> handles = new ArrayList<>();
        List<RuntimeException> errors = new ArrayList<>();
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < failing; i++) {
            RuntimeException error = new IllegalStateException("conformance failure " + i);
            errors.add(error);
            handles.add(loop.callSoon(() -> {
                throw error;
            }));
            int id = i;
            loop.callSoon(() -> ran.add(id));
        }
        Check.runOneIteration(loop);
        Check.equal("LOOP-47", failing, ran.size(), "callbacks that ran after the failing ones in the same iteration");
        Check.equal("LOOP-47", failing, contexts.size(), "exception handler calls");
        for (Map<String, Object> c : contexts) {
            Check.that("LOOP-54", DOCUMENTED_CONTEXT_KEYS.containsAll(c.keySet()),
                    () -> "context keys " + c.keySet() + " are not all documented ones " + DOCUMENTED_CONTEXT_KEYS);
            Object message = c.get("message");
            Check.that("LOOP-47", message instanceof String && ((String) message).startsWith("Exception in callback"),
                    () -> "context message " + message);
            int index = errors.indexOf(c.get("exception")); // matched by the exception: the order is LOOP-23's business
            Check.that("LOOP-47", index >= 0, () -> "context 'exception' " + c.get("exception") + " is none of the callbacks' " + errors);
            Check.same("LOOP-47", handles.get(index), c.get("handle"), "context 'handle'");
        }
        Map<String, Object> mine = new HashMap<>();
        mine.put("message", "from the conformance kit");
        loop.callExceptionHandler(mine);
        Check.same("LOOP-49", mine, contexts.get(contexts.size() - 1), "the context the custom handler received");
    }

    /** The exception handler can be set and reset, and a broken one is contained. */
    @Example
    @Rule({"LOOP-48", "LOOP-51"})
    default void theExceptionHandlerCanBeSetAndResetAndABrokenOneIsContained() {
        EventLoop loop = track(newLoop());
        Check.equal("LOOP-48", null, loop.getExceptionHandler(), "getExceptionHandler() of a new loop");
        ExceptionHandler broken = (l, c) -> {
            throw new IllegalStateException("broken handler");
        };
        loop.setExceptionHandler(broken);
        Check.same("LOOP-48", broken, loop.getExceptionHandler(), "getExceptionHandler() after set");
        Map<String, Object> context = new HashMap<>();
        context.put("message", "conformance");
        try {
            loop.callExceptionHandler(context);
        } catch (RuntimeException e) {
            throw new RuleViolation("LOOP-51", "callExceptionHandler threw when the custom handler raised: " + e);
        }
        loop.setExceptionHandler(null);
        Check.equal("LOOP-48", null, loop.getExceptionHandler(), "getExceptionHandler() after setExceptionHandler(null)");
    }

    /** The default exception handler logs one ERROR record. */
    @Example
    @Requires(Capability.REFERENCE_LOG_TEXTS)
    @Rule("LOOP-50")
    default void theDefaultExceptionHandlerLogsOneErrorRecord() {
        EventLoop loop = track(newLoop());
        RuntimeException failure = new IllegalStateException("conformance: logged by the default handler");
        try (LogSink sink = new LogSink()) {
            Map<String, Object> context = new HashMap<>();
            context.put("message", "conformance context message");
            context.put("exception", failure);
            loop.callExceptionHandler(context);
            List<LogRecord> errors = new ArrayList<>();
            sink.all().stream().filter(r -> r.getLevel().intValue() >= Level.SEVERE.intValue()).forEach(errors::add);
            Check.equal("LOOP-50", 1, errors.size(), "ERROR records logged by the default exception handler: " + sink);
            Check.that("LOOP-50", LogSink.text(errors.get(0)).startsWith("conformance context message"),
                    () -> "the record does not start with the context's message: " + sink);
            Check.same("LOOP-50", failure, errors.get(0).getThrown(), "the record's exception");
        }
    }

    /** A slow callback is logged in debug mode. */
    @Example
    @Requires(Capability.REFERENCE_LOG_TEXTS)
    @Rule("LOOP-43")
    default void aSlowCallbackIsLoggedInDebugMode() throws InterruptedException {
        EventLoop loop = track(newLoop());
        loop.setDebug(true);
        try (LogSink sink = new LogSink()) {
            loop.callSoon(() -> {
                try {
                    Thread.sleep(150); // beyond the default slow_callback_duration of 0.1 s
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            loop.callSoon(loop::stop);
            Check.runForever(loop);
            List<LogRecord> slow = sink.matching(t -> t.startsWith("Executing ") && t.endsWith(" seconds") && t.contains(" took "));
            Check.equal("LOOP-43", 1, slow.size(), "\"Executing <handle> took <x.xxx> seconds\" records for one slow callback in debug mode: " + sink);
            Check.that("LOOP-43", slow.get(0).getLevel() == Level.WARNING, () -> "the slow-callback record is not a WARNING: " + sink);
        }
    }

    /** Handles created in debug mode carry their creation stack. */
    @Example
    @Rule("LOOP-44")
    default void debugModeHandlesCarryTheirCreationStack() {
        EventLoop loop = track(newLoop());
        List<Map<String, Object>> contexts = new ArrayList<>();
        loop.setExceptionHandler((l, c) -> contexts.add(c));
        loop.setDebug(false); // outside debug mode whatever the environment switched on (LOOP-01 is checked elsewhere)
        Handle quiet = loop.callSoon(() -> { });
        Check.equal("LOOP-44", null, quiet.sourceTraceback(), "sourceTraceback() of a handle created outside debug mode");
        loop.setDebug(true);
        Handle failing = loop.callSoon(() -> {
            throw new IllegalStateException("conformance: a failing callback in debug mode");
        });
        loop.callSoon(loop::stop);
        Check.runForever(loop);
        Check.that("LOOP-44", failing.sourceTraceback() != null, () -> "a handle created in debug mode has no sourceTraceback()");
        Check.equal("LOOP-44", 1, contexts.size(), "exception handler calls");
        Check.same("LOOP-44", failing.sourceTraceback(), contexts.get(0).get("source_traceback"),
                "the context's 'source_traceback' for a callback created in debug mode");
    }

    /** An {@link Error} from the exception handler propagates. */
    @Example
    @Rule("LOOP-53")
    default void anErrorFromTheExceptionHandlerPropagates() {
        EventLoop loop = track(newLoop());
        Error error = new Error("conformance: an Error from the exception handler");
        loop.setExceptionHandler((l, c) -> {
            throw error;
        });
        Map<String, Object> context = new HashMap<>();
        context.put("message", "conformance");
        Error thrown = Check.throwsWith("LOOP-53", Error.class, null, () -> loop.callExceptionHandler(context),
                "callExceptionHandler when the custom handler throws an Error");
        Check.same("LOOP-53", error, thrown, "the Error callExceptionHandler let through");
    }

    /** {@code getDebug()} returns what {@code setDebug} set. */
    @Property
    @Rule("LOOP-42")
    default void debugModeRoundTrips(@ForAll List<Boolean> settings) {
        EventLoop loop = track(newLoop());
        for (boolean b : settings) {
            loop.setDebug(b);
            Check.equal("LOOP-42", b, loop.getDebug(), "getDebug() after setDebug(" + b + ")");
        }
    }
}
