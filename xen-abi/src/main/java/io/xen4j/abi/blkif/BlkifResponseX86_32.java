package io.xen4j.abi.blkif;

import io.xen4j.abi.StructFlyweight;

import org.agrona.MutableDirectBuffer;

/**
 * The answer to a request, in the x86_32 layout (12 bytes).
 *
 * <pre>{@code
 * struct blkif_response {
 *     uint64_t        id;              // copied from request
 *     uint8_t         operation;       // copied from request
 *     int16_t         status;          // BLKIF_RSP_???
 * };
 * }</pre>
 */
public final class BlkifResponseX86_32 extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "blkif_response";
    /** Offset of {@code id}. */
    public static final int ID_OFFSET = 0;
    /** Offset of {@code operation}. */
    public static final int OPERATION_OFFSET = ID_OFFSET + Long.BYTES;
    /** Offset of {@code status}. */
    public static final int STATUS_OFFSET = OPERATION_OFFSET + 2;
    /** {@code sizeof(struct blkif_response)} in the x86_32 ABI. */
    public static final int LENGTH = 12;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public BlkifResponseX86_32 wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code id}: the id of the request answered.
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
    public BlkifResponseX86_32 id(final long value) {
        buffer.putLong(offset + ID_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code operation}: the operation of the request answered.
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
    public BlkifResponseX86_32 operation(final int value) {
        buffer.putByte(offset + OPERATION_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code status}: a {@code BLKIF_RSP_*} code.
     *
     * @return the value
     */
    public short status() {
        return buffer.getShort(offset + STATUS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code status}.
     *
     * @param value the value
     * @return this
     */
    public BlkifResponseX86_32 status(final short value) {
        buffer.putShort(offset + STATUS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
