package io.xen4j.abi.linux;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code IOCTL_PRIVCMD_MMAP_RESOURCE}: map frames of a resource of domain {@code dom}
 * (grant table, ioreq server, vmtrace buffer) at {@code addr}, or ask for its size with
 * {@code addr} 0.
 *
 * <pre>{@code
 * typedef struct privcmd_mmap_resource {
 *     domid_t dom;
 *     __u32 type;
 *     __u32 id;
 *     __u32 idx;
 *     __u64 num;
 *     __u64 addr;
 * } privcmd_mmap_resource_t;
 * }</pre>
 */
public final class PrivcmdMmapResource extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "privcmd_mmap_resource";
    /** Offset of {@code dom}. */
    public static final int DOM_OFFSET = 0;
    /** Offset of {@code type}, after 2 bytes of padding: __u32 is 4-byte aligned. */
    public static final int TYPE_OFFSET = DOM_OFFSET + Short.BYTES + 2;
    /** Offset of {@code id}. */
    public static final int ID_OFFSET = TYPE_OFFSET + Integer.BYTES;
    /** Offset of {@code idx}. */
    public static final int IDX_OFFSET = ID_OFFSET + Integer.BYTES;
    /** Offset of {@code num}. */
    public static final int NUM_OFFSET = IDX_OFFSET + Integer.BYTES;
    /** Offset of {@code addr}. */
    public static final int ADDR_OFFSET = NUM_OFFSET + Long.BYTES;
    /** {@code sizeof(struct privcmd_mmap_resource)} on x86_64. */
    public static final int LENGTH = 32;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public PrivcmdMmapResource wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code dom}: the domain that owns the resource.
     *
     * @return the value, zero-extended
     */
    public int dom() {
        return buffer.getShort(offset + DOM_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code dom}.
     *
     * @param value the value
     * @return this
     */
    public PrivcmdMmapResource dom(final int value) {
        buffer.putShort(offset + DOM_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code type}: the resource type, a {@code XENMEM_resource_*}.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int type() {
        return buffer.getInt(offset + TYPE_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code type}.
     *
     * @param value the value
     * @return this
     */
    public PrivcmdMmapResource type(final int value) {
        buffer.putInt(offset + TYPE_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code id}: the resource id within the type.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int id() {
        return buffer.getInt(offset + ID_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code id}.
     *
     * @param value the value
     * @return this
     */
    public PrivcmdMmapResource id(final int value) {
        buffer.putInt(offset + ID_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code idx}: the index of the first frame.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int idx() {
        return buffer.getInt(offset + IDX_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code idx}.
     *
     * @param value the value
     * @return this
     */
    public PrivcmdMmapResource idx(final int value) {
        buffer.putInt(offset + IDX_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code num}: the number of frames; on return with {@code addr} 0, the resource's size.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long num() {
        return buffer.getLong(offset + NUM_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code num}.
     *
     * @param value the value
     * @return this
     */
    public PrivcmdMmapResource num(final long value) {
        buffer.putLong(offset + NUM_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code addr}: the virtual address to map at, or 0 to query the size.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long addr() {
        return buffer.getLong(offset + ADDR_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code addr}.
     *
     * @param value the value
     * @return this
     */
    public PrivcmdMmapResource addr(final long value) {
        buffer.putLong(offset + ADDR_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
