package io.xen4j.benchmarks.xenstore;

import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.hal.memory.xenstore.SimulatedXenstore;
import io.xen4j.hal.memory.xenstore.XenstoreCore;
import io.xen4j.store.XenStoreClient;
import io.xen4j.store.XenStoreClientContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The client's contract on the ring transport against the simulated host's own xenstored: dom0
 * and a guest each through their own xenstore page and event channel, which the host set up when
 * it created them and which its xenstored maps and serves from dom0 ({@code xenstored-rings}).
 * Every byte crosses a real page of the simulated host: the guest's grant mapped by dom0, and an
 * interdomain event channel each way.
 */
final class InMemoryXenstoredRingContractTest extends XenStoreClientContract {
    private static SimulatedXen xen;
    private static SimulatedXenstore xenstore;
    private static SimulatedDomain guest;

    @BeforeAll
    static void start() {
        xen = SimulatedXen.builder().seed(5).build();
        xenstore = SimulatedXenstore.attach(xen);
        guest = xen.createDomain("guest");
    }

    @AfterAll
    static void stop() {
        final long errors = xenstore.service().call(XenstoreCore::internalErrors);
        xenstore.close();
        xen.close();
        if (errors != 0) {
            throw new AssertionError("internal errors in the daemon: " + errors);
        }
    }

    @Override
    protected XenStoreClient connectPrivileged() throws Exception {
        // dom0's own xenstore page, as a dom0 whose xenstored runs in a stub domain has.
        return xenstore.ringClient(xen.dom0().host(), OPTIONS);
    }

    @Override
    protected XenStoreClient connectGuest() throws Exception {
        return xenstore.ringClient(guest.host(), OPTIONS);
    }

    @Override
    protected int guestDomid() {
        return guest.domid();
    }

    /**
     * The simulated host's xenstored maps the page of an introduced domain, so it refuses made-up
     * domains ({@code ENOENT}), as C xenstored does on a real host: the contract asserts that refusal.
     */
    @Override
    protected boolean acceptsDomainManagement() {
        return false;
    }

    @Override
    protected boolean refusesMadeUpDomains() {
        return true;
    }
}
