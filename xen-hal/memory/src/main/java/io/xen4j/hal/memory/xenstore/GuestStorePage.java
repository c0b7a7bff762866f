package io.xen4j.hal.memory.xenstore;

import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.EventHandler;
import io.xen4j.hal.api.HandleClosedException;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.api.XenHost;
import org.agrona.concurrent.AtomicBuffer;
import org.jspecify.annotations.Nullable;

/**
 * The guest's half of a xenstore page, as the toolstack builds it before the domain runs: a page
 * of the domain granted to the daemon's domain (C xenstored maps it by grant,
 * {@code GNTTAB_RESERVED_XENSTORE}) and an unbound port of the domain for the daemon's domain
 * ({@code store_evtchn}). Both are held by the domain's "kernel" host, so that the programs of the
 * domain keep their own hosts to themselves.
 *
 * <p>One client at a time uses the page: {@link #lend} hands the port to its transport as an
 * {@link EventChannel} whose {@code close()} gives the page back instead of closing the port.
 */
final class GuestStorePage {
    private final int domid;
    private final boolean primary;
    private final String name;
    private final SharedPages page;
    private final EventChannel port;
    private volatile @Nullable Lent lent;
    private boolean usedBefore;

    private GuestStorePage(final int domid, final boolean primary, final String name, final SharedPages page,
        final EventChannel port) {
        this.domid = domid;
        this.primary = primary;
        this.name = name;
        this.page = page;
        this.port = port;
    }

    /**
     * Grants a zeroed page to {@code daemonDomid} and allocates the store port, in {@code kernel}'s
     * domain.
     *
     * @param kernel      the domain's host for its xenstore connection
     * @param daemonDomid the domain xenstored runs in
     * @param primary     whether this is the domain's own page (else one more, for another client)
     * @param name        for messages
     * @return the page
     */
    static GuestStorePage create(final XenHost kernel, final int daemonDomid, final boolean primary,
        final String name) {
        final SharedPages page = kernel.grantTables().share(daemonDomid, 1, true);
        final GuestStorePage[] made = new GuestStorePage[1];
        try {
            final EventChannel port = kernel.eventChannels().allocateUnbound(daemonDomid, ch -> {
                final GuestStorePage g = made[0];
                final Lent l = g == null ? null : g.lent;
                if (l != null) {
                    l.handler.onEvent(l);
                } else {
                    // No client: the event only said "look again"; keep the port deliverable.
                    ch.unmask();
                }
            });
            made[0] = new GuestStorePage(kernel.domid(), primary, name, page, port);
        } catch (final RuntimeException e) {
            page.close();
            throw e;
        }
        return made[0];
    }

    int domid() {
        return domid;
    }

    boolean isPrimary() {
        return primary;
    }

    String name() {
        return name;
    }

    /** The grant of the page, which the daemon maps. */
    int grantRef() {
        return page.grantRef(0);
    }

    /** The domain's store port ({@code store_evtchn}). */
    int port() {
        return port.localPort();
    }

    /** The page as the guest sees it. */
    AtomicBuffer buffer() {
        return page.buffer();
    }

    /** The guest's end of the store event channel, for tests that play the guest by hand. */
    EventChannel channel() {
        return port;
    }

    synchronized boolean inUse() {
        return lent != null;
    }

    /**
     * Hands the port to a client's transport.
     *
     * @param handler the transport's handler
     * @param onClose run when the transport closes the channel
     * @return the channel for the transport
     * @throws IllegalStateException if another client holds the page
     */
    synchronized EventChannel lend(final EventHandler handler, final Runnable onClose) {
        if (lent != null) {
            throw new IllegalStateException("the xenstore page " + name + " is in use by another client");
        }
        final Lent l = new Lent(handler, onClose);
        lent = l;
        return l;
    }

    /**
     * Whether a client used the page before: the next one must reset the connection first.
     *
     * @return true after the first {@link #markUsed()}
     */
    synchronized boolean usedBefore() {
        return usedBefore;
    }

    synchronized void markUsed() {
        usedBefore = true;
    }

    private synchronized void giveBack(final Lent l) {
        if (lent == l) {
            lent = null;
        }
    }

    /** Releases the page and the port. */
    void close() {
        try {
            port.close();
        } finally {
            page.close();
        }
    }

    /** The port as lent to one transport. */
    private final class Lent implements EventChannel {
        final EventHandler handler;
        private final Runnable onClose;
        private volatile boolean closed;

        Lent(final EventHandler handler, final Runnable onClose) {
            this.handler = handler;
            this.onClose = onClose;
        }

        @Override
        public int localPort() {
            return port.localPort();
        }

        @Override
        public Kind kind() {
            return port.kind();
        }

        @Override
        public int remoteDomid() {
            return port.remoteDomid();
        }

        @Override
        public int virq() {
            return port.virq();
        }

        @Override
        public void notifyPeer() {
            check("notify");
            port.notifyPeer();
        }

        @Override
        public void unmask() {
            check("unmask");
            port.unmask();
        }

        private void check(final String operation) {
            if (closed) {
                throw new HandleClosedException(describe(), operation);
            }
        }

        @Override
        public String describe() {
            return "store port " + port.localPort() + " of dom" + domid + " (" + name + ")";
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            giveBack(this);
            // The event may have been taken while the client went away: leave the port deliverable.
            if (!port.isClosed()) {
                try {
                    port.unmask();
                } catch (final RuntimeException ignored) {
                    // The domain is going away.
                }
            }
            onClose.run();
        }
    }
}
