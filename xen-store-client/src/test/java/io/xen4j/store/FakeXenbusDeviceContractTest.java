package io.xen4j.store;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract over the xenbus device transport (plain file reads and writes), against the test's
 * fake xenstored behind a pair of named pipes: there is no {@code /dev/xen/xenbus} here.
 */
final class FakeXenbusDeviceContractTest extends XenStoreClientContract {
    private static FakeServers servers;

    @BeforeAll
    static void start() throws Exception {
        final Path dir = Files.createTempDirectory("xs-xenbus");
        servers = new FakeServers(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        servers.close();
    }

    @Override
    protected XenStoreClient connectPrivileged() throws Exception {
        return XenStoreClient.connect(servers.xenbusDevice(0), OPTIONS);
    }

    @Override
    protected XenStoreClient connectGuest() throws Exception {
        return XenStoreClient.connect(servers.xenbusDevice(guestDomid()), OPTIONS);
    }

    @Override
    protected boolean acceptsDomainManagement() {
        return true;
    }
}
