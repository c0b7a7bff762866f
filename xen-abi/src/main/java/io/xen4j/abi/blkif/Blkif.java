package io.xen4j.abi.blkif;

/**
 * Constants of {@code xen/io/blkif.h}: operations, limits, response status codes, discard flags
 * and the {@code info} bits of a virtual disk.
 */
public final class Blkif {
    /** Read from the virtual disk into the granted pages. */
    public static final int BLKIF_OP_READ = 0;
    /** Write the granted pages to the virtual disk. */
    public static final int BLKIF_OP_WRITE = 1;
    /** Write with barrier semantics ({@code feature-barrier}). */
    public static final int BLKIF_OP_WRITE_BARRIER = 2;
    /** Flush the disk's write cache ({@code feature-flush-cache}); may carry no segment. */
    public static final int BLKIF_OP_FLUSH_DISKCACHE = 3;
    /** Reserved: used by an old Citrix protocol, never to be reused. */
    public static final int BLKIF_OP_RESERVED_1 = 4;
    /** Discard sectors ({@code feature-discard}); the request is a {@code blkif_request_discard}. */
    public static final int BLKIF_OP_DISCARD = 5;
    /** Indirect request ({@code feature-max-indirect-segments}): a {@code blkif_request_indirect}. */
    public static final int BLKIF_OP_INDIRECT = 6;

    /** Segments a direct request carries at most. */
    public static final int BLKIF_MAX_SEGMENTS_PER_REQUEST = 11;
    /** Pages of segment descriptors an indirect request names at most. */
    public static final int BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST = 8;

    /** Secure discard: the discarded sectors must read back as zeroes or be erased. */
    public static final int BLKIF_DISCARD_SECURE = 1;

    /** Response status: the operation is not supported (barriers, discard, flush). */
    public static final int BLKIF_RSP_EOPNOTSUPP = -2;
    /** Response status: the operation failed. */
    public static final int BLKIF_RSP_ERROR = -1;
    /** Response status: the operation succeeded. */
    public static final int BLKIF_RSP_OKAY = 0;

    /** {@code info} bit: the disk is a CD-ROM. */
    public static final int VDISK_CDROM = 0x1;
    /** {@code info} bit: the medium is removable. */
    public static final int VDISK_REMOVABLE = 0x2;
    /** {@code info} bit: the disk is read-only. */
    public static final int VDISK_READONLY = 0x4;

    /** Sector size of {@code sector_number}, {@code first_sect} and {@code last_sect}: always 512. */
    public static final int SECTOR_SIZE = 512;
    /** Highest {@code last_sect} in a 4 KiB page: sectors 0..7. */
    public static final int MAX_SECTOR_IN_PAGE = 7;

    private Blkif() {
    }
}
