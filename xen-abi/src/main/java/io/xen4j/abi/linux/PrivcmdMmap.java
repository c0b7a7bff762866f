package io.xen4j.abi.linux;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code IOCTL_PRIVCMD_MMAP}: an array of {@link PrivcmdMmapEntry} ranges of a
 * foreign domain to map (the oldest interface; PV dom0 only).
 *
 * <pre>{@code
 * typedef struct privcmd_mmap {
 *     int num;
 *     domid_t dom; // target domain
 *     privcmd_mmap_entry_t __user *entry;
 * } privcmd_mmap_t;
 * }</pre>
 */
public final class PrivcmdMmap extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "privcmd_mmap";
    /** Offset of {@code num}. */
    public static final int NUM_OFFSET = 0;
    /** Offset of {@code dom}. */
    public static final int DOM_OFFSET = NUM_OFFSET + Integer.BYTES;
    /** Offset of {@code entry}, after 2 bytes of padding: the pointer is 8-byte aligned. */
    public static final int ENTRY_OFFSET = DOM_OFFSET + Short.BYTES + 2;
    /** {@code sizeof(struct privcmd_mmap)} on x86_64. */
    public static final int LENGTH = 16;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public PrivcmdMmap wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code num}: the number of entries.
     *
     * @return the value
     */
    public int num() {
        return buffer.getInt(offset + NUM_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code num}.
     *
     * @param value the value
     * @return this
     */
    public PrivcmdMmap num(final int value) {
        buffer.putInt(offset + NUM_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code dom}: the target domain.
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
    public PrivcmdMmap dom(final int value) {
        buffer.putShort(offset + DOM_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code entry}: the user-space address of the {@code privcmd_mmap_entry} array.
     *
     * @return the address (x86_64 user-space pointer)
     */
    public long entry() {
        return buffer.getLong(offset + ENTRY_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code entry}.
     *
     * @param value the value
     * @return this
     */
    public PrivcmdMmap entry(final long value) {
        buffer.putLong(offset + ENTRY_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
