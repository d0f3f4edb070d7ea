package org.asyncio4j.conformance;

import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.Transformer;

/** Shorthands for jqwik state actions. */
final class Actions {
    private Actions() {}

    /** An action whose transformers do not depend on the state. */
    static <S> Action.Independent<S> independent(Arbitrary<Transformer<S>> transformers) {
        return () -> transformers;
    }

    /** An action that is always {@code description} applied as {@code mutation}. */
    static <S> Action.Independent<S> just(String description, Consumer<S> mutation) {
        return Action.just(Transformer.mutate(description, mutation));
    }

    /** An action, possible when {@code precondition} holds, whose transformers depend on the state. */
    static <S> Action.Dependent<S> dependent(Predicate<S> precondition, Function<S, Arbitrary<Transformer<S>>> transformers) {
        return new Action.Dependent<S>() {
            @Override
            public boolean precondition(S state) {
                return precondition.test(state);
            }

            @Override
            public Arbitrary<Transformer<S>> transformer(S state) {
                return transformers.apply(state);
            }
        };
    }

    /**
     * Rejects the try (jqwik's {@code Assume}) when the object an action refers to by index no longer exists:
     * shrinking can drop the action that created it and keep the one that uses it, and such a sequence is
     * no sample, never a model crash counted against a rule.
     */
    static void refersTo(int index, int size) {
        Assume.that(index < size);
    }

    /** A named mutation. */
    static <S> Transformer<S> mutate(String description, Consumer<S> mutation) {
        return Transformer.mutate(description, mutation);
    }
}
