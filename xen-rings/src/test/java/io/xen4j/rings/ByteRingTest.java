package io.xen4j.rings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class ByteRingTest {
    private static UnsafeBuffer bytes(final String text) {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2047, 2048, 2049, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0xFFFF_FFF0})
    void writesAndReadsCrossTheWrapInPiecesWithAnyStartIndex(final int start) {
        final UnsafeBuffer page = Rings.pages(1);
        page.putInt(ConsoleRing.OUT_CONS_OFFSET, start);
        page.putInt(ConsoleRing.OUT_PROD_OFFSET, start);
        final ConsoleRing guest = ConsoleRing.frontend("console-3", page).attach();
        final ConsoleRing backend = ConsoleRing.backend("console-3", page).attach();
        final byte[] sent = new byte[5000];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = (byte) (i * 31 + 7);
        }
        final UnsafeBuffer source = new UnsafeBuffer(sent);
        final UnsafeBuffer received = new UnsafeBuffer(new byte[sent.length]);
        int written = 0;
        int read = 0;
        int chunk = 1;
        while (read < sent.length) {
            final int w = guest.producer().write(source, written, Math.min(chunk, sent.length - written));
            written += w;
            assertEquals(w > 0, guest.producer().pushAndCheckNotify(), "a push that publishes owes an event");
            assertFalse(guest.producer().pushAndCheckNotify(), "nothing new to publish");
            final int r = backend.consumer().read(received, read, chunk / 2 + 1);
            read += r;
            assertEquals(r > 0, backend.consumer().releaseAndCheckNotify(), "a release that frees space owes an event");
            chunk = chunk * 3 % 2203 + 1;
        }
        assertEquals(source, received);
        assertEquals(start + sent.length, page.getInt(ConsoleRing.OUT_PROD_OFFSET));
        assertEquals(start + sent.length, page.getInt(ConsoleRing.OUT_CONS_OFFSET));
        assertFalse(guest.isBroken() || backend.isBroken());
    }

    @Test
    void aFullRingTakesNothingMoreAndIsNotEmpty() {
        final UnsafeBuffer page = Rings.pages(1);
        final ConsoleRing guest = ConsoleRing.frontend("c", page).attach();
        final ConsoleRing backend = ConsoleRing.backend("c", page).attach();
        final UnsafeBuffer big = new UnsafeBuffer(new byte[4096]);
        assertEquals(ConsoleRing.OUT_SIZE, guest.producer().write(big, 0, 4096));
        assertEquals(0, guest.producer().write(big, 0, 1));
        assertEquals(0, guest.producer().freeBytes());
        assertEquals(ConsoleRing.OUT_SIZE, guest.producer().pendingBytes());
        assertEquals(0, backend.consumer().available(), "not pushed yet");
        assertTrue(guest.producer().pushAndCheckNotify());
        assertEquals(ConsoleRing.OUT_SIZE, backend.consumer().available(), "full, not empty");
        assertEquals(ConsoleRing.IN_SIZE, backend.producer().write(big, 0, 4096), "the in ring has its own size");
    }

    @Test
    void theConsumerOnlyFreesSpaceWhenItReleases() {
        final UnsafeBuffer page = Rings.pages(1);
        final XenstoreRing client = XenstoreRing.client("xs", page).attach();
        final XenstoreRing server = XenstoreRing.server("xs", page).attach();
        final UnsafeBuffer big = new UnsafeBuffer(new byte[1024]);
        client.producer().write(big, 0, 1024);
        client.producer().pushAndCheckNotify();
        assertEquals(1000, server.consumer().read(big, 0, 1000));
        assertEquals(0, client.producer().freeBytes());
        assertTrue(server.consumer().releaseAndCheckNotify());
        assertEquals(1000, client.producer().freeBytes());
        assertFalse(server.consumer().releaseAndCheckNotify());
    }

    @ParameterizedTest(name = "req_prod = req_cons + {0}: valid={1}")
    @CsvSource({"0, true", "1, true", "1023, true", "1024, true", "1025, false", "2147483647, false",
        "2147483648, false", "4294967295, false"})
    void producerIndexEdgesSeenByTheConsumer(final long delta, final boolean valid) {
        for (final int start : new int[] {0, 1, 1023, 1024, 1025, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF}) {
            final UnsafeBuffer page = Rings.pages(1);
            page.putInt(XenstoreRing.REQ_CONS_OFFSET, start);
            page.putInt(XenstoreRing.REQ_PROD_OFFSET, start);
            final XenstoreRing server = XenstoreRing.server("xs-dom7", page).attach();
            final int prod = start + (int) delta;
            page.putInt(XenstoreRing.REQ_PROD_OFFSET, prod);
            final int got = server.consumer().read(new UnsafeBuffer(new byte[2048]), 0, 2048);
            assertEquals(valid ? (int) delta : 0, got, "start=" + Integer.toUnsignedString(start));
            assertEquals(!valid, server.isBroken());
            if (!valid) {
                assertEquals(RingViolation.BYTE_RING_INDEX_OVERFLOW, server.consumer().violation());
                assertTrue(server.brokenReason().startsWith("ring=xs-dom7.req rule=BYTE_RING_INDEX_OVERFLOW"),
                    server.brokenReason());
                assertTrue(server.brokenReason().contains("prod=" + Integer.toUnsignedString(prod) + " cons="
                    + Integer.toUnsignedString(start) + " size=1024"), server.brokenReason());
                assertFalse(server.consumer().releaseAndCheckNotify());
            }
        }
    }

    @Test
    void theEdgesOfTheConsumerRangeAreExact() {
        final UnsafeBuffer page = Rings.pages(1);
        page.putInt(ConsoleRing.IN_CONS_OFFSET, -1);
        page.putInt(ConsoleRing.IN_PROD_OFFSET, -1 + 1024);
        final ConsoleRing guest = ConsoleRing.frontend("c", page).attach();
        assertEquals(1024, guest.consumer().available(), "exactly full");
        page.putInt(ConsoleRing.IN_PROD_OFFSET, -1);
        assertEquals(0, guest.consumer().available(), "exactly empty");
        assertFalse(guest.isBroken());
        page.putInt(ConsoleRing.IN_PROD_OFFSET, -2);
        assertEquals(0, guest.consumer().available(), "one behind the consumer is 2^32-1 ahead");
        assertTrue(guest.isBroken());
    }

    @Test
    void aConsumerIndexOutsideWhatWasPublishedBreaksTheProducer() {
        final UnsafeBuffer page = Rings.pages(1);
        final ConsoleRing guest = ConsoleRing.frontend("console-9", page).attach();
        guest.producer().write(bytes("hello"), 0, 5);
        guest.producer().pushAndCheckNotify();
        guest.producer().write(bytes("world"), 0, 5);
        page.putInt(ConsoleRing.OUT_CONS_OFFSET, 7);
        assertEquals(0, guest.producer().freeBytes(), "cons=7 is past the published prod=5");
        assertTrue(guest.isBroken());
        assertTrue(guest.brokenReason().contains("ring=console-9.out"), guest.brokenReason());
        assertFalse(guest.producer().pushAndCheckNotify());
        assertEquals(5, page.getInt(ConsoleRing.OUT_PROD_OFFSET), "a broken producer publishes nothing");

        final ConsoleRing again = ConsoleRing.frontend("console-9", page);
        page.putInt(ConsoleRing.OUT_CONS_OFFSET, 3);
        again.attach();
        page.putInt(ConsoleRing.OUT_CONS_OFFSET, 2);
        assertEquals(0, again.producer().freeBytes(), "the consumer index moved backwards");
        assertTrue(again.isBroken());
    }

    @Test
    void attachRejectsIndicesThatAreAlreadyInconsistent() {
        final UnsafeBuffer page = Rings.pages(1);
        page.putInt(ConsoleRing.OUT_CONS_OFFSET, 0);
        page.putInt(ConsoleRing.OUT_PROD_OFFSET, 4096);
        final ConsoleRing guest = ConsoleRing.frontend("c", page).attach();
        assertTrue(guest.producer().isBroken());
        final ConsoleRing backend = ConsoleRing.backend("c", page).attach();
        assertTrue(backend.consumer().isBroken());
    }

    @Test
    void pagesThatAreTooSmallAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ConsoleRing.frontend("c", new UnsafeBuffer(new byte[3000])));
        assertThrows(IllegalArgumentException.class, () -> XenstoreRing.client("x", new UnsafeBuffer(new byte[2000])));
        assertEquals(3088, ConsoleRing.LENGTH);
        assertEquals(2076, XenstoreRing.LENGTH);
    }

    @Test
    void xenstoreReconnectionFollowsTheProtocol() {
        final UnsafeBuffer page = Rings.pages(1);
        final XenstoreRing server = XenstoreRing.server("xs", page);
        server.advertiseFeatures(XenstoreRing.XENSTORE_SERVER_FEATURE_RECONNECTION);
        server.advertiseFeatures(XenstoreRing.XENSTORE_SERVER_FEATURE_ERROR);
        server.attach();
        final XenstoreRing client = XenstoreRing.client("xs", page).attach();
        assertEquals(3, client.serverFeatures(), "features are only ever added");
        final UnsafeBuffer data = new UnsafeBuffer(new byte[100]);
        client.producer().write(data, 0, 100);
        client.producer().pushAndCheckNotify();
        server.consumer().read(data, 0, 30);

        assertFalse(server.reconnectRequested());
        assertTrue(client.requestReconnect());
        assertTrue(client.isReconnecting());
        assertEquals(XenstoreRing.XENSTORE_RECONNECT, page.getInt(XenstoreRing.CONNECTION_OFFSET));
        assertEquals(0, client.producer().write(data, 0, 10), "the client ignores the rings while reconnecting");
        assertEquals(0, client.consumer().available());
        assertFalse(client.pollReconnected());

        assertTrue(server.reconnectRequested());
        assertTrue(server.completeReconnect());
        assertEquals(XenstoreRing.XENSTORE_CONNECTED, page.getInt(XenstoreRing.CONNECTION_OFFSET));
        for (final int offset : new int[] {XenstoreRing.REQ_CONS_OFFSET, XenstoreRing.REQ_PROD_OFFSET,
            XenstoreRing.RSP_CONS_OFFSET, XenstoreRing.RSP_PROD_OFFSET}) {
            assertEquals(0, page.getInt(offset));
        }
        assertEquals(0, server.consumer().available(), "the input queue is empty");
        assertTrue(client.pollReconnected());
        assertFalse(client.isReconnecting());
        assertEquals(1024, client.producer().freeBytes());
        assertEquals(10, client.producer().write(data, 0, 10));
        client.producer().pushAndCheckNotify();
        assertEquals(10, server.consumer().available());
    }

    @Test
    void aClientThatFindsAReconnectionInProgressWaitsForIt() {
        final UnsafeBuffer page = Rings.pages(1);
        final XenstoreRing server = XenstoreRing.server("xs", page);
        server.advertiseFeatures(XenstoreRing.XENSTORE_SERVER_FEATURE_RECONNECTION);
        page.putInt(XenstoreRing.CONNECTION_OFFSET, XenstoreRing.XENSTORE_RECONNECT);
        page.putInt(XenstoreRing.REQ_PROD_OFFSET, 99_999);
        final XenstoreRing client = XenstoreRing.client("xs", page).attach();
        assertTrue(client.isReconnecting());
        assertFalse(client.isBroken(), "indices are ignored while reconnecting");
        assertFalse(client.pollReconnected());
        server.completeReconnect();
        assertTrue(client.pollReconnected());
        assertFalse(client.isBroken());
    }

    @Test
    void withoutTheFeatureThereIsNoReconnection() {
        final UnsafeBuffer page = Rings.pages(1);
        final XenstoreRing client = XenstoreRing.client("xs", page).attach();
        final XenstoreRing server = XenstoreRing.server("xs", page).attach();
        page.putInt(XenstoreRing.CONNECTION_OFFSET, XenstoreRing.XENSTORE_RECONNECT);
        assertFalse(server.reconnectRequested(), "connection is not valid data without the feature");
        assertFalse(client.requestReconnect());
        assertFalse(client.isReconnecting());
        assertTrue(client.pollReconnected());
    }

    @Test
    void theServerReportsAnErrorAndStops() {
        final UnsafeBuffer page = Rings.pages(1);
        final XenstoreRing server = XenstoreRing.server("xs", page);
        server.advertiseFeatures(XenstoreRing.XENSTORE_SERVER_FEATURE_ERROR
            | XenstoreRing.XENSTORE_SERVER_FEATURE_RECONNECTION);
        server.attach();
        final XenstoreRing client = XenstoreRing.client("xs", page).attach();
        page.putInt(XenstoreRing.REQ_PROD_OFFSET, 5000);
        assertEquals(0, server.consumer().available());
        assertTrue(server.isBroken());
        assertTrue(server.reportError(XenstoreRing.XENSTORE_ERROR_RINGIDX));
        assertEquals(XenstoreRing.XENSTORE_ERROR_RINGIDX, client.error());
        assertEquals(0, server.producer().write(new UnsafeBuffer(new byte[4]), 0, 4), "the server stopped");
        assertThrows(IllegalArgumentException.class, () -> server.reportError(XenstoreRing.XENSTORE_ERROR_NONE));
        assertTrue(client.requestReconnect());
        server.completeReconnect();
        assertEquals(XenstoreRing.XENSTORE_ERROR_NONE, client.error());
        assertTrue(client.pollReconnected());
        assertFalse(server.isBroken());
    }

    @Test
    void operationsOfTheOtherSideAreRejected() {
        final UnsafeBuffer page = Rings.pages(1);
        final XenstoreRing client = XenstoreRing.client("xs", page);
        final XenstoreRing server = XenstoreRing.server("xs", page);
        assertThrows(IllegalStateException.class, () -> client.advertiseFeatures(1));
        assertThrows(IllegalStateException.class, client::completeReconnect);
        assertThrows(IllegalStateException.class, client::reconnectRequested);
        assertThrows(IllegalStateException.class, () -> client.reportError(2));
        assertThrows(IllegalStateException.class, server::requestReconnect);
        assertThrows(IllegalStateException.class, server::pollReconnected);
    }

    @Test
    void theByteRingDataPathAllocatesNothing() {
        final UnsafeBuffer page = Rings.pages(1);
        final ConsoleRing guest = ConsoleRing.frontend("c", page).attach();
        final ConsoleRing backend = ConsoleRing.backend("c", page).attach();
        final UnsafeBuffer data = new UnsafeBuffer(new byte[700]);
        Allocations.assertNone("console write and read", 100_000, () -> {
            guest.producer().write(data, 0, 700);
            guest.producer().pushAndCheckNotify();
            backend.consumer().read(data, 0, 650);
            backend.consumer().releaseAndCheckNotify();
            backend.producer().write(data, 0, 300);
            backend.producer().pushAndCheckNotify();
            guest.consumer().read(data, 0, 300);
            guest.consumer().releaseAndCheckNotify();
        });
    }
}
