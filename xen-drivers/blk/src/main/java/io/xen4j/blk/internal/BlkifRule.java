package io.xen4j.blk.internal;

import io.xen4j.abi.blkif.Blkif;

/**
 * The blkif request rules of SECURITY-RULES.md, each with the status an offending request is
 * answered with. {@link #OK} is a valid request.
 */
public enum BlkifRule {
    /** The request is valid. */
    OK(Blkif.BLKIF_RSP_OKAY, "valid"),
    /** The operation is unknown, or known but not advertised (barrier, discard, indirect...). */
    OPERATION_NOT_SUPPORTED(Blkif.BLKIF_RSP_EOPNOTSUPP, "operation unknown or not advertised"),
    /** {@code nr_segments} outside 1..11 for read/write, non-zero for flush, or beyond the indirect maximum. */
    SEGMENT_COUNT(Blkif.BLKIF_RSP_ERROR, "nr_segments out of range"),
    /** A segment with {@code first_sect > last_sect} or {@code last_sect > 7}. */
    SEGMENT_SECTORS(Blkif.BLKIF_RSP_ERROR, "segment first_sect/last_sect out of the page"),
    /** {@code sector + sectors} wraps or passes the end of the disk. */
    OUTSIDE_DISK(Blkif.BLKIF_RSP_ERROR, "sector range wraps or passes the end of the disk"),
    /** A write or discard on a read-only disk. */
    READ_ONLY(Blkif.BLKIF_RSP_ERROR, "write or discard on a read-only disk"),
    /** Start or length not a multiple of the logical sector size. */
    MISALIGNED(Blkif.BLKIF_RSP_ERROR, "not aligned to the logical sector size"),
    /** {@code BLKIF_DISCARD_SECURE} without {@code discard-secure}, or unknown discard flags. */
    DISCARD_FLAGS(Blkif.BLKIF_RSP_EOPNOTSUPP, "discard flags not advertised"),
    /** A grant the request names could not be mapped. */
    GRANT_MAP(Blkif.BLKIF_RSP_ERROR, "a segment's grant could not be mapped"),
    /** The store failed the I/O. */
    IO_ERROR(Blkif.BLKIF_RSP_ERROR, "the store failed the I/O");

    private final int status;
    private final String description;

    BlkifRule(final int status, final String description) {
        this.status = status;
        this.description = description;
    }

    /**
     * The response status for a request that broke this rule.
     *
     * @return a {@code BLKIF_RSP_*} value
     */
    public int status() {
        return status;
    }

    /**
     * What the rule says, for log lines.
     *
     * @return a short description
     */
    public String description() {
        return description;
    }
}
