package io.xen4j.abi.blkif;

/**
 * The xenstore node names of the blkif protocol, as documented in {@code xen/io/blkif.h}. The
 * header documents them in comments only, so they are not checked against it mechanically.
 */
public final class BlkifFeatures {
    /** Backend: the disk size in 512-byte sectors. */
    public static final String SECTORS = "sectors";
    /** Backend: logical sector size in bytes. */
    public static final String SECTOR_SIZE = "sector-size";
    /** Backend: physical sector size in bytes. */
    public static final String PHYSICAL_SECTOR_SIZE = "physical-sector-size";
    /** Backend: {@code VDISK_*} bits. */
    public static final String INFO = "info";
    /** Backend: {@code "r"} or {@code "w"}. */
    public static final String MODE = "mode";
    /** Backend: 1 if {@code BLKIF_OP_WRITE_BARRIER} is served. */
    public static final String FEATURE_BARRIER = "feature-barrier";
    /** Backend: 1 if {@code BLKIF_OP_FLUSH_DISKCACHE} is served. */
    public static final String FEATURE_FLUSH_CACHE = "feature-flush-cache";
    /** Backend: 1 if {@code BLKIF_OP_DISCARD} is served. */
    public static final String FEATURE_DISCARD = "feature-discard";
    /** Backend: 1 if secure discard is served. */
    public static final String DISCARD_SECURE = "discard-secure";
    /** Backend: discard granularity in bytes. */
    public static final String DISCARD_GRANULARITY = "discard-granularity";
    /** Backend: discard alignment in bytes. */
    public static final String DISCARD_ALIGNMENT = "discard-alignment";
    /** Backend: the most segments an indirect request may carry. */
    public static final String FEATURE_MAX_INDIRECT_SEGMENTS = "feature-max-indirect-segments";
    /** Both ends: 1 if grants may be kept mapped across requests. */
    public static final String FEATURE_PERSISTENT = "feature-persistent";
    /** Backend: log2 of the most pages a ring may span. */
    public static final String MAX_RING_PAGE_ORDER = "max-ring-page-order";
    /** Frontend: log2 of the pages its ring spans. */
    public static final String RING_PAGE_ORDER = "ring-page-order";
    /** Frontend: grant reference of a single-page ring. */
    public static final String RING_REF = "ring-ref";
    /** Frontend: prefix of the grant references of a multi-page ring ({@code ring-ref0}, ...). */
    public static final String RING_REF_PREFIX = "ring-ref";
    /** Backend: the most queues (rings) it serves. */
    public static final String MULTI_QUEUE_MAX_QUEUES = "multi-queue-max-queues";
    /** Frontend: the number of queues it uses. */
    public static final String MULTI_QUEUE_NUM_QUEUES = "multi-queue-num-queues";
    /** Frontend: the event channel of a single-queue device. */
    public static final String EVENT_CHANNEL = "event-channel";
    /** Frontend: its ABI, one of {@code io.xen4j.abi.Protocols}. */
    public static final String PROTOCOL = "protocol";

    private BlkifFeatures() {
    }
}
