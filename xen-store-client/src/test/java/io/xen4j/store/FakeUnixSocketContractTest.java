package io.xen4j.store;

import io.xen4j.store.transport.UnixSocketTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract over the Unix socket transport, against the test's fake xenstored. */
final class FakeUnixSocketContractTest extends XenStoreClientContract {
    private static Path dir;
    private static FakeServers servers;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("xs-sock");
        servers = new FakeServers(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        servers.close();
    }

    @Override
    protected XenStoreClient connectPrivileged() throws Exception {
        return XenStoreClient.connect(UnixSocketTransport.connect(servers.socket(0)), OPTIONS);
    }

    @Override
    protected XenStoreClient connectGuest() throws Exception {
        return XenStoreClient.connect(UnixSocketTransport.connect(servers.socket(guestDomid())), OPTIONS);
    }

    @Override
    protected boolean acceptsDomainManagement() {
        return true;
    }
}
