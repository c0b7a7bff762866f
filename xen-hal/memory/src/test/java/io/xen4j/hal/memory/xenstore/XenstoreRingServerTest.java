package io.xen4j.hal.memory.xenstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.hal.memory.DomainState;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.rings.XenstoreRing;
import io.xen4j.store.XenStoreClient;
import io.xen4j.store.XenStoreException;
import io.xen4j.store.XsWatch;
import io.xen4j.store.wire.ParseResult;
import io.xen4j.store.wire.XsEncoder;
import io.xen4j.store.wire.XsMessage;
import io.xen4j.store.wire.XsParser;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The simulated host's xenstored serving domains' own xenstore pages: the real client on a
 * guest's page, and hostile guests that write the page by hand (indices out of range, requests
 * split across the wrap one byte per event, replies never read, oversized headers, event floods).
 * A broken page breaks that domain's connection only; every other domain goes on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class XenstoreRingServerTest {
    private static final XenStoreClient.Options OPTIONS = XenStoreClient.Options.DEFAULTS
        .withRequestTimeout(Duration.ofSeconds(20));
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(20);

    private SimulatedXen xen;
    private SimulatedXenstore xenstore;
    private SimulatedDomain hostile;
    private SimulatedDomain bystander;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void start() {
        xen = SimulatedXen.builder().seed(11).build();
        xenstore = SimulatedXenstore.attach(xen);
        hostile = xen.createDomain("hostile");
        bystander = xen.createDomain("bystander");
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        xenstore.close();
        xen.close();
        assertEquals(0L, (long) xenstore.service().call(XenstoreCore::internalErrors), "internal errors in the daemon");
    }

    private XenStoreClient client(final SimulatedDomain d) throws Exception {
        final XenStoreClient c = xenstore.ringClient(d.host(), OPTIONS);
        open.add(c);
        return c;
    }

    private GuestStorePage page(final SimulatedDomain d) {
        return Objects.requireNonNull(xenstore.storePage(d.domid()));
    }

    private RingConnection served(final SimulatedDomain d) {
        return Objects.requireNonNull(xenstore.servedPage(d.domid())).ring;
    }

    private static void await(final BooleanSupplier condition, final String what) throws InterruptedException {
        final long end = System.nanoTime() + DEADLINE_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(2);
        }
    }

    /** The bystander still reads its own name through its own page. */
    private void bystanderStillServed() throws Exception {
        final XenStoreClient other = client(bystander);
        assertEquals("bystander", other.read("name"));
    }

    /** A hand-driven guest on its own page: the well-behaved ring code plus raw index access. */
    private static final class RawGuest {
        final GuestStorePage page;
        final AtomicBuffer buffer;
        final XenstoreRing ring;
        final XsParser parser = new XsParser();
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[XsWire.XENSTORE_RING_SIZE]);

        RawGuest(final GuestStorePage page) {
            this.page = page;
            this.buffer = page.buffer();
            this.ring = XenstoreRing.client("raw-" + page.name(), buffer).attach();
        }

        int write(final byte[] bytes, final int offset, final int length) {
            final int n = ring.producer().write(new UnsafeBuffer(bytes), offset, length);
            if (ring.producer().pushAndCheckNotify()) {
                page.channel().notifyPeer();
            }
            return n;
        }

        void writeAll(final byte[] bytes) throws InterruptedException {
            int at = 0;
            final long end = System.nanoTime() + DEADLINE_NANOS;
            while (at < bytes.length) {
                at += write(bytes, at, bytes.length - at);
                if (at < bytes.length) {
                    assertTrue(System.nanoTime() - end < 0, "request ring never drained");
                    Thread.sleep(1);
                }
            }
        }

        /** Reads replies until {@code count} messages arrived. */
        List<XsMessage> read(final int count) throws InterruptedException {
            final List<XsMessage> got = new ArrayList<>();
            final long end = System.nanoTime() + DEADLINE_NANOS;
            while (got.size() < count) {
                drainInto(got);
                if (got.size() < count) {
                    assertTrue(System.nanoTime() - end < 0, "got " + got.size() + " of " + count + " replies");
                    Thread.sleep(1);
                }
            }
            return got;
        }

        void drainInto(final List<XsMessage> got) {
            final int n = ring.consumer().read(scratch, 0, scratch.capacity());
            if (n > 0) {
                final byte[] b = new byte[n];
                scratch.getBytes(0, b);
                if (ring.consumer().releaseAndCheckNotify()) {
                    page.channel().notifyPeer();
                }
                final ByteBuffer bb = ByteBuffer.wrap(b);
                while (bb.hasRemaining()) {
                    if (parser.parse(bb) instanceof ParseResult.Packet p) {
                        got.add(p.message());
                    }
                }
            }
        }

        int error() {
            return buffer.getIntVolatile(XenstoreRing.ERROR_OFFSET);
        }
    }

    private static byte[] readRequest(final int reqId, final String path) {
        return XsEncoder.toBytes(XsMessage.ofStrings(XsWire.XS_READ, reqId, 0, path));
    }

    @Test
    void aGuestTalksToXenstoredThroughItsOwnPageAndEventChannel() throws Exception {
        final XenStoreClient guest = client(hostile);
        assertEquals("/local/domain/" + hostile.domid(), guest.getDomainPath(hostile.domid()));
        guest.write("data/greeting", "hello");
        assertEquals("hello", guest.read("data/greeting"));
        final XenStoreClient dom0 = XenStoreClient.connect(xenstore.connect(xen.dom0()), OPTIONS);
        open.add(dom0);
        assertEquals("hello", dom0.read("/local/domain/" + hostile.domid() + "/data/greeting"));
        // The page is the domain's grant mapped by dom0, and the port an interdomain channel.
        assertEquals("interdomain", hostile.portState(page(hostile).port()));
        assertEquals(XsWire.XENSTORE_SERVER_FEATURE_RECONNECTION | XsWire.XENSTORE_SERVER_FEATURE_ERROR,
            page(hostile).buffer().getIntVolatile(XenstoreRing.SERVER_FEATURES_OFFSET));
    }

    @Test
    void watchEventsCausedByDom0ReachTheGuestThroughItsPage() throws Exception {
        final XenStoreClient guest = client(hostile);
        final XenStoreClient dom0 = XenStoreClient.connect(xenstore.connect(xen.dom0()), OPTIONS);
        open.add(dom0);
        final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (XsWatch w = guest.watch("data", "tok", e -> events.add(e.path() + "|" + e.token()))) {
            assertEquals("data|tok", events.poll(20, TimeUnit.SECONDS));
            dom0.write("/local/domain/" + hostile.domid() + "/data/x", "1");
            // A relative watch gets relative paths, as C xenstored sends them.
            assertEquals("data/x|tok", events.poll(20, TimeUnit.SECONDS));
            assertNotNull(w);
        }
    }

    @Test
    void aRequestProducerIndexBeyondTheRingBreaksOnlyThatDomain() throws Exception {
        final RawGuest g = new RawGuest(page(hostile));
        // req_prod - req_cons = 1025 > 1024 (SECURITY-RULES R1, R6).
        g.buffer.putIntRelease(XenstoreRing.REQ_PROD_OFFSET, 1025);
        g.page.channel().notifyPeer();
        await(() -> g.error() == XsWire.XENSTORE_ERROR_RINGIDX, "XENSTORE_ERROR_RINGIDX on the page");
        final String failure = Objects.requireNonNull(served(hostile).failure());
        assertTrue(failure.contains("domain " + hostile.domid()) && failure.contains("R6"), failure);
        assertTrue(served(hostile).connection().isClosed());
        bystanderStillServed();
    }

    @Test
    void aResponseConsumerIndexAheadOfWhatWasPublishedBreaksOnlyThatDomain() throws Exception {
        final RawGuest g = new RawGuest(page(hostile));
        g.writeAll(readRequest(1, "name"));
        assertEquals("hostile", g.read(1).get(0).payloadAsString());
        // rsp_cons far beyond rsp_prod, then another request that needs a reply.
        g.buffer.putIntRelease(XenstoreRing.RSP_CONS_OFFSET,
            g.buffer.getIntVolatile(XenstoreRing.RSP_PROD_OFFSET) + 4000);
        g.writeAll(readRequest(2, "name"));
        await(() -> g.error() == XsWire.XENSTORE_ERROR_RINGIDX, "XENSTORE_ERROR_RINGIDX on the page");
        assertTrue(Objects.requireNonNull(served(hostile).failure()).contains("consumer index"));
        bystanderStillServed();
    }

    @Test
    void anOversizedPayloadLengthBreaksTheConnectionWithAProtocolError() throws Exception {
        final RawGuest g = new RawGuest(page(hostile));
        final byte[] header = new byte[16];
        final UnsafeBuffer h = new UnsafeBuffer(header);
        h.putInt(0, XsWire.XS_READ, java.nio.ByteOrder.LITTLE_ENDIAN);
        h.putInt(4, 1, java.nio.ByteOrder.LITTLE_ENDIAN);
        h.putInt(12, XsWire.XENSTORE_PAYLOAD_MAX + 1, java.nio.ByteOrder.LITTLE_ENDIAN);
        g.writeAll(header);
        await(() -> g.error() == XsWire.XENSTORE_ERROR_PROTO, "XENSTORE_ERROR_PROTO on the page");
        assertTrue(Objects.requireNonNull(served(hostile).failure()).contains("domain " + hostile.domid()));
        bystanderStillServed();
    }

    @Test
    void aRequestSplitAcrossTheWrapOneBytePerEventIsAnsweredWhole() throws Exception {
        final XenStoreClient dom0 = XenStoreClient.connect(xenstore.connect(xen.dom0()), OPTIONS);
        open.add(dom0);
        final GuestStorePage p = page(hostile);
        // Release the domain, leave indices 10 bytes before 2^32 on both rings, introduce it again:
        // the daemon takes the indices as it finds them (SECURITY-RULES R6, "every suite starts near 2^32").
        dom0.release(hostile.domid());
        // Until the ring thread noticed the release it may still look at the page.
        await(() -> served(hostile).isReleased(), "the ring thread to notice the release");
        for (final int off : new int[] {XenstoreRing.REQ_CONS_OFFSET, XenstoreRing.REQ_PROD_OFFSET,
            XenstoreRing.RSP_CONS_OFFSET, XenstoreRing.RSP_PROD_OFFSET}) {
            p.buffer().putIntRelease(off, -10);
        }
        dom0.introduce(hostile.domid(), 0, p.port());
        await(() -> !xenstore.service().call(core -> served(hostile).connection().isClosed()), "the new connection");
        final RawGuest g = new RawGuest(p);
        final byte[] request = readRequest(7, "name");
        for (int i = 0; i < request.length; i++) {
            assertEquals(1, g.write(request, i, 1));
            Thread.sleep(0, 200_000);
        }
        final XsMessage reply = g.read(1).get(0);
        assertEquals(7, reply.reqId());
        assertEquals("hostile", reply.payloadAsString());
        assertTrue(Integer.compareUnsigned(g.buffer.getIntVolatile(XenstoreRing.REQ_CONS_OFFSET), 1000) < 0,
            "the request index wrapped past 2^32");
        assertEquals(XsWire.XENSTORE_ERROR_NONE, g.error());
    }

    @Test
    void unreadRepliesFillTheResponseRingThenWaitWithinTheOutstandingQuota() throws Exception {
        final RawGuest g = new RawGuest(page(hostile));
        final int total = 400;
        int sent = 0;
        int at = 0;
        byte[] pending = readRequest(1, "name");
        // Phase 1: send what fits and read nothing.
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() - end < 0 && sent < total) {
            final int n = g.write(pending, at, pending.length - at);
            at += n;
            if (at == pending.length) {
                sent++;
                pending = readRequest(sent + 1, "name");
                at = 0;
            } else if (n == 0) {
                Thread.sleep(5);
            }
        }
        assertTrue(sent < total, "the request ring should have filled, sent " + sent);
        final int outstanding = xenstore.service().call(core -> core.quotas().outstanding());
        final RingConnection served = served(hostile);
        await(() -> xenstore.service().call(core -> served.connection().pendingReplies()) == outstanding,
            "the daemon to hold " + outstanding + " replies");
        // Replies wait: the response ring is full, the daemon holds at most the quota, requests wait in the page.
        assertEquals(XsWire.XENSTORE_RING_SIZE, g.ring.consumer().available());
        assertEquals(outstanding, (int) xenstore.service().call(core -> served.connection().pendingReplies()));
        assertTrue(served.heldRequestBytes() <= XsWire.XENSTORE_RING_SIZE);
        bystanderStillServed();
        // Phase 2: read; everything is answered, in order.
        final List<XsMessage> got = new ArrayList<>();
        final long end2 = System.nanoTime() + DEADLINE_NANOS;
        while (got.size() < total) {
            assertTrue(System.nanoTime() - end2 < 0, "got " + got.size() + " of " + total);
            g.drainInto(got);
            if (sent < total) {
                at += g.write(pending, at, pending.length - at);
                if (at == pending.length) {
                    sent++;
                    pending = readRequest(sent + 1, "name");
                    at = 0;
                }
            }
            Thread.sleep(0, 500_000);
        }
        for (int i = 0; i < total; i++) {
            assertEquals(i + 1, got.get(i).reqId());
            assertEquals("hostile", got.get(i).payloadAsString());
        }
        assertEquals(XsWire.XENSTORE_ERROR_NONE, g.error());
    }

    @Test
    void aFloodOfEventsWithNothingInTheRingCostsNoReplies() throws Exception {
        final GuestStorePage p = page(hostile);
        final XenstoreRingServer.Served s = Objects.requireNonNull(xenstore.servedPage(hostile.domid()));
        final long before = s.notifications();
        for (int i = 0; i < 20_000; i++) {
            p.channel().notifyPeer();
        }
        bystanderStillServed();
        Thread.sleep(100);
        assertEquals(before, s.notifications(), "events with nothing to do owe the guest nothing");
        assertEquals(0L, served(hostile).requestBytesRead());
        assertEquals("hostile", client(hostile).read("name"));
    }

    @Test
    void aGuestResetsABrokenConnectionWithXenstoreReconnect() throws Exception {
        final RawGuest g = new RawGuest(page(hostile));
        g.buffer.putIntRelease(XenstoreRing.REQ_PROD_OFFSET, 5000);
        g.page.channel().notifyPeer();
        await(() -> g.error() == XsWire.XENSTORE_ERROR_RINGIDX, "XENSTORE_ERROR_RINGIDX on the page");
        assertTrue(g.ring.requestReconnect());
        g.page.channel().notifyPeer();
        await(g.ring::pollReconnected, "the reconnection");
        assertEquals(XsWire.XENSTORE_ERROR_NONE, g.error());
        assertEquals(0, g.buffer.getIntVolatile(XenstoreRing.REQ_PROD_OFFSET));
        g.writeAll(readRequest(3, "name"));
        assertEquals("hostile", g.read(1).get(0).payloadAsString());
    }

    @Test
    void aNewClientOnAUsedPageStartsWithNoneOfTheOldClientsWatches() throws Exception {
        final XenStoreClient first = xenstore.ringClient(hostile.host(), OPTIONS);
        first.watch("data", "old", e -> { });
        final XsConnection before = served(hostile).connection();
        assertEquals(1, (int) xenstore.service().call(core -> before.watches.size()));
        first.close();
        final XenStoreClient second = client(hostile);
        assertEquals("hostile", second.read("name"));
        final XsConnection after = served(hostile).connection();
        assertNotEquals(before, after);
        assertTrue(before.isClosed());
        assertEquals(0, (int) xenstore.service().call(core -> after.watches.size()));
    }

    @Test
    void twoClientsOfOneDomainAtOnceEachGetAPage() throws Exception {
        final XenStoreClient a = client(hostile);
        final XenStoreClient b = client(hostile);
        a.write("data/a", "1");
        assertEquals("1", b.read("data/a"));
        assertEquals(3, xenstore.ringServer().rings().stream().filter(r -> r.domid == hostile.domid()).count()
            + xenstore.ringServer().rings().stream().filter(r -> r.domid == bystander.domid()).count());
        b.close();
        assertEquals(1, xenstore.ringServer().rings().stream().filter(r -> r.domid == hostile.domid()).count());
        assertEquals("1", a.read("data/a"));
    }

    @Test
    void aDestroyedDomainsPageIsUnmappedSoTheDomainDies() throws Exception {
        final XenStoreClient guest = client(hostile);
        assertEquals("hostile", guest.read("name"));
        xen.destroyDomain(hostile.domid());
        assertEquals(DomainState.DEAD, hostile.state(), "dom0 still maps the page of the destroyed domain");
        assertThrows(XenStoreException.class, () -> guest.read("name"));
        assertThrows(IllegalArgumentException.class, () -> xenstore.ringClient(hostile.host()));
        bystanderStillServed();
    }

    @Test
    void introducingADomainTheHostDoesNotRunIsEnoent() throws Exception {
        final XenStoreClient dom0 = XenStoreClient.connect(xenstore.connect(xen.dom0()), OPTIONS);
        open.add(dom0);
        final XenStoreException e = assertThrows(XenStoreException.class, () -> dom0.introduce(42, 0x1234L, 7));
        assertEquals("ENOENT", e.errorName());
        final XenStoreException port = assertThrows(XenStoreException.class,
            () -> dom0.introduce(hostile.domid(), 0, page(hostile).port() + 100));
        assertEquals("EINVAL", port.errorName());
    }
}
