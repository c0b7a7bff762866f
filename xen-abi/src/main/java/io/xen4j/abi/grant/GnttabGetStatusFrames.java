package io.xen4j.abi.grant;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code GNTTABOP_get_status_frames}: writes the frame numbers of {@code dom}'s
 * version 2 status frames to {@code frame_list}. This is the x86_64 layout (16 bytes); the x86_32
 * one differs (a 4-byte guest handle: 12 bytes) and has no class: a 64-bit JVM only ever passes
 * this structure to the hypervisor (or privcmd).
 *
 * <pre>{@code
 * struct gnttab_get_status_frames {
 *     // IN parameters.
 *     uint32_t nr_frames;
 *     domid_t  dom;
 *     // OUT parameters.
 *     int16_t  status;              // => enum grant_status
 *     XEN_GUEST_HANDLE(uint64_t) frame_list;
 * };
 * }</pre>
 */
public final class GnttabGetStatusFrames extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "gnttab_get_status_frames";
    /** Offset of {@code nr_frames}. */
    public static final int NR_FRAMES_OFFSET = 0;
    /** Offset of {@code dom}. */
    public static final int DOM_OFFSET = NR_FRAMES_OFFSET + Integer.BYTES;
    /** Offset of {@code status}. */
    public static final int STATUS_OFFSET = DOM_OFFSET + Short.BYTES;
    /** Offset of {@code frame_list}, a guest handle (pointer). */
    public static final int FRAME_LIST_OFFSET = STATUS_OFFSET + Short.BYTES;
    /** {@code sizeof(struct gnttab_get_status_frames)} in the x86_64 ABI. */
    public static final int LENGTH = 16;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public GnttabGetStatusFrames wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code nr_frames}: the number of {@code frame_list} entries.
     *
     * @return the count (unsigned 32-bit, as raw bits)
     */
    public int nrFrames() {
        return buffer.getInt(offset + NR_FRAMES_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code nr_frames}.
     *
     * @param value the value
     * @return this
     */
    public GnttabGetStatusFrames nrFrames(final int value) {
        buffer.putInt(offset + NR_FRAMES_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code dom}: the domain, or {@code DOMID_SELF}.
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
    public GnttabGetStatusFrames dom(final int value) {
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
    public GnttabGetStatusFrames status(final int value) {
        buffer.putShort(offset + STATUS_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code frame_list}: the guest address of an array of {@code nr_frames} {@code uint64_t}.
     *
     * @return the address (64-bit, as raw bits)
     */
    public long frameList() {
        return buffer.getLong(offset + FRAME_LIST_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code frame_list}.
     *
     * @param value the value
     * @return this
     */
    public GnttabGetStatusFrames frameList(final long value) {
        buffer.putLong(offset + FRAME_LIST_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
