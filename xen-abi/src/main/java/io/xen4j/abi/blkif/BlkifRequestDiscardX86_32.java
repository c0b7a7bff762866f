package io.xen4j.abi.blkif;

import io.xen4j.abi.StructFlyweight;

import org.agrona.MutableDirectBuffer;

/**
 * A discard request ({@code BLKIF_OP_DISCARD}) in the x86_32 layout; it occupies a
 * {@code blkif_request} slot.
 *
 * <pre>{@code
 * struct blkif_request_discard {
 *     uint8_t        operation;    // BLKIF_OP_DISCARD
 *     uint8_t        flag;         // BLKIF_DISCARD_SECURE or zero
 *     blkif_vdev_t   handle;       // same as for read/write requests
 *     uint64_t       id;           // private guest value, echoed in resp
 *     blkif_sector_t sector_number;// start sector idx on disk
 *     uint64_t       nr_sectors;   // number of contiguous sectors to discard
 * };
 * }</pre>
 */
public final class BlkifRequestDiscardX86_32 extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "blkif_request_discard";
    /** Offset of {@code operation}. */
    public static final int OPERATION_OFFSET = 0;
    /** Offset of {@code flag}. */
    public static final int FLAG_OFFSET = OPERATION_OFFSET + Byte.BYTES;
    /** Offset of {@code handle}. */
    public static final int HANDLE_OFFSET = FLAG_OFFSET + Byte.BYTES;
    /** Offset of {@code id}. */
    public static final int ID_OFFSET = HANDLE_OFFSET + Short.BYTES;
    /** Offset of {@code sector_number}. */
    public static final int SECTOR_NUMBER_OFFSET = ID_OFFSET + Long.BYTES;
    /** Offset of {@code nr_sectors}. */
    public static final int NR_SECTORS_OFFSET = SECTOR_NUMBER_OFFSET + Long.BYTES;
    /** {@code sizeof(struct blkif_request_discard)} in the x86_32 ABI. */
    public static final int LENGTH = 28;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public BlkifRequestDiscardX86_32 wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code operation}: {@code BLKIF_OP_DISCARD}.
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
    public BlkifRequestDiscardX86_32 operation(final int value) {
        buffer.putByte(offset + OPERATION_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code flag}: {@code BLKIF_DISCARD_SECURE} or zero.
     *
     * @return the value
     */
    public int flag() {
        return buffer.getByte(offset + FLAG_OFFSET) & 0xFF;
    }

    /**
     * Writes {@code flag}.
     *
     * @param value the value
     * @return this
     */
    public BlkifRequestDiscardX86_32 flag(final int value) {
        buffer.putByte(offset + FLAG_OFFSET, (byte) value);
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
    public BlkifRequestDiscardX86_32 handle(final int value) {
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
    public BlkifRequestDiscardX86_32 id(final long value) {
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
    public BlkifRequestDiscardX86_32 sectorNumber(final long value) {
        buffer.putLong(offset + SECTOR_NUMBER_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code nr_sectors}: the number of sectors to discard.
     *
     * @return the value
     */
    public long nrSectors() {
        return buffer.getLong(offset + NR_SECTORS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code nr_sectors}.
     *
     * @param value the value
     * @return this
     */
    public BlkifRequestDiscardX86_32 nrSectors(final long value) {
        buffer.putLong(offset + NR_SECTORS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
