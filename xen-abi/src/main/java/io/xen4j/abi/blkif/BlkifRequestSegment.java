package io.xen4j.abi.blkif;

import io.xen4j.abi.StructFlyweight;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * One page of a block request, the same in every ABI; indirect requests fill whole pages with
 * these ({@link #PER_INDIRECT_PAGE} per page).
 *
 * <pre>{@code
 * struct blkif_request_segment {
 *     grant_ref_t gref;        // reference to I/O buffer frame
 *     uint8_t     first_sect, last_sect;  // inclusive, 0..7
 * };
 * }</pre>
 */
public final class BlkifRequestSegment extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "blkif_request_segment";
    /** Offset of {@code gref}. */
    public static final int GREF_OFFSET = 0;
    /** Offset of {@code first_sect}. */
    public static final int FIRST_SECT_OFFSET = GREF_OFFSET + Integer.BYTES;
    /** Offset of {@code last_sect}. */
    public static final int LAST_SECT_OFFSET = FIRST_SECT_OFFSET + Byte.BYTES;
    /** {@code sizeof(struct blkif_request_segment)}: two bytes of tail padding. */
    public static final int LENGTH = 8;
    /** Segments in one 4 KiB indirect page. */
    public static final int PER_INDIRECT_PAGE = 4096 / LENGTH;

    /**
     * Wraps the segment at {@code offset}.
     *
     * @param buffer buffer holding the segment
     * @param offset offset of the segment
     * @return this
     */
    public BlkifRequestSegment wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Grant reference of the page at {@code offset}.
     *
     * @param buffer buffer holding the segment
     * @param offset offset of the segment
     * @return the grant reference (unsigned 32 bit, as an int)
     */
    public static int gref(final DirectBuffer buffer, final int offset) {
        return buffer.getInt(offset + GREF_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * First sector of the page to transfer.
     *
     * @param buffer buffer holding the segment
     * @param offset offset of the segment
     * @return 0..255 as read; valid values are 0..7
     */
    public static int firstSect(final DirectBuffer buffer, final int offset) {
        return buffer.getByte(offset + FIRST_SECT_OFFSET) & 0xFF;
    }

    /**
     * Last sector of the page to transfer, inclusive.
     *
     * @param buffer buffer holding the segment
     * @param offset offset of the segment
     * @return 0..255 as read; valid values are first_sect..7
     */
    public static int lastSect(final DirectBuffer buffer, final int offset) {
        return buffer.getByte(offset + LAST_SECT_OFFSET) & 0xFF;
    }

    /**
     * Writes a whole segment, padding included.
     *
     * @param buffer    buffer holding the segment
     * @param offset    offset of the segment
     * @param gref      grant reference
     * @param firstSect first sector
     * @param lastSect  last sector, inclusive
     */
    public static void put(
        final MutableDirectBuffer buffer, final int offset, final int gref, final int firstSect, final int lastSect) {
        buffer.putLong(offset, 0L);
        buffer.putInt(offset + GREF_OFFSET, gref, XEN_BYTE_ORDER);
        buffer.putByte(offset + FIRST_SECT_OFFSET, (byte) firstSect);
        buffer.putByte(offset + LAST_SECT_OFFSET, (byte) lastSect);
    }

    /** @return {@code gref} */
    public int gref() {
        return gref(buffer, offset);
    }

    /**
     * Sets {@code gref}.
     *
     * @param value grant reference
     * @return this
     */
    public BlkifRequestSegment gref(final int value) {
        buffer.putInt(offset + GREF_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /** @return {@code first_sect} */
    public int firstSect() {
        return firstSect(buffer, offset);
    }

    /**
     * Sets {@code first_sect}.
     *
     * @param value first sector
     * @return this
     */
    public BlkifRequestSegment firstSect(final int value) {
        buffer.putByte(offset + FIRST_SECT_OFFSET, (byte) value);
        return this;
    }

    /** @return {@code last_sect} */
    public int lastSect() {
        return lastSect(buffer, offset);
    }

    /**
     * Sets {@code last_sect}.
     *
     * @param value last sector, inclusive
     * @return this
     */
    public BlkifRequestSegment lastSect(final int value) {
        buffer.putByte(offset + LAST_SECT_OFFSET, (byte) value);
        return this;
    }
}
