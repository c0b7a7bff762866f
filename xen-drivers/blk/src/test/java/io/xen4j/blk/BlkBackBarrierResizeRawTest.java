package io.xen4j.blk;

import static io.xen4j.abi.blkif.Blkif.BLKIF_OP_READ;
import static io.xen4j.abi.blkif.Blkif.BLKIF_OP_WRITE;
import static io.xen4j.abi.blkif.Blkif.BLKIF_OP_WRITE_BARRIER;
import static io.xen4j.abi.blkif.Blkif.BLKIF_RSP_EOPNOTSUPP;
import static io.xen4j.abi.blkif.Blkif.BLKIF_RSP_ERROR;
import static io.xen4j.abi.blkif.Blkif.BLKIF_RSP_OKAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.xen4j.blk.internal.BlkifAbi;
import io.xen4j.blk.spi.MemoryBlockStore;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Named hostile cases for the barrier and resize rules, against the real backend driven by hand. */
final class BlkBackBarrierResizeRawTest {
    private static final long DISK = 1L << 20;

    private static void assertOne(final List<RawFrontend.Response> got, final long id, final int op, final int status) {
        assertEquals(List.of(new RawFrontend.Response(id, op, status)), got);
    }

    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void barrierRules(final BlkifAbi abi) {
        final MemoryBlockStore disk = new MemoryBlockStore(DISK);
        try (RawFrontend f = new RawFrontend(abi, disk, BlkBackConfig.full())) {
            f.data.buffer().setMemory(0, 4096, (byte) 0x33);
            // Valid: one segment written between two flushes.
            assertOne(f.rw(BLKIF_OP_WRITE_BARRIER, 1, 1, 8, f.gref(0), 0, 7), 1, BLKIF_OP_WRITE_BARRIER, BLKIF_RSP_OKAY);
            assertEquals(0x33, disk.snapshot(4096, 1)[0]);
            assertEquals(2, disk.flushes());
            // Valid: no segment, a pure ordering point (one flush).
            assertOne(f.rw(BLKIF_OP_WRITE_BARRIER, 0, 2, 0, f.gref(0), 0, 7), 2, BLKIF_OP_WRITE_BARRIER, BLKIF_RSP_OKAY);
            assertEquals(3, disk.flushes());
            // Twelve segments, bad sectors, past the end: errors with the id echoed, no I/O.
            assertOne(f.rw(BLKIF_OP_WRITE_BARRIER, 12, 3, 0, f.gref(0), 0, 7), 3, BLKIF_OP_WRITE_BARRIER, BLKIF_RSP_ERROR);
            assertOne(f.rw(BLKIF_OP_WRITE_BARRIER, 1, 4, 0, f.gref(0), 5, 2), 4, BLKIF_OP_WRITE_BARRIER, BLKIF_RSP_ERROR);
            assertOne(f.rw(BLKIF_OP_WRITE_BARRIER, 1, 5, DISK / 512 - 4, f.gref(0), 0, 7), 5, BLKIF_OP_WRITE_BARRIER, BLKIF_RSP_ERROR);
            assertOne(f.rw(BLKIF_OP_WRITE_BARRIER, 1, 6, -8L, f.gref(0), 0, 7), 6, BLKIF_OP_WRITE_BARRIER, BLKIF_RSP_ERROR);
            assertEquals(3, disk.flushes());
            assertEquals(2L, f.back.barriers());
            assertEquals(1L, f.back.rejectedByRule().get("SEGMENT_COUNT"));
            assertEquals(1L, f.back.rejectedByRule().get("SEGMENT_SECTORS"));
            assertEquals(2L, f.back.rejectedByRule().get("OUTSIDE_DISK"));
            assertNull(f.back.brokenReason());
        }
    }

    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void aBarrierOnAReadOnlyDiskOrWithoutTheFeatureIsRefused(final BlkifAbi abi) {
        try (RawFrontend ro = new RawFrontend(abi, new MemoryBlockStore(DISK, 512, 512, true), BlkBackConfig.full())) {
            assertOne(ro.rw(BLKIF_OP_WRITE_BARRIER, 1, 7, 0, ro.gref(0), 0, 7), 7, BLKIF_OP_WRITE_BARRIER, BLKIF_RSP_ERROR);
            assertEquals("0", ro.dom0Store.read(ro.device.backend("feature-barrier")));
            assertEquals(1L, ro.back.rejectedByRule().get("READ_ONLY"));
        }
        final MemoryBlockStore disk = new MemoryBlockStore(DISK);
        try (RawFrontend f = new RawFrontend(abi, disk, BlkBackConfig.full().withBarrier(false))) {
            assertOne(f.rw(BLKIF_OP_WRITE_BARRIER, 1, 8, 0, f.gref(0), 0, 7), 8, BLKIF_OP_WRITE_BARRIER, BLKIF_RSP_EOPNOTSUPP);
            assertEquals(0, disk.flushes());
        }
    }

    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void afterAShrinkRequestsBeyondTheNewSizeAreRejectedAndAfterAGrowthAccepted(final BlkifAbi abi) {
        final MemoryBlockStore disk = new MemoryBlockStore(DISK);
        try (RawFrontend f = new RawFrontend(abi, disk, BlkBackConfig.full())) {
            final long last = DISK / 512 - 8;
            assertOne(f.rw(BLKIF_OP_READ, 1, 1, last, f.gref(0), 0, 7), 1, BLKIF_OP_READ, BLKIF_RSP_OKAY);
            disk.resize(DISK / 2);
            f.back.doWork();
            assertEquals(Long.toString(DISK / 2 / 512), f.dom0Store.read(f.device.backend("sectors")));
            assertEquals("4", f.dom0Store.read(f.device.backend("state")), "still Connected");
            assertOne(f.rw(BLKIF_OP_READ, 1, 2, last, f.gref(0), 0, 7), 2, BLKIF_OP_READ, BLKIF_RSP_ERROR);
            assertOne(f.rw(BLKIF_OP_WRITE, 1, 3, DISK / 2 / 512 - 8, f.gref(0), 0, 7), 3, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
            assertOne(f.rw(BLKIF_OP_WRITE, 1, 4, DISK / 2 / 512, f.gref(0), 0, 7), 4, BLKIF_OP_WRITE, BLKIF_RSP_ERROR);
            disk.resize(DISK * 2);
            f.back.doWork();
            assertEquals(Long.toString(DISK * 2 / 512), f.dom0Store.read(f.device.backend("sectors")));
            assertOne(f.rw(BLKIF_OP_WRITE, 1, 5, DISK * 2 / 512 - 8, f.gref(0), 0, 7), 5, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
            assertEquals(2L, f.back.rejectedByRule().get("OUTSIDE_DISK"));
            assertNull(f.back.brokenReason());
        }
    }
}
