package org.asyncio4j.sockets;

import static org.asyncio4j.sockets.SocketFixtures.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.AsyncFutures;
import org.asyncio4j.ConnectionOptions;
import org.asyncio4j.EventLoop;
import org.asyncio4j.Server;
import org.asyncio4j.ServerOptions;
import org.asyncio4j.StreamConnection;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TLS against a real peer that is not the JDK: the machine's {@code python3} and its OpenSSL-backed ssl module,
 * as a blocking echo server and as a client, each bounded by socket timeouts and a process deadline. Skipped
 * where there is no python3.
 */
class TlsInteropTest {
    private static final double TIMEOUT = 30;

    /** Echoes one connection until the client's close_notify, then answers it with its own; prints the port first. */
    private static final String ECHO_SERVER = String.join("\n",
            "import socket, ssl, sys",
            "ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)",
            "ctx.load_cert_chain(sys.argv[1], sys.argv[2])",
            "srv = socket.create_server(('127.0.0.1', 0))",
            "srv.settimeout(20)",
            "print(srv.getsockname()[1], flush=True)",
            "conn, _ = srv.accept()",
            "conn.settimeout(20)",
            "tls = ctx.wrap_socket(conn, server_side=True)",
            "while True:",
            "    data = tls.recv(65536)",
            "    if not data:",
            "        break",
            "    tls.sendall(data)",
            "print(tls.version(), flush=True)",
            "tls.unwrap().close()",
            "srv.close()");

    /** Sends a line, reads the answer, prints it and the protocol, and closes with close_notify. */
    private static final String CLIENT = String.join("\n",
            "import socket, ssl, sys",
            "ctx = ssl.create_default_context(cafile=sys.argv[1])",
            "sock = socket.create_connection(('127.0.0.1', int(sys.argv[2])), timeout=20)",
            "tls = ctx.wrap_socket(sock, server_hostname='localhost')",
            "tls.sendall(b'hello from python\\n')",
            "answer = b''",
            "while not answer.endswith(b'\\n'):",
            "    chunk = tls.recv(1024)",
            "    if not chunk:",
            "        break",
            "    answer += chunk",
            "print(answer.decode().strip(), tls.version(), flush=True)",
            "tls.unwrap().close()");

    private static <T> T await(EventLoop loop, AsyncFuture<T> f) {
        return loop.runUntilComplete(AsyncFutures.waitFor(f, TIMEOUT));
    }

    private static boolean hasPython() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import ssl").redirectErrorStream(true).start();
            boolean done = p.waitFor(20, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly().waitFor();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Process python(Path dir, String script, String... args) throws IOException {
        Path file = dir.resolve("peer.py");
        Files.writeString(file, script);
        List<String> argv = new ArrayList<>(List.of("python3", file.toString()));
        argv.addAll(List.of(args));
        return new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Waits for the peer to exit (bounded), kills it if it did not, and returns its exit status. */
    private static int reap(Process p) throws InterruptedException {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
        return p.exitValue();
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void ourClientEchoesThroughAPythonServer(Supplier<EventLoop> loops, @TempDir Path dir) throws Exception {
        assumeTrue(hasPython(), "python3 with ssl is not installed");
        Process peer = python(dir, ECHO_SERVER, TlsFixtures.pem(dir, "localhost-cert.pem").toString(),
                TlsFixtures.pem(dir, "localhost-key.pem").toString());
        try (BufferedReader out = new BufferedReader(new InputStreamReader(peer.getInputStream(),
                StandardCharsets.UTF_8)); EventLoop loop = loops.get()) {
            int port = Integer.parseInt(out.readLine().trim());
            StreamConnection c = await(loop, loop.openConnection("localhost", port,
                    ConnectionOptions.builder().ssl(TlsFixtures.clientContext()).build()));
            byte[] data = pattern(1 << 20);
            c.writer().write(data);
            assertArrayEquals(data, await(loop, c.reader().readExactly(data.length)));
            c.writer().close();
            await(loop, c.writer().waitClosed());
            assertEquals("TLSv1.3", out.readLine(), "python saw our close_notify as the end of the stream");
        } finally {
            assertEquals(0, reap(peer), "python answered our close_notify and exited");
        }
    }

    @ParameterizedTest
    @MethodSource("org.asyncio4j.sockets.SocketFixtures#loops")
    void aPythonClientTalksToOurServer(Supplier<EventLoop> loops, @TempDir Path dir) throws Exception {
        assumeTrue(hasPython(), "python3 with ssl is not installed");
        try (EventLoop loop = loops.get()) {
            AsyncFuture<Void> done = loop.createFuture();
            Server server = await(loop, loop.startServer((reader, writer) -> reader.readLine().addDoneCallback(l -> {
                writer.write(new String(l.result(), StandardCharsets.UTF_8).toUpperCase().getBytes());
                reader.read(-1).addDoneCallback(eof -> {
                    writer.close();
                    writer.waitClosed().addDoneCallback(w -> done.setResult(null));
                });
            }), "127.0.0.1", 0, ServerOptions.builder().ssl(TlsFixtures.serverContext()).build()));
            Process peer = python(dir, CLIENT, TlsFixtures.pem(dir, "localhost-cert.pem").toString(),
                    String.valueOf(server.addresses().get(0).getPort()));
            try (BufferedReader out = new BufferedReader(new InputStreamReader(peer.getInputStream(),
                    StandardCharsets.UTF_8))) {
                await(loop, done);
                assertEquals("HELLO FROM PYTHON TLSv1.3", out.readLine());
            } finally {
                assertEquals(0, reap(peer), "python's close_notify was answered");
            }
            server.close();
            await(loop, server.waitClosed());
        }
    }
}
