package io.xen4j.xenbus.testing;

import io.xen4j.hal.memory.xenstore.InProcessTransport;
import io.xen4j.hal.memory.xenstore.XenstoreService;
import io.xen4j.store.XenStoreClient;

/**
 * The xenstore side of a two-domain test world: dom0's and one guest's homes in an in-memory
 * xenstored (the guest introduced, as a toolstack does), and a client connection for each.
 * Shared by the drivers' hand-driven peers (blk, net) through this module's test jar.
 *
 * @param dom0  dom0's connection
 * @param guest the guest's connection
 */
public record GuestStores(XenStoreClient dom0, XenStoreClient guest) {
    /**
     * Creates the homes and connects both domains.
     *
     * @param xenstore the in-memory xenstored
     * @param guest    the guest's domain id
     * @return the two connections
     */
    public static GuestStores connect(final XenstoreService xenstore, final int guest) {
        xenstore.run(core -> {
            core.createDomainHome(0, "Domain-0");
            core.introduceDomain(guest);
            core.createDomainHome(guest, "guest");
        });
        return new GuestStores(XenStoreClient.connect(InProcessTransport.connect(xenstore, 0)),
            XenStoreClient.connect(InProcessTransport.connect(xenstore, guest)));
    }

}
