package org.asyncio4j.conformance;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** The data the transport properties send, and how they compare what arrived. */
final class Bytes {
    private Bytes() {}

    /** {@code n} bytes drawn from {@code seed}: loss, duplication and reordering all show. */
    static byte[] pattern(int seed, int n) {
        byte[] data = new byte[n];
        new SplittableRandom(seed).nextBytes(data);
        return data;
    }

    /** {@code n} lowercase letters drawn from {@code seed}: text without separators or newlines. */
    static byte[] letters(int seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] text = new byte[n];
        for (int i = 0; i < n; i++) {
            text[i] = (byte) ('a' + random.nextInt(26));
        }
        return text;
    }

    /** One chunk of {@link #pattern} per size, each from its own seed. */
    static List<byte[]> chunks(int seed, List<Integer> sizes) {
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < sizes.size(); i++) {
            chunks.add(pattern(seed + i, sizes.get(i)));
        }
        return chunks;
    }

    static int total(List<byte[]> chunks) {
        return chunks.stream().mapToInt(c -> c.length).sum();
    }

    static byte[] concat(List<byte[]> chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        chunks.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** Whether {@code received} is {@code expected} with its end missing. */
    static boolean isShortPrefix(byte[] received, byte[] expected) {
        return received.length < expected.length && Arrays.equals(received, Arrays.copyOf(expected, received.length));
    }

    /** Fails on {@code rule} unless {@code actual} holds the bytes of {@code expected}, naming where they differ. */
    static void checkSame(String rule, byte[] expected, byte[] actual, String what) {
        if (Arrays.equals(expected, actual)) {
            return;
        }
        int at = Arrays.mismatch(expected, actual);
        throw new RuleViolation(rule, what + ": expected " + expected.length + " bytes, got " + actual.length
                + (at < Math.min(expected.length, actual.length) ? ", first difference at byte " + at
                : ", equal up to the shorter one"));
    }
}
