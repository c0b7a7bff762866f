package io.xen4j.abi.grant;

import io.xen4j.abi.AbiChecks;
import io.xen4j.abi.StructFlyweight;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A version 2 grant-table entry, the same in every ABI (16 bytes, {@link #PER_PAGE} to a frame): a
 * union whose variant the type in {@code hdr.flags} selects. Every variant starts with the header,
 * so {@link #flags()} and {@link #domid()} serve them all, and {@link GrantEntryHeader}'s atomic
 * operations on the flags apply unchanged. In a version 2 table Xen keeps {@code GTF_reading} and
 * {@code GTF_writing} in separate status frames ({@code grant_status_t}), not in {@code flags}.
 *
 * <pre>{@code
 * union grant_entry_v2 {
 *     grant_entry_header_t hdr;
 *     // GTF_accept_transfer, or GTF_permit_access without GTF_sub_page
 *     struct {
 *         grant_entry_header_t hdr;
 *         uint32_t pad0;
 *         uint64_t frame;
 *     } full_page;
 *     // GTF_permit_access with GTF_sub_page: bytes [page_off, page_off+length) of frame
 *     struct {
 *         grant_entry_header_t hdr;
 *         uint16_t page_off;
 *         uint16_t length;
 *         uint64_t frame;
 *     } sub_page;
 *     // GTF_transitive: grant gref of domain trans_domid, as if it were the local domain
 *     struct {
 *         grant_entry_header_t hdr;
 *         domid_t trans_domid;
 *         uint16_t pad0;
 *         grant_ref_t gref;
 *     } transitive;
 *     uint32_t __spacer[4]; // Pad to a power of two
 * };
 * }</pre>
 */
public final class GrantEntryV2 extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "grant_entry_v2";
    /** Offset of {@code hdr}, the header every variant starts with. */
    public static final int HDR_OFFSET = 0;
    /** Offset of {@code hdr.flags}, the same in every variant. */
    public static final int FLAGS_OFFSET = HDR_OFFSET + GrantEntryHeader.FLAGS_OFFSET;
    /** Offset of {@code hdr.domid}, the same in every variant. */
    public static final int DOMID_OFFSET = HDR_OFFSET + GrantEntryHeader.DOMID_OFFSET;
    /** Offset of {@code full_page.pad0}. */
    public static final int FULL_PAGE_PAD0_OFFSET = HDR_OFFSET + GrantEntryHeader.LENGTH;
    /** Offset of {@code full_page.frame}. */
    public static final int FULL_PAGE_FRAME_OFFSET = FULL_PAGE_PAD0_OFFSET + Integer.BYTES;
    /** Offset of {@code sub_page.page_off}. */
    public static final int SUB_PAGE_PAGE_OFF_OFFSET = HDR_OFFSET + GrantEntryHeader.LENGTH;
    /** Offset of {@code sub_page.length}. */
    public static final int SUB_PAGE_LENGTH_OFFSET = SUB_PAGE_PAGE_OFF_OFFSET + Short.BYTES;
    /** Offset of {@code sub_page.frame}. */
    public static final int SUB_PAGE_FRAME_OFFSET = SUB_PAGE_LENGTH_OFFSET + Short.BYTES;
    /** Offset of {@code transitive.trans_domid}. */
    public static final int TRANSITIVE_TRANS_DOMID_OFFSET = HDR_OFFSET + GrantEntryHeader.LENGTH;
    /** Offset of {@code transitive.pad0}. */
    public static final int TRANSITIVE_PAD0_OFFSET = TRANSITIVE_TRANS_DOMID_OFFSET + Short.BYTES;
    /** Offset of {@code transitive.gref}. */
    public static final int TRANSITIVE_GREF_OFFSET = TRANSITIVE_PAD0_OFFSET + Short.BYTES;
    /** Offset of {@code __spacer}, the whole entry as 32-bit words. */
    public static final int SPACER_OFFSET = 0;
    /** {@code sizeof(union grant_entry_v2)}. */
    public static final int LENGTH = 16;
    /** Elements of {@code __spacer}. */
    public static final int SPACER_COUNT = LENGTH / Integer.BYTES;
    /** Entries in one 4 KiB grant-table frame. */
    public static final int PER_PAGE = 4096 / LENGTH;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public GrantEntryV2 wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code hdr.flags}: the entry type and subflags.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return 0..0xFFFF
     */
    public static int flags(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + FLAGS_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Reads {@code hdr.flags}: the entry type and subflags.
     *
     * @return 0..0xFFFF
     */
    public int flags() {
        return flags(buffer, offset);
    }

    /**
     * Writes {@code hdr.flags}.
     *
     * @param value the value
     * @return this
     */
    public GrantEntryV2 flags(final int value) {
        buffer.putShort(offset + FLAGS_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code hdr.domid}: the domain granted the access.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return 0..0xFFFF
     */
    public static int domid(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + DOMID_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Reads {@code hdr.domid}: the domain granted the access.
     *
     * @return 0..0xFFFF
     */
    public int domid() {
        return domid(buffer, offset);
    }

    /**
     * Writes {@code hdr.domid}.
     *
     * @param value the domain id
     * @return this
     */
    public GrantEntryV2 domid(final int value) {
        buffer.putShort(offset + DOMID_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code full_page.pad0}: padding, zero.
     *
     * @return the value (unsigned 32-bit, as raw bits)
     */
    public int fullPagePad0() {
        return buffer.getInt(offset + FULL_PAGE_PAD0_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code full_page.pad0}.
     *
     * @param value the value
     * @return this
     */
    public GrantEntryV2 fullPagePad0(final int value) {
        buffer.putInt(offset + FULL_PAGE_PAD0_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code full_page.frame}: the granted frame (GFN), or the frame Xen transferred.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the frame number (unsigned 64-bit, as raw bits)
     */
    public static long fullPageFrame(final DirectBuffer buffer, final int offset) {
        return buffer.getLong(offset + FULL_PAGE_FRAME_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code full_page.frame}: the granted frame (GFN), or the frame Xen transferred.
     *
     * @return the frame number (unsigned 64-bit, as raw bits)
     */
    public long fullPageFrame() {
        return fullPageFrame(buffer, offset);
    }

    /**
     * Writes {@code full_page.frame}.
     *
     * @param value the value
     * @return this
     */
    public GrantEntryV2 fullPageFrame(final long value) {
        buffer.putLong(offset + FULL_PAGE_FRAME_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code sub_page.page_off}: the first granted byte of the page.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return 0..0xFFFF
     */
    public static int subPagePageOff(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + SUB_PAGE_PAGE_OFF_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Reads {@code sub_page.page_off}: the first granted byte of the page.
     *
     * @return 0..0xFFFF
     */
    public int subPagePageOff() {
        return subPagePageOff(buffer, offset);
    }

    /**
     * Writes {@code sub_page.page_off}.
     *
     * @param value the value
     * @return this
     */
    public GrantEntryV2 subPagePageOff(final int value) {
        buffer.putShort(offset + SUB_PAGE_PAGE_OFF_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code sub_page.length}: the number of granted bytes.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return 0..0xFFFF
     */
    public static int subPageLength(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + SUB_PAGE_LENGTH_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Reads {@code sub_page.length}: the number of granted bytes.
     *
     * @return 0..0xFFFF
     */
    public int subPageLength() {
        return subPageLength(buffer, offset);
    }

    /**
     * Writes {@code sub_page.length}.
     *
     * @param value the value
     * @return this
     */
    public GrantEntryV2 subPageLength(final int value) {
        buffer.putShort(offset + SUB_PAGE_LENGTH_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code sub_page.frame}: the frame (GFN) that holds the granted bytes.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the frame number (unsigned 64-bit, as raw bits)
     */
    public static long subPageFrame(final DirectBuffer buffer, final int offset) {
        return buffer.getLong(offset + SUB_PAGE_FRAME_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code sub_page.frame}: the frame (GFN) that holds the granted bytes.
     *
     * @return the frame number (unsigned 64-bit, as raw bits)
     */
    public long subPageFrame() {
        return subPageFrame(buffer, offset);
    }

    /**
     * Writes {@code sub_page.frame}.
     *
     * @param value the value
     * @return this
     */
    public GrantEntryV2 subPageFrame(final long value) {
        buffer.putLong(offset + SUB_PAGE_FRAME_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code transitive.trans_domid}: the domain whose grant is passed on.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return 0..0xFFFF
     */
    public static int transitiveTransDomid(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + TRANSITIVE_TRANS_DOMID_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Reads {@code transitive.trans_domid}: the domain whose grant is passed on.
     *
     * @return 0..0xFFFF
     */
    public int transitiveTransDomid() {
        return transitiveTransDomid(buffer, offset);
    }

    /**
     * Writes {@code transitive.trans_domid}.
     *
     * @param value the domain id
     * @return this
     */
    public GrantEntryV2 transitiveTransDomid(final int value) {
        buffer.putShort(offset + TRANSITIVE_TRANS_DOMID_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code transitive.pad0}: padding, zero.
     *
     * @return 0..0xFFFF
     */
    public int transitivePad0() {
        return buffer.getShort(offset + TRANSITIVE_PAD0_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code transitive.pad0}.
     *
     * @param value the value
     * @return this
     */
    public GrantEntryV2 transitivePad0(final int value) {
        buffer.putShort(offset + TRANSITIVE_PAD0_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code transitive.gref}: the grant reference in {@code trans_domid}'s table.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the grant reference (unsigned 32-bit, as raw bits)
     */
    public static int transitiveGref(final DirectBuffer buffer, final int offset) {
        return buffer.getInt(offset + TRANSITIVE_GREF_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code transitive.gref}: the grant reference in {@code trans_domid}'s table.
     *
     * @return the grant reference (unsigned 32-bit, as raw bits)
     */
    public int transitiveGref() {
        return transitiveGref(buffer, offset);
    }

    /**
     * Writes {@code transitive.gref}.
     *
     * @param value the value
     * @return this
     */
    public GrantEntryV2 transitiveGref(final int value) {
        buffer.putInt(offset + TRANSITIVE_GREF_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code __spacer[index]}: the entry as raw 32-bit words, whatever its variant.
     *
     * @param index word index, 0..{@value #SPACER_COUNT} - 1
     * @return the word (unsigned 32-bit, as raw bits)
     */
    public int spacer(final int index) {
        return buffer.getInt(spacerOffset(index), XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code __spacer[index]}.
     *
     * @param index word index, 0..{@value #SPACER_COUNT} - 1
     * @param value the word
     * @return this
     */
    public GrantEntryV2 spacer(final int index, final int value) {
        buffer.putInt(spacerOffset(index), value, XEN_BYTE_ORDER);
        return this;
    }

    private int spacerOffset(final int index) {
        AbiChecks.checkIndex(STRUCT_NAME, "__spacer", index, SPACER_COUNT);
        return offset + SPACER_OFFSET + index * Integer.BYTES;
    }
}
