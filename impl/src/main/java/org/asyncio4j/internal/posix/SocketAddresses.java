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
 * {@code struct sockaddr_in} and {@code struct sockaddr_in6} as bytes, for both backends of the seam: Linux
 * lays out the family in host order, the port in network order, then the address (and for IPv6 the flow
 * information before it and the scope id after it).
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
}
