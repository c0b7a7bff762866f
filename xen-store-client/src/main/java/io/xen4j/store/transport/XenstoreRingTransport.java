package io.xen4j.store.transport;

import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.EventHandler;
import io.xen4j.hal.api.HandleClosedException;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.rings.XenstoreRing;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.jspecify.annotations.Nullable;

/**
 * A domain's own connection to xenstored: the xenstore page it shares with the daemon
 * ({@code struct xenstore_domain_interface}, {@code req} and {@code rsp} byte rings) and the event
 * channel bound to the daemon, through the HAL. The ring code is xen-rings' {@link XenstoreRing};
 * this class moves bytes between it and the client and waits for events.
 *
 * <p>The daemon is not trusted: an index out of range breaks the ring (SECURITY-RULES R6) and
 * {@link #receive} then fails naming the ring and the rule; a non-zero {@code error} word (when the
 * daemon advertises {@code XENSTORE_SERVER_FEATURE_ERROR}) fails it naming the error. Events only
 * say "look again" and may be spurious or lost: every wait also times out after
 * {@link #POLL_INTERVAL} and looks at the ring (SECURITY-RULES R8).
 *
 * <p>Reconnection ({@code docs/misc/xenstore-ring.txt}): if a reconnection is already in progress
 * when the transport opens, it waits for the daemon to finish it; {@link #reconnect(Duration)}
 * asks for one (only before the transport carries a client's traffic, or after that client is
 * closed: the daemon drops the connection's requests, watches and transactions).
 *
 * <pre>{@code
 * XenstoreRingTransport t = XenstoreRingTransport.open("xenstore-dom7", page,
 *     handler -> host.eventChannels().bindInterdomain(0, port, handler), Duration.ofSeconds(5));
 * XenStoreClient xs = XenStoreClient.connect(t);
 * }</pre>
 * The {@link io.xen4j.hal.api.EventChannels} the channel belongs to must be polled (an
 * {@link io.xen4j.hal.api.EventLoop}) for events to arrive; without one the transport still works,
 * at the pace of its poll interval.
 */
public final class XenstoreRingTransport implements XsTransport {
    /** Longest wait for an event before the ring is looked at again. */
    public static final Duration POLL_INTERVAL = Duration.ofMillis(10);

    /** Binds the transport's event handler to an event channel of the HAL. */
    @FunctionalInterface
    public interface ChannelBinder {
        /**
         * Binds a channel whose events go to {@code handler}, for example
         * {@code handler -> eventChannels.bindInterdomain(0, port, handler)}.
         *
         * @param handler the transport's handler
         * @return the bound channel, connected to xenstored
         */
        EventChannel bind(EventHandler handler);
    }

    private final String name;
    private final XenstoreRing ring;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[XsWire.XENSTORE_RING_SIZE]);
    private final UnsafeBuffer sendScratch = new UnsafeBuffer(new byte[XsWire.XENSTORE_RING_SIZE]);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private @Nullable EventChannel channel;
    private long events;
    private final AtomicBoolean closed = new AtomicBoolean();

    private XenstoreRingTransport(final String name, final AtomicBuffer page) {
        this.name = name;
        this.ring = XenstoreRing.client(name, page);
    }

    /**
     * Opens the connection: binds the event channel, attaches to the rings as they are, and waits
     * (at most {@code connectTimeout}) for a reconnection someone else started to finish.
     *
     * @param name           name for messages, for example {@code xenstore-dom7}
     * @param page           the xenstore page, at least
     *                       {@link io.xen4j.abi.xenstore.XenstoreDomainInterface#LENGTH} bytes,
     *                       4-byte aligned
     * @param binder         binds the transport's event handler to the channel to xenstored
     * @param connectTimeout how long a reconnection in progress may take
     * @return the transport
     * @throws IOException if a reconnection in progress does not finish in time
     */
    public static XenstoreRingTransport open(final String name, final AtomicBuffer page, final ChannelBinder binder,
        final Duration connectTimeout) throws IOException {
        final XenstoreRingTransport t = new XenstoreRingTransport(name, page);
        t.channel = Objects.requireNonNull(binder.bind(t::onEvent), "binder returned no channel");
        t.ring.attach();
        if (t.ring.isReconnecting()) {
            t.awaitReconnected(connectTimeout);
        }
        return t;
    }

    /**
     * Asks xenstored to reset the ring ({@code connection = XENSTORE_RECONNECT}) and waits for it:
     * both rings empty, and the connection's watches, transactions and requests gone. Only when no
     * client traffic is in flight on this transport.
     *
     * @param timeout how long the daemon may take
     * @return false if the daemon does not advertise {@code XENSTORE_SERVER_FEATURE_RECONNECTION}
     *     (nothing was done)
     * @throws IOException if the daemon does not finish in time
     */
    public boolean reconnect(final Duration timeout) throws IOException {
        if (!ring.requestReconnect()) {
            return false;
        }
        notifyDaemon();
        awaitReconnected(timeout);
        return true;
    }

    private void awaitReconnected(final Duration timeout) throws IOException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            final long seen = eventCount();
            if (ring.pollReconnected()) {
                return;
            }
            final long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IOException("xenstore ring " + name + ": xenstored did not finish the reconnection within "
                    + timeout + " (connection word still XENSTORE_RECONNECT)");
            }
            awaitEvent(seen, Math.min(left, POLL_INTERVAL.toNanos()));
        }
    }

    /**
     * The daemon's {@code server_features} bits.
     *
     * @return {@code XENSTORE_SERVER_FEATURE_*} bits
     */
    public int serverFeatures() {
        return ring.serverFeatures();
    }

    /**
     * The local port of the event channel to xenstored.
     *
     * @return the port
     */
    public int port() {
        return Objects.requireNonNull(channel).localPort();
    }

    @Override
    public void send(final ByteBuffer bytes) throws IOException {
        try {
            sendOnRing(bytes);
        } catch (final XenHalException e) {
            throw pageGone(e);
        }
    }

    @Override
    public int receive(final ByteBuffer dst) throws IOException {
        try {
            return receiveFromRing(dst);
        } catch (final XenHalException e) {
            throw pageGone(e);
        }
    }

    /** The page or the channel was revoked under the transport: its domain or the daemon went away. */
    private IOException pageGone(final XenHalException e) {
        return new IOException("xenstore ring " + name + ": the page or its event channel is gone: " + e.getMessage(), e);
    }

    private void sendOnRing(final ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            final long seen = eventCount();
            checkUsable();
            final int n = Math.min(bytes.remaining(), sendScratch.capacity());
            sendScratch.putBytes(0, bytes, bytes.position(), n);
            final int written = ring.producer().write(sendScratch, 0, n);
            if (written > 0) {
                bytes.position(bytes.position() + written);
                if (ring.producer().pushAndCheckNotify()) {
                    notifyDaemon();
                }
                continue;
            }
            checkUsable();
            // The request ring is full: the daemon signals when it has consumed.
            awaitEvent(seen, POLL_INTERVAL.toNanos());
        }
    }

    private int receiveFromRing(final ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            throw new IllegalArgumentException("xenstore ring " + name + ": receive needs space in the buffer");
        }
        while (true) {
            final long seen = eventCount();
            checkUsable();
            final int n = ring.consumer().read(scratch, 0, Math.min(dst.remaining(), scratch.capacity()));
            if (n > 0) {
                // Copied out of the shared page once, into private memory: the parser sees only this
                // copy (SECURITY-RULES R2).
                scratch.getBytes(0, dst, dst.position(), n);
                dst.position(dst.position() + n);
                if (ring.consumer().releaseAndCheckNotify()) {
                    notifyDaemon();
                }
                return n;
            }
            checkUsable();
            awaitEvent(seen, POLL_INTERVAL.toNanos());
        }
    }

    private void checkUsable() throws IOException {
        if (closed.get()) {
            throw new AsynchronousCloseException();
        }
        if (ring.isBroken()) {
            throw new IOException("xenstore ring " + name + " broken: " + ring.brokenReason());
        }
        if ((ring.serverFeatures() & XsWire.XENSTORE_SERVER_FEATURE_ERROR) != 0) {
            final int error = ring.error();
            if (error != XsWire.XENSTORE_ERROR_NONE) {
                throw new IOException("xenstore ring " + name + ": xenstored stopped the connection, error=" + error
                    + " (" + errorName(error) + ")");
            }
        }
        if (ring.isReconnecting() && !ring.pollReconnected()) {
            throw new IOException("xenstore ring " + name + ": a reconnection is in progress");
        }
    }

    private static String errorName(final int error) {
        return switch (error) {
            case XsWire.XENSTORE_ERROR_COMM -> "XENSTORE_ERROR_COMM: communication problem";
            case XsWire.XENSTORE_ERROR_RINGIDX -> "XENSTORE_ERROR_RINGIDX: invalid ring index";
            case XsWire.XENSTORE_ERROR_PROTO -> "XENSTORE_ERROR_PROTO: protocol violation";
            default -> "unknown error value";
        };
    }

    private void notifyDaemon() throws IOException {
        final EventChannel ch = channel;
        if (ch == null) {
            return;
        }
        try {
            ch.notifyPeer();
        } catch (final RuntimeException e) {
            throw new IOException("xenstore ring " + name + ": notify on port " + ch.localPort() + " failed: " + e, e);
        }
    }

    private void onEvent(final EventChannel ch) {
        lock.lock();
        try {
            events++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (!closed.get()) {
            try {
                ch.unmask();
            } catch (final HandleClosedException e) {
                // Closed meanwhile by close(): no more events are wanted.
            }
        }
    }

    private long eventCount() {
        lock.lock();
        try {
            return events;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until an event newer than {@code seen} arrives, the timeout passes or the transport closes. */
    private void awaitEvent(final long seen, final long timeoutNanos) throws IOException {
        lock.lock();
        try {
            long left = timeoutNanos;
            while (events == seen && !closed.get() && left > 0) {
                left = changed.awaitNanos(left);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("xenstore ring " + name + ": interrupted while waiting for xenstored");
        } finally {
            lock.unlock();
        }
        if (closed.get()) {
            throw new AsynchronousCloseException();
        }
    }

    @Override
    public String description() {
        final EventChannel ch = channel;
        return "xenstore ring " + name + (ch == null ? "" : " (port " + ch.localPort() + ")");
    }

    /** Closes the event channel and wakes any thread waiting in {@link #send} or {@link #receive}. */
    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        final EventChannel ch = channel;
        if (ch != null) {
            try {
                ch.close();
            } catch (final RuntimeException e) {
                throw new IOException("xenstore ring " + name + ": closing port " + ch.localPort() + " failed: " + e, e);
            }
        }
    }

}
