package org.asyncio4j.benchmarks.sockets;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Netty 4.2's native epoll transport, used as its echo example does: a server bootstrap with one boss thread
 * (accepts) and one worker thread (all I/O: the server's connections and the clients'), so that on two cores it
 * has one I/O thread as each asyncio4j loop has; TCP_NODELAY on both sides, the default pooled allocator, the
 * server handler writing each buffer back and flushing at the end of each read. A round is one task on the
 * worker that writes every client's messages (each {@code Unpooled.wrappedBuffer} of the same array, as
 * asyncio4j writes the array) and flushes.
 */
final class NettyEpollPeer implements SocketPeer {
    private static final String NAME = "netty-epoll";
    private static final String HOST = "127.0.0.1";
    private static final long WAIT_SECONDS = 10;

    private final byte[] message;
    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final EventLoopGroup worker = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final List<Channel> clients = new ArrayList<>();
    private final List<EchoRound.Expectation> expectations = new ArrayList<>();
    private Channel server;

    private NettyEpollPeer(int messageBytes) {
        message = SocketPeer.message(messageBytes);
    }

    /** Binds the server and connects the clients; closes all on failure. */
    static NettyEpollPeer open(int messageBytes, int connections) {
        NettyEpollPeer peer = new NettyEpollPeer(messageBytes);
        try {
            peer.server = await(new ServerBootstrap().group(peer.boss, peer.worker)
                    .channel(EpollServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new EchoHandler())
                    .bind(HOST, 0), "bind").channel();
            for (int i = 0; i < connections; i++) {
                EchoRound.Expectation e = new EchoRound.Expectation();
                Channel c = await(new Bootstrap().group(peer.worker)
                        .channel(EpollSocketChannel.class)
                        .option(ChannelOption.TCP_NODELAY, true)
                        .handler(new ClientHandler(e))
                        .connect(HOST, peer.serverPort()), "connect").channel();
                peer.clients.add(c);
                peer.expectations.add(e);
            }
            return peer;
        } catch (RuntimeException | Error e) {
            try {
                peer.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    public void echo(int depth) {
        EchoRound round = new EchoRound(clients.size(), depth);
        long bytes = (long) depth * message.length;
        worker.next().execute(() -> {
            for (int i = 0; i < clients.size(); i++) {
                expectations.get(i).expect(round, bytes);
                Channel c = clients.get(i);
                for (int d = 0; d < depth; d++) {
                    c.write(Unpooled.wrappedBuffer(message), c.voidPromise());
                }
                c.flush();
            }
        });
        round.await(NAME);
    }

    @Override
    public int serverPort() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Closes the clients, then the server, then shuts both groups down (no quiet period), each wait bounded. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (Channel c : clients) {
            first = attempt(first, () -> await(c.close(), "close a client"));
        }
        if (server != null) {
            first = attempt(first, () -> await(server.close(), "close the server"));
        }
        first = attempt(first, () -> await(worker.shutdownGracefully(0, WAIT_SECONDS, TimeUnit.SECONDS),
                "shut the worker down"));
        first = attempt(first, () -> await(boss.shutdownGracefully(0, WAIT_SECONDS, TimeUnit.SECONDS),
                "shut the boss down"));
        if (first != null) {
            throw first;
        }
    }

    private static RuntimeException attempt(RuntimeException first, Runnable step) {
        try {
            step.run();
            return first;
        } catch (RuntimeException e) {
            if (first == null) {
                return e;
            }
            first.addSuppressed(e);
            return first;
        }
    }

    /** Waits at most {@link #WAIT_SECONDS} for {@code f}; throws naming {@code what} when it failed or timed out. */
    private static <F extends Future<?>> F await(F f, String what) {
        if (!f.awaitUninterruptibly(WAIT_SECONDS + 5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("peer " + NAME + ": " + what + " took more than " + (WAIT_SECONDS + 5)
                    + " s");
        }
        if (!f.isSuccess()) {
            throw new IllegalStateException("peer " + NAME + ": " + what + " failed: " + f.cause(), f.cause());
        }
        return f;
    }

    /** The server's side of every connection: writes each buffer back, flushes when a read ends. */
    @Sharable
    private static final class EchoHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** A client connection: counts the bytes that come back and releases each buffer. */
    private static final class ClientHandler extends ChannelInboundHandlerAdapter {
        private final EchoRound.Expectation expectation;

        ClientHandler(EchoRound.Expectation expectation) {
            this.expectation = expectation;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            int n = buf.readableBytes();
            buf.release();
            expectation.received(n);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            expectation.lost(null);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            expectation.lost(cause);
            ctx.close();
        }
    }
}
