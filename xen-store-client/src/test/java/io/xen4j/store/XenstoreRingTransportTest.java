package io.xen4j.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.xenstore.XenstoreDomainInterface;
import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.store.transport.XenstoreRingTransport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ring transport on its own: messages larger than the 1024-byte rings, lost events, the
 * daemon's error word, a daemon that breaks the ring's index rule, and the reconnection protocol.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class XenstoreRingTransportTest {
    private static final int FEATURES = XsWire.XENSTORE_SERVER_FEATURE_RECONNECTION
        | XsWire.XENSTORE_SERVER_FEATURE_ERROR;
    private final FakeXenstored store = new FakeXenstored();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final UnsafeBuffer page = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    private final FakeEventChannelPair pair = new FakeEventChannelPair(7);

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        pair.close();
    }

    private FakeRingDaemon daemon(final int features) {
        final FakeRingDaemon d = new FakeRingDaemon(store, 0, page, pair.daemon, features);
        open.add(d);
        return d;
    }

    private XenStoreClient client(final XenstoreRingTransport t) {
        final XenStoreClient c = XenStoreClient.connect(t, XenStoreClient.Options.DEFAULTS
            .withRequestTimeout(Duration.ofSeconds(20)));
        open.add(c);
        return c;
    }

    private XenstoreRingTransport transport() throws IOException {
        return XenstoreRingTransport.open("xenstore-test", page, pair.guest::handler, Duration.ofSeconds(5));
    }

    @Test
    void messagesLargerThanTheRingsCrossInPieces() throws Exception {
        daemon(FEATURES);
        final XenStoreClient xs = client(transport());
        final byte[] value = new byte[XsWire.XENSTORE_PAYLOAD_MAX - 10];
        Arrays.fill(value, (byte) 'x');
        xs.write("/r/big", value);
        assertArrayEquals(value, xs.readBytes("/r/big"));
        final List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            writes.add(xs.writeAsync("/r/n" + i, "v" + i));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        assertEquals("v199", xs.read("/r/n199"));
        assertTrue(xs.connection().startsWith("xenstore ring xenstore-test"), xs.connection());
    }

    @Test
    void lostEventsOnlySlowItDown() throws Exception {
        daemon(FEATURES);
        pair.dropNotifications = true;
        final XenStoreClient xs = client(transport());
        xs.write("/lost/a", "1");
        assertEquals("1", xs.read("/lost/a"));
    }

    @Test
    void theDaemonsErrorWordBreaksTheConnectionNamingTheError() throws Exception {
        final FakeRingDaemon d = daemon(FEATURES);
        final XenStoreClient xs = client(transport());
        xs.write("/e/a", "1");
        d.reportError(XsWire.XENSTORE_ERROR_PROTO);
        final XenStoreException e = assertThrows(XenStoreException.class, () -> xs.read("/e/a"));
        final XenStoreConnectionException why = xs.failure();
        assertTrue(why != null && String.valueOf(why.getMessage()).contains("XENSTORE_ERROR_PROTO"), String.valueOf(why));
        assertEquals("EIO", e.errorName());
    }

    @Test
    void aResponseIndexBeyondTheRingBreaksTheConnectionNamingTheRule() throws Exception {
        final XenStoreClient xs;
        daemon(FEATURES);
        xs = client(transport());
        xs.write("/i/a", "1");
        // With a watch set the reader thread is reading, so it sees the index at once (an idle
        // client would find it at its next request).
        xs.watch("/i", ev -> { });
        // A hostile daemon claims more response bytes than the ring holds.
        final int cons = page.getIntVolatile(XenstoreDomainInterface.RSP_CONS_OFFSET);
        page.putIntVolatile(XenstoreDomainInterface.RSP_PROD_OFFSET, cons + XsWire.XENSTORE_RING_SIZE + 1);
        pair.daemon.notifyPeer();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!xs.isBroken() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        final XenStoreConnectionException why = xs.failure();
        assertTrue(why != null && String.valueOf(why.getMessage()).contains("R6"), String.valueOf(why));
    }

    @Test
    void reconnectResetsTheRingBeforeUse() throws Exception {
        final FakeRingDaemon d = daemon(FEATURES);
        final XenstoreRingTransport t = transport();
        assertTrue(t.reconnect(Duration.ofSeconds(5)));
        assertEquals(1, d.reconnects);
        assertEquals(0, page.getIntVolatile(XenstoreDomainInterface.CONNECTION_OFFSET));
        final XenStoreClient xs = client(t);
        xs.write("/rc/a", "after");
        assertEquals("after", xs.read("/rc/a"));
    }

    @Test
    void aReconnectionAlreadyInProgressIsAwaitedAtOpen() throws Exception {
        // Someone else (a previous kernel of the guest) asked for a reconnection before we start.
        page.putIntVolatile(XenstoreDomainInterface.SERVER_FEATURES_OFFSET, FEATURES);
        page.putIntVolatile(XenstoreDomainInterface.CONNECTION_OFFSET, XsWire.XENSTORE_RECONNECT);
        final FakeRingDaemon d = daemon(FEATURES);
        final XenstoreRingTransport t = transport();
        assertTrue(d.reconnects >= 1);
        final XenStoreClient xs = client(t);
        xs.write("/rc/b", "ok");
        assertEquals("ok", xs.read("/rc/b"));
    }

    @Test
    void withoutTheReconnectionFeatureReconnectDoesNothing() throws Exception {
        daemon(XsWire.XENSTORE_SERVER_FEATURE_ERROR);
        final XenstoreRingTransport t = transport();
        assertFalse(t.reconnect(Duration.ofSeconds(1)));
        open.add(t);
    }

    @Test
    void closingWakesTheReader() throws Exception {
        daemon(FEATURES);
        final XenStoreClient xs = client(transport());
        xs.write("/c/a", "1");
        final CompletableFuture<String> never = xs.readAsync("/c/a");
        never.join();
        xs.close();
        assertTrue(xs.isBroken());
    }
}
