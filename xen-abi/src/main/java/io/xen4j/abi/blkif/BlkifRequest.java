package io.xen4j.abi.blkif;

import io.xen4j.abi.AbiChecks;
import io.xen4j.abi.StructFlyweight;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A read, write, barrier or flush request in the x86_64 layout ({@code id} is 8-byte aligned: 112 bytes).
 *
 * <pre>{@code
 * struct blkif_request {
 *     uint8_t        operation;    // BLKIF_OP_???
 *     uint8_t        nr_segments;  // number of segments
 *     blkif_vdev_t   handle;       // only for read/write requests
 *     uint64_t       id;           // private guest value, echoed in resp
 *     blkif_sector_t sector_number;// start sector idx on disk (r/w only)
 *     struct blkif_request_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
 * };
 * }</pre>
 */
public final class BlkifRequest extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "blkif_request";
    /** Offset of {@code operation}. */
    public static final int OPERATION_OFFSET = 0;
    /** Offset of {@code nr_segments}. */
    public static final int NR_SEGMENTS_OFFSET = OPERATION_OFFSET + Byte.BYTES;
    /** Offset of {@code handle}. */
    public static final int HANDLE_OFFSET = NR_SEGMENTS_OFFSET + Byte.BYTES;
    /** Offset of {@code id}. */
    public static final int ID_OFFSET = 8;
    /** Offset of {@code sector_number}. */
    public static final int SECTOR_NUMBER_OFFSET = ID_OFFSET + Long.BYTES;
    /** Offset of {@code seg}. */
    public static final int SEG_OFFSET = SECTOR_NUMBER_OFFSET + Long.BYTES;
    /** {@code sizeof(struct blkif_request)} in the x86_64 ABI. */
    public static final int LENGTH = 112;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public BlkifRequest wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code operation}: a {@code BLKIF_OP_*}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value
     */
    public static int operation(final DirectBuffer buffer, final int offset) {
        return buffer.getByte(offset + OPERATION_OFFSET) & 0xFF;
    }

    /**
     * Reads {@code operation}: a {@code BLKIF_OP_*}.
     *
     * @return the value
     */
    public int operation() {
        return operation(buffer, offset);
    }

    /**
     * Writes {@code operation}.
     *
     * @param value the value
     * @return this
     */
    public BlkifRequest operation(final int value) {
        buffer.putByte(offset + OPERATION_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code nr_segments}: the number of segments.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value
     */
    public static int nrSegments(final DirectBuffer buffer, final int offset) {
        return buffer.getByte(offset + NR_SEGMENTS_OFFSET) & 0xFF;
    }

    /**
     * Reads {@code nr_segments}: the number of segments.
     *
     * @return the value
     */
    public int nrSegments() {
        return nrSegments(buffer, offset);
    }

    /**
     * Writes {@code nr_segments}.
     *
     * @param value the value
     * @return this
     */
    public BlkifRequest nrSegments(final int value) {
        buffer.putByte(offset + NR_SEGMENTS_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code handle}: the virtual device handle.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value
     */
    public static int handle(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + HANDLE_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Reads {@code handle}: the virtual device handle.
     *
     * @return the value
     */
    public int handle() {
        return handle(buffer, offset);
    }

    /**
     * Writes {@code handle}.
     *
     * @param value the value
     * @return this
     */
    public BlkifRequest handle(final int value) {
        buffer.putShort(offset + HANDLE_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code id}: the frontend's value, echoed in the response.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value
     */
    public static long id(final DirectBuffer buffer, final int offset) {
        return buffer.getLong(offset + ID_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code id}: the frontend's value, echoed in the response.
     *
     * @return the value
     */
    public long id() {
        return id(buffer, offset);
    }

    /**
     * Writes {@code id}.
     *
     * @param value the value
     * @return this
     */
    public BlkifRequest id(final long value) {
        buffer.putLong(offset + ID_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code sector_number}: the first 512-byte sector.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value
     */
    public static long sectorNumber(final DirectBuffer buffer, final int offset) {
        return buffer.getLong(offset + SECTOR_NUMBER_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code sector_number}: the first 512-byte sector.
     *
     * @return the value
     */
    public long sectorNumber() {
        return sectorNumber(buffer, offset);
    }

    /**
     * Writes {@code sector_number}.
     *
     * @param value the value
     * @return this
     */
    public BlkifRequest sectorNumber(final long value) {
        buffer.putLong(offset + SECTOR_NUMBER_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code seg[index].gref}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @param index  segment index, 0..{@value Blkif#BLKIF_MAX_SEGMENTS_PER_REQUEST} - 1 (not checked)
     * @return the value
     */
    public static int segmentGref(final DirectBuffer buffer, final int offset, final int index) {
        return BlkifRequestSegment.gref(buffer, offset + SEG_OFFSET + index * BlkifRequestSegment.LENGTH);
    }

    /**
     * Reads {@code seg[index].gref}.
     *
     * @param index segment index
     * @return the value
     */
    public int segmentGref(final int index) {
        return BlkifRequestSegment.gref(buffer, segmentOffset(index));
    }

    /**
     * Writes {@code seg[index].gref}.
     *
     * @param index segment index
     * @param value the value
     * @return this
     */
    public BlkifRequest segmentGref(final int index, final int value) {
        final int at = segmentOffset(index) + BlkifRequestSegment.GREF_OFFSET;
        buffer.putInt(at, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code seg[index].first_sect}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @param index  segment index, 0..{@value Blkif#BLKIF_MAX_SEGMENTS_PER_REQUEST} - 1 (not checked)
     * @return the value
     */
    public static int segmentFirstSect(final DirectBuffer buffer, final int offset, final int index) {
        return BlkifRequestSegment.firstSect(buffer, offset + SEG_OFFSET + index * BlkifRequestSegment.LENGTH);
    }

    /**
     * Reads {@code seg[index].first_sect}.
     *
     * @param index segment index
     * @return the value
     */
    public int segmentFirstSect(final int index) {
        return BlkifRequestSegment.firstSect(buffer, segmentOffset(index));
    }

    /**
     * Writes {@code seg[index].first_sect}.
     *
     * @param index segment index
     * @param value the value
     * @return this
     */
    public BlkifRequest segmentFirstSect(final int index, final int value) {
        final int at = segmentOffset(index) + BlkifRequestSegment.FIRST_SECT_OFFSET;
        buffer.putByte(at, (byte) value);
        return this;
    }

    /**
     * Reads {@code seg[index].last_sect}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @param index  segment index, 0..{@value Blkif#BLKIF_MAX_SEGMENTS_PER_REQUEST} - 1 (not checked)
     * @return the value
     */
    public static int segmentLastSect(final DirectBuffer buffer, final int offset, final int index) {
        return BlkifRequestSegment.lastSect(buffer, offset + SEG_OFFSET + index * BlkifRequestSegment.LENGTH);
    }

    /**
     * Reads {@code seg[index].last_sect}.
     *
     * @param index segment index
     * @return the value
     */
    public int segmentLastSect(final int index) {
        return BlkifRequestSegment.lastSect(buffer, segmentOffset(index));
    }

    /**
     * Writes {@code seg[index].last_sect}.
     *
     * @param index segment index
     * @param value the value
     * @return this
     */
    public BlkifRequest segmentLastSect(final int index, final int value) {
        final int at = segmentOffset(index) + BlkifRequestSegment.LAST_SECT_OFFSET;
        buffer.putByte(at, (byte) value);
        return this;
    }

    /**
     * Writes a whole segment, its padding included.
     *
     * @param index     segment index
     * @param gref      grant reference of the page
     * @param firstSect first sector, 0..7
     * @param lastSect  last sector, inclusive, firstSect..7
     * @return this
     */
    public BlkifRequest segment(final int index, final int gref, final int firstSect, final int lastSect) {
        BlkifRequestSegment.put(buffer, segmentOffset(index), gref, firstSect, lastSect);
        return this;
    }

    private int segmentOffset(final int index) {
        AbiChecks.checkIndex(STRUCT_NAME, "seg", index, Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST);
        return offset + SEG_OFFSET + index * BlkifRequestSegment.LENGTH;
    }
}
