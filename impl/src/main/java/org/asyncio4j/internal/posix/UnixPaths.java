package org.asyncio4j.internal.posix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Unix-domain socket paths as the public API takes them (a {@code String}; one starting with NUL is a Linux
 * abstract name, as in CPython) and as {@code sockaddr_un} holds them (UTF-8 bytes), and the socket files a
 * server leaves behind: CPython's removal of a stale socket file before binding and, since 3.13, of its own
 * socket file when it stops serving.
 */
public final class UnixPaths {
    /** {@code S_IFMT} and {@code S_IFSOCK} of {@code st_mode}. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private UnixPaths() {}

    /**
     * {@return {@code path} as sun_path's bytes}
     *
     * @param path a file-system path, or NUL followed by an abstract name
     * @throws IllegalArgumentException naming the path: empty, NUL inside a file-system path, or longer than
     *     sun_path's 108 bytes
     */
    public static byte[] encode(String path) {
        Objects.requireNonNull(path, "path");
        if (path.isEmpty()) {
            throw new IllegalArgumentException("path must not be empty");
        }
        if (!isAbstract(path) && path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("path contains NUL: " + display(path));
        }
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > Posix.SUN_PATH_BYTES) {
            throw new IllegalArgumentException("path is longer than sun_path's " + Posix.SUN_PATH_BYTES + " bytes ("
                    + bytes.length + " bytes): " + display(path));
        }
        return bytes;
    }

    /** {@return sun_path's bytes as the API's path: "" for an unnamed socket, a leading NUL for an abstract name} */
    public static String decode(byte[] path) {
        return new String(path, StandardCharsets.UTF_8);
    }

    /** {@return whether {@code path} is a Linux abstract name (its first character is NUL)} */
    public static boolean isAbstract(String path) {
        return !path.isEmpty() && path.charAt(0) == '\0';
    }

    /** {@return {@code path} for a message, a NUL shown as {@code \0}} */
    public static String display(String path) {
        return path.replace("\0", "\\0");
    }

    /** {@return sun_path's bytes for a message} */
    static String describe(byte[] path) {
        return display(decode(path));
    }

    /**
     * CPython's {@code create_unix_server}: a socket file left at {@code path} (by a server that did not clean up)
     * is removed so that the path can be bound again; anything else at the path is left for bind to refuse.
     *
     * @param path a file-system path
     * @throws IOException if the file could not be checked or removed
     */
    public static void removeStaleSocket(String path) throws IOException {
        Path file = Path.of(path);
        if (isSocket(file)) {
            Files.deleteIfExists(file);
        }
    }

    /**
     * {@return the identity (device and inode) of the socket file at {@code path}, or null if there is none}
     * What CPython 3.13 remembers to remove only its own socket file when the server stops serving.
     *
     * @param path a file-system path
     * @throws IOException if the file cannot be read
     */
    public static @Nullable Object socketFileKey(String path) throws IOException {
        Path file = Path.of(path);
        if (!isSocket(file)) {
            return null;
        }
        Map<String, Object> identity = Files.readAttributes(file, "unix:dev,ino");
        return identity.get("dev") + ":" + identity.get("ino");
    }

    /**
     * Removes the socket file at {@code path} if it is still the one {@code key} identifies (another server may
     * have replaced it since). Errors are returned, not thrown: the caller reports them.
     *
     * @param path a file-system path
     * @param key what {@link #socketFileKey} gave after bind
     * @return the error, or null once removed or gone already
     */
    public static @Nullable IOException removeOwnSocket(String path, Object key) {
        try {
            if (key.equals(socketFileKey(path))) {
                Files.deleteIfExists(Path.of(path));
            }
            return null;
        } catch (NoSuchFileException gone) {
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    private static boolean isSocket(Path file) throws IOException {
        try {
            int mode = (Integer) Files.getAttribute(file, "unix:mode");
            return (mode & S_IFMT) == S_IFSOCK;
        } catch (NoSuchFileException none) {
            return false;
        }
    }
}
