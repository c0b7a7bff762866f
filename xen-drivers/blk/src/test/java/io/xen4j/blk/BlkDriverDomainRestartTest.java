package io.xen4j.blk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.xen4j.blk.spi.BlockStore;
import io.xen4j.blk.spi.MemoryBlockStore;
import io.xen4j.hal.memory.DomainListener;
import io.xen4j.hal.memory.DomainState;
import io.xen4j.hal.memory.FaultKind;
import io.xen4j.hal.memory.FaultPlan;
import io.xen4j.hal.memory.FaultRule;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.hal.memory.xenstore.SimulatedXenstore;
import io.xen4j.store.XenStoreClient;
import io.xen4j.xenbus.DevicePaths;
import io.xen4j.xenbus.XenbusToolstack;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The backend runs in a driver domain that the simulated host destroys ({@code DESTROY_DOMAIN},
 * injected while the guest notifies it) with requests in flight. The toolstack starts a new
 * driver domain (a new domid), points the device at it, and blkfront reconnects and issues the
 * requests in flight again: no write lost, no read returns wrong data.
 *
 * <p>The new backend often first reads the Closed its frontend wrote when the old backend died,
 * and its state watch may then show the frontend's Initialising and Initialised as one change;
 * it hung about 1 run in 20 until the backend state machine stayed in InitWait on that stale Closed (issue 6).
 */
@Timeout(90)
final class BlkDriverDomainRestartTest {
    private static final long DISK = 8L << 20;
    private static final int SIZE = 16384;
    private static final int WRITES = 48;
    private static final int READS = 24;
    private static final long READ_AREA = 4L << 20;
    private static final Map<String, String> FRONT_NODES = Map.of("virtual-device", "51712", "device-type", "disk");
    private static final Map<String, String> BACK_NODES = Map.of("params", "disk", "type", "phy");

    /** A disk that takes about half a millisecond per transfer, so that requests wait on the ring. */
    private static final class SlowStore implements BlockStore {
        final MemoryBlockStore disk = new MemoryBlockStore(DISK);

        @Override
        public int sectorSize() {
            return 512;
        }

        @Override
        public long sizeBytes() {
            return disk.sizeBytes();
        }

        @Override
        public boolean readOnly() {
            return false;
        }

        @Override
        public void read(final long position, final ByteBuffer dst) throws IOException {
            LockSupport.parkNanos(500_000);
            disk.read(position, dst);
        }

        @Override
        public void write(final long position, final ByteBuffer src) throws IOException {
            LockSupport.parkNanos(500_000);
            disk.write(position, src);
        }

        @Override
        public void flush() {
            disk.flush();
        }

        @Override
        public void discard(final long position, final long length, final boolean secure) throws IOException {
            disk.discard(position, length, secure);
        }

        @Override
        public void close() {
            disk.close();
        }
    }

    private static AgentRunner run(final Agent agent) {
        final AgentRunner r = new AgentRunner(new BackoffIdleStrategy(10, 10, 1_000, 200_000), Throwable::printStackTrace, null, agent);
        AgentRunner.startOnThread(r);
        return r;
    }

    private static byte[] random(final long seed, final int n) {
        final byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static void quietly(final Runnable r) {
        try {
            r.run();
        } catch (final RuntimeException e) {
            // The dead domain's handles and connection are gone already.
        }
    }

    @Test
    void aDestroyedDriverDomainIsReplacedAndTheFrontendReissuesWhatWasInFlight() throws Exception {
        // Domain ids are handed out in order: dom1 the first driver domain, dom2 the guest. The
        // guest's first notification of its backend (the first batch of requests) kills dom1.
        final int driverId = 1;
        final int guestId = 2;
        final SimulatedXen xen = SimulatedXen.builder().seed(21).faultPlan(FaultPlan.of(
            FaultRule.of(FaultKind.DESTROY_DOMAIN).actor(guestId).nth(1).limit(1))).build();
        final SimulatedXenstore xenstore = SimulatedXenstore.attach(xen);
        final SimulatedDomain driver = xen.createDomain("driver1");
        final SimulatedDomain guest = xen.createDomain("guest");
        assertEquals(driverId, driver.domid());
        assertEquals(guestId, guest.domid());
        final CountDownLatch died = new CountDownLatch(1);
        xen.addDomainListener(new DomainListener() {
            @Override
            public void domainCreated(final SimulatedDomain domain) {
                // Only deaths matter here.
            }

            @Override
            public void domainDestroyed(final SimulatedDomain domain) {
                if (domain.domid() == driverId) {
                    died.countDown();
                }
            }
        });
        final SlowStore disk = new SlowStore();
        final byte[][] old = new byte[READS][];
        for (int i = 0; i < READS; i++) {
            old[i] = random(1000 + i, SIZE);
            disk.disk.write(READ_AREA + (long) i * SIZE, ByteBuffer.wrap(old[i]));
        }
        final XenStoreClient dom0Store = XenStoreClient.connect(xenstore.connect(xen.dom0()));
        final XenStoreClient guestStore = XenStoreClient.connect(xenstore.connect(guest));
        final XenStoreClient driverStore = XenStoreClient.connect(xenstore.connect(driver));
        final XenbusToolstack toolstack = new XenbusToolstack(dom0Store);
        final DevicePaths first = new DevicePaths("vbd", guestId, driverId, 51712);
        toolstack.createDevice(first, FRONT_NODES, BACK_NODES);
        final BlkBack back1 = new BlkBack(driver.host(), driverStore, first, disk, BlkBackConfig.full());
        final BlkFront front = new BlkFront(guest.host(), guestStore, first, BlkFrontConfig.defaults());
        back1.start();
        front.start();
        final AgentRunner frontRunner = run(front);
        AgentRunner backRunner = run(back1);
        BlkBack back2 = null;
        XenStoreClient driver2Store = null;
        try {
            front.connected().get(20, TimeUnit.SECONDS);
            final List<CompletableFuture<Void>> writes = new ArrayList<>();
            final List<CompletableFuture<Void>> reads = new ArrayList<>();
            final List<ByteBuf> readBufs = new ArrayList<>();
            for (int i = 0; i < WRITES; i++) {
                writes.add(front.write((long) i * SIZE, Unpooled.wrappedBuffer(random(i, SIZE))));
                if (i < READS) {
                    final ByteBuf b = Unpooled.buffer(SIZE);
                    readBufs.add(b);
                    reads.add(front.read(READ_AREA + (long) i * SIZE, SIZE, b));
                }
            }
            assertTrue(died.await(20, TimeUnit.SECONDS), "the fault destroyed the driver domain: " + xen.faultLog());
            assertEquals(DomainState.DEAD, driver.state());

            // The toolstack's part: the old backend is gone with its domain; a new driver domain
            // serves the same disk, and the device is pointed at it.
            backRunner.close();
            quietly(back1::close);
            quietly(driverStore::close);
            final SimulatedDomain driver2 = xen.createDomain("driver2");
            driver2Store = XenStoreClient.connect(xenstore.connect(driver2));
            final DevicePaths second = new DevicePaths("vbd", guestId, driver2.domid(), 51712);
            toolstack.moveBackend(first, second, BACK_NODES);
            back2 = new BlkBack(driver2.host(), driver2Store, second, disk, BlkBackConfig.full());
            back2.start();
            backRunner = run(back2);

            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertTrue(front.reissuedRequests() > 0, "requests were in flight when dom1 died");
            assertEquals(1, xen.faultLog().count(FaultKind.DESTROY_DOMAIN));
            for (int i = 0; i < READS; i++) {
                final byte[] got = new byte[SIZE];
                readBufs.get(i).readBytes(got);
                assertArrayEquals(old[i], got, "read " + i);
            }
            for (int i = 0; i < WRITES; i++) {
                assertArrayEquals(random(i, SIZE), disk.disk.snapshot(i * SIZE, SIZE), "write " + i + " on the disk");
                final ByteBuf b = Unpooled.buffer(SIZE);
                front.readBlocking((long) i * SIZE, SIZE, b);
                final byte[] got = new byte[SIZE];
                b.readBytes(got);
                assertArrayEquals(random(i, SIZE), got, "write " + i + " read back through the new backend");
            }
            assertTrue(front.isConnected());
            assertNull(front.brokenReason());
            assertNull(back2.brokenReason());
            assertEquals(0, front.leakedGrants(), "Xen released the dead backend's mappings: every grant ended");
            assertEquals(second.backend(), guestStore.read(first.frontend("backend")));
        } finally {
            backRunner.close();
            frontRunner.close();
            if (back2 != null) {
                back2.close();
            }
            front.close();
            quietly(guestStore::close);
            if (driver2Store != null) {
                final XenStoreClient s = driver2Store;
                quietly(s::close);
            }
            quietly(dom0Store::close);
            xen.close();
        }
    }
}
