package io.xen4j.abi.grant;

import io.xen4j.abi.StructFlyweight;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A version 1 grant-table entry, the same in every ABI (8 bytes, {@link #PER_PAGE} to a frame).
 *
 * <pre>{@code
 * struct grant_entry_v1 {
 *     // GTF_xxx: various type and flag information.  [XEN,GST]
 *     uint16_t flags;
 *     // The domain being granted foreign privileges. [GST]
 *     domid_t  domid;
 *     // GTF_permit_access: GFN that @domid is allowed to map and access. [GST]
 *     // GTF_accept_transfer: GFN that @domid is allowed to transfer into. [GST]
 *     // GTF_transfer_completed: MFN whose ownership transferred by @domid
 *     //                         (non-translated guests only). [XEN]
 *     uint32_t frame;
 * };
 * }</pre>
 *
 * <p>The table is shared with Xen and read by it concurrently: publish an entry by writing
 * {@code domid} and {@code frame} first and {@code flags} last with release semantics, and change
 * the flags of a live entry only by compare-and-set; {@link GrantEntryHeader} has both operations,
 * which apply to this entry unchanged (the header is its prefix).
 */
public final class GrantEntryV1 extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "grant_entry_v1";
    /** Offset of {@code flags}. */
    public static final int FLAGS_OFFSET = 0;
    /** Offset of {@code domid}. */
    public static final int DOMID_OFFSET = FLAGS_OFFSET + Short.BYTES;
    /** Offset of {@code frame}. */
    public static final int FRAME_OFFSET = DOMID_OFFSET + Short.BYTES;
    /** {@code sizeof(struct grant_entry_v1)}. */
    public static final int LENGTH = 8;
    /** Entries in one 4 KiB grant-table frame. */
    public static final int PER_PAGE = 4096 / LENGTH;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public GrantEntryV1 wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code flags} (plain read): the entry type ({@code GTF_permit_access}, ...) and subflags.
     *
     * @param buffer buffer holding the entry
     * @param offset offset of the entry
     * @return 0..0xFFFF
     */
    public static int flags(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + FLAGS_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Reads {@code flags}: the entry type and subflags.
     *
     * @return 0..0xFFFF
     */
    public int flags() {
        return flags(buffer, offset);
    }

    /**
     * Writes {@code flags} (plain write; publish a live entry with
     * {@link GrantEntryHeader#putHeaderWordRelease}).
     *
     * @param value the flags
     * @return this
     */
    public GrantEntryV1 flags(final int value) {
        buffer.putShort(offset + FLAGS_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code domid}: the domain granted the access.
     *
     * @param buffer buffer holding the entry
     * @param offset offset of the entry
     * @return 0..0xFFFF
     */
    public static int domid(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + DOMID_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Reads {@code domid}: the domain granted the access.
     *
     * @return 0..0xFFFF
     */
    public int domid() {
        return domid(buffer, offset);
    }

    /**
     * Writes {@code domid}.
     *
     * @param value the domain id
     * @return this
     */
    public GrantEntryV1 domid(final int value) {
        buffer.putShort(offset + DOMID_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code frame}: the granted frame (GFN), or the frame Xen transferred.
     *
     * @param buffer buffer holding the entry
     * @param offset offset of the entry
     * @return the frame number (unsigned 32-bit, as raw bits)
     */
    public static int frame(final DirectBuffer buffer, final int offset) {
        return buffer.getInt(offset + FRAME_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code frame}: the granted frame (GFN), or the frame Xen transferred.
     *
     * @return the frame number (unsigned 32-bit, as raw bits)
     */
    public int frame() {
        return frame(buffer, offset);
    }

    /**
     * Writes {@code frame}.
     *
     * @param value the frame number (unsigned 32-bit)
     * @return this
     */
    public GrantEntryV1 frame(final int value) {
        buffer.putInt(offset + FRAME_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
