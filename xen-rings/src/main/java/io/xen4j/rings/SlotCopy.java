package io.xen4j.rings;

import org.agrona.DirectBuffer;

/**
 * The private copy of one consumed slot, copied out of the shared page piece by piece as the
 * consumer finds out how much of it it needs: a header prefix first, then, for a length read from
 * that private header, the rest. One per ring, reused for every slot (a flyweight); handed to a
 * {@link SlotCopyHandler} by {@link BackRing#pollRequests(SlotCopyHandler, int, int)} and
 * {@link FrontRing#pollResponses(SlotCopyHandler, int, int)}.
 *
 * <p><b>Why this keeps the {@code RING_COPY_*} rule (SECURITY-RULES R2).</b> R2 asks that each
 * shared byte be read once and that every decision be made on the private copy; it does not ask
 * that bytes nobody uses be copied. Here:
 * <ul>
 *   <li>the copy only grows: {@link #copyUpTo(int)} copies the bytes between what is already copied
 *       and the new length, so no shared byte is ever read twice, and bytes already copied never
 *       change (a peer that rewrites the slot meanwhile changes only bytes not yet copied, which
 *       the consumer has not looked at);</li>
 *   <li>the length the consumer asks for comes from its private copy (blkif: {@code nr_segments}
 *       read from the copied header), never from the shared page, and the copy is clamped to
 *       {@link #maxLength()}, {@code sizeof} the consumed type: a hostile length makes the copy
 *       stop at the end of the type, never read outside the slot or the ring;</li>
 *   <li>{@link #buffer()} covers exactly the bytes copied: a consumer that reads past them gets an
 *       {@link IndexOutOfBoundsException} from the buffer (Agrona's bounds checks), not the stale
 *       bytes of an earlier slot;</li>
 *   <li>the copy is open only while the handler runs and until this ring claims or produces in the
 *       same slot (a response overwrites its request's slot): after that {@link #copyUpTo(int)}
 *       copies nothing more and the consumer sees a shorter copy than it asked for.</li>
 * </ul>
 * A C compiler does the same to {@code RING_COPY_REQUEST} when the copy is a local variable: gcc
 * keeps only the loads of the fields used afterwards. Here the consumer says which ones.
 *
 * <pre>{@code
 * back.pollRequests(request -> {               // the 24-byte header is copied
 *     DirectBuffer copy = request.buffer();
 *     int n = BlkifRequest.nrSegments(copy, 0); // from the private copy
 *     if (n == 0 || n > BLKIF_MAX_SEGMENTS_PER_REQUEST) { answer BLKIF_RSP_ERROR; return; }
 *     request.copyUpTo(BlkifRequest.SEG_OFFSET + n * BlkifRequestSegment.LENGTH);
 *     ...
 * }, BlkifRequest.SEG_OFFSET, Integer.MAX_VALUE);
 * }</pre>
 *
 * <p>Not thread-safe; allocates nothing.
 */
public final class SlotCopy {
    /** {@link #slotOffset} when the copy is closed: no slot lies at a negative offset. */
    private static final int CLOSED = -1;

    private final SharedRing ring;
    /** {@code sizeof} the consumed type. */
    private final int maxLength;
    /** View of the bytes copied so far: its capacity is {@link #copied}. */
    private final SlotCopyView view;
    /**
     * Offset of the slot being copied while the copy is open, else {@link #CLOSED}: one field for
     * both, so that opening, closing and claiming a slot each store one value.
     */
    private int slotOffset = CLOSED;
    private int ringIndex;
    private int copied;

    SlotCopy(final SharedRing ring, final long address, final int maxLength) {
        this.ring = ring;
        this.maxLength = maxLength;
        this.view = new SlotCopyView(address);
    }

    /**
     * Starts the copy of the slot at {@code slotOffset} with its first {@code end} bytes; the caller
     * has clamped {@code end} to {@code 0..maxLength()} (once per batch, not per slot).
     */
    void open(final int slotOffset, final int ringIndex, final int end) {
        this.slotOffset = slotOffset;
        this.ringIndex = ringIndex;
        // The prefix directly (not through copyUpTo): one limit of the view per slot, not two.
        if (end > 0) {
            ring.copyOutRange(slotOffset, 0, end);
        }
        copied = end;
        view.limit(end);
    }

    /** Ends the copy: nothing more is read from the slot. */
    void close() {
        slotOffset = CLOSED;
    }

    /**
     * Called by the ring before it writes a slot it claims or produces: if that is the slot being
     * copied, the copy ends there (its bytes are now this side's own, not the peer's).
     */
    void slotClaimed(final int claimedOffset) {
        if (claimedOffset == slotOffset) {
            slotOffset = CLOSED;
        }
    }

    /**
     * Copies the slot's bytes up to {@code length} into the private copy, if not copied yet:
     * the bytes from {@link #length()} to {@code min(length, maxLength())}, each read once from the
     * shared page. Asking for less than is already copied, a negative length, or asking after the
     * handler returned or after this ring claimed the slot copies nothing.
     *
     * @param length how many bytes from the start of the slot the consumer needs, computed from the
     *               private copy; clamped to {@link #maxLength()}
     * @return the bytes now copied, {@link #length()}: less than {@code length} if it was beyond
     *     {@code sizeof} the type or the copy is closed
     */
    public int copyUpTo(final int length) {
        final int end = Math.min(length, maxLength);
        final int from = copied;
        final int offset = slotOffset;
        if (end > from && offset != CLOSED) {
            ring.copyOutRange(offset, from, end);
            copied = end;
            view.limit(end);
        }
        return copied;
    }

    /**
     * The private copy: the slot's bytes from offset 0 to {@link #length()}; its capacity is that
     * length, so a read beyond what was copied throws instead of returning stale bytes. The same
     * object for every slot of the ring: a handler that keeps data copies it out.
     *
     * @return the private copy
     */
    public DirectBuffer buffer() {
        return view;
    }

    /**
     * How many bytes of the slot are copied, from its start.
     *
     * @return 0 to {@link #maxLength()}
     */
    public int length() {
        return copied;
    }

    /**
     * {@code sizeof} the consumed type: the most {@link #copyUpTo(int)} copies.
     *
     * @return bytes
     */
    public int maxLength() {
        return maxLength;
    }

    /**
     * Free-running index of the slot (the request or response index).
     *
     * @return the index
     */
    public int ringIndex() {
        return ringIndex;
    }

    /**
     * Whether more can be copied: the handler is running and the ring has not claimed the slot.
     *
     * @return true while {@link #copyUpTo(int)} may still copy
     */
    public boolean isOpen() {
        return slotOffset != CLOSED;
    }
}
