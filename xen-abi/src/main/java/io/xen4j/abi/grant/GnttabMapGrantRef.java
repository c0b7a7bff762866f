package io.xen4j.abi.grant;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code GNTTABOP_map_grant_ref}: maps grant {@code ref} of domain {@code dom}; on
 * success {@code handle} tracks the mapping. Its layout is the same in every ABI (32 bytes).
 *
 * <pre>{@code
 * struct gnttab_map_grant_ref {
 *     // IN parameters.
 *     uint64_t host_addr;
 *     uint32_t flags;               // GNTMAP_*
 *     grant_ref_t ref;
 *     domid_t  dom;
 *     // OUT parameters.
 *     int16_t  status;              // => enum grant_status
 *     grant_handle_t handle;
 *     uint64_t dev_bus_addr;
 * };
 * }</pre>
 */
public final class GnttabMapGrantRef extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "gnttab_map_grant_ref";
    /** Offset of {@code host_addr}. */
    public static final int HOST_ADDR_OFFSET = 0;
    /** Offset of {@code flags}. */
    public static final int FLAGS_OFFSET = HOST_ADDR_OFFSET + Long.BYTES;
    /** Offset of {@code ref}. */
    public static final int REF_OFFSET = FLAGS_OFFSET + Integer.BYTES;
    /** Offset of {@code dom}. */
    public static final int DOM_OFFSET = REF_OFFSET + Integer.BYTES;
    /** Offset of {@code status}. */
    public static final int STATUS_OFFSET = DOM_OFFSET + Short.BYTES;
    /** Offset of {@code handle}. */
    public static final int HANDLE_OFFSET = STATUS_OFFSET + Short.BYTES;
    /** Offset of {@code dev_bus_addr}. */
    public static final int DEV_BUS_ADDR_OFFSET = HANDLE_OFFSET + Integer.BYTES;
    /** {@code sizeof(struct gnttab_map_grant_ref)}, the same in every ABI. */
    public static final int LENGTH = 32;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public GnttabMapGrantRef wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code host_addr}: where to map: a virtual address, or a PTE address with {@code GNTMAP_contains_pte}.
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
    public GnttabMapGrantRef hostAddr(final long value) {
        buffer.putLong(offset + HOST_ADDR_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code flags}: the {@code GNTMAP_*} flags.
     *
     * @return the flags (unsigned 32-bit, as raw bits)
     */
    public int flags() {
        return buffer.getInt(offset + FLAGS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code flags}.
     *
     * @param value the value
     * @return this
     */
    public GnttabMapGrantRef flags(final int value) {
        buffer.putInt(offset + FLAGS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code ref}: the grant reference to map.
     *
     * @return the grant reference (unsigned 32-bit, as raw bits)
     */
    public int ref() {
        return buffer.getInt(offset + REF_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code ref}.
     *
     * @param value the value
     * @return this
     */
    public GnttabMapGrantRef ref(final int value) {
        buffer.putInt(offset + REF_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code dom}: the granting domain.
     *
     * @return 0..0xFFFF
     */
    public int dom() {
        return buffer.getShort(offset + DOM_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code dom}.
     *
     * @param value the domain id
     * @return this
     */
    public GnttabMapGrantRef dom(final int value) {
        buffer.putShort(offset + DOM_OFFSET, (short) value, XEN_BYTE_ORDER);
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
    public GnttabMapGrantRef status(final int value) {
        buffer.putShort(offset + STATUS_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code handle}: the handle that tracks the mapping (out).
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
    public GnttabMapGrantRef handle(final int value) {
        buffer.putInt(offset + HANDLE_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code dev_bus_addr}: the bus address for devices with {@code GNTMAP_device_map} (out).
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
    public GnttabMapGrantRef devBusAddr(final long value) {
        buffer.putLong(offset + DEV_BUS_ADDR_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
