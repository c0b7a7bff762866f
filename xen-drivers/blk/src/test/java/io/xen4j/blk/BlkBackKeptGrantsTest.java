package io.xen4j.blk;

import static io.xen4j.abi.blkif.Blkif.BLKIF_OP_READ;
import static io.xen4j.abi.blkif.Blkif.BLKIF_OP_WRITE;
import static io.xen4j.abi.blkif.Blkif.BLKIF_RSP_ERROR;
import static io.xen4j.abi.blkif.Blkif.BLKIF_RSP_OKAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.xen4j.blk.RawFrontend.Response;
import io.xen4j.blk.internal.BlkifAbi;
import io.xen4j.blk.spi.MemoryBlockStore;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * blkback's one pass over the common request (a read or write whose grants it already keeps as
 * persistent grants and whose pages are one run of memory): the data is right, and a request on
 * kept grants that breaks a rule is answered as on the general path, with its id echoed, the rule
 * counted, no I/O done and the device still working. Each request here goes through the one pass
 * or not as {@code servedInOnePass} says.
 */
final class BlkBackKeptGrantsTest {
    private static final long DISK = 1L << 20;
    private static final long SECTORS = DISK / 512;

    private static RawFrontend open(final BlkifAbi abi, final boolean readOnly, final int sectorSize) {
        return new RawFrontend(abi, new MemoryBlockStore(DISK, sectorSize, sectorSize, readOnly), BlkBackConfig.full(), true);
    }

    private static void assertOne(final List<Response> rsp, final long id, final int op, final int status) {
        assertEquals(1, rsp.size(), rsp.toString());
        assertEquals(new Response(id, op, status), rsp.get(0));
    }

    /** Reads into data pages 0 to {@code pages - 1}: the general path maps each grant and keeps it. */
    private static void keep(final RawFrontend f, final int pages) {
        for (int i = 0; i < pages; i++) {
            assertOne(f.rw(BLKIF_OP_READ, 1, 1000 + i, 0, f.gref(i), 0, 7), 1000 + i, BLKIF_OP_READ, BLKIF_RSP_OKAY);
        }
        assertEquals(pages, f.back.persistentGrants());
    }

    /** A request of one segment per grant, each segment the sectors {@code first[i]..last[i]}. */
    private static List<Response> request(final RawFrontend f, final int op, final long id, final long sector, final int[] grefs,
                                          final int[] first, final int[] last) {
        final int slot = f.ring.claimRequest();
        f.putRw(f.ring.buffer(), slot, op, grefs.length, id, sector, grefs, first, last);
        return f.push();
    }

    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void readsAndWritesOnKeptGrantsGoInOnePassWithTheirData(final BlkifAbi abi) {
        try (RawFrontend f = open(abi, false, 512)) {
            keep(f, 3);
            final long onePass = f.back.servedInOnePass();
            f.data.buffer().setMemory(0, 4096, (byte) 0x5A);
            assertOne(f.rw(BLKIF_OP_WRITE, 1, 1, 16, f.gref(0), 0, 7), 1, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
            assertEquals(0x5A, f.disk.snapshot(16 * 512, 4096)[4095]);
            // Part of a page: sectors 2..5 of page 1 get disk sectors 16..19, the rest of the page stays.
            f.data.buffer().setMemory(4096, 4096, (byte) 0);
            assertOne(f.rw(BLKIF_OP_READ, 1, 2, 16, f.gref(1), 2, 5), 2, BLKIF_OP_READ, BLKIF_RSP_OKAY);
            assertEquals(0, f.data.buffer().getByte(4096 + 2 * 512 - 1));
            assertEquals(0x5A, f.data.buffer().getByte(4096 + 2 * 512));
            assertEquals(0x5A, f.data.buffer().getByte(4096 + 6 * 512 - 1));
            assertEquals(0, f.data.buffer().getByte(4096 + 6 * 512));
            // Two kept pages that follow each other in memory: one run, one transfer.
            f.data.buffer().setMemory(0, 2 * 4096, (byte) 0x6B);
            assertOne(request(f, BLKIF_OP_WRITE, 3, 64, new int[] {f.gref(0), f.gref(1)}, new int[] {0, 0}, new int[] {7, 7}),
                3, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
            assertEquals(0x6B, f.disk.snapshot(64 * 512, 2 * 4096)[2 * 4096 - 1]);
            assertEquals(onePass + 3, f.back.servedInOnePass());
            // Kept pages that are not one run (0 and 2): the general path, the same data.
            f.data.buffer().setMemory(0, 3 * 4096, (byte) 0);
            assertOne(request(f, BLKIF_OP_READ, 4, 64, new int[] {f.gref(0), f.gref(2)}, new int[] {0, 0}, new int[] {7, 7}),
                4, BLKIF_OP_READ, BLKIF_RSP_OKAY);
            assertEquals(0x6B, f.data.buffer().getByte(4095));
            assertEquals(0, f.data.buffer().getByte(4096));
            assertEquals(0x6B, f.data.buffer().getByte(3 * 4096 - 1));
            // A first segment that ends inside its page: a hole in memory, the general path too.
            f.data.buffer().setMemory(0, 2 * 4096, (byte) 0);
            assertOne(request(f, BLKIF_OP_READ, 5, 16, new int[] {f.gref(0), f.gref(1)}, new int[] {0, 0}, new int[] {3, 7}),
                5, BLKIF_OP_READ, BLKIF_RSP_OKAY);
            assertEquals(0x5A, f.data.buffer().getByte(4 * 512 - 1));
            assertEquals(0, f.data.buffer().getByte(4 * 512));
            assertEquals(0x5A, f.data.buffer().getByte(4096));
            assertEquals(onePass + 3, f.back.servedInOnePass());
            assertNull(f.back.brokenReason());
        }
    }

    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void everyRuleHoldsForRequestsOnKeptGrants(final BlkifAbi abi) {
        try (RawFrontend f = open(abi, false, 512)) {
            keep(f, 2);
            final long served = f.back.served();
            final long onePass = f.back.servedInOnePass();
            assertOne(f.rw(BLKIF_OP_READ, 1, 41, 0, f.gref(0), 5, 4), 41, BLKIF_OP_READ, BLKIF_RSP_ERROR);
            assertOne(f.rw(BLKIF_OP_WRITE, 1, 42, 0, f.gref(0), 0, 8), 42, BLKIF_OP_WRITE, BLKIF_RSP_ERROR);
            assertOne(request(f, BLKIF_OP_READ, 43, 0, new int[] {f.gref(0), f.gref(1)}, new int[] {0, 0}, new int[] {7, 255}),
                43, BLKIF_OP_READ, BLKIF_RSP_ERROR);
            assertEquals(3L, f.back.rejectedByRule().get("SEGMENT_SECTORS"));
            assertOne(f.rw(BLKIF_OP_READ, 1, 51, SECTORS - 7, f.gref(0), 0, 7), 51, BLKIF_OP_READ, BLKIF_RSP_ERROR);
            assertOne(f.rw(BLKIF_OP_WRITE, 1, 52, -1L, f.gref(0), 0, 7), 52, BLKIF_OP_WRITE, BLKIF_RSP_ERROR);
            assertOne(request(f, BLKIF_OP_READ, 53, SECTORS - 8, new int[] {f.gref(0), f.gref(1)}, new int[] {0, 0}, new int[] {7, 7}),
                53, BLKIF_OP_READ, BLKIF_RSP_ERROR);
            assertEquals(3L, f.back.rejectedByRule().get("OUTSIDE_DISK"));
            assertOne(f.rw(BLKIF_OP_READ, 0, 61, 0, f.gref(0), 0, 7), 61, BLKIF_OP_READ, BLKIF_RSP_ERROR);
            assertOne(f.rw(BLKIF_OP_WRITE, 12, 62, 0, f.gref(0), 0, 7), 62, BLKIF_OP_WRITE, BLKIF_RSP_ERROR);
            assertEquals(2L, f.back.rejectedByRule().get("SEGMENT_COUNT"));
            // A kept grant beside one that does not exist: the whole write fails, nothing written.
            f.data.buffer().setMemory(0, 4096, (byte) 0x33);
            assertOne(request(f, BLKIF_OP_WRITE, 71, 0, new int[] {f.gref(0), 0x7FFF_FFF0}, new int[] {0, 0}, new int[] {7, 7}),
                71, BLKIF_OP_WRITE, BLKIF_RSP_ERROR);
            assertEquals(1L, f.back.rejectedByRule().get("GRANT_MAP"));
            assertEquals(0, f.disk.snapshot(0, 1)[0]);
            assertEquals(served, f.back.served());
            assertEquals(onePass, f.back.servedInOnePass());
            // The device still works, in one pass.
            assertOne(f.rw(BLKIF_OP_READ, 1, 81, SECTORS - 8, f.gref(0), 0, 7), 81, BLKIF_OP_READ, BLKIF_RSP_OKAY);
            assertEquals(onePass + 1, f.back.servedInOnePass());
            assertNull(f.back.brokenReason());
        }
    }

    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void aReadOnlyDiskRefusesWritesOnKeptGrants(final BlkifAbi abi) {
        try (RawFrontend f = open(abi, true, 512)) {
            keep(f, 1);
            f.data.buffer().setMemory(0, 4096, (byte) 0x44);
            assertOne(f.rw(BLKIF_OP_WRITE, 1, 91, 0, f.gref(0), 0, 7), 91, BLKIF_OP_WRITE, BLKIF_RSP_ERROR);
            assertEquals(1L, f.back.rejectedByRule().get("READ_ONLY"));
            assertEquals(0, f.disk.snapshot(0, 1)[0]);
            assertNull(f.back.brokenReason());
        }
    }

    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void misalignedRequestsOnKeptGrantsOfA4kSectorDiskAreAnError(final BlkifAbi abi) {
        try (RawFrontend f = open(abi, false, 4096)) {
            keep(f, 1);
            final long onePass = f.back.servedInOnePass();
            assertOne(f.rw(BLKIF_OP_READ, 1, 101, 1, f.gref(0), 0, 7), 101, BLKIF_OP_READ, BLKIF_RSP_ERROR);
            assertOne(f.rw(BLKIF_OP_READ, 1, 102, 0, f.gref(0), 0, 3), 102, BLKIF_OP_READ, BLKIF_RSP_ERROR);
            assertEquals(2L, f.back.rejectedByRule().get("MISALIGNED"));
            assertOne(f.rw(BLKIF_OP_READ, 1, 103, 8, f.gref(0), 0, 7), 103, BLKIF_OP_READ, BLKIF_RSP_OKAY);
            assertEquals(onePass + 1, f.back.servedInOnePass());
        }
    }
}
