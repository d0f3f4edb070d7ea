package org.asyncio4j.benchmarks.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Path look-ups over a JSON document that Gson has read into plain Java values: objects become
 * insertion-ordered {@code Map<String, Object>}, arrays {@code List<Object>}, numbers {@code Double}, plus
 * {@code String}, {@code Boolean} and {@code null}. Gson reads leniently, for JMH's bare {@code NaN}.
 */
public final class Json {
    private static final Gson GSON = new GsonBuilder().setStrictness(Strictness.LENIENT).create();

    private Json() {
    }

    /** Parses a whole document; throws {@link IllegalArgumentException} on bad input. */
    public static Object parse(String text) {
        try {
            JsonReader reader = new JsonReader(new StringReader(text));
            reader.setStrictness(Strictness.LENIENT);
            Object value = GSON.fromJson(reader, Object.class);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new IllegalArgumentException("trailing characters after the JSON value");
            }
            return value;
        } catch (JsonParseException | IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    /** The object member {@code key} of {@code object}, or null when either is absent. */
    public static Object get(Object object, String key) {
        return object instanceof Map<?, ?> map ? map.get(key) : null;
    }

    /** Follows a path of object keys; null when any step is missing. */
    public static Object path(Object root, String... keys) {
        Object current = root;
        for (String key : keys) {
            current = get(current, key);
        }
        return current;
    }

    /** A number at the path, or NaN when missing, null, or a JMH "NaN" string. */
    public static double number(Object root, String... keys) {
        Object value = path(root, keys);
        if (value instanceof Double d) {
            return d;
        }
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    /** A string at the path, or null. */
    public static String string(Object root, String... keys) {
        Object value = path(root, keys);
        return value == null ? null : value instanceof Double d ? formatNumber(d) : value.toString();
    }

    /** The list at the path, or an empty list. */
    public static List<Object> list(Object root, String... keys) {
        Object value = path(root, keys);
        if (value instanceof List<?> list) {
            return Collections.unmodifiableList(list);
        }
        return List.of();
    }

    /** The object at the path, or an empty map. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object root, String... keys) {
        Object value = path(root, keys);
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static String formatNumber(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
