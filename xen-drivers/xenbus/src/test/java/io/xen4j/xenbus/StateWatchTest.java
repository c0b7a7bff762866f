package io.xen4j.xenbus;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.memory.xenstore.InProcessTransport;
import io.xen4j.hal.memory.xenstore.XenstoreService;
import io.xen4j.store.XenStoreClient;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The flag of a state watch: raised by the watch or a poke, seen once, through the in-memory xenstored. */
final class StateWatchTest {
    private static final String NODE = "/local/domain/0/backend/vbd/5/51712/state";

    @Test
    void aChangeIsSeenOnceAndNothingElseRaisesTheFlag() {
        final XenstoreService service = new XenstoreService();
        service.run(core -> core.createDomainHome(0, "Domain-0"));
        try (XenStoreClient dom0 = XenStoreClient.connect(InProcessTransport.connect(service, 0))) {
            dom0.write(NODE, "1");
            try (StateWatch watch = new StateWatch(dom0, NODE)) {
                assertTrue(watch.changed(), "a new watch reports a change first, so that its owner reads the state once");
                // The watch's own first event (xenstored fires each watch once when it is set) may still come.
                assertTrue(awaitQuiet(watch), "the flag went down once read, and stayed down");
                dom0.write(NODE, "2");
                assertTrue(awaitFlag(watch, true), "a write of the node raised the flag");
                assertFalse(watch.changed(), "seen once: the flag is down again");
                assertFalse(watch.changed(), "and stays down without a change");
                watch.poke();
                assertTrue(watch.changed(), "a poke raises it");
                assertFalse(watch.changed(), "once");
            }
        }
    }

    /** Calls {@code changed()} until it has returned false for 200 ms in a row, for at most 5 s. */
    private static boolean awaitQuiet(final StateWatch watch) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long quietSince = System.nanoTime();
        do {
            if (watch.changed()) {
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > TimeUnit.MILLISECONDS.toNanos(200)) {
                return true;
            }
            Thread.onSpinWait();
        } while (System.nanoTime() < deadline);
        return false;
    }

    /** Calls {@code changed()} until it returns {@code wanted}, for at most 5 s. */
    private static boolean awaitFlag(final StateWatch watch, final boolean wanted) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        do {
            if (watch.changed() == wanted) {
                return true;
            }
            Thread.onSpinWait();
        } while (System.nanoTime() < deadline);
        return false;
    }
}
