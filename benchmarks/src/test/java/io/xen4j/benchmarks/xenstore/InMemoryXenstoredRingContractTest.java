package io.xen4j.benchmarks.xenstore;

import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.hal.memory.xenstore.XenstoreCore;
import io.xen4j.hal.memory.xenstore.XenstoreService;
import io.xen4j.store.XenStoreClient;
import io.xen4j.store.XenStoreClientContract;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The client's contract on the ring transport against the in-memory xenstored: dom0 and a guest
 * each through their own xenstore page and event channel on the simulated host (grants, event
 * channels and event loops of xen-hal-memory), both on one store.
 */
final class InMemoryXenstoredRingContractTest extends XenStoreClientContract {
    private static SimulatedXen xen;
    private static SimulatedDomain guest;
    private static XenstoreService service;
    private static final List<SimulatedRingBridge> BRIDGES = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        xen = SimulatedXen.builder().seed(5).build();
        guest = xen.createDomain("guest");
        service = new XenstoreService();
        final int domid = guest.domid();
        service.run(core -> {
            core.createDomainHome(0, "Domain-0");
            core.introduceDomain(domid);
            core.createDomainHome(domid, "guest");
        });
    }

    @AfterAll
    static void stop() throws Exception {
        for (final SimulatedRingBridge b : BRIDGES) {
            b.close();
        }
        xen.close();
        if (service.call(XenstoreCore::internalErrors) != 0) {
            throw new AssertionError("internal errors in the daemon");
        }
    }

    @Override
    protected XenStoreClient connectPrivileged() throws Exception {
        // dom0's own xenstore page, as a dom0 whose xenstored runs in a stub domain has.
        final SimulatedRingBridge bridge = new SimulatedRingBridge(xen, xen.dom0(), service);
        BRIDGES.add(bridge);
        return bridge.client;
    }

    @Override
    protected XenStoreClient connectGuest() throws Exception {
        final SimulatedRingBridge bridge = new SimulatedRingBridge(xen, guest, service);
        BRIDGES.add(bridge);
        return bridge.client;
    }

    @Override
    protected int guestDomid() {
        return guest.domid();
    }

    @Override
    protected boolean acceptsDomainManagement() {
        return true;
    }
}
