package io.xen4j.abi.grant;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code GNTTABOP_unmap_grant_ref}: destroys the mappings tracked by {@code handle} (a
 * zero address is ignored). Its layout is the same in every ABI (24 bytes).
 *
 * <pre>{@code
 * struct gnttab_unmap_grant_ref {
 *     // IN parameters.
 *     uint64_t host_addr;
 *     uint64_t dev_bus_addr;
 *     grant_handle_t handle;
 *     // OUT parameters.
 *     int16_t  status;              // => enum grant_status
 * };
 * }</pre>
 */
public final class GnttabUnmapGrantRef extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "gnttab_unmap_grant_ref";
    /** Offset of {@code host_addr}. */
    public static final int HOST_ADDR_OFFSET = 0;
    /** Offset of {@code dev_bus_addr}. */
    public static final int DEV_BUS_ADDR_OFFSET = HOST_ADDR_OFFSET + Long.BYTES;
    /** Offset of {@code handle}. */
    public static final int HANDLE_OFFSET = DEV_BUS_ADDR_OFFSET + Long.BYTES;
    /** Offset of {@code status}. */
    public static final int STATUS_OFFSET = HANDLE_OFFSET + Integer.BYTES;
    /** {@code sizeof(struct gnttab_unmap_grant_ref)}, the same in every ABI. */
    public static final int LENGTH = 24;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public GnttabUnmapGrantRef wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code host_addr}: the host mapping to destroy, or 0.
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
    public GnttabUnmapGrantRef hostAddr(final long value) {
        buffer.putLong(offset + HOST_ADDR_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code dev_bus_addr}: the device mapping to destroy, or 0.
     *
     * @return the value (unsigned 64-bit, as raw bits)
     */
    public long devBusAddr() {
        return buffer.getLong(offset + DEV_BUS_ADDR_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code dev_bus_addr}.
     *
     * @param value the value
     * @return this
     */
    public GnttabUnmapGrantRef devBusAddr(final long value) {
        buffer.putLong(offset + DEV_BUS_ADDR_OFFSET, value, XEN_BYTE_ORDER);
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
    public GnttabUnmapGrantRef handle(final int value) {
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
    public GnttabUnmapGrantRef status(final int value) {
        buffer.putShort(offset + STATUS_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }
}
