package io.xen4j.store;

import io.xen4j.store.transport.XenbusDeviceTransport;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves one {@link FakeXenstored} on Unix sockets (one per domain id: a socket's connections act
 * as that domain) and on pairs of named pipes that stand in for {@code /dev/xen/xenbus}.
 */
final class FakeServers implements AutoCloseable {
    final FakeXenstored store = new FakeXenstored();
    private final Path dir;
    private final Map<Integer, Path> sockets = new HashMap<>();
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger fifos = new AtomicInteger();

    FakeServers(final Path dir) {
        this.dir = dir;
    }

    /** The socket whose connections act as {@code domid}, listening. */
    synchronized Path socket(final int domid) throws IOException {
        final Path existing = sockets.get(domid);
        if (existing != null) {
            return existing;
        }
        final Path path = dir.resolve("xs-" + domid + ".sock");
        final ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        open.add(server);
        Thread.ofPlatform().daemon().name("fake-xenstored-accept-" + domid).start(() -> {
            while (server.isOpen()) {
                final SocketChannel conn;
                try {
                    conn = server.accept();
                } catch (final IOException e) {
                    return;
                }
                open.add(conn);
                Thread.ofPlatform().daemon().name("fake-xenstored-conn-" + domid).start(() -> {
                    try (conn) {
                        store.serve(domid, conn, conn);
                    } catch (final IOException e) {
                        // Closed.
                    }
                });
            }
        });
        sockets.put(domid, path);
        return path;
    }

    /**
     * A xenbus-device transport whose device is a pair of named pipes served as {@code domid}: the
     * client writes requests into one and reads replies from the other, with plain file I/O.
     */
    XenbusDeviceTransport xenbusDevice(final int domid) throws IOException, InterruptedException {
        final int n = fifos.incrementAndGet();
        final Path req = dir.resolve("xenbus-" + n + ".req");
        final Path rsp = dir.resolve("xenbus-" + n + ".rsp");
        mkfifo(req);
        mkfifo(rsp);
        final CompletableFuture<Void> served = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("fake-xenbus-" + n).start(() -> {
            try (FileChannel in = FileChannel.open(req, StandardOpenOption.READ);
                 FileChannel out = FileChannel.open(rsp, StandardOpenOption.WRITE)) {
                open.add(in);
                open.add(out);
                served.complete(null);
                store.serve(domid, in, out);
            } catch (final IOException e) {
                served.completeExceptionally(e);
            }
        });
        final FileChannel toDevice = FileChannel.open(req, StandardOpenOption.WRITE);
        final FileChannel fromDevice = FileChannel.open(rsp, StandardOpenOption.READ);
        served.join();
        return XenbusDeviceTransport.of(fromDevice, toDevice, "xenbus device (fifo pair " + req.getFileName() + ")");
    }

    private static void mkfifo(final Path path) throws IOException, InterruptedException {
        final Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        if (p.waitFor() != 0 || !Files.exists(path)) {
            throw new IOException("mkfifo " + path + " failed");
        }
    }

    @Override
    public void close() throws Exception {
        for (final AutoCloseable c : open) {
            try {
                c.close();
            } catch (final Exception e) {
                // Best effort.
            }
        }
    }
}
