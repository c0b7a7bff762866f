package io.xen4j.benchmarks.blk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.xen4j.blk.BlkBack;
import io.xen4j.blk.BlkBackConfig;
import io.xen4j.blk.BlkFront;
import io.xen4j.blk.BlkFrontConfig;
import io.xen4j.blk.BlockCallback;
import io.xen4j.blk.BlockIoException;
import io.xen4j.blk.spi.BlockStore;
import io.xen4j.blk.spi.FileBlockStore;
import io.xen4j.blk.spi.MemoryBlockStore;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.hal.memory.xenstore.XenstoreService;
import io.xen4j.store.XenStoreClient;
import io.xen4j.xenbus.DevicePaths;
import io.xen4j.xenbus.XenbusToolstack;
import io.xen4j.xenbus.testing.GuestStores;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.CompositeAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The blk data path allocates nothing per request at steady state: reads and writes with the
 * callback API (into ordinary buffers and into the device's granted ones), both agents driven by this thread, measured with HotSpot's per-thread allocation
 * counter (here, as the blk module's tests run on the module path without java.management).
 * Through the memory store and the file store; the benchmarks' pom runs this class a second time
 * with escape analysis off, so that a pass does not depend on the JIT removing an allocation.
 */
@Timeout(120)
final class BlkAllocationTest {
    private static final int OPS = 20_000;
    /**
     * Above this the test fails. An object made for every request is 16 bytes or more, so even one
     * made for one request in sixteen fails; what is left below it is the odd object of the
     * runtime's own (a recompilation, a class's first use) spread over the 40 000 requests.
     */
    private static final double MAX_BYTES_PER_OP = 1.0;

    private boolean done;
    private BlockIoException failure;

    @Test
    void readsAndWritesThroughPersistentGrantsAllocateNothingPerRequest() throws Exception {
        final MemoryBlockStore disk = new MemoryBlockStore(8L << 20);
        steadyState(disk);
    }

    /**
     * The same through the file store: blkback hands it each transfer as part of a segment it
     * keeps per mapped page, and the store passes that to {@code pread}/{@code pwrite} as an
     * address, so no object is made per request whether or not the JIT removes one (this class
     * also runs with escape analysis off, see the benchmarks' pom).
     */
    @Test
    void readsAndWritesThroughTheFileStoreAllocateNothingPerRequest(@TempDir final Path dir) throws Exception {
        try (FileBlockStore disk = FileBlockStore.create(dir.resolve("alloc.img"), 8L << 20, 512)) {
            steadyState(disk);
            assertTrue(disk.nativeTransfers() > 2L * OPS, "transfers through pread/pwrite: " + disk.nativeTransfers());
        }
    }

    private static byte[] snapshot(final BlockStore disk, final long position, final int length) throws IOException {
        final ByteBuffer b = ByteBuffer.allocate(length);
        disk.read(position, b);
        return b.array();
    }

    private void steadyState(final BlockStore disk) throws Exception {
        final java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        final boolean counting = mx instanceof com.sun.management.ThreadMXBean;
        org.junit.jupiter.api.Assumptions.assumeTrue(counting, "no per-thread allocation counter");
        final com.sun.management.ThreadMXBean alloc = (com.sun.management.ThreadMXBean) mx;
        final long self = Thread.currentThread().threadId();
        final byte[] pattern = new byte[65536];
        new java.util.Random(9).nextBytes(pattern);
        disk.write(0, ByteBuffer.wrap(pattern));
        try (SimulatedXen xen = SimulatedXen.create()) {
            final SimulatedDomain guest = xen.createDomain("guest");
            final XenstoreService xenstore = new XenstoreService();
            final GuestStores stores = GuestStores.connect(xenstore, guest.domid());
            try (XenStoreClient dom0 = stores.dom0(); XenStoreClient domU = stores.guest()) {
                final DevicePaths device = new DevicePaths("vbd", guest.domid(), 0, 51712);
                new XenbusToolstack(dom0).createDevice(device, Map.of(), Map.of());
                final BlkBack back = new BlkBack(xen.dom0().host(), dom0, device, disk, BlkBackConfig.full());
                final BlkFront front = new BlkFront(guest.host(), domU, device, new BlkFrontConfig("x86_64-abi", 0, 0, true, 1));
                back.start();
                front.start();
                final AgentInvoker invoker = new AgentInvoker(Throwable::printStackTrace, null, new CompositeAgent(front, back));
                invoker.start();
                final long deadline = System.nanoTime() + 20_000_000_000L;
                while (!front.connected().isDone() && System.nanoTime() < deadline) {
                    invoker.invoke();
                }
                final ByteBuf read = Unpooled.directBuffer(65536);
                final ByteBuf write = Unpooled.directBuffer(65536);
                write.writeBytes(pattern);
                final BlockCallback onDone = f -> {
                    failure = f;
                    done = true;
                };
                // Warm up (pools fill, code compiles), then measure the same loop.
                run(invoker, front, read, write, onDone, OPS);
                final long before = alloc.getThreadAllocatedBytes(self);
                run(invoker, front, read, write, onDone, OPS);
                final long bytes = alloc.getThreadAllocatedBytes(self) - before;
                final double perOp = (double) bytes / (2.0 * OPS);
                assertNull(failure);
                // The data is right too: offset 0 holds the pattern, the writes went to 4 MiB on.
                done = false;
                read.clear();
                front.read(0, 65536, read, onDone);
                while (!done) {
                    invoker.invoke();
                }
                assertNull(failure);
                final byte[] written = snapshot(disk, 64 * 65536, 65536);
                assertArrayEquals(pattern, written);
                final byte[] got = new byte[65536];
                read.getBytes(0, got);
                assertArrayEquals(pattern, got);
                System.out.println("blk steady state, " + disk.getClass().getSimpleName() + ": " + bytes + " bytes for " + 2 * OPS + " requests = " + perOp + " B/op");
                assertTrue(perOp < MAX_BYTES_PER_OP, "allocated " + bytes + " bytes for " + 2 * OPS + " requests: " + perOp + " B/op");

                // The same with buffers of the device (granted pages, read and written in place).
                final ByteBuf gread = front.allocateBuffer(65536);
                final ByteBuf gwrite = front.allocateBuffer(65536);
                gwrite.writeBytes(pattern);
                run(invoker, front, gread, gwrite, onDone, OPS / 4);
                final long gbefore = alloc.getThreadAllocatedBytes(self);
                run(invoker, front, gread, gwrite, onDone, OPS);
                final long gbytes = alloc.getThreadAllocatedBytes(self) - gbefore;
                final double gperOp = (double) gbytes / (2.0 * OPS);
                assertNull(failure);
                done = false;
                gread.clear();
                front.read(0, 65536, gread, onDone);
                while (!done) {
                    invoker.invoke();
                }
                assertNull(failure);
                gread.getBytes(0, got);
                assertArrayEquals(pattern, got);
                assertArrayEquals(pattern, snapshot(disk, 64 * 65536, 65536));
                System.out.println("blk granted buffers, " + disk.getClass().getSimpleName() + ": " + gbytes + " bytes for " + 2 * OPS + " requests = " + gperOp + " B/op");
                assertTrue(gperOp < MAX_BYTES_PER_OP, "allocated " + gbytes + " bytes for " + 2 * OPS + " granted-buffer requests: " + gperOp + " B/op");
                gread.release();
                gwrite.release();

                // Eight reads in flight at once (fio's iodepth=8) on granted buffers: still nothing
                // allocated, and batched: the eight are issued in one turn (one push of the
                // request ring), served and answered by the backend in the same turn (one push of
                // the response ring), and completed in the next one: two turns per batch.
                final ByteBuf[] depth = new ByteBuf[8];
                for (int i = 0; i < depth.length; i++) {
                    depth[i] = front.allocateBuffer(4096);
                }
                final long warmTurns = runDepth(invoker, front, depth, OPS / 8 / 4);
                assertEquals(2L * (OPS / 8 / 4), warmTurns, "turns for " + OPS / 8 / 4 + " batches of 8 reads");
                final long dbefore = alloc.getThreadAllocatedBytes(self);
                final long turns = runDepth(invoker, front, depth, OPS / 8);
                final long dbytes = alloc.getThreadAllocatedBytes(self) - dbefore;
                final double dperOp = (double) dbytes / OPS;
                assertNull(failure);
                assertEquals(2L * (OPS / 8), turns, "turns for " + OPS / 8 + " batches of 8 reads");
                for (int i = 0; i < depth.length; i++) {
                    final byte[] page = new byte[4096];
                    depth[i].getBytes(0, page);
                    // The last batch read page (i * 5) % 16 of the pattern's 64 KiB.
                    final int at = ((OPS / 8 - 1) * depth.length + i) * 5 % 16 * 4096;
                    assertArrayEquals(java.util.Arrays.copyOfRange(pattern, at, at + 4096), page, "buffer " + i);
                    depth[i].release();
                }
                System.out.println("blk 8 in flight, granted buffers, " + disk.getClass().getSimpleName() + ": " + dbytes + " bytes for " + OPS + " requests = " + dperOp
                    + " B/op, " + turns + " turns for " + OPS / 8 + " batches");
                assertTrue(dperOp < MAX_BYTES_PER_OP, "allocated " + dbytes + " bytes for " + OPS + " reads 8 in flight: " + dperOp + " B/op");
                invoker.close();
                back.close();
                front.close();
            }
        }
    }

    /**
     * The blocking forms wait on a reused per-thread waiter, not a future: nothing is allocated on
     * the calling thread per request, whether the wait ends spinning or parked. The agents run on
     * their own thread, as a blocking caller needs.
     */
    @Test
    void blockingReadsAndWritesAllocateNothingOnTheCallingThread() throws Exception {
        final java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        final com.sun.management.ThreadMXBean alloc = (com.sun.management.ThreadMXBean) mx;
        final long self = Thread.currentThread().threadId();
        final MemoryBlockStore disk = new MemoryBlockStore(8L << 20);
        final byte[] pattern = new byte[65536];
        new java.util.Random(10).nextBytes(pattern);
        try (SimulatedXen xen = SimulatedXen.create()) {
            final SimulatedDomain guest = xen.createDomain("guest");
            final XenstoreService xenstore = new XenstoreService();
            final GuestStores stores = GuestStores.connect(xenstore, guest.domid());
            try (XenStoreClient dom0 = stores.dom0(); XenStoreClient domU = stores.guest()) {
                final DevicePaths device = new DevicePaths("vbd", guest.domid(), 0, 51712);
                new XenbusToolstack(dom0).createDevice(device, Map.of(), Map.of());
                final BlkBack back = new BlkBack(xen.dom0().host(), dom0, device, disk, BlkBackConfig.full());
                final BlkFront front = new BlkFront(guest.host(), domU, device, new BlkFrontConfig("x86_64-abi", 0, 0, true, 1));
                back.start();
                front.start();
                final org.agrona.concurrent.AgentRunner runner = new org.agrona.concurrent.AgentRunner(
                    new org.agrona.concurrent.BackoffIdleStrategy(100, 10, 1_000, 50_000), Throwable::printStackTrace, null,
                    new CompositeAgent(front, back));
                org.agrona.concurrent.AgentRunner.startOnThread(runner);
                try {
                    front.connected().get(20, java.util.concurrent.TimeUnit.SECONDS);
                    final ByteBuf read = Unpooled.directBuffer(65536);
                    final ByteBuf write = Unpooled.directBuffer(65536);
                    write.writeBytes(pattern);
                    final int ops = OPS / 4;
                    runBlocking(front, read, write, ops);
                    final long before = alloc.getThreadAllocatedBytes(self);
                    runBlocking(front, read, write, ops);
                    final long bytes = alloc.getThreadAllocatedBytes(self) - before;
                    final double perOp = (double) bytes / (2.0 * ops);
                    assertArrayEquals(pattern, disk.snapshot(64 * 65536, 65536));
                    read.clear();
                    front.readBlocking(64 * 65536L, 65536, read);
                    final byte[] got = new byte[65536];
                    read.getBytes(0, got);
                    assertArrayEquals(pattern, got);
                    System.out.println("blk blocking forms: " + bytes + " bytes for " + 2 * ops + " requests = " + perOp + " B/op");
                    assertTrue(perOp < MAX_BYTES_PER_OP, "allocated " + bytes + " bytes for " + 2 * ops + " blocking requests: " + perOp + " B/op");
                } finally {
                    runner.close();
                    back.close();
                    front.close();
                }
            }
        }
    }

    private static void runBlocking(final BlkFront front, final ByteBuf read, final ByteBuf write, final int ops)
        throws BlockIoException {
        for (int i = 0; i < ops; i++) {
            read.clear();
            front.readBlocking((i & 63) * 65536L, (i & 1) == 0 ? 4096 : 65536, read);
            front.writeBlocking((64 + (i & 63)) * 65536L, write);
        }
    }

    /**
     * Batches of reads, as many in flight as there are buffers, of 4 KiB pages of the pattern's
     * first 64 KiB (read {@code n} is page {@code n * 5 % 16}); each batch driven until all its
     * reads completed.
     *
     * @return the turns taken
     */
    private long runDepth(final AgentInvoker invoker, final BlkFront front, final ByteBuf[] bufs, final int batches) {
        final int[] left = new int[1];
        final BlockCallback onOne = f -> {
            if (f != null) {
                failure = f;
            }
            left[0]--;
        };
        long turns = 0;
        for (int b = 0; b < batches; b++) {
            left[0] = bufs.length;
            for (int i = 0; i < bufs.length; i++) {
                bufs[i].clear();
                front.read((long) ((b * bufs.length + i) * 5 % 16) * 4096, 4096, bufs[i], onOne);
            }
            while (left[0] > 0) {
                invoker.invoke();
                turns++;
            }
        }
        return turns;
    }

    private void run(final AgentInvoker invoker, final BlkFront front, final ByteBuf read, final ByteBuf write,
                     final BlockCallback onDone, final int ops) {
        for (int i = 0; i < ops; i++) {
            done = false;
            read.clear();
            front.read((i & 63) * 65536L, (i & 1) == 0 ? 4096 : 65536, read, onDone);
            while (!done) {
                invoker.invoke();
            }
            done = false;
            front.write((64 + (i & 63)) * 65536L, write, onDone);
            while (!done) {
                invoker.invoke();
            }
        }
    }
}
