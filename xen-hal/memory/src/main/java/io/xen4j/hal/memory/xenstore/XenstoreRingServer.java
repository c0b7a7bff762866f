package io.xen4j.hal.memory.xenstore;

import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.EventLoop;
import io.xen4j.hal.api.MappedGrants;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenHost;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The xenstored of the simulated host serving domains' xenstore pages, as C xenstored does from
 * dom0: for each page it maps the domain's grant and binds the domain's store event channel
 * through its own {@link XenHost} of dom0, then one thread ({@code xenstored-rings}) serves every
 * ring: an event or new output for a connection queues that ring, and the thread runs its
 * {@link RingConnection#service()} and notifies the domain when owed.
 *
 * <p>Events may be lost or spurious: every ring is also looked at when the thread has been idle
 * for {@link #IDLE_SCAN_MILLIS}. A ring that broke stays mapped (its error is on the page) until
 * the domain resets it or goes away; the others are served as before.
 */
final class XenstoreRingServer implements AutoCloseable {
    /** How long the thread sleeps without events before it looks at every ring. */
    static final long IDLE_SCAN_MILLIS = 50;
    private static final System.Logger LOG = System.getLogger(XenstoreRingServer.class.getName());

    private final XenstoreService service;
    private final XenHost host;
    private final EventLoop events;
    private final Thread thread;
    private final CopyOnWriteArrayList<Served> rings = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Served> dirty = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicLong handlerErrors = new AtomicLong();
    private volatile boolean running = true;

    /** One served page: its ring connection and the dom0 handles behind it. */
    final class Served {
        final int domid;
        final RingConnection ring;
        final MappedGrants mapping;
        private @Nullable EventChannel port;
        private final AtomicBoolean queued = new AtomicBoolean();
        private long notifications;

        private Served(final int domid, final int grantRef, final String name) {
            this.domid = domid;
            this.mapping = host.grantTables().map(domid, grantRef, true);
            try {
                this.ring = new RingConnection(name, service, domid, mapping.buffer(), this::wake);
            } catch (final RuntimeException e) {
                mapping.close();
                throw e;
            }
        }

        void wake() {
            if (queued.compareAndSet(false, true)) {
                dirty.add(this);
                LockSupport.unpark(thread);
            }
        }

        /** Events sent to the domain. */
        long notifications() {
            return notifications;
        }

        private void serve() {
            queued.set(false);
            try {
                synchronized (this) {
                    if (ring.service()) {
                        final EventChannel p = port;
                        if (p != null && !p.isClosed()) {
                            notifications++;
                            p.notifyPeer();
                        }
                    }
                    if (ring.hasMoreWork()) {
                        // Bounded work per turn: the other rings go first, then this one again.
                        wake();
                    }
                }
            } catch (final RuntimeException e) {
                // A domain dying under the server closes its handles: nothing to serve any more.
                LOG.log(System.Logger.Level.DEBUG, "xenstored: " + ring.name() + ": " + e.getMessage());
            }
        }

        /** Serves the ring again after {@code XS_INTRODUCE} of a released domain. */
        synchronized void reattach() {
            ring.reattach();
            wake();
        }

        private synchronized void close(final String reason) {
            ring.close(reason);
            final EventChannel p = port;
            if (p != null) {
                p.close();
            }
            mapping.close();
        }
    }

    private XenstoreRingServer(final XenstoreService service, final XenHost host) {
        this.service = service;
        this.host = host;
        this.events = EventLoop.start(host.eventChannels(), "xenstored-evtchn", e -> {
            // A closed host fails every poll until the ring thread stops the loop: log the first only.
            if (handlerErrors.getAndIncrement() == 0 && !host.isClosed()) {
                LOG.log(System.Logger.Level.WARNING, "xenstored: event delivery failed: " + e);
            }
        });
        this.thread = new Thread(this::loop, "xenstored-rings");
        this.thread.setDaemon(true);
    }

    /**
     * Starts serving with {@code host}, a host of the domain xenstored runs in (dom0).
     *
     * @param service the daemon
     * @param host    the daemon's own devices; closed by {@link #close()}
     * @return the running server
     */
    static XenstoreRingServer start(final XenstoreService service, final XenHost host) {
        final XenstoreRingServer s = new XenstoreRingServer(Objects.requireNonNull(service, "service"),
            Objects.requireNonNull(host, "host"));
        s.thread.start();
        return s;
    }

    /**
     * Maps a domain's xenstore page and binds its store event channel, as C xenstored does on
     * {@code XS_INTRODUCE}, and starts serving it.
     *
     * @param domid     the domain, introduced already
     * @param grantRef  the grant of its page
     * @param storePort its unbound port for the daemon's domain
     * @param name      for messages
     * @return the served ring
     * @throws XenHalException if the page cannot be mapped or the port bound
     */
    Served attach(final int domid, final int grantRef, final int storePort, final String name) {
        final Served s = new Served(domid, grantRef, name);
        try {
            s.port = host.eventChannels().bindInterdomain(domid, storePort, ch -> {
                s.wake();
                ch.unmask();
            });
        } catch (final RuntimeException e) {
            s.close("binding the store port failed");
            throw e;
        }
        rings.add(s);
        // The domain may have written before the daemon looked.
        s.wake();
        return s;
    }

    /**
     * Stops serving one ring and releases its mapping and port.
     *
     * @param s      the ring
     * @param reason why
     */
    void detach(final Served s, final String reason) {
        rings.remove(s);
        try {
            s.close(reason);
        } catch (final RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "xenstored: closing " + s.ring.name() + ": " + e.getMessage());
        }
    }

    /**
     * Stops serving every ring of a domain.
     *
     * @param domid  the domain
     * @param reason why
     */
    void detachDomain(final int domid, final String reason) {
        for (final Served s : rings) {
            if (s.domid == domid) {
                detach(s, reason);
            }
        }
    }

    /**
     * Runs {@code task} on the server thread, for work that must not run under the daemon's lock.
     *
     * @param task what to run
     */
    void execute(final Runnable task) {
        tasks.add(task);
        LockSupport.unpark(thread);
    }

    /**
     * The rings served now.
     *
     * @return a copy
     */
    List<Served> rings() {
        return new ArrayList<>(rings);
    }

    private void loop() {
        long lastScan = System.nanoTime();
        while (running) {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (final RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "xenstored: ring task failed", e);
                }
            }
            int served = 0;
            Served s;
            while ((s = dirty.poll()) != null) {
                s.serve();
                served++;
            }
            final long now = System.nanoTime();
            if (served == 0 && now - lastScan >= TimeUnit.MILLISECONDS.toNanos(IDLE_SCAN_MILLIS)) {
                lastScan = now;
                if (host.isClosed()) {
                    // The host shut down (SimulatedXen.close): nothing is left to serve.
                    break;
                }
                for (final Served r : rings) {
                    r.serve();
                }
            }
            if (served == 0 && dirty.isEmpty() && tasks.isEmpty()) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(IDLE_SCAN_MILLIS));
            }
        }
        events.close();
    }

    /** Stops the thread, every ring and the daemon's host. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        events.close();
        for (final Served s : rings) {
            detach(s, "xenstored stopped");
        }
        if (!host.isClosed()) {
            host.close();
        }
    }
}
