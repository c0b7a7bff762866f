package io.xen4j.benchmarks.xenstore;

import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.EventLoop;
import io.xen4j.hal.api.MappedGrants;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.hal.memory.xenstore.XenstoreService;
import io.xen4j.rings.XenstoreRing;
import io.xen4j.store.XenStoreClient;
import io.xen4j.store.transport.XenstoreRingTransport;
import io.xen4j.store.wire.ParseResult;
import io.xen4j.store.wire.XsEncoder;
import io.xen4j.store.wire.XsParser;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.UnsafeBuffer;
import org.jspecify.annotations.Nullable;

/**
 * A guest of the simulated host talking to the in-memory xenstored over a real xenstore page
 * (granted by the guest, mapped by dom0) and a real interdomain event channel: the guest side is
 * the client's {@link XenstoreRingTransport}; dom0's side is this bridge, which moves bytes between
 * the page and an in-process connection of the daemon. A stand-in until the daemon serves rings
 * itself.
 */
final class SimulatedRingBridge implements AutoCloseable {
    private final List<AutoCloseable> open = new ArrayList<>();
    private final ConcurrentLinkedQueue<byte[]> out = new ConcurrentLinkedQueue<>();
    private final AtomicLong wakeups = new AtomicLong();
    private final XenstoreRing ring;
    private final EventChannel daemonPort;
    private final XenstoreService.InProcessConnection conn;
    private final Thread thread;
    private volatile boolean running = true;
    private byte @Nullable [] partial;
    private int partialAt;
    final XenStoreClient client;

    SimulatedRingBridge(final SimulatedXen xen, final SimulatedDomain guest, final XenstoreService service)
        throws Exception {
        final SimulatedDomain dom0 = xen.dom0();
        final SharedPages page = guest.host().grantTables().share(dom0.domid(), 1, true);
        open.add(page);
        final MappedGrants mapped = dom0.host().grantTables().map(guest.domid(), page.grantRef(0), true);
        open.add(mapped);
        ring = XenstoreRing.server("xenstored-dom" + guest.domid(), mapped.buffer());
        ring.advertiseFeatures(XsWire.XENSTORE_SERVER_FEATURE_RECONNECTION | XsWire.XENSTORE_SERVER_FEATURE_ERROR);
        ring.attach();
        open.add(EventLoop.start(guest.host().eventChannels(), "guest-evtchn-" + guest.domid(), Throwable::printStackTrace));
        open.add(EventLoop.start(dom0.host().eventChannels(), "dom0-evtchn-" + guest.domid(), Throwable::printStackTrace));
        final int[] guestPort = new int[1];
        final XenstoreRingTransport transport = XenstoreRingTransport.open("xenstore-dom" + guest.domid(),
            page.buffer(), handler -> {
                final EventChannel ch = guest.host().eventChannels().allocateUnbound(dom0.domid(), handler);
                guestPort[0] = ch.localPort();
                return ch;
            }, Duration.ofSeconds(5));
        conn = service.connect(guest.domid(), m -> {
            out.add(XsEncoder.toBytes(m));
            wake();
        });
        daemonPort = dom0.host().eventChannels().bindInterdomain(guest.domid(), guestPort[0], ch -> {
            wake();
            ch.unmask();
        });
        open.add(daemonPort);
        thread = new Thread(this::loop, "xenstored-ring-dom" + guest.domid());
        thread.setDaemon(true);
        thread.start();
        client = XenStoreClient.connect(transport, XenStoreClient.Options.DEFAULTS
            .withRequestTimeout(Duration.ofSeconds(30)));
    }

    private void wake() {
        wakeups.incrementAndGet();
        LockSupport.unpark(thread);
    }

    private void loop() {
        final XsParser parser = new XsParser(false);
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[XsWire.XENSTORE_RING_SIZE]);
        while (running) {
            final long seen = wakeups.get();
            boolean progress = false;
            final int n = ring.consumer().read(scratch, 0, scratch.capacity());
            if (n > 0) {
                progress = true;
                final ByteBuffer bytes = ByteBuffer.allocate(n);
                scratch.getBytes(0, bytes, 0, n);
                if (ring.consumer().releaseAndCheckNotify()) {
                    daemonPort.notifyPeer();
                }
                while (bytes.hasRemaining()) {
                    final ParseResult r = parser.parse(bytes);
                    if (r instanceof ParseResult.Packet p) {
                        conn.send(p.message());
                    } else if (r instanceof ParseResult.Failed) {
                        ring.reportError(XsWire.XENSTORE_ERROR_PROTO);
                        daemonPort.notifyPeer();
                        return;
                    }
                }
            }
            while (true) {
                if (partial == null) {
                    partial = out.poll();
                    partialAt = 0;
                    if (partial == null) {
                        break;
                    }
                }
                final byte[] p = partial;
                final int w = ring.producer().write(new UnsafeBuffer(p), partialAt, p.length - partialAt);
                if (w == 0) {
                    break;
                }
                progress = true;
                partialAt += w;
                if (partialAt == p.length) {
                    partial = null;
                }
            }
            if (ring.producer().pushAndCheckNotify()) {
                daemonPort.notifyPeer();
            }
            if (!progress && wakeups.get() == seen) {
                LockSupport.parkNanos(2_000_000);
            }
        }
    }

    @Override
    public void close() throws Exception {
        client.close();
        running = false;
        LockSupport.unpark(thread);
        thread.join(5000);
        conn.close();
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }
}
