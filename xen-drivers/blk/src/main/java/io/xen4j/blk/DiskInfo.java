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
 */
public record DiskInfo(long sectors, int sectorSize, int physicalSectorSize, boolean readOnly, boolean flush,
                       boolean discard, boolean discardSecure, int maxIndirectSegments, int ringPages, String protocol,
                       int queues, boolean persistentGrants) {
    /**
     * The size in bytes.
     *
     * @return {@code sectors * 512}
     */
    public long sizeBytes() {
        return sectors * 512;
    }
}
