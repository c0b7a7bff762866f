package io.xen4j.store;

import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.store.transport.XenstoreRingTransport;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;

/**
 * The contract over the xenstore ring transport (a shared page and an event channel), against
 * the test's fake xenstored behind a ring daemon: dom0 and a guest each have their own page.
 */
final class FakeRingContractTest extends XenStoreClientContract {
    private static final FakeXenstored STORE = new FakeXenstored();
    private static final List<AutoCloseable> OPEN = new CopyOnWriteArrayList<>();

    @AfterAll
    static void stop() throws Exception {
        for (final AutoCloseable c : OPEN) {
            c.close();
        }
    }

    static XenstoreRingTransport ring(final FakeXenstored store, final int domid, final List<AutoCloseable> open)
        throws Exception {
        final UnsafeBuffer page = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
        final FakeEventChannelPair pair = new FakeEventChannelPair(domid);
        final FakeRingDaemon daemon = new FakeRingDaemon(store, domid, page, pair.daemon,
            XsWire.XENSTORE_SERVER_FEATURE_RECONNECTION | XsWire.XENSTORE_SERVER_FEATURE_ERROR);
        open.add(daemon);
        open.add(pair);
        return XenstoreRingTransport.open("xenstore-dom" + domid, page, pair.guest::handler, Duration.ofSeconds(5));
    }

    @Override
    protected XenStoreClient connectPrivileged() throws Exception {
        return XenStoreClient.connect(ring(STORE, 0, OPEN), OPTIONS);
    }

    @Override
    protected XenStoreClient connectGuest() throws Exception {
        return XenStoreClient.connect(ring(STORE, guestDomid(), OPEN), OPTIONS);
    }

    @Override
    protected boolean acceptsDomainManagement() {
        return true;
    }
}
