package io.xen4j.blk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xen4j.abi.blkif.Blkif;
import org.junit.jupiter.api.Test;

/** The pure request rules, one case per rule and its edges (wrap near 2^64, the last sector). */
final class BlkifValidatorTest {
    private static final long SIZE = 1L << 20;
    private final BlkifValidator all = new BlkifValidator(SIZE, 512, false, true, true, true, 64);
    private final BlkifValidator none = new BlkifValidator(SIZE, 512, true, false, false, false, 0);

    private static BlkRequestCopy rw(final int op, final int nseg, final long sector, final int first, final int last) {
        final BlkRequestCopy r = new BlkRequestCopy(64);
        r.operation = op;
        r.dataOperation = op;
        r.nrSegments = nseg;
        r.sector = sector;
        for (int i = 0; i < Math.min(nseg, 64); i++) {
            r.firstSect[i] = first;
            r.lastSect[i] = last;
        }
        return r;
    }

    @Test
    void operations() {
        assertEquals(BlkifRule.OK, all.checkHeader(rw(Blkif.BLKIF_OP_READ, 1, 0, 0, 7)));
        assertEquals(BlkifRule.OPERATION_NOT_SUPPORTED, all.checkHeader(rw(Blkif.BLKIF_OP_WRITE_BARRIER, 1, 0, 0, 7)));
        assertEquals(BlkifRule.OPERATION_NOT_SUPPORTED, all.checkHeader(rw(Blkif.BLKIF_OP_RESERVED_1, 1, 0, 0, 7)));
        assertEquals(BlkifRule.OPERATION_NOT_SUPPORTED, all.checkHeader(rw(255, 1, 0, 0, 7)));
        assertEquals(BlkifRule.OPERATION_NOT_SUPPORTED, none.checkHeader(rw(Blkif.BLKIF_OP_FLUSH_DISKCACHE, 0, 0, 0, 0)));
        assertEquals(BlkifRule.OPERATION_NOT_SUPPORTED, none.checkHeader(rw(Blkif.BLKIF_OP_DISCARD, 0, 0, 0, 0)));
        assertEquals(BlkifRule.OPERATION_NOT_SUPPORTED, none.checkHeader(rw(Blkif.BLKIF_OP_INDIRECT, 12, 0, 0, 7)));
    }

    @Test
    void segmentCounts() {
        assertEquals(BlkifRule.SEGMENT_COUNT, all.checkHeader(rw(Blkif.BLKIF_OP_READ, 0, 0, 0, 7)));
        assertEquals(BlkifRule.OK, all.checkHeader(rw(Blkif.BLKIF_OP_READ, 11, 0, 0, 7)));
        assertEquals(BlkifRule.SEGMENT_COUNT, all.checkHeader(rw(Blkif.BLKIF_OP_READ, 12, 0, 0, 7)));
        assertEquals(BlkifRule.SEGMENT_COUNT, all.checkHeader(rw(Blkif.BLKIF_OP_FLUSH_DISKCACHE, 1, 0, 0, 7)));
        final BlkRequestCopy ind = rw(Blkif.BLKIF_OP_INDIRECT, 64, 0, 0, 7);
        ind.dataOperation = Blkif.BLKIF_OP_WRITE;
        assertEquals(BlkifRule.OK, all.checkHeader(ind));
        ind.nrSegments = 65;
        assertEquals(BlkifRule.SEGMENT_COUNT, all.checkHeader(ind));
    }

    @Test
    void segmentSectors() {
        assertEquals(BlkifRule.SEGMENT_SECTORS, all.checkSegments(rw(Blkif.BLKIF_OP_READ, 1, 0, 4, 3)));
        assertEquals(BlkifRule.SEGMENT_SECTORS, all.checkSegments(rw(Blkif.BLKIF_OP_READ, 1, 0, 0, 8)));
        assertEquals(BlkifRule.OK, all.checkSegments(rw(Blkif.BLKIF_OP_READ, 1, 0, 7, 7)));
    }

    @Test
    void ranges() {
        final long sectors = SIZE / 512;
        assertEquals(BlkifRule.OK, all.checkRange(sectors - 8, 8));
        assertEquals(BlkifRule.OUTSIDE_DISK, all.checkRange(sectors - 7, 8));
        assertEquals(BlkifRule.OUTSIDE_DISK, all.checkRange(-1L, 8));
        assertEquals(BlkifRule.OUTSIDE_DISK, all.checkRange(8, -8L));
        assertEquals(BlkifRule.OUTSIDE_DISK, all.checkRange(Long.MIN_VALUE, Long.MIN_VALUE));
        assertEquals(BlkifRule.OK, all.checkRange(sectors, 0));
        assertEquals(BlkifRule.MISALIGNED, new BlkifValidator(SIZE, 4096, false, true, true, true, 0).checkRange(1, 8));
    }

    @Test
    void readOnlyAndDiscardFlags() {
        assertEquals(BlkifRule.READ_ONLY, none.checkHeader(rw(Blkif.BLKIF_OP_WRITE, 1, 0, 0, 7)));
        final BlkRequestCopy d = rw(Blkif.BLKIF_OP_DISCARD, 0, 0, 0, 0);
        d.discardSectors = 8;
        d.discardFlag = Blkif.BLKIF_DISCARD_SECURE;
        assertEquals(BlkifRule.OK, all.checkHeader(d));
        assertEquals(BlkifRule.DISCARD_FLAGS, new BlkifValidator(SIZE, 512, false, true, true, false, 0).checkHeader(d));
        d.discardFlag = 2;
        assertEquals(BlkifRule.DISCARD_FLAGS, all.checkHeader(d));
        assertEquals(BlkifRule.READ_ONLY, new BlkifValidator(SIZE, 512, true, true, true, true, 0).checkHeader(rw(Blkif.BLKIF_OP_DISCARD, 0, 0, 0, 0)));
    }
}
