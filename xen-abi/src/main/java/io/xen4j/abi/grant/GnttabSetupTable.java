package io.xen4j.abi.grant;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code GNTTABOP_setup_table}: sets up at least {@code nr_frames} frames of
 * {@code dom}'s grant table and writes their frame numbers to {@code frame_list}. This is the
 * x86_64 layout (24 bytes); the x86_32 one differs (a 4-byte guest handle: 16 bytes) and has no
 * class: a 64-bit JVM only ever passes this structure to the hypervisor (or privcmd).
 *
 * <pre>{@code
 * struct gnttab_setup_table {
 *     // IN parameters.
 *     domid_t  dom;
 *     uint32_t nr_frames;
 *     // OUT parameters.
 *     int16_t  status;              // => enum grant_status
 *     XEN_GUEST_HANDLE(xen_pfn_t) frame_list;
 * };
 * }</pre>
 */
public final class GnttabSetupTable extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "gnttab_setup_table";
    /** Offset of {@code dom}. */
    public static final int DOM_OFFSET = 0;
    /** Offset of {@code nr_frames}. */
    public static final int NR_FRAMES_OFFSET = DOM_OFFSET + Integer.BYTES; // 2 bytes of padding after dom
    /** Offset of {@code status}. */
    public static final int STATUS_OFFSET = NR_FRAMES_OFFSET + Integer.BYTES;
    /** Offset of {@code frame_list}, a guest handle (pointer). */
    public static final int FRAME_LIST_OFFSET = STATUS_OFFSET + Long.BYTES; // 6 bytes of padding: pointer alignment
    /** {@code sizeof(struct gnttab_setup_table)} in the x86_64 ABI. */
    public static final int LENGTH = 24;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public GnttabSetupTable wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
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
    public GnttabSetupTable dom(final int value) {
        buffer.putShort(offset + DOM_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code nr_frames}: the number of frames wanted, and of {@code frame_list} entries.
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
    public GnttabSetupTable nrFrames(final int value) {
        buffer.putInt(offset + NR_FRAMES_OFFSET, value, XEN_BYTE_ORDER);
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
    public GnttabSetupTable status(final int value) {
        buffer.putShort(offset + STATUS_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code frame_list}: the guest address of an array of {@code nr_frames} {@code xen_pfn_t}.
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
    public GnttabSetupTable frameList(final long value) {
        buffer.putLong(offset + FRAME_LIST_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
