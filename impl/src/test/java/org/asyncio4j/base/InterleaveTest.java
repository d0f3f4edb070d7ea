package org.asyncio4j.base;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CPython's {@code _interleave_addrinfos}, checked against what python3 gives for the same input. */
class InterleaveTest {
    private static List<InetAddress> addresses(String... literals) throws Exception {
        List<InetAddress> list = new ArrayList<>();
        for (String literal : literals) {
            list.add(InetAddress.getByName(literal));
        }
        return list;
    }

    @Test
    void alternatesFamiliesAfterTheLeadingCountOfTheFirst() throws Exception {
        List<InetAddress> resolved = addresses("::1", "::2", "::3", "10.0.0.1", "10.0.0.2");
        assertEquals(addresses("::1", "10.0.0.1", "::2", "10.0.0.2", "::3"), SocketConnector.interleave(resolved, 1));
        assertEquals(addresses("::1", "::2", "10.0.0.1", "::3", "10.0.0.2"), SocketConnector.interleave(resolved, 2));
        assertEquals(addresses("::1", "::2", "::3", "10.0.0.1", "10.0.0.2"), SocketConnector.interleave(resolved, 3));
        assertEquals(resolved, SocketConnector.interleave(resolved, 0));
        assertEquals(addresses("10.0.0.1", "::1"), SocketConnector.interleave(addresses("10.0.0.1", "::1"), 9));
    }
}
