package io.xen4j.abi.grant;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code GNTTABOP_unmap_and_replace}: destroys the mapping tracked by {@code handle}
 * and puts the mapping of {@code new_addr} in its page-table entry. Its layout is the same in
 * every ABI (24 bytes).
 *
 * <pre>{@code
 * struct gnttab_unmap_and_replace {
 *     // IN parameters.
 *     uint64_t host_addr;
 *     uint64_t new_addr;
 *     grant_handle_t handle;
 *     // OUT parameters.
 *     int16_t  status;              // => enum grant_status
 * };
 * }</pre>
 */
public final class GnttabUnmapAndReplace extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "gnttab_unmap_and_replace";
    /** Offset of {@code host_addr}. */
    public static final int HOST_ADDR_OFFSET = 0;
    /** Offset of {@code new_addr}. */
    public static final int NEW_ADDR_OFFSET = HOST_ADDR_OFFSET + Long.BYTES;
    /** Offset of {@code handle}. */
    public static final int HANDLE_OFFSET = NEW_ADDR_OFFSET + Long.BYTES;
    /** Offset of {@code status}. */
    public static final int STATUS_OFFSET = HANDLE_OFFSET + Integer.BYTES; // then 2 bytes of tail padding
    /** {@code sizeof(struct gnttab_unmap_and_replace)}, the same in every ABI. */
    public static final int LENGTH = 24;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public GnttabUnmapAndReplace wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code host_addr}: the host mapping to destroy.
     *
     * @return the value (unsigned 64-bit, as raw bits)
     */
    public long hostAddr() {
        return buffer.getLong(offset + HOST_ADDR_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code host_addr}.
     *
     * @param value the value
     * @return this
     */
    public GnttabUnmapAndReplace hostAddr(final long value) {
        buffer.putLong(offset + HOST_ADDR_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code new_addr}: the address whose mapping replaces it (and is then cleared).
     *
     * @return the value (unsigned 64-bit, as raw bits)
     */
    public long newAddr() {
        return buffer.getLong(offset + NEW_ADDR_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code new_addr}.
     *
     * @param value the value
     * @return this
     */
    public GnttabUnmapAndReplace newAddr(final long value) {
        buffer.putLong(offset + NEW_ADDR_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code handle}: the handle returned by the map.
     *
     * @return the handle (unsigned 32-bit, as raw bits)
     */
    public int handle() {
        return buffer.getInt(offset + HANDLE_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code handle}.
     *
     * @param value the value
     * @return this
     */
    public GnttabUnmapAndReplace handle(final int value) {
        buffer.putInt(offset + HANDLE_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code status}: a {@code GNTST_*} code (out).
     *
     * @return the code, sign-extended
     */
    public int status() {
        return buffer.getShort(offset + STATUS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code status}.
     *
     * @param value a {@code GNTST_*} code
     * @return this
     */
    public GnttabUnmapAndReplace status(final int value) {
        buffer.putShort(offset + STATUS_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }
}
