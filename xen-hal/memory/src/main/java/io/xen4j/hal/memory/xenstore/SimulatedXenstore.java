package io.xen4j.hal.memory.xenstore;

import io.xen4j.abi.xenstore.XsdErrors;
import io.xen4j.hal.api.EventLoop;
import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.memory.DomainListener;
import io.xen4j.hal.memory.DomainState;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.store.XenStoreClient;
import io.xen4j.store.transport.XenstoreRingTransport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The xenstored of a {@link SimulatedXen}: it follows the host's domains as C xenstored and the xl
 * toolstack follow a real one. A created domain is introduced ({@code @introduceDomain} fires) and
 * gets its home {@code /local/domain/<domid>} and its xenstore page: a page of the domain granted
 * to dom0 ({@code struct xenstore_domain_interface}, two 1024-byte rings and the reconnection
 * fields) and an event channel to the store, which the daemon maps and binds from dom0 and
 * serves on its {@code xenstored-rings} thread. A destroyed domain is released
 * ({@code @releaseDomain}), its page unmapped, its nodes and permission entries removed, so that
 * its id can be reused safely.
 *
 * <p>A program in a domain connects through the domain's own page with
 * {@link #ringClient(XenHost)}, as a guest kernel's xenbus does; domains also connect in-process
 * ({@link #connect(SimulatedDomain)}), and the store can be served on a Unix socket for external
 * programs ({@link #serve(Path)}).
 *
 * <pre>{@code
 * SimulatedXen xen = SimulatedXen.create();
 * SimulatedXenstore xenstore = SimulatedXenstore.attach(xen);
 * SimulatedDomain guest = xen.createDomain("guest1");
 * XenStoreClient client = xenstore.ringClient(guest.host());
 * }</pre>
 */
public final class SimulatedXenstore implements DomainListener, AutoCloseable {
    /** How long opening a ring may wait for the daemon to reset it for a new client. */
    public static final Duration RING_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final System.Logger LOG = System.getLogger(SimulatedXenstore.class.getName());

    private final XenstoreService service;
    private final SimulatedXen xen;
    private final XenstoreRingServer rings;
    private final Map<Integer, DomainPage> pages = new ConcurrentHashMap<>();
    private final AtomicLong extraPages = new AtomicLong();
    private volatile boolean closed;

    /** What the toolstack set up for one domain's xenstore connection. */
    private static final class DomainPage {
        final SimulatedDomain domain;
        final XenHost kernel;
        final GuestStorePage page;
        final XenstoreRingServer.Served served;
        @Nullable EventLoop loop;

        DomainPage(final SimulatedDomain domain, final XenHost kernel, final GuestStorePage page,
            final XenstoreRingServer.Served served) {
            this.domain = domain;
            this.kernel = kernel;
            this.page = page;
            this.served = served;
        }
    }

    private SimulatedXenstore(final XenstoreService service, final SimulatedXen xen) {
        this.service = service;
        this.xen = xen;
        this.rings = XenstoreRingServer.start(service, xen.dom0().openHost());
    }

    /**
     * Attaches a xenstored with the quotas of C xenstored 4.17 to {@code xen}, with a home for
     * every domain it runs now and will create.
     *
     * @param xen the simulated host
     * @return the xenstored
     */
    public static SimulatedXenstore attach(final SimulatedXen xen) {
        return attach(xen, XenstoreQuotas.defaults());
    }

    /**
     * Attaches a xenstored with the given quotas to {@code xen}.
     *
     * @param xen    the simulated host
     * @param quotas the limits
     * @return the xenstored
     */
    public static SimulatedXenstore attach(final SimulatedXen xen, final XenstoreQuotas quotas) {
        Objects.requireNonNull(xen, "xen");
        final SimulatedXenstore store = new SimulatedXenstore(new XenstoreService(new XenstoreCore(quotas)), xen);
        store.service.run(core -> core.introduceHandler(store::onIntroduce));
        // Listen first, then catch up: a domain created in between is seen twice, which is harmless.
        xen.addDomainListener(store);
        for (final SimulatedDomain d : xen.domains()) {
            if (d.state() == DomainState.RUNNING) {
                store.domainCreated(d);
            }
        }
        return store;
    }

    /**
     * The daemon, for requests of the host itself and for other transports.
     *
     * @return the service
     */
    public XenstoreService service() {
        return service;
    }

    /**
     * Connects a domain in-process, as its ring would: dom0 privileged, a guest with its own
     * permissions and quotas.
     *
     * @param domain a running domain of the host
     * @return a transport for {@code io.xen4j.store.XenStoreClient}
     */
    public InProcessTransport connect(final SimulatedDomain domain) {
        return InProcessTransport.connect(service, domain.domid());
    }

    /**
     * Serves the store on a Unix socket, as dom0's {@code /run/xenstored/socket}.
     *
     * @param socket where to create the socket
     * @return the running server; closing it stops serving
     * @throws IOException if the socket cannot be created
     */
    public XenstoredSocketServer serve(final Path socket) throws IOException {
        return XenstoredSocketServer.start(service, socket);
    }

    /**
     * Connects a program of a domain to xenstored through the domain's own xenstore page and
     * event channel, as a guest kernel's xenbus connects ({@code XenstoreRingTransport}). The
     * domain's page serves one client at a time; while it is in use, a further client of the same
     * domain gets a page and port of its own (a convenience of the simulated host: a real domain
     * has one). A page used by an earlier client is reset first ({@code XENSTORE_RECONNECT}): the
     * earlier client's watches and transactions are gone.
     *
     * @param host    a host of a running domain of this simulated Xen, for example
     *                {@code guest.host()}
     * @param options client options
     * @return the client; closing it gives the page back
     * @throws IOException if the daemon does not reset the page in time
     * @throws IllegalArgumentException if {@code host} is not of a running domain of this host
     */
    public XenStoreClient ringClient(final XenHost host, final XenStoreClient.Options options) throws IOException {
        return XenStoreClient.connect(openRing(host), options);
    }

    /**
     * {@link #ringClient(XenHost, XenStoreClient.Options)} with the default options.
     *
     * @param host a host of a running domain of this simulated Xen
     * @return the client
     * @throws IOException if the daemon does not reset the page in time
     */
    public XenStoreClient ringClient(final XenHost host) throws IOException {
        return ringClient(host, XenStoreClient.Options.DEFAULTS);
    }

    /**
     * The transport under {@link #ringClient(XenHost)}: the domain's xenstore page and event
     * channel.
     *
     * @param host a host of a running domain of this simulated Xen
     * @return the transport; closing it gives the page back
     * @throws IOException if the daemon does not reset the page in time
     */
    public XenstoreRingTransport openRing(final XenHost host) throws IOException {
        Objects.requireNonNull(host, "host");
        final int domid = host.domid();
        final SimulatedDomain domain = xen.domain(domid);
        final DomainPage d = pages.get(domid);
        if (closed || !"memory".equals(host.backendName()) || domain == null || d == null || d.domain != domain
            || domain.state() != DomainState.RUNNING || host.isClosed()) {
            throw new IllegalArgumentException("xenstored: " + host + " is not a host of a running domain of " + xen
                + (closed ? " (xenstored is closed)" : ""));
        }
        synchronized (d) {
            if (d.loop == null) {
                // The guest kernel's event delivery for its store port.
                d.loop = EventLoop.start(d.kernel.eventChannels(), "xenstore-dom" + domid + "-evtchn", e -> {
                    LOG.log(System.Logger.Level.DEBUG, "xenstore-dom" + domid + ": event delivery: " + e);
                    if (d.kernel.isClosed()) {
                        // The host shut down (dom0's devices close with SimulatedXen.close()): the loop
                        // cannot close itself from its own thread, so another thread ends it.
                        Thread.ofPlatform().daemon().name("xenstore-dom" + domid + "-stop").start(() -> stopLoop(d));
                    }
                });
            }
            if (!d.page.inUse()) {
                return open(d.page, () -> { });
            }
            final GuestStorePage extra = GuestStorePage.create(d.kernel, 0, false,
                "xenstore-dom" + domid + "#" + extraPages.incrementAndGet());
            final XenstoreRingServer.Served served;
            try {
                served = rings.attach(domid, extra.grantRef(), extra.port(), "xenstore ring " + extra.name());
            } catch (final RuntimeException e) {
                extra.close();
                throw e;
            }
            return open(extra, () -> {
                rings.detach(served, "client of " + extra.name() + " closed");
                extra.close();
            });
        }
    }

    private static XenstoreRingTransport open(final GuestStorePage page, final Runnable onClose) throws IOException {
        final XenstoreRingTransport t = XenstoreRingTransport.open(page.name(), page.buffer(),
            handler -> page.lend(handler, onClose), RING_CONNECT_TIMEOUT);
        try {
            if (page.usedBefore()) {
                // A new client on a used page: the daemon drops the old client's state first.
                t.reconnect(RING_CONNECT_TIMEOUT);
            }
        } catch (final IOException | RuntimeException e) {
            t.close();
            throw e;
        }
        page.markUsed();
        return t;
    }

    /** The guest's half of a domain's own page, for tests that play a hostile guest. */
    @Nullable GuestStorePage storePage(final int domid) {
        final DomainPage d = pages.get(domid);
        return d == null ? null : d.page;
    }

    /** The daemon's half of a domain's own page. */
    XenstoreRingServer.@Nullable Served servedPage(final int domid) {
        final DomainPage d = pages.get(domid);
        return d == null ? null : d.served;
    }

    /** The ring server. */
    XenstoreRingServer ringServer() {
        return rings;
    }

    /** {@code XS_INTRODUCE} from dom0: under the daemon's lock, so the page is re-attached on the ring thread. */
    private @Nullable String onIntroduce(final int domid, final long gfn, final int port) {
        final DomainPage d = pages.get(domid);
        if (d == null) {
            return XsdErrors.ENOENT;
        }
        if (port != d.page.port()) {
            LOG.log(System.Logger.Level.INFO, "xenstored: INTRODUCE of dom" + domid + " with port " + port
                + ", its store port is " + d.page.port());
            return XsdErrors.EINVAL;
        }
        // The simulated host maps the page by its grant, as C xenstored first tries; the frame is not needed.
        rings.execute(d.served::reattach);
        return null;
    }

    @Override
    public void domainCreated(final SimulatedDomain domain) {
        final int domid = domain.domid();
        if (closed) {
            return;
        }
        service.run(core -> {
            if (domid != 0 && !core.isIntroduced(domid)) {
                core.introduceDomain(domid);
            }
            core.createDomainHome(domid, domain.name());
        });
        synchronized (this) {
            if (pages.containsKey(domid)) {
                return;
            }
            XenHost kernel = null;
            GuestStorePage page = null;
            try {
                kernel = domain.openHost();
                page = GuestStorePage.create(kernel, 0, true, "xenstore-dom" + domid);
                final XenstoreRingServer.Served served = rings.attach(domid, page.grantRef(), page.port(),
                    "xenstore ring of dom" + domid);
                pages.put(domid, new DomainPage(domain, kernel, page, served));
            } catch (final RuntimeException e) {
                // The domain died meanwhile: it has no page to serve.
                LOG.log(System.Logger.Level.WARNING, "xenstored: no xenstore page for dom" + domid + ": " + e);
                if (page != null) {
                    closeQuietly(page::close);
                }
                if (kernel != null) {
                    closeQuietly(kernel::close);
                }
            }
        }
    }

    @Override
    public void domainDestroyed(final SimulatedDomain domain) {
        final int domid = domain.domid();
        final DomainPage d = pages.remove(domid);
        if (d != null) {
            // Unmapped before the daemon forgets the domain: a dying domain stays dying while mapped.
            rings.detachDomain(domid, "domain " + domid + " destroyed");
            stopLoop(d);
        }
        if (domid != 0) {
            service.run(core -> core.destroyDomain(domid));
        }
    }

    private static void stopLoop(final DomainPage d) {
        final EventLoop l;
        synchronized (d) {
            l = d.loop;
            d.loop = null;
        }
        if (l != null) {
            l.close();
        }
    }

    private static void closeQuietly(final Runnable close) {
        try {
            close.run();
        } catch (final RuntimeException ignored) {
            // Tearing down a domain that is going away: its handles may be revoked already.
        }
    }

    /**
     * Stops serving the domains' pages: the ring thread ends, the pages are unmapped, the hosts
     * xenstored opened are closed. The store itself stays usable in-process and on sockets.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        rings.close();
        final List<DomainPage> all = new ArrayList<>(pages.values());
        pages.clear();
        for (final DomainPage d : all) {
            stopLoop(d);
            closeQuietly(d.page::close);
            closeQuietly(d.kernel::close);
        }
    }
}
