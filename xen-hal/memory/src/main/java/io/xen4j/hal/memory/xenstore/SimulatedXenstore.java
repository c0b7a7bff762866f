package io.xen4j.hal.memory.xenstore;

import io.xen4j.hal.memory.DomainListener;
import io.xen4j.hal.memory.DomainState;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The xenstored of a {@link SimulatedXen}: it follows the host's domains as C xenstored and the xl
 * toolstack follow a real one. A created domain is introduced ({@code @introduceDomain} fires) and
 * gets its home {@code /local/domain/<domid>}; a destroyed one is released
 * ({@code @releaseDomain}), its nodes and permission entries removed, so that its id can be reused
 * safely. Domains connect in-process ({@link #connect(SimulatedDomain)}), and the store can be
 * served on a Unix socket for external programs ({@link #serve(Path)}).
 *
 * <pre>{@code
 * SimulatedXen xen = SimulatedXen.create();
 * SimulatedXenstore xenstore = SimulatedXenstore.attach(xen);
 * SimulatedDomain guest = xen.createDomain("guest1");
 * XenStoreClient client = XenStoreClient.connect(xenstore.connect(guest));
 * }</pre>
 */
public final class SimulatedXenstore implements DomainListener {
    private final XenstoreService service;

    private SimulatedXenstore(final XenstoreService service) {
        this.service = service;
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
        final SimulatedXenstore store = new SimulatedXenstore(new XenstoreService(new XenstoreCore(quotas)));
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

    @Override
    public void domainCreated(final SimulatedDomain domain) {
        final int domid = domain.domid();
        service.run(core -> {
            if (domid != 0 && !core.isIntroduced(domid)) {
                core.introduceDomain(domid);
            }
            core.createDomainHome(domid, domain.name());
        });
    }

    @Override
    public void domainDestroyed(final SimulatedDomain domain) {
        if (domain.domid() != 0) {
            service.run(core -> core.destroyDomain(domain.domid()));
        }
    }
}
