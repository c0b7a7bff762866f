package io.xen4j.benchmarks;

import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.hal.memory.xenstore.InProcessTransport;
import io.xen4j.hal.memory.xenstore.XenstoreService;
import io.xen4j.store.XenStoreClient;

/**
 * A simulated host of its own with one guest, for the driver benchmarks: an in-memory xenstore
 * with both domains introduced and their home directories made, and a client for each. Closing
 * it closes the clients and the host.
 */
public final class SimulatedGuest implements AutoCloseable {
    /** The host. */
    public final SimulatedXen xen;
    /** The guest domain. */
    public final SimulatedDomain guest;
    /** Domain 0's xenstore client (the toolstack's and the backend's). */
    public final XenStoreClient dom0;
    /** The guest's xenstore client (the frontend's). */
    public final XenStoreClient domU;

    /** Creates the host, the guest and the xenstore with both clients. */
    public SimulatedGuest() {
        xen = SimulatedXen.create();
        guest = xen.createDomain("guest");
        final XenstoreService xenstore = new XenstoreService();
        final int domid = guest.domid();
        xenstore.run(core -> {
            core.createDomainHome(0, "Domain-0");
            core.introduceDomain(domid);
            core.createDomainHome(domid, "guest");
        });
        dom0 = XenStoreClient.connect(InProcessTransport.connect(xenstore, 0));
        domU = XenStoreClient.connect(InProcessTransport.connect(xenstore, domid));
    }

    @Override
    public void close() {
        domU.close();
        dom0.close();
        xen.close();
    }
}
