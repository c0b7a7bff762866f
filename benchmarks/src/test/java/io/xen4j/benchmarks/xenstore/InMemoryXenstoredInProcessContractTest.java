package io.xen4j.benchmarks.xenstore;

import io.xen4j.hal.memory.xenstore.InProcessTransport;
import io.xen4j.hal.memory.xenstore.XenstoreCore;
import io.xen4j.hal.memory.xenstore.XenstoreService;
import io.xen4j.store.XenStoreClient;
import io.xen4j.store.XenStoreClientContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The Java client's contract suite against the in-memory xenstored (xen-hal-memory) with no socket
 * at all: dom0 and a guest, both through {@link InProcessTransport}.
 */
final class InMemoryXenstoredInProcessContractTest extends XenStoreClientContract {
    private static XenstoreService service;

    @BeforeAll
    static void start() {
        service = new XenstoreService();
        service.run(core -> {
            core.createDomainHome(0, "Domain-0");
            core.introduceDomain(5);
            core.createDomainHome(5, "guest5");
        });
    }

    @AfterAll
    static void stop() {
        if (service.call(XenstoreCore::internalErrors) != 0) {
            throw new AssertionError("internal errors in the daemon");
        }
    }

    @Override
    protected XenStoreClient connectPrivileged() {
        return XenStoreClient.connect(InProcessTransport.connect(service, 0), OPTIONS);
    }

    @Override
    protected XenStoreClient connectGuest() {
        return XenStoreClient.connect(InProcessTransport.connect(service, guestDomid()), OPTIONS);
    }

    @Override
    protected boolean acceptsDomainManagement() {
        return true;
    }
}
