package io.xen4j.blk;

/**
 * What a frontend learned about a disk when it connected.
 *
 * @param sectors             size in 512-byte sectors ({@code sectors})
 * @param sectorSize          logical sector size ({@code sector-size})
 * @param physicalSectorSize  {@code physical-sector-size}
 * @param readOnly            {@code info & VDISK_READONLY}
 * @param flush               {@code feature-flush-cache}
 * @param discard             {@code feature-discard}
 * @param discardSecure       {@code discard-secure}
 * @param maxIndirectSegments negotiated indirect segments, 0 when unused
 * @param ringPages           pages of the ring
 * @param protocol            the request layout in use
 * @param queues              rings in use ({@code multi-queue-num-queues})
 * @param persistentGrants    whether data pages are persistent grants
 * @param barrier             {@code feature-barrier}: {@code BLKIF_OP_WRITE_BARRIER} is served by the backend
 *                            (otherwise {@link BlockDevice#writeBarrier} is emulated with flushes, or fails)
 * @param cdrom               {@code info & VDISK_CDROM}
 * @param removable           {@code info & VDISK_REMOVABLE}
 */
public record DiskInfo(long sectors, int sectorSize, int physicalSectorSize, boolean readOnly, boolean flush,
                       boolean discard, boolean discardSecure, int maxIndirectSegments, int ringPages, String protocol,
                       int queues, boolean persistentGrants, boolean barrier, boolean cdrom, boolean removable) {
    /**
     * The size in bytes.
     *
     * @return {@code sectors * 512}
     */
    public long sizeBytes() {
        return sectors * 512;
    }

    /**
     * The same disk with another size, after an online resize.
     *
     * @param newSectors the new {@code sectors}
     * @return the description
     */
    public DiskInfo withSectors(final long newSectors) {
        return new DiskInfo(newSectors, sectorSize, physicalSectorSize, readOnly, flush, discard, discardSecure,
            maxIndirectSegments, ringPages, protocol, queues, persistentGrants, barrier, cdrom, removable);
    }
}
