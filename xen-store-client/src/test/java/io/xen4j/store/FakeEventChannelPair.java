package io.xen4j.store;

import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.EventHandler;
import io.xen4j.hal.api.HandleClosedException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Two ends of an interdomain event channel for the transport's unit tests (the simulated host of
 * xen-hal-memory cannot be a test dependency here: it depends on this module). Like the Linux
 * evtchn device: a delivered port is masked until unmasked, notifications meanwhile are
 * coalesced, and each end's handler runs on its own thread.
 */
final class FakeEventChannelPair implements AutoCloseable {
    /** One end. */
    final class End implements EventChannel {
        private final int port;
        private final int remoteDomid;
        private final ExecutorService delivery;
        private volatile EventHandler handler = ch -> { };
        private boolean masked;
        private boolean pending;
        private boolean closed;
        private @Nullable End peer;
        final AtomicLong notifications = new AtomicLong();

        End(final int port, final int remoteDomid, final String name) {
            this.port = port;
            this.remoteDomid = remoteDomid;
            this.delivery = Executors.newSingleThreadExecutor(r -> {
                final Thread t = new Thread(r, "fake-evtchn-" + name);
                t.setDaemon(true);
                return t;
            });
        }

        End handler(final EventHandler h) {
            handler = h;
            return this;
        }

        @Override
        public int localPort() {
            return port;
        }

        @Override
        public Kind kind() {
            return Kind.INTERDOMAIN;
        }

        @Override
        public int remoteDomid() {
            return remoteDomid;
        }

        @Override
        public int virq() {
            return -1;
        }

        @Override
        public void notifyPeer() {
            synchronized (this) {
                if (closed) {
                    throw new HandleClosedException(describe(), "use");
                }
            }
            notifications.incrementAndGet();
            final End p = peer;
            if (!dropNotifications && p != null) {
                p.raise();
            }
        }

        private void raise() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (masked) {
                    pending = true;
                    return;
                }
                masked = true;
            }
            delivery.execute(() -> handler.onEvent(this));
        }

        @Override
        public void unmask() {
            final boolean again;
            synchronized (this) {
                if (closed) {
                    throw new HandleClosedException(describe(), "use");
                }
                masked = false;
                again = pending;
                pending = false;
            }
            if (again) {
                raise();
            }
        }

        @Override
        public String describe() {
            return "fake event channel port " + port;
        }

        @Override
        public synchronized boolean isClosed() {
            return closed;
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    throw new HandleClosedException(describe(), "use");
                }
                closed = true;
            }
            delivery.shutdown();
        }
    }

    final End guest;
    final End daemon;
    /** Lose every notification: the transport must still progress by its poll interval. */
    volatile boolean dropNotifications;

    FakeEventChannelPair(final int guestDomid) {
        guest = new End(3, 0, "guest");
        daemon = new End(40, guestDomid, "daemon");
        guest.peer = daemon;
        daemon.peer = guest;
    }

    @Override
    public void close() {
        for (final End e : new End[] {guest, daemon}) {
            if (!e.isClosed()) {
                e.close();
            }
        }
    }
}
