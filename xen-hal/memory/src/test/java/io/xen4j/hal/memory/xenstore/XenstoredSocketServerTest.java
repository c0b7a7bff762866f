package io.xen4j.hal.memory.xenstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.store.wire.ParseResult;
import io.xen4j.store.wire.XsEncoder;
import io.xen4j.store.wire.XsMessage;
import io.xen4j.store.wire.XsParser;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Unix-socket server with plain Java sockets: framing, several clients, lifecycle. */
final class XenstoredSocketServerTest {
    @TempDir
    Path dir;
    private XenstoreService service;
    private XenstoredSocketServer server;

    @BeforeEach
    void start() throws IOException {
        service = new XenstoreService();
        server = XenstoredSocketServer.start(service, dir.resolve("socket"));
    }

    @AfterEach
    void stop() {
        server.close();
        assertEquals(0L, service.call(XenstoreCore::internalErrors));
    }

    /** A blocking test client speaking the wire format. */
    static final class Client implements AutoCloseable {
        final SocketChannel channel;
        final XsParser parser = new XsParser();
        final ByteBuffer in = ByteBuffer.allocate(16384);
        final List<XsMessage> events = new ArrayList<>();
        int nextId = 1;

        Client(final Path socket) throws IOException {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            in.flip();
        }

        void send(final XsMessage m) throws IOException {
            final ByteBuffer b = ByteBuffer.wrap(XsEncoder.toBytes(m));
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }

        XsMessage next() throws IOException {
            while (true) {
                if (in.hasRemaining()) {
                    final ParseResult r = parser.parse(in);
                    if (r instanceof ParseResult.Packet p) {
                        return p.message();
                    }
                    if (r instanceof ParseResult.Failed f) {
                        throw new IOException(f.describe());
                    }
                }
                in.compact();
                if (channel.read(in) < 0) {
                    in.flip();
                    throw new IOException("daemon closed the socket");
                }
                in.flip();
            }
        }

        XsMessage call(final int type, final int tx, final String... strings) throws IOException {
            final int id = nextId++;
            send(XsMessage.ofStrings(type, id, tx, strings));
            while (true) {
                final XsMessage m = next();
                if (m.type() == XsWire.XS_WATCH_EVENT) {
                    events.add(m);
                } else {
                    assertEquals(id, m.reqId());
                    return m;
                }
            }
        }

        XsMessage write(final String path, final String value) throws IOException {
            final int id = nextId++;
            send(XsMessage.ofStringAndBytes(XsWire.XS_WRITE, id, 0, path, value.getBytes()));
            while (true) {
                final XsMessage m = next();
                if (m.type() != XsWire.XS_WATCH_EVENT) {
                    return m;
                }
                events.add(m);
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    @Test
    void aClientWritesAndReadsAndTheSocketIsDom0() throws IOException {
        try (Client c = new Client(server.path())) {
            assertTrue(c.write("/s/x", "v").isOk());
            assertEquals("v", c.call(XsWire.XS_READ, 0, "/s/x").payloadAsString());
            assertEquals("T", c.call(XsWire.XS_IS_DOMAIN_INTRODUCED, 0, "0").firstString());
            assertTrue(c.call(XsWire.XS_INTRODUCE, 0, "3", "1", "1").isOk());
        }
    }

    @Test
    void watchEventsOfOneClientAreCausedByAnother() throws Exception {
        try (Client watcher = new Client(server.path()); Client writer = new Client(server.path())) {
            assertTrue(watcher.call(XsWire.XS_WATCH, 0, "/w", "tok").isOk());
            assertEquals("/w", watcher.next().firstString());
            assertTrue(writer.write("/w/x", "1").isOk());
            final XsMessage event = watcher.next();
            assertEquals(XsWire.XS_WATCH_EVENT, event.type());
            assertEquals(List.of("/w/x", "tok"), event.strings());
        }
    }

    @Test
    void inProcessAndSocketClientsShareTheStore() throws Exception {
        final List<XsMessage> inProcess = new CopyOnWriteArrayList<>();
        try (XenstoreService.InProcessConnection local = service.connect(0, inProcess::add);
             Client remote = new Client(server.path())) {
            local.send(XsMessage.ofStrings(XsWire.XS_WATCH, 1, 0, "/shared", "local"));
            assertTrue(remote.write("/shared/k", "from the socket").isOk());
            assertEquals(List.of("/shared", "local"), inProcess.get(1).strings());
            assertEquals(List.of("/shared/k", "local"), inProcess.get(2).strings());
            assertTrue(remote.call(XsWire.XS_WATCH, 0, "/shared", "remote").isOk());
            assertEquals("/shared", remote.next().firstString());
            local.send(XsMessage.ofStringAndBytes(XsWire.XS_WRITE, 2, 0, "/shared/j", new byte[] {'1'}));
            assertEquals(List.of("/shared/j", "remote"), remote.next().strings());
        }
    }

    @Test
    void closingAClientRemovesItsWatchesAndTransactions() throws Exception {
        try (Client c = new Client(server.path())) {
            assertTrue(c.call(XsWire.XS_WATCH, 0, "/gone", "t").isOk());
            assertTrue(c.call(XsWire.XS_TRANSACTION_START, 0, "").firstString().length() > 0);
        }
        waitFor(() -> server.clientCount() == 0);
        assertEquals(0, service.call(core -> core.usage(0)).watches());
        assertEquals(0, service.call(core -> core.usage(0)).transactions());
    }

    @Test
    void aClientSendingAnOverlongPayloadIsDroppedAndOthersGoOn() throws Exception {
        try (Client bad = new Client(server.path()); Client good = new Client(server.path())) {
            final ByteBuffer header = ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            header.putInt(XsWire.XS_WRITE).putInt(1).putInt(0).putInt(XsWire.XENSTORE_PAYLOAD_MAX + 1).flip();
            bad.channel.write(header);
            assertThrows(IOException.class, bad::next);
            assertTrue(good.write("/still/alive", "yes").isOk());
        }
    }

    @Test
    void manyClientsAtOnceEachSeeTheirOwnReplies() throws Exception {
        final ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            final List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                final int id = t;
                results.add(pool.submit(() -> {
                    try (Client c = new Client(server.path())) {
                        for (int i = 0; i < 300; i++) {
                            assertTrue(c.write("/many/" + id + "/k", Integer.toString(i)).isOk());
                            assertEquals(Integer.toString(i), c.call(XsWire.XS_READ, 0, "/many/" + id + "/k")
                                .payloadAsString());
                        }
                        return id;
                    }
                }));
            }
            for (final Future<Integer> f : results) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (Client c = new Client(server.path())) {
            final int n = 2000;
            final ByteBuffer all = ByteBuffer.allocate(n * 40);
            for (int i = 0; i < n; i++) {
                XsEncoder.encode(XsMessage.ofStringAndBytes(XsWire.XS_WRITE, i, 0, "/pipe/" + (i % 10),
                    Integer.toString(i).getBytes()), all);
            }
            all.flip();
            while (all.hasRemaining()) {
                c.channel.write(all);
            }
            for (int i = 0; i < n; i++) {
                final XsMessage reply = c.next();
                assertEquals(i, reply.reqId());
                assertTrue(reply.isOk());
            }
        }
    }

    @Test
    void closeRemovesTheSocketFileAndDisconnectsClients() throws Exception {
        final Client c = new Client(server.path());
        assertTrue(c.call(XsWire.XS_WATCH, 0, "/x", "t").isOk());
        assertEquals("/x", c.next().firstString());
        server.close();
        assertFalse(Files.exists(server.path()));
        assertThrows(IOException.class, c::next);
        c.close();
        assertEquals(0, service.call(core -> core.usage(0)).watches());
        // Serving again on the same path works.
        server = XenstoredSocketServer.start(service, dir.resolve("socket"));
    }

    @Test
    void aStaleSocketFileIsReplacedButALiveDaemonIsNot() throws Exception {
        final Path stale = dir.resolve("stale");
        try (var ch = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.bind(UnixDomainSocketAddress.of(stale));
        }
        assertTrue(Files.exists(stale));
        XenstoredSocketServer.start(service, stale).close();
        final IOException e = assertThrows(IOException.class, () -> XenstoredSocketServer.start(service, server.path()));
        assertTrue(String.valueOf(e.getMessage()).contains("already serves"), e.getMessage());
        final Path regular = dir.resolve("regular");
        Files.writeString(regular, "not a socket");
        assertThrows(IOException.class, () -> XenstoredSocketServer.start(service, regular));
        assertTrue(Files.exists(regular));
    }

    static void waitFor(final java.util.function.BooleanSupplier condition) throws InterruptedException {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }
}
