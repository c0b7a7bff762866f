package io.xen4j.blk.internal;

import io.xen4j.abi.blkif.Blkif;

/**
 * The blkif request rules as a pure function over a decoded private copy: what the backend
 * advertised and the disk's geometry in, a {@link BlkifRule} out. Nothing here does I/O, so that
 * every rule has a named test and the fuzz test can drive it directly.
 *
 * @param sizeBytes         disk size in bytes
 * @param sectorSize        logical sector size
 * @param readOnly          whether writes and discards are refused
 * @param flush             {@code feature-flush-cache} advertised
 * @param discard           {@code feature-discard} advertised
 * @param discardSecure     {@code discard-secure} advertised
 * @param maxIndirectSegments {@code feature-max-indirect-segments}, 0 when not advertised
 * @param barrier           {@code feature-barrier} advertised
 */
public record BlkifValidator(long sizeBytes, int sectorSize, boolean readOnly, boolean flush, boolean discard,
                             boolean discardSecure, int maxIndirectSegments, boolean barrier) {
    private static final int SECTOR = Blkif.SECTOR_SIZE;

    /**
     * A validator for a backend that does not advertise {@code feature-barrier}.
     *
     * @param sizeBytes           disk size in bytes
     * @param sectorSize          logical sector size
     * @param readOnly            whether writes and discards are refused
     * @param flush               {@code feature-flush-cache} advertised
     * @param discard             {@code feature-discard} advertised
     * @param discardSecure       {@code discard-secure} advertised
     * @param maxIndirectSegments {@code feature-max-indirect-segments}, 0 when not advertised
     */
    public BlkifValidator(final long sizeBytes, final int sectorSize, final boolean readOnly, final boolean flush,
                          final boolean discard, final boolean discardSecure, final int maxIndirectSegments) {
        this(sizeBytes, sectorSize, readOnly, flush, discard, discardSecure, maxIndirectSegments, false);
    }

    /**
     * The same rules for a disk of another size (online resize).
     *
     * @param newSizeBytes the new size
     * @return the validator
     */
    public BlkifValidator withSize(final long newSizeBytes) {
        return new BlkifValidator(newSizeBytes, sectorSize, readOnly, flush, discard, discardSecure, maxIndirectSegments, barrier);
    }

    /**
     * Checks everything known before any grant is mapped: the operation, the segment count and,
     * for discard and flush, the whole request. Read/write requests need {@link #checkSegments}
     * after their segments are known (at once for direct ones, after the indirect pages are
     * copied for indirect ones).
     *
     * @param r the decoded copy
     * @return the first rule broken, or {@link BlkifRule#OK}
     */
    public BlkifRule checkHeader(final BlkRequestCopy r) {
        switch (r.operation) {
            case Blkif.BLKIF_OP_READ:
            case Blkif.BLKIF_OP_WRITE:
                if (r.nrSegments < 1 || r.nrSegments > Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST) {
                    return BlkifRule.SEGMENT_COUNT;
                }
                return r.operation == Blkif.BLKIF_OP_WRITE && readOnly ? BlkifRule.READ_ONLY : BlkifRule.OK;
            case Blkif.BLKIF_OP_FLUSH_DISKCACHE:
                if (!flush) {
                    return BlkifRule.OPERATION_NOT_SUPPORTED;
                }
                return r.nrSegments == 0 ? BlkifRule.OK : BlkifRule.SEGMENT_COUNT;
            case Blkif.BLKIF_OP_WRITE_BARRIER:
                if (!barrier) {
                    return BlkifRule.OPERATION_NOT_SUPPORTED;
                }
                // As Linux blkback: a barrier carries 0 (a pure ordering point) to 11 segments.
                if (r.nrSegments > Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST) {
                    return BlkifRule.SEGMENT_COUNT;
                }
                return readOnly ? BlkifRule.READ_ONLY : BlkifRule.OK;
            case Blkif.BLKIF_OP_DISCARD:
                return checkDiscard(r);
            case Blkif.BLKIF_OP_INDIRECT:
                if (maxIndirectSegments == 0) {
                    return BlkifRule.OPERATION_NOT_SUPPORTED;
                }
                if (r.dataOperation != Blkif.BLKIF_OP_READ && r.dataOperation != Blkif.BLKIF_OP_WRITE) {
                    return BlkifRule.OPERATION_NOT_SUPPORTED;
                }
                if (r.nrSegments < 1 || r.nrSegments > maxIndirectSegments) {
                    return BlkifRule.SEGMENT_COUNT;
                }
                return r.dataOperation == Blkif.BLKIF_OP_WRITE && readOnly ? BlkifRule.READ_ONLY : BlkifRule.OK;
            default:
                // Reserved and unknown operations.
                return BlkifRule.OPERATION_NOT_SUPPORTED;
        }
    }

    private BlkifRule checkDiscard(final BlkRequestCopy r) {
        if (!discard) {
            return BlkifRule.OPERATION_NOT_SUPPORTED;
        }
        if ((r.discardFlag & ~Blkif.BLKIF_DISCARD_SECURE) != 0
            || ((r.discardFlag & Blkif.BLKIF_DISCARD_SECURE) != 0 && !discardSecure)) {
            return BlkifRule.DISCARD_FLAGS;
        }
        if (readOnly) {
            return BlkifRule.READ_ONLY;
        }
        return checkRange(r.sector, r.discardSectors);
    }

    /**
     * Checks the segments of a read/write (direct or indirect) and the range they cover.
     *
     * @param r the decoded copy with its segments loaded
     * @return the first rule broken, or {@link BlkifRule#OK}
     */
    public BlkifRule checkSegments(final BlkRequestCopy r) {
        long sectors = 0;
        for (int i = 0; i < r.nrSegments; i++) {
            final int first = r.firstSect[i];
            final int last = r.lastSect[i];
            if (first > last || last > Blkif.MAX_SECTOR_IN_PAGE) {
                return BlkifRule.SEGMENT_SECTORS;
            }
            sectors += last - first + 1;
        }
        return checkRange(r.sector, sectors);
    }

    /**
     * Checks a range of 512-byte sectors: no wrap, inside the disk, aligned to the logical sector.
     *
     * @param sector  start, unsigned 64-bit
     * @param sectors count, unsigned 64-bit
     * @return {@link BlkifRule#OK}, {@link BlkifRule#OUTSIDE_DISK} or {@link BlkifRule#MISALIGNED}
     */
    public BlkifRule checkRange(final long sector, final long sectors) {
        final long diskSectors = sizeBytes / SECTOR;
        // Unsigned compares: a hostile sector near 2^64 must not wrap into range.
        if (Long.compareUnsigned(sector, diskSectors) > 0 || Long.compareUnsigned(sectors, diskSectors - sector) > 0) {
            return BlkifRule.OUTSIDE_DISK;
        }
        final int perLogical = sectorSize / SECTOR;
        // This runs per request: a power of two (every store's sector size so far) is checked
        // with a mask instead of two 64-bit divisions.
        final long mask = perLogical - 1;
        final boolean misaligned = (perLogical & mask) == 0
            ? ((sector | sectors) & mask) != 0
            : sector % perLogical != 0 || sectors % perLogical != 0;
        if (misaligned) {
            return BlkifRule.MISALIGNED;
        }
        return BlkifRule.OK;
    }
}
