package io.xen4j.benchmarks.xenstore;

import io.xen4j.hal.memory.xenstore.InProcessTransport;
import io.xen4j.hal.memory.xenstore.XenstoreCore;
import io.xen4j.hal.memory.xenstore.XenstoreService;
import io.xen4j.hal.memory.xenstore.XenstoredSocketServer;
import io.xen4j.store.XenStoreClient;
import io.xen4j.store.XenStoreClientContract;
import io.xen4j.store.transport.UnixSocketTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The Java client's contract suite against the in-memory xenstored (xen-hal-memory): dom0 over
 * the Unix socket, as the C tools connect, and a guest (domain 5) in-process, both on one store,
 * so that the permission tests run too. It lives here rather than in xen-hal-memory because a
 * module's tests cannot read the contract from the client's test jar: its package
 * {@code io.xen4j.store} belongs to the named module of the client.
 */
final class InMemoryXenstoredSocketAndGuestContractTest extends XenStoreClientContract {
    private static XenstoreService service;
    private static XenstoredSocketServer server;
    private static Path dir;

    @BeforeAll
    static void start() throws Exception {
        service = new XenstoreService();
        service.run(core -> {
            core.createDomainHome(0, "Domain-0");
            core.introduceDomain(5);
            core.createDomainHome(5, "guest5");
        });
        dir = Files.createTempDirectory("xen4j-xs-contract");
        server = XenstoredSocketServer.start(service, dir.resolve("socket"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        Files.deleteIfExists(dir);
        if (service.call(XenstoreCore::internalErrors) != 0) {
            throw new AssertionError("internal errors in the daemon");
        }
    }

    @Override
    protected XenStoreClient connectPrivileged() throws Exception {
        return XenStoreClient.connect(UnixSocketTransport.connect(server.path()), OPTIONS);
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
