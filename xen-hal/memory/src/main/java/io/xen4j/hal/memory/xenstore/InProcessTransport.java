package io.xen4j.hal.memory.xenstore;

import io.xen4j.store.transport.XsTransport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory xenstored as a transport of the Java client, without a socket or a ring: the
 * bytes the client sends go straight into the daemon's byte stream of a domain's connection, and
 * the daemon's replies and watch events come back from it. Any domain can connect this way, so a
 * test can be dom0 and several guests at once:
 *
 * <pre>{@code
 * XenStoreClient guest = XenStoreClient.connect(InProcessTransport.connect(service, 5));
 * }</pre>
 *
 * <p>The daemon treats the connection as the ring of that domain: an unprivileged domain that
 * leaves {@link XenstoreQuotas#outstanding()} replies unread has its further requests held back,
 * and {@link #send} blocks until it reads.
 */
public final class InProcessTransport implements XsTransport {
    private final XenstoreService service;
    private final XsByteStream stream;
    private final int domid;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long signals;
    private volatile boolean closed;

    private InProcessTransport(final XenstoreService service, final XsByteStream stream, final int domid) {
        this.service = service;
        this.stream = stream;
        this.domid = domid;
    }

    /**
     * Connects as domain {@code domid}.
     *
     * @param service the daemon
     * @param domid   0 for a privileged client, else an introduced domain
     * @return the transport
     */
    public static InProcessTransport connect(final XenstoreService service, final int domid) {
        Objects.requireNonNull(service, "service");
        final InProcessTransport[] made = new InProcessTransport[1];
        service.run(core -> {
            final XsConnection conn = core.connect(domid);
            final InProcessTransport t = new InProcessTransport(service, new XsByteStream(core, conn), domid);
            conn.outputListener(t::signal);
            made[0] = t;
        });
        return Objects.requireNonNull(made[0]);
    }

    private void signal() {
        lock.lock();
        try {
            signals++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private long signals() {
        lock.lock();
        try {
            return signals;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until {@link #signal()} ran since {@code seen} was read, or a short while passed. */
    private void await(final long seen) throws IOException {
        lock.lock();
        try {
            while (signals == seen && !closed) {
                try {
                    // Bounded, so that a close by another thread is noticed even without a signal.
                    changed.await(50, TimeUnit.MILLISECONDS);
                    if (signals == seen) {
                        return;
                    }
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted waiting for xenstored (domain " + domid + ")");
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void send(final ByteBuffer bytes) throws IOException {
        while (true) {
            if (closed) {
                throw new AsynchronousCloseException();
            }
            final long seen = signals();
            final boolean broken = service.call(core -> {
                stream.receive(bytes);
                return stream.isBroken();
            });
            if (broken) {
                throw new IOException("xenstored dropped the in-process connection of domain " + domid + ": "
                    + stream.brokenReason());
            }
            if (!bytes.hasRemaining()) {
                return;
            }
            // Held back by the outstanding-reply quota: wait for the reader to take replies.
            await(seen);
        }
    }

    @Override
    public int receive(final ByteBuffer dst) throws IOException {
        while (true) {
            if (closed) {
                throw new AsynchronousCloseException();
            }
            final long seen = signals();
            final int n = service.call(core -> {
                final int k = stream.drainTo(dst);
                if (k > 0 && stream.resume()) {
                    // The held request ran: a sender blocked on the quota may go on.
                    signalLater();
                }
                return k;
            });
            if (n > 0) {
                return n;
            }
            if (service.call(core -> stream.isBroken())) {
                return -1;
            }
            await(seen);
        }
    }

    private void signalLater() {
        // Called under the daemon's lock; the transport lock is only ever taken after it, never before.
        signal();
    }

    @Override
    public String description() {
        return "in-process xenstored connection of domain " + domid;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        service.run(core -> stream.close("in-process client closed"));
        signal();
    }
}
