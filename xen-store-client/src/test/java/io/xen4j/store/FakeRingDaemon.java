package io.xen4j.store;

import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.rings.XenstoreRing;
import io.xen4j.store.wire.ParseResult;
import io.xen4j.store.wire.XsEncoder;
import io.xen4j.store.wire.XsParser;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.jspecify.annotations.Nullable;

/**
 * The daemon's side of a xenstore page for the ring transport's tests: reads requests from
 * {@code req}, hands them to a {@link FakeXenstored} connection of one domain, writes replies and
 * events into {@code rsp}, and honours the reconnection and error words of the page.
 */
final class FakeRingDaemon implements AutoCloseable {
    private final FakeXenstored store;
    private final int domid;
    private final XenstoreRing ring;
    private final FakeEventChannelPair.End channel;
    private final ConcurrentLinkedQueue<byte[]> out = new ConcurrentLinkedQueue<>();
    private final XsParser parser = new XsParser(false);
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[XsWire.XENSTORE_RING_SIZE]);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();
    private final Thread thread;
    private FakeXenstored.Conn conn;
    private byte @Nullable [] partial;
    private int partialAt;
    private long events;
    private volatile boolean running = true;
    volatile int reconnects;

    FakeRingDaemon(final FakeXenstored store, final int domid, final AtomicBuffer page,
        final FakeEventChannelPair.End channel, final int features) {
        this.store = store;
        this.domid = domid;
        this.ring = XenstoreRing.server("xenstored-dom" + domid, page);
        this.channel = channel;
        ring.advertiseFeatures(features);
        ring.attach();
        this.conn = newConn();
        channel.handler(ch -> {
            lock.lock();
            try {
                events++;
                woken.signalAll();
            } finally {
                lock.unlock();
            }
            ch.unmask();
        });
        thread = new Thread(this::loop, "fake-ring-daemon-" + domid);
        thread.setDaemon(true);
        thread.start();
    }

    private FakeXenstored.Conn newConn() {
        return store.connect(domid, m -> {
            out.add(XsEncoder.toBytes(m));
            wake();
        });
    }

    private void wake() {
        lock.lock();
        try {
            events++;
            woken.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Reports a fatal error in the page's error word, as a daemon with the error feature does. */
    void reportError(final int error) {
        ring.reportError(error);
        channel.notifyPeer();
    }

    private void loop() {
        while (running) {
            final long seen;
            lock.lock();
            try {
                seen = events;
            } finally {
                lock.unlock();
            }
            boolean progress = false;
            if (ring.reconnectRequested()) {
                // Drop partial packets, pending output, the connection's watches and transactions.
                store.disconnect(conn);
                conn = newConn();
                out.clear();
                partial = null;
                parser.reset();
                ring.completeReconnect();
                reconnects++;
                channel.notifyPeer();
                continue;
            }
            final int n = ring.consumer().read(scratch, 0, scratch.capacity());
            if (n > 0) {
                progress = true;
                final ByteBuffer bytes = ByteBuffer.allocate(n);
                scratch.getBytes(0, bytes, 0, n);
                if (ring.consumer().releaseAndCheckNotify()) {
                    channel.notifyPeer();
                }
                while (bytes.hasRemaining()) {
                    final ParseResult r = parser.parse(bytes);
                    if (r instanceof ParseResult.Packet p) {
                        conn.handle(p.message());
                    } else if (r instanceof ParseResult.Failed) {
                        ring.reportError(XsWire.XENSTORE_ERROR_PROTO);
                        channel.notifyPeer();
                        return;
                    }
                }
            }
            progress |= drainOutput();
            if (!progress) {
                lock.lock();
                try {
                    if (events == seen && running) {
                        woken.await(5, TimeUnit.MILLISECONDS);
                    }
                } catch (final InterruptedException e) {
                    return;
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private boolean drainOutput() {
        boolean wrote = false;
        while (true) {
            if (partial == null) {
                partial = out.poll();
                partialAt = 0;
                if (partial == null) {
                    break;
                }
            }
            final byte[] p = partial;
            final int n = ring.producer().write(new UnsafeBuffer(p), partialAt, p.length - partialAt);
            if (n == 0) {
                break;
            }
            wrote = true;
            partialAt += n;
            if (partialAt == p.length) {
                partial = null;
            }
        }
        if (ring.producer().pushAndCheckNotify()) {
            channel.notifyPeer();
        }
        return wrote;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        wake();
        thread.join(5000);
        store.disconnect(conn);
    }
}
