package io.xen4j.blk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.xen4j.blk.spi.MemoryBlockStore;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.hal.memory.xenstore.SimulatedXenstore;
import io.xen4j.store.XenStoreClient;
import io.xen4j.xenbus.DevicePaths;
import io.xen4j.xenbus.XenbusToolstack;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Both drivers put their rings on the simulated host's plain buffer ({@code plainBuffer()}),
 * which after a revocation fails only Agrona's bounds check ("capacity=0"). When a domain is
 * destroyed under a connected driver, the device must stop with the error the checked view
 * gives: naming the grant references, both domains, that the pages were revoked and why, not a
 * bare {@link IndexOutOfBoundsException}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class BlkPlainRingRevokedTest {
    private static final Map<String, String> FRONT_NODES = Map.of("virtual-device", "51712", "device-type", "disk");
    private static final Map<String, String> BACK_NODES = Map.of("params", "disk", "type", "phy");

    /** A backend in driver domain dom1 and a frontend in guest dom2, both driven by hand. */
    private static final class World implements AutoCloseable {
        final SimulatedXen xen = SimulatedXen.builder().seed(7).build();
        final SimulatedXenstore xenstore = SimulatedXenstore.attach(xen);
        final SimulatedDomain driver = xen.createDomain("driver");
        final SimulatedDomain guest = xen.createDomain("guest");
        final XenStoreClient dom0Store = XenStoreClient.connect(xenstore.connect(xen.dom0()));
        final XenStoreClient driverStore = XenStoreClient.connect(xenstore.connect(driver));
        final XenStoreClient guestStore = XenStoreClient.connect(xenstore.connect(guest));
        final DevicePaths device = new DevicePaths("vbd", guest.domid(), driver.domid(), 51712);
        final BlkBack back;
        final BlkFront front;

        World() throws Exception {
            new XenbusToolstack(dom0Store).createDevice(device, FRONT_NODES, BACK_NODES);
            back = new BlkBack(driver.host(), driverStore, device, new MemoryBlockStore(1L << 20), BlkBackConfig.full());
            front = new BlkFront(guest.host(), guestStore, device, BlkFrontConfig.defaults());
            back.start();
            front.start();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!front.connected().isDone() && System.nanoTime() < deadline) {
                front.doWork();
                back.doWork();
                Thread.onSpinWait();
            }
            front.connected().get(1, TimeUnit.SECONDS);
            // One request through both rings, so both sides have served on them.
            final ByteBuf b = Unpooled.directBuffer(4096);
            final AtomicReference<Throwable> done = new AtomicReference<>();
            front.read(0, 4096, b, e -> done.set(e == null ? new Throwable("ok") : e));
            while (done.get() == null && System.nanoTime() < deadline) {
                front.doWork();
                back.doWork();
            }
            assertEquals("ok", String.valueOf(java.util.Objects.requireNonNull(done.get()).getMessage()));
            b.release();
        }

        @Override
        public void close() {
            quietly(back::close);
            quietly(front::close);
            quietly(guestStore::close);
            quietly(driverStore::close);
            quietly(dom0Store::close);
            xen.close();
        }

        private static void quietly(final Runnable r) {
            try {
                r.run();
            } catch (final RuntimeException e) {
                // A destroyed domain's handles and store connection are gone already.
            }
        }
    }

    @Test
    void aBackendWhoseDriverDomainIsDestroyedNamesTheRevokedRingMapping() throws Exception {
        try (World w = new World()) {
            final int driverId = w.driver.domid();
            final int guestId = w.guest.domid();
            w.driver.destroy();
            // The next turn polls the ring on its revoked (capacity 0) plain buffer.
            for (int i = 0; i < 8 && w.back.brokenReason() == null; i++) {
                w.back.doWork();
            }
            final String why = w.back.brokenReason();
            assertNotNull(why, "the backend stopped");
            assertTrue(why.startsWith("blkback dom" + driverId + " device "), why);
            assertTrue(why.contains("HandleClosedException: grant mapping dom" + guestId + " refs ["), why);
            assertTrue(why.contains(" in dom" + driverId + " (closed): access through the plain buffer (dom" + driverId
                + " was destroyed"), why);
            assertTrue(why.contains("EBADF"), why);
            assertFalse(why.contains("IndexOutOfBoundsException"), why);
        }
    }

    @Test
    void aFrontendWhoseGuestIsDestroyedNamesTheRevokedRingShare() throws Exception {
        try (World w = new World()) {
            final int driverId = w.driver.domid();
            final int guestId = w.guest.domid();
            assertNull(w.front.brokenReason());
            // A request waits to be issued: the next turn writes it to the ring, whose plain
            // buffer the destroyed guest's share has shrunk to capacity 0.
            final ByteBuf b = Unpooled.directBuffer(4096);
            w.front.read(4096, 4096, b, e -> { });
            w.guest.destroy();
            for (int i = 0; i < 8 && w.front.brokenReason() == null; i++) {
                w.front.doWork();
            }
            final String why = w.front.brokenReason();
            assertNotNull(why, "the frontend broke");
            assertTrue(why.startsWith("blkfront dom" + guestId + " device "), why);
            assertTrue(why.contains("HandleClosedException: shared pages of dom" + guestId + " for dom" + driverId + " refs ["), why);
            assertTrue(why.contains("(closed): access through the plain buffer (dom" + guestId + " was destroyed"), why);
            assertFalse(why.contains("IndexOutOfBoundsException"), why);
            b.release();
        }
    }
}
