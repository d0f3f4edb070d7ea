package org.asyncio4j.internal.posix;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * {@code struct sockaddr_in}, {@code struct sockaddr_in6} and {@code struct sockaddr_un} as bytes, for both
 * backends of the seam: Linux lays out the family in host order, the port in network order, then the address
 * (and for IPv6 the flow information before it and the scope id after it); for AF_UNIX the path follows the
 * family.
 */
final class SocketAddresses {
    /** Room for any address the seam handles ({@code sizeof(struct sockaddr_storage)} is 128). */
    static final int STORAGE_BYTES = 128;
    private static final int IN_BYTES = 16;
    private static final int IN6_BYTES = 28;

    private SocketAddresses() {}

    /**
     * Writes {@code address} as a sockaddr into {@code out} (at least {@link #STORAGE_BYTES} long).
     *
     * @return the sockaddr's length
     * @throws PosixException EINVAL for an unresolved address
     */
    static int encode(InetSocketAddress address, byte[] out, String call) {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new PosixException(call, PosixException.EINVAL, "unresolved address " + address);
        }
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.nativeOrder());
        Arrays.fill(out, 0, IN6_BYTES, (byte) 0);
        if (ip instanceof Inet4Address) {
            b.putShort(0, (short) Posix.AF_INET);
            b.order(ByteOrder.BIG_ENDIAN).putShort(2, (short) address.getPort());
            System.arraycopy(ip.getAddress(), 0, out, 4, 4);
            return IN_BYTES;
        }
        b.putShort(0, (short) Posix.AF_INET6);
        b.order(ByteOrder.BIG_ENDIAN).putShort(2, (short) address.getPort());
        System.arraycopy(ip.getAddress(), 0, out, 8, 16);
        b.order(ByteOrder.nativeOrder()).putInt(24, ((Inet6Address) ip).getScopeId());
        return IN6_BYTES;
    }

    /**
     * Reads the sockaddr of {@code length} bytes in {@code in}.
     *
     * @throws PosixException EAFNOSUPPORT (97) for a family other than IPv4 or IPv6
     */
    static InetSocketAddress decode(byte[] in, int length, String call) {
        ByteBuffer b = ByteBuffer.wrap(in).order(ByteOrder.nativeOrder());
        int family = b.getShort(0);
        int port = b.order(ByteOrder.BIG_ENDIAN).getShort(2) & 0xffff;
        try {
            if (family == Posix.AF_INET && length >= IN_BYTES) {
                return new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOfRange(in, 4, 8)), port);
            }
            if (family == Posix.AF_INET6 && length >= IN6_BYTES) {
                int scope = b.order(ByteOrder.nativeOrder()).getInt(24);
                byte[] ip = Arrays.copyOfRange(in, 8, 24);
                return new InetSocketAddress(
                        scope == 0 ? InetAddress.getByAddress(ip) : Inet6Address.getByAddress(null, ip, scope), port);
            }
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible); // only for a wrong length, excluded above
        }
        throw new PosixException(call, 97, "address family " + family);
    }

    /** {@code offsetof(struct sockaddr_un, sun_path)}: the family before the path. */
    private static final int UN_PATH_OFFSET = 2;

    /**
     * Writes {@code path} as a {@code sockaddr_un} into {@code out}: the family, then the path's bytes, with a
     * terminating NUL for a file-system path if it fits (an abstract name, whose first byte is 0, has none).
     *
     * @return the sockaddr's length
     * @throws PosixException ENAMETOOLONG (36) for more than sun_path's bytes, EINVAL for an empty path
     */
    static int encodeUnix(byte[] path, byte[] out, String call) {
        if (path.length == 0) {
            throw new PosixException(call, PosixException.EINVAL, "empty AF_UNIX path");
        }
        if (path.length > Posix.SUN_PATH_BYTES) {
            throw new PosixException(call, 36, "AF_UNIX path of " + path.length + " bytes, sun_path holds "
                    + Posix.SUN_PATH_BYTES);
        }
        Arrays.fill(out, 0, UN_PATH_OFFSET + Posix.SUN_PATH_BYTES, (byte) 0);
        ByteBuffer.wrap(out).order(ByteOrder.nativeOrder()).putShort(0, (short) Posix.AF_UNIX);
        System.arraycopy(path, 0, out, UN_PATH_OFFSET, path.length);
        boolean terminated = path[0] != 0 && path.length < Posix.SUN_PATH_BYTES;
        return UN_PATH_OFFSET + path.length + (terminated ? 1 : 0);
    }

    /**
     * Reads the {@code sockaddr_un} of {@code length} bytes in {@code in}: the path's bytes (an abstract name
     * whole, a file-system path up to its NUL), empty for an unnamed socket.
     *
     * @throws PosixException EAFNOSUPPORT (97) for another family
     */
    static byte[] decodeUnix(byte[] in, int length, String call) {
        int family = ByteBuffer.wrap(in).order(ByteOrder.nativeOrder()).getShort(0);
        if (family != Posix.AF_UNIX) {
            throw new PosixException(call, 97, "address family " + family);
        }
        int end = Math.min(length, UN_PATH_OFFSET + Posix.SUN_PATH_BYTES);
        if (end <= UN_PATH_OFFSET) {
            return new byte[0];
        }
        if (in[UN_PATH_OFFSET] != 0) {
            for (int i = UN_PATH_OFFSET; i < end; i++) {
                if (in[i] == 0) {
                    end = i;
                    break;
                }
            }
        }
        return Arrays.copyOfRange(in, UN_PATH_OFFSET, end);
    }
}
