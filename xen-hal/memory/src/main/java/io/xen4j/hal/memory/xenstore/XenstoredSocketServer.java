package io.xen4j.hal.memory.xenstore;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * Serves a {@link XenstoreService} on a Unix domain socket, as C xenstored serves
 * {@code /run/xenstored/socket}: external programs (the {@code xenstore-*} tools, libxenstore,
 * the Java client) connect with {@code XENSTORED_PATH} pointing at it. Every connection is dom0,
 * privileged, exactly as the C daemon treats its socket.
 *
 * <p>One thread ({@code xenstored-socket}) does all socket I/O with a selector; the daemon itself
 * runs under the service's lock, so the same store can be served in-process at the same time.
 * {@link #close()} stops the thread, closes every connection and removes the socket file.
 */
public final class XenstoredSocketServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(XenstoredSocketServer.class.getName());
    private static final int READ_BUFFER = 64 * 1024;
    private static final int WRITE_BUFFER = 64 * 1024;

    private final XenstoreService service;
    private final Path path;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Client> woken = new ConcurrentLinkedQueue<>();
    private final List<Client> clients = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;

    /** One socket client. */
    private final class Client {
        final SocketChannel channel;
        final XsByteStream stream;
        final ByteBuffer in = ByteBuffer.allocate(READ_BUFFER);
        final ByteBuffer out = ByteBuffer.allocate(WRITE_BUFFER).flip();
        @Nullable SelectionKey key;

        Client(final SocketChannel channel, final XsByteStream stream) {
            this.channel = channel;
            this.stream = stream;
        }
    }

    private XenstoredSocketServer(final XenstoreService service, final Path path, final ServerSocketChannel server,
        final Selector selector) {
        this.service = service;
        this.path = path;
        this.server = server;
        this.selector = selector;
        this.thread = new Thread(this::loop, "xenstored-socket");
        this.thread.setDaemon(true);
    }

    /**
     * Binds {@code socketPath} and starts serving. A socket file left at that path by a daemon
     * that is gone is replaced; if a daemon still answers there, this fails.
     *
     * @param service    the daemon to serve
     * @param socketPath where to create the socket; its directory must exist
     * @return the running server
     * @throws IOException if the socket cannot be bound
     */
    public static XenstoredSocketServer start(final XenstoreService service, final Path socketPath)
        throws IOException {
        Objects.requireNonNull(service, "service");
        final Path path = socketPath.toAbsolutePath();
        removeStaleSocket(path);
        final ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        final Selector selector;
        try {
            server.bind(UnixDomainSocketAddress.of(path));
            server.configureBlocking(false);
            selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (final IOException e) {
            server.close();
            throw new IOException("xenstored: cannot serve on " + path + ": " + e.getMessage(), e);
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            // As C xenstored: the socket is dom0's, only its owner may connect.
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        }
        final XenstoredSocketServer s = new XenstoredSocketServer(service, path, server, selector);
        s.thread.start();
        return s;
    }

    private static void removeStaleSocket(final Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            throw new IOException("xenstored: a daemon already serves " + path + "; stop it or choose another path");
        } catch (final IOException notListening) {
            if (notListening.getMessage() != null && notListening.getMessage().startsWith("xenstored:")) {
                throw notListening;
            }
        }
        if (Files.isRegularFile(path, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(path)) {
            throw new IOException("xenstored: " + path + " exists and is not a socket; refusing to replace it");
        }
        Files.delete(path);
    }

    /**
     * The socket's path.
     *
     * @return absolute path
     */
    public Path path() {
        return path;
    }

    /**
     * Connections open now.
     *
     * @return count
     */
    public int clientCount() {
        synchronized (clients) {
            return clients.size();
        }
    }

    private void loop() {
        try {
            while (running) {
                selector.select();
                for (final SelectionKey key : selector.selectedKeys()) {
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept();
                    } else {
                        final Client c = (Client) Objects.requireNonNull(key.attachment());
                        if (key.isReadable()) {
                            read(c);
                        }
                        if (key.isValid() && key.isWritable()) {
                            flush(c);
                        }
                    }
                }
                selector.selectedKeys().clear();
                Client c;
                while ((c = woken.poll()) != null) {
                    if (c.channel.isOpen()) {
                        flush(c);
                    }
                }
            }
        } catch (final IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "xenstored: socket server on " + path + " failed", e);
        } finally {
            shutdown();
            stopped.countDown();
        }
    }

    private void accept() throws IOException {
        final SocketChannel ch = server.accept();
        if (ch == null) {
            return;
        }
        ch.configureBlocking(false);
        final Client client = service.call(core -> {
            final XsConnection conn = core.connectSocket();
            final Client made = new Client(ch, new XsByteStream(core, conn));
            // Output caused by other clients (watch events) wakes the selector to write it.
            conn.outputListener(() -> wake(made));
            return made;
        });
        client.key = ch.register(selector, SelectionKey.OP_READ, client);
        synchronized (clients) {
            clients.add(client);
        }
    }

    private void wake(final Client c) {
        woken.add(c);
        if (Thread.currentThread() != thread) {
            selector.wakeup();
        }
    }

    private void read(final Client c) {
        final int n;
        try {
            n = c.channel.read(c.in);
        } catch (final IOException e) {
            drop(c, "read failed: " + e.getMessage());
            return;
        }
        if (n < 0) {
            drop(c, "client closed the socket");
            return;
        }
        process(c);
    }

    private void process(final Client c) {
        c.in.flip();
        final boolean broken = service.call(core -> {
            c.stream.receive(c.in);
            return c.stream.isBroken();
        });
        c.in.compact();
        if (broken) {
            LOG.log(System.Logger.Level.WARNING, "xenstored: dropping socket client: " + c.stream.brokenReason());
            drop(c, String.valueOf(c.stream.brokenReason()));
            return;
        }
        flush(c);
    }

    private void flush(final Client c) {
        try {
            while (true) {
                if (c.out.hasRemaining()) {
                    c.channel.write(c.out);
                    if (c.out.hasRemaining()) {
                        interest(c, SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                        return;
                    }
                }
                c.out.clear();
                service.run(core -> {
                    c.stream.drainTo(c.out);
                    c.stream.resume();
                });
                c.out.flip();
                if (!c.out.hasRemaining()) {
                    interest(c, SelectionKey.OP_READ);
                    // Bytes the outstanding-reply quota held back: go on with them now that replies went out.
                    if (c.in.position() > 0 && !service.call(core -> c.stream.isHolding())) {
                        process(c);
                    }
                    return;
                }
            }
        } catch (final IOException e) {
            drop(c, "write failed: " + e.getMessage());
        }
    }

    private static void interest(final Client c, final int ops) {
        final SelectionKey key = c.key;
        if (key != null && key.isValid() && key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    private void drop(final Client c, final String reason) {
        final SelectionKey key = c.key;
        if (key != null) {
            key.cancel();
        }
        try {
            c.channel.close();
        } catch (final IOException ignored) {
            // Closing a socket the peer already dropped: nothing left to release.
        }
        service.run(core -> c.stream.close(reason));
        synchronized (clients) {
            clients.remove(c);
        }
    }

    private void shutdown() {
        final List<Client> all;
        synchronized (clients) {
            all = new ArrayList<>(clients);
        }
        for (final Client c : all) {
            drop(c, "daemon stopped");
        }
        try {
            selector.close();
        } catch (final IOException ignored) {
            // Stopping anyway.
        }
        try {
            server.close();
        } catch (final IOException ignored) {
            // Stopping anyway.
        }
        try {
            Files.deleteIfExists(path);
        } catch (final IOException e) {
            LOG.log(System.Logger.Level.WARNING, "xenstored: could not remove " + path + ": " + e.getMessage());
        }
    }

    /**
     * Stops serving: the thread ends, every client is disconnected (its watches and transactions
     * go), the socket file is removed. Returns once all of that is done.
     */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            stopped.await();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            thread.join();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "xenstored on " + path;
    }
}
