package io.xen4j.blk.internal;

import io.xen4j.abi.blkif.Blkif;
import io.xen4j.abi.blkif.BlkifRequestSegment;
import io.xen4j.rings.SlotCopy;
import org.agrona.DirectBuffer;

/**
 * A backend's private copy of one request, decoded once from the copy of its ring slot
 * (SECURITY-RULES R2): every later check and use reads these fields, never the shared page.
 * Reused for every request (no allocation on the data path).
 */
public final class BlkRequestCopy {
    /** {@code operation}. */
    public int operation;
    /** For indirect requests, {@code indirect_op}; otherwise equal to {@link #operation}. */
    public int dataOperation;
    /** {@code nr_segments} (of the indirect request for indirect ones). */
    public int nrSegments;
    /** {@code handle}. */
    public int handle;
    /** {@code id}: echoed in the response. */
    public long id;
    /** {@code sector_number}, in 512-byte units. */
    public long sector;
    /** {@code nr_sectors} of a discard, in 512-byte units. */
    public long discardSectors;
    /** {@code flag} of a discard. */
    public int discardFlag;
    /** {@code indirect_grefs[]} of an indirect request. */
    public final int[] indirectGrefs = new int[Blkif.BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
    /** Segment grants. */
    public final int[] grefs;
    /** Segment {@code first_sect}. */
    public final int[] firstSect;
    /** Segment {@code last_sect}. */
    public final int[] lastSect;

    /**
     * Creates a copy able to hold up to {@code maxSegments} segments.
     *
     * @param maxSegments at least {@code BLKIF_MAX_SEGMENTS_PER_REQUEST}
     */
    public BlkRequestCopy(final int maxSegments) {
        final int n = Math.max(maxSegments, Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST);
        grefs = new int[n];
        firstSect = new int[n];
        lastSect = new int[n];
    }

    /**
     * Decodes a request from a partial copy of its slot that holds at least
     * {@link BlkifAbi#requestPrefixLength} bytes, copying the rest it needs first (SECURITY-RULES
     * R2: each shared byte is read at most once, and how much more to copy is decided on the
     * private copy): an indirect request's {@code indirect_grefs}, a discard's {@code nr_sectors}
     * (in the prefix of both layouts, asked for anyway), a read's or write's further segments as
     * its private {@code nr_segments} says, at most {@code BLKIF_MAX_SEGMENTS_PER_REQUEST}.
     *
     * @param abi  the layout
     * @param slot the partial copy, open (the ring's handler is running)
     * @return this
     */
    public BlkRequestCopy decode(final BlkifAbi abi, final SlotCopy slot) {
        final DirectBuffer copy = slot.buffer();
        final int op = copy.getByte(BlkifAbi.OPERATION_OFFSET) & 0xFF;
        if (op == Blkif.BLKIF_OP_INDIRECT) {
            slot.copyUpTo(abi.indirectGrefsOffset + Blkif.BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST * Integer.BYTES);
        } else if (op == Blkif.BLKIF_OP_DISCARD) {
            slot.copyUpTo(abi.discardNrSectorsOffset + Long.BYTES);
        } else {
            final int direct = Math.min(copy.getByte(BlkifAbi.BYTE1_OFFSET) & 0xFF, Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST);
            // Nothing for 0 or 1 segments: the prefix holds seg[0].
            slot.copyUpTo(abi.segOffset + direct * BlkifRequestSegment.LENGTH);
        }
        return decode(abi, copy);
    }

    /**
     * Decodes a request slot copy in a layout. Direct segments are decoded too (up to 11, bounded
     * by the array, whatever {@code nr_segments} says); indirect segments come later with
     * {@link #loadIndirectSegments}.
     *
     * @param abi  the layout
     * @param copy the private copy of the slot
     * @return this
     */
    public BlkRequestCopy decode(final BlkifAbi abi, final DirectBuffer copy) {
        operation = copy.getByte(BlkifAbi.OPERATION_OFFSET) & 0xFF;
        discardSectors = 0;
        discardFlag = 0;
        if (operation == Blkif.BLKIF_OP_INDIRECT) {
            dataOperation = copy.getByte(BlkifAbi.BYTE1_OFFSET) & 0xFF;
            nrSegments = copy.getShort(BlkifAbi.SHORT2_OFFSET, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            id = copy.getLong(abi.indirectIdOffset, java.nio.ByteOrder.LITTLE_ENDIAN);
            sector = copy.getLong(abi.indirectSectorOffset, java.nio.ByteOrder.LITTLE_ENDIAN);
            handle = copy.getShort(abi.indirectHandleOffset, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            for (int i = 0; i < indirectGrefs.length; i++) {
                indirectGrefs[i] = copy.getInt(abi.indirectGrefsOffset + i * Integer.BYTES, java.nio.ByteOrder.LITTLE_ENDIAN);
            }
            return this;
        }
        dataOperation = operation;
        handle = copy.getShort(BlkifAbi.SHORT2_OFFSET, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        id = copy.getLong(abi.idOffset, java.nio.ByteOrder.LITTLE_ENDIAN);
        sector = copy.getLong(abi.sectorOffset, java.nio.ByteOrder.LITTLE_ENDIAN);
        if (operation == Blkif.BLKIF_OP_DISCARD) {
            nrSegments = 0;
            discardFlag = copy.getByte(BlkifAbi.BYTE1_OFFSET) & 0xFF;
            discardSectors = copy.getLong(abi.discardNrSectorsOffset, java.nio.ByteOrder.LITTLE_ENDIAN);
            return this;
        }
        nrSegments = copy.getByte(BlkifAbi.BYTE1_OFFSET) & 0xFF;
        final int direct = Math.min(nrSegments, Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST);
        for (int i = 0; i < direct; i++) {
            putSegment(i, copy.getLong(abi.segOffset + i * BlkifRequestSegment.LENGTH, java.nio.ByteOrder.LITTLE_ENDIAN));
        }
        return this;
    }

    /**
     * Copies the segments of an indirect request out of its mapped indirect pages, once (R2).
     * {@code nr_segments} must already be validated against the capacity of this copy.
     *
     * @param pages the mapped indirect pages, in order
     */
    public void loadIndirectSegments(final DirectBuffer pages) {
        for (int i = 0; i < nrSegments; i++) {
            putSegment(i, pages.getLong(i * BlkifRequestSegment.LENGTH, java.nio.ByteOrder.LITTLE_ENDIAN));
        }
    }

    /**
     * Copies the segments that indirect page {@code page} holds (512 a page) out of its own
     * mapping, once (R2). {@code nr_segments} must already be validated as for
     * {@link #loadIndirectSegments(DirectBuffer)}.
     *
     * @param view the mapped page
     * @param page which indirect page of the request it is
     */
    public void loadIndirectSegments(final DirectBuffer view, final int page) {
        final int from = page * BlkifRequestSegment.PER_INDIRECT_PAGE;
        final int to = Math.min(nrSegments, from + BlkifRequestSegment.PER_INDIRECT_PAGE);
        for (int i = from; i < to; i++) {
            putSegment(i, view.getLong((i - from) * BlkifRequestSegment.LENGTH, java.nio.ByteOrder.LITTLE_ENDIAN));
        }
    }

    /**
     * Decodes segment {@code i} from its 8 bytes read as one little-endian long: one access of a
     * mapped page's view (each is checked) instead of three.
     */
    private void putSegment(final int i, final long segment) {
        grefs[i] = (int) (segment >>> 8 * BlkifRequestSegment.GREF_OFFSET);
        firstSect[i] = (int) (segment >>> 8 * BlkifRequestSegment.FIRST_SECT_OFFSET) & 0xFF;
        lastSect[i] = (int) (segment >>> 8 * BlkifRequestSegment.LAST_SECT_OFFSET) & 0xFF;
    }

    /**
     * The number of indirect pages an indirect request with {@link #nrSegments} uses.
     *
     * @return {@code ceil(nr_segments / 512)}
     */
    public int indirectPages() {
        return (nrSegments + BlkifRequestSegment.PER_INDIRECT_PAGE - 1) / BlkifRequestSegment.PER_INDIRECT_PAGE;
    }
}
