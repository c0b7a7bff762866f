package io.xen4j.abi.blkif;

import io.xen4j.abi.AbiChecks;
import io.xen4j.abi.StructFlyweight;

import org.agrona.MutableDirectBuffer;

/**
 * A read, write, barrier or flush request in the x86_32 layout ({@code id} is 4-byte aligned: 108 bytes).
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
public final class BlkifRequestX86_32 extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "blkif_request";
    /** Offset of {@code operation}. */
    public static final int OPERATION_OFFSET = 0;
    /** Offset of {@code nr_segments}. */
    public static final int NR_SEGMENTS_OFFSET = OPERATION_OFFSET + Byte.BYTES;
    /** Offset of {@code handle}. */
    public static final int HANDLE_OFFSET = NR_SEGMENTS_OFFSET + Byte.BYTES;
    /** Offset of {@code id}. */
    public static final int ID_OFFSET = HANDLE_OFFSET + Short.BYTES;
    /** Offset of {@code sector_number}. */
    public static final int SECTOR_NUMBER_OFFSET = ID_OFFSET + Long.BYTES;
    /** Offset of {@code seg}. */
    public static final int SEG_OFFSET = SECTOR_NUMBER_OFFSET + Long.BYTES;
    /** {@code sizeof(struct blkif_request)} in the x86_32 ABI. */
    public static final int LENGTH = 108;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public BlkifRequestX86_32 wrap(final MutableDirectBuffer buffer, final int offset) {
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
     * @return the value
     */
    public int operation() {
        return buffer.getByte(offset + OPERATION_OFFSET) & 0xFF;
    }

    /**
     * Writes {@code operation}.
     *
     * @param value the value
     * @return this
     */
    public BlkifRequestX86_32 operation(final int value) {
        buffer.putByte(offset + OPERATION_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code nr_segments}: the number of segments.
     *
     * @return the value
     */
    public int nrSegments() {
        return buffer.getByte(offset + NR_SEGMENTS_OFFSET) & 0xFF;
    }

    /**
     * Writes {@code nr_segments}.
     *
     * @param value the value
     * @return this
     */
    public BlkifRequestX86_32 nrSegments(final int value) {
        buffer.putByte(offset + NR_SEGMENTS_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code handle}: the virtual device handle.
     *
     * @return the value
     */
    public int handle() {
        return buffer.getShort(offset + HANDLE_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code handle}.
     *
     * @param value the value
     * @return this
     */
    public BlkifRequestX86_32 handle(final int value) {
        buffer.putShort(offset + HANDLE_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code id}: the frontend's value, echoed in the response.
     *
     * @return the value
     */
    public long id() {
        return buffer.getLong(offset + ID_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code id}.
     *
     * @param value the value
     * @return this
     */
    public BlkifRequestX86_32 id(final long value) {
        buffer.putLong(offset + ID_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code sector_number}: the first 512-byte sector.
     *
     * @return the value
     */
    public long sectorNumber() {
        return buffer.getLong(offset + SECTOR_NUMBER_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code sector_number}.
     *
     * @param value the value
     * @return this
     */
    public BlkifRequestX86_32 sectorNumber(final long value) {
        buffer.putLong(offset + SECTOR_NUMBER_OFFSET, value, XEN_BYTE_ORDER);
        return this;
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
    public BlkifRequestX86_32 segmentGref(final int index, final int value) {
        final int at = segmentOffset(index) + BlkifRequestSegment.GREF_OFFSET;
        buffer.putInt(at, value, XEN_BYTE_ORDER);
        return this;
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
    public BlkifRequestX86_32 segmentFirstSect(final int index, final int value) {
        final int at = segmentOffset(index) + BlkifRequestSegment.FIRST_SECT_OFFSET;
        buffer.putByte(at, (byte) value);
        return this;
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
    public BlkifRequestX86_32 segmentLastSect(final int index, final int value) {
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
    public BlkifRequestX86_32 segment(final int index, final int gref, final int firstSect, final int lastSect) {
        BlkifRequestSegment.put(buffer, segmentOffset(index), gref, firstSect, lastSect);
        return this;
    }

    private int segmentOffset(final int index) {
        AbiChecks.checkIndex(STRUCT_NAME, "seg", index, Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST);
        return offset + SEG_OFFSET + index * BlkifRequestSegment.LENGTH;
    }
}
