package io.xen4j.hal.memory.xenstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.store.wire.ParseResult;
import io.xen4j.store.wire.XsEncoder;
import io.xen4j.store.wire.XsMessage;
import io.xen4j.store.wire.XsParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The in-process transport: bytes in and out, the outstanding-reply quota as back pressure, close. */
final class InProcessTransportTest {
    private final XenstoreService service = new XenstoreService();

    private static List<XsMessage> readMessages(final InProcessTransport t, final int count) throws IOException {
        final XsParser parser = new XsParser();
        final List<XsMessage> out = new ArrayList<>();
        final ByteBuffer in = ByteBuffer.allocate(64);
        in.flip();
        while (out.size() < count) {
            if (!in.hasRemaining()) {
                in.clear();
                assertTrue(t.receive(in) > 0);
                in.flip();
            }
            if (parser.parse(in) instanceof ParseResult.Packet p) {
                out.add(p.message());
            }
        }
        return out;
    }

    @Test
    void aGuestTalksToTheDaemonAsIfOverItsRing() throws IOException {
        service.run(core -> {
            core.introduceDomain(3);
            core.createDomainHome(3, "g3");
        });
        try (InProcessTransport t = InProcessTransport.connect(service, 3)) {
            t.send(ByteBuffer.wrap(XsEncoder.toBytes(XsMessage.ofStrings(XsWire.XS_READ, 9, 0, "name"))));
            final XsMessage reply = readMessages(t, 1).get(0);
            assertEquals(9, reply.reqId());
            assertEquals("g3", reply.payloadAsString());
            assertTrue(t.description().contains("domain 3"));
        }
    }

    @Test
    void aGuestThatDoesNotReadIsHeldAtTheOutstandingQuotaUntilItReads() throws Exception {
        service.run(core -> {
            core.introduceDomain(4);
            core.createDomainHome(4, "g4");
        });
        try (InProcessTransport t = InProcessTransport.connect(service, 4)) {
            final ByteBuffer requests = ByteBuffer.allocate(30 * 32);
            for (int i = 0; i < 30; i++) {
                XsEncoder.encode(XsMessage.ofStrings(XsWire.XS_READ, i, 0, "domid"), requests);
            }
            requests.flip();
            final CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    t.send(requests);
                } catch (final IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Thread.sleep(200);
            assertTrue(!sent.isDone(), "send returned although 10 requests could not be taken");
            final List<XsMessage> replies = readMessages(t, 30);
            sent.get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 30; i++) {
                assertEquals(i, replies.get(i).reqId());
            }
        }
    }

    @Test
    void closeWakesABlockedReaderAndLaterCallsFail() throws Exception {
        final InProcessTransport t = InProcessTransport.connect(service, 0);
        final CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            try {
                return t.receive(ByteBuffer.allocate(16));
            } catch (final IOException e) {
                return -2;
            }
        });
        Thread.sleep(100);
        t.close();
        final int result = read.get(10, TimeUnit.SECONDS);
        assertTrue(result == -1 || result == -2, "receive returned " + result);
        assertThrows(IOException.class, () -> t.send(ByteBuffer.allocate(16)));
        final boolean none = service.call(core -> core.connections().isEmpty());
        assertTrue(none);
    }

    @Test
    void anOverlongHeaderBreaksTheConnection() throws Exception {
        try (InProcessTransport t = InProcessTransport.connect(service, 0)) {
            final ByteBuffer header = ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            header.putInt(XsWire.XS_READ).putInt(1).putInt(0).putInt(5000).flip();
            final IOException e = assertThrows(IOException.class, () -> t.send(header));
            assertTrue(String.valueOf(e.getMessage()).contains("len=5000"), e.getMessage());
            assertEquals(-1, t.receive(ByteBuffer.allocate(16)));
        }
    }
}
