package io.xen4j.abi.grant;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code GNTTABOP_query_size}: the current and maximum number of frames of
 * {@code dom}'s grant table. Its layout is the same in every ABI (16 bytes).
 *
 * <pre>{@code
 * struct gnttab_query_size {
 *     // IN parameters.
 *     domid_t  dom;
 *     // OUT parameters.
 *     uint32_t nr_frames;
 *     uint32_t max_nr_frames;
 *     int16_t  status;              // => enum grant_status
 * };
 * }</pre>
 */
public final class GnttabQuerySize extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "gnttab_query_size";
    /** Offset of {@code dom}. */
    public static final int DOM_OFFSET = 0;
    /** Offset of {@code nr_frames}. */
    public static final int NR_FRAMES_OFFSET = DOM_OFFSET + Integer.BYTES; // 2 bytes of padding after dom
    /** Offset of {@code max_nr_frames}. */
    public static final int MAX_NR_FRAMES_OFFSET = NR_FRAMES_OFFSET + Integer.BYTES;
    /** Offset of {@code status}. */
    public static final int STATUS_OFFSET = MAX_NR_FRAMES_OFFSET + Integer.BYTES; // then 2 bytes of tail padding
    /** {@code sizeof(struct gnttab_query_size)}, the same in every ABI. */
    public static final int LENGTH = 16;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public GnttabQuerySize wrap(final MutableDirectBuffer buffer, final int offset) {
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
    public GnttabQuerySize dom(final int value) {
        buffer.putShort(offset + DOM_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code nr_frames}: the current number of frames (out).
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
    public GnttabQuerySize nrFrames(final int value) {
        buffer.putInt(offset + NR_FRAMES_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code max_nr_frames}: the maximum number of frames (out).
     *
     * @return the count (unsigned 32-bit, as raw bits)
     */
    public int maxNrFrames() {
        return buffer.getInt(offset + MAX_NR_FRAMES_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code max_nr_frames}.
     *
     * @param value the value
     * @return this
     */
    public GnttabQuerySize maxNrFrames(final int value) {
        buffer.putInt(offset + MAX_NR_FRAMES_OFFSET, value, XEN_BYTE_ORDER);
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
    public GnttabQuerySize status(final int value) {
        buffer.putShort(offset + STATUS_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }
}
