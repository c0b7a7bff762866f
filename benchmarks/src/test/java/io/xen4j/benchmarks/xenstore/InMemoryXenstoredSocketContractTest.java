package io.xen4j.benchmarks.xenstore;

import io.xen4j.hal.memory.xenstore.XenstoreService;
import io.xen4j.hal.memory.xenstore.XenstoredSocketServer;
import io.xen4j.store.XenStoreClient;
import io.xen4j.store.XenStoreClientContract;
import io.xen4j.store.transport.UnixSocketTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The client's contract over the Unix socket against the in-memory xenstored, the server the benchmark uses. */
final class InMemoryXenstoredSocketContractTest extends XenStoreClientContract {
    private static XenstoredSocketServer server;

    @BeforeAll
    static void start() throws Exception {
        final Path dir = Files.createTempDirectory("xs-contract");
        server = XenstoredSocketServer.start(new XenstoreService(), dir.resolve("socket"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Override
    protected XenStoreClient connectPrivileged() throws Exception {
        return XenStoreClient.connect(UnixSocketTransport.connect(server.path()), OPTIONS);
    }

    @Override
    protected boolean acceptsDomainManagement() {
        return false;
    }
}
