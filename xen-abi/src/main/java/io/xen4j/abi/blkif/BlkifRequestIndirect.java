package io.xen4j.abi.blkif;

import io.xen4j.abi.AbiChecks;
import io.xen4j.abi.StructFlyweight;

import org.agrona.MutableDirectBuffer;

/**
 * An indirect request ({@code BLKIF_OP_INDIRECT}) in the x86_64 layout: its segments live in
 * granted pages of {@code blkif_request_segment}s; it occupies a {@code blkif_request} slot.
 *
 * <pre>{@code
 * struct blkif_request_indirect {
 *     uint8_t        operation;    // BLKIF_OP_INDIRECT
 *     uint8_t        indirect_op;  // BLKIF_OP_{READ/WRITE}
 *     uint16_t       nr_segments;  // number of segments
 *     uint64_t       id;           // private guest value, echoed in resp
 *     blkif_sector_t sector_number;// start sector idx on disk (r/w only)
 *     blkif_vdev_t   handle;       // same as for read/write requests
 *     grant_ref_t    indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
 * #ifdef __i386__
 *     uint64_t       pad;          // Make it 64 byte aligned on i386
 * #endif
 * };
 * }</pre>
 */
public final class BlkifRequestIndirect extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "blkif_request_indirect";
    /** Offset of {@code operation}. */
    public static final int OPERATION_OFFSET = 0;
    /** Offset of {@code indirect_op}. */
    public static final int INDIRECT_OP_OFFSET = OPERATION_OFFSET + Byte.BYTES;
    /** Offset of {@code nr_segments}. */
    public static final int NR_SEGMENTS_OFFSET = INDIRECT_OP_OFFSET + Byte.BYTES;
    /** Offset of {@code id}. */
    public static final int ID_OFFSET = 8;
    /** Offset of {@code sector_number}. */
    public static final int SECTOR_NUMBER_OFFSET = ID_OFFSET + Long.BYTES;
    /** Offset of {@code handle}. */
    public static final int HANDLE_OFFSET = SECTOR_NUMBER_OFFSET + Long.BYTES;
    /** Offset of {@code indirect_grefs}. */
    public static final int INDIRECT_GREFS_OFFSET = HANDLE_OFFSET + Integer.BYTES; // grant_ref_t alignment: 2 bytes of padding
    /** {@code sizeof(struct blkif_request_indirect)} in the x86_64 ABI. */
    public static final int LENGTH = 64;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public BlkifRequestIndirect wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code operation}: {@code BLKIF_OP_INDIRECT}.
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
    public BlkifRequestIndirect operation(final int value) {
        buffer.putByte(offset + OPERATION_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code indirect_op}: {@code BLKIF_OP_READ} or {@code BLKIF_OP_WRITE}.
     *
     * @return the value
     */
    public int indirectOp() {
        return buffer.getByte(offset + INDIRECT_OP_OFFSET) & 0xFF;
    }

    /**
     * Writes {@code indirect_op}.
     *
     * @param value the value
     * @return this
     */
    public BlkifRequestIndirect indirectOp(final int value) {
        buffer.putByte(offset + INDIRECT_OP_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code nr_segments}: the number of segments in the indirect pages.
     *
     * @return the value
     */
    public int nrSegments() {
        return buffer.getShort(offset + NR_SEGMENTS_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code nr_segments}.
     *
     * @param value the value
     * @return this
     */
    public BlkifRequestIndirect nrSegments(final int value) {
        buffer.putShort(offset + NR_SEGMENTS_OFFSET, (short) value, XEN_BYTE_ORDER);
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
    public BlkifRequestIndirect id(final long value) {
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
    public BlkifRequestIndirect sectorNumber(final long value) {
        buffer.putLong(offset + SECTOR_NUMBER_OFFSET, value, XEN_BYTE_ORDER);
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
    public BlkifRequestIndirect handle(final int value) {
        buffer.putShort(offset + HANDLE_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code indirect_grefs[index]}: the grant of a page of {@code blkif_request_segment}s.
     *
     * @param index page index, 0..{@value Blkif#BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST} - 1
     * @return the grant reference
     */
    public int indirectGref(final int index) {
        return buffer.getInt(indirectGrefOffset(index), XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code indirect_grefs[index]}.
     *
     * @param index page index
     * @param value the grant reference
     * @return this
     */
    public BlkifRequestIndirect indirectGref(final int index, final int value) {
        buffer.putInt(indirectGrefOffset(index), value, XEN_BYTE_ORDER);
        return this;
    }

    private int indirectGrefOffset(final int index) {
        AbiChecks.checkIndex(STRUCT_NAME, "indirect_grefs", index, Blkif.BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST);
        return offset + INDIRECT_GREFS_OFFSET + index * Integer.BYTES;
    }
}
