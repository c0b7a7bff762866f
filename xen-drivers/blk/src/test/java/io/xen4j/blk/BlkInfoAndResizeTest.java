package io.xen4j.blk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.xen4j.abi.blkif.Blkif;
import io.xen4j.blk.spi.FileBlockStore;
import io.xen4j.blk.spi.MemoryBlockStore;
import io.xen4j.hal.memory.SimulatedXen;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The info bits (cdrom, removable, read-only) and online resize, blkfront against blkback. */
@Timeout(60)
final class BlkInfoAndResizeTest {
    private static final long DISK = 4L << 20;

    private static byte[] random(final long seed, final int n) {
        final byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void aCdromTheToolstackMarksRemovableAndReadOnlyHasThoseInfoBits() throws Exception {
        final MemoryBlockStore disk = new MemoryBlockStore(DISK);
        try (BlkWorld w = new BlkWorld(SimulatedXen.create(), disk, BlkBackConfig.full(), BlkFrontConfig.defaults(),
            Map.of("virtual-device", "51712", "device-type", "cdrom"), Map.of("params", "iso", "removable", "1", "mode", "r"))) {
            final DiskInfo info = w.awaitConnected();
            assertTrue(info.cdrom());
            assertTrue(info.removable());
            assertTrue(info.readOnly(), "mode=r makes a writable store read-only");
            assertFalse(info.barrier(), "no barrier on a read-only disk");
            assertEquals(Integer.toString(Blkif.VDISK_CDROM | Blkif.VDISK_REMOVABLE | Blkif.VDISK_READONLY),
                w.dom0Store.read(w.device.backend("info")));
            assertThrows(BlockIoException.class, () -> w.front.writeBlocking(0, Unpooled.wrappedBuffer(new byte[4096])));
            final ByteBuf b = Unpooled.buffer(4096);
            w.front.readBlocking(0, 4096, b);
            assertEquals(4096, b.readableBytes());
        }
    }

    @Test
    void aPlainDiskHasNoneOfThem() throws Exception {
        try (BlkWorld w = new BlkWorld(new MemoryBlockStore(DISK), BlkBackConfig.full(), BlkFrontConfig.defaults())) {
            final DiskInfo info = w.awaitConnected();
            assertFalse(info.cdrom() || info.removable() || info.readOnly());
            assertEquals("0", w.dom0Store.read(w.device.backend("info")));
        }
    }

    @Test
    void growingAndShrinkingTheStoreUpdatesTheFrontendWhileConnected() throws Exception {
        final MemoryBlockStore disk = new MemoryBlockStore(DISK);
        try (BlkWorld w = new BlkWorld(disk, BlkBackConfig.full(), BlkFrontConfig.defaults())) {
            w.awaitConnected();
            final LinkedBlockingQueue<DiskInfo> heard = new LinkedBlockingQueue<>();
            w.front.addCapacityListener(heard::add);
            assertEquals(DISK, w.front.capacityBytes());
            final long past = DISK + (1 << 20);
            final BlockIoException before = assertThrows(BlockIoException.class,
                () -> w.front.writeBlocking(past, Unpooled.wrappedBuffer(new byte[4096])));
            assertTrue(String.valueOf(before.getMessage()).contains("outside the disk"), before.getMessage());

            disk.resize(DISK * 2);
            final DiskInfo grown = heard.poll(20, TimeUnit.SECONDS);
            assertEquals(DISK * 2, grown == null ? -1 : grown.sizeBytes());
            assertEquals(DISK * 2, w.front.capacityBytes());
            assertEquals(DISK * 2, w.front.info().sizeBytes());
            assertTrue(w.front.isConnected(), "the frontend stayed Connected");
            final byte[] data = random(3, 65536);
            w.front.writeBlocking(past, Unpooled.wrappedBuffer(data));
            final ByteBuf back = Unpooled.buffer(65536);
            w.front.readBlocking(past, 65536, back);
            final byte[] got = new byte[65536];
            back.readBytes(got);
            assertArrayEquals(data, got);

            disk.resize(DISK / 2);
            final DiskInfo shrunk = heard.poll(20, TimeUnit.SECONDS);
            assertEquals(DISK / 2, shrunk == null ? -1 : shrunk.sizeBytes());
            final BlockIoException after = assertThrows(BlockIoException.class,
                () -> w.front.readBlocking(DISK / 2, 4096, Unpooled.buffer(4096)));
            assertTrue(String.valueOf(after.getMessage()).contains("outside the disk of " + DISK / 2), after.getMessage());
            w.front.readBlocking(DISK / 2 - 4096, 4096, Unpooled.buffer(4096));
            assertTrue(heard.isEmpty(), "one event per change: " + heard);
            assertTrue(w.back.isConnected());
        }
    }

    @Test
    void aFileStoreResizesItsFile(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("disk.img");
        try (FileBlockStore disk = FileBlockStore.create(file, DISK, 512);
             BlkWorld w = new BlkWorld(disk, BlkBackConfig.full(), BlkFrontConfig.defaults())) {
            w.awaitConnected();
            final List<DiskInfo> heard = new CopyOnWriteArrayList<>();
            w.front.addCapacityListener(heard::add);
            disk.resize(DISK * 3);
            assertEquals(DISK * 3, java.nio.file.Files.size(file));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (heard.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(DISK * 3, w.front.capacityBytes());
            assertEquals(1, heard.size());
            final byte[] data = random(4, 4096);
            w.front.writeBlocking(DISK * 3 - 4096, Unpooled.wrappedBuffer(data));
            w.front.flushBlocking();
            disk.resize(DISK);
            assertEquals(DISK, java.nio.file.Files.size(file));
        }
    }
}
