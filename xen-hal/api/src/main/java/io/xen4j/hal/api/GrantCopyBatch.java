package io.xen4j.hal.api;

import io.xen4j.abi.grant.GrantTable;
import java.util.Arrays;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.jspecify.annotations.Nullable;

/**
 * A reusable batch of grant copy segments for {@link GrantTables#copy(GrantCopyBatch)}: each
 * segment copies {@code length} bytes from a source to a destination, where each side is either a
 * local buffer or a peer's grant ({@code domid}, {@code ref}, offset in the granted page). The HAL
 * writes one {@code GNTST_*} status per segment ({@link #status(int)}).
 *
 * <p>All storage is allocated up front: adding segments and running the batch allocate nothing,
 * so a backend can keep one batch per queue and refill it per request (the {@code gnttab_copy}
 * batching of Linux's netback). Not thread-safe.
 *
 * <p>The grant side of a segment must stay inside its page ({@code offset + length <= PAGE_SIZE});
 * the HAL reports {@link GrantTable#GNTST_BAD_COPY_ARG} for a segment that does not, rather than
 * throwing, because those values usually come from the peer.
 */
public final class GrantCopyBatch {
    /** The value of {@link #sourceDomid(int)} and {@link #destDomid(int)} for a local side. */
    public static final int LOCAL = -1;
    /** Status of a segment the HAL has not run yet. */
    public static final int NOT_RUN = 1;

    private final int capacity;
    private int size;

    private final @Nullable DirectBuffer[] sourceBuffers;
    private final int[] sourceOffsets;
    private final int[] sourceDomids;
    private final int[] sourceRefs;
    private final @Nullable MutableDirectBuffer[] destBuffers;
    private final int[] destOffsets;
    private final int[] destDomids;
    private final int[] destRefs;
    private final int[] lengths;
    private final int[] statuses;

    /**
     * Creates a batch.
     *
     * @param capacity the most segments it holds, at least 1
     */
    public GrantCopyBatch(final int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity=" + capacity + ": must be >= 1");
        }
        this.capacity = capacity;
        sourceBuffers = new DirectBuffer[capacity];
        sourceOffsets = new int[capacity];
        sourceDomids = new int[capacity];
        sourceRefs = new int[capacity];
        destBuffers = new MutableDirectBuffer[capacity];
        destOffsets = new int[capacity];
        destDomids = new int[capacity];
        destRefs = new int[capacity];
        lengths = new int[capacity];
        statuses = new int[capacity];
    }

    /**
     * Adds a copy from a local buffer into a peer's grant (netback's receive path, blkback's read
     * completion).
     *
     * @param source       local buffer
     * @param sourceOffset first byte in it
     * @param destDomid    the granting domain
     * @param destRef      its grant reference, which must allow writing
     * @param destOffset   first byte in the granted page
     * @param length       bytes to copy, {@code 0..PAGE_SIZE}
     * @return the segment's index
     * @throws IllegalStateException    if the batch is full
     * @throws IllegalArgumentException if the length or the local range is invalid
     */
    public int addLocalToGrant(
        final DirectBuffer source, final int sourceOffset,
        final int destDomid, final int destRef, final int destOffset, final int length) {
        checkLocal("source", source.capacity(), sourceOffset, length);
        checkDomid(destDomid);
        return add(source, sourceOffset, LOCAL, 0, null, destOffset, destDomid, destRef, length);
    }

    /**
     * Adds a copy from a peer's grant into a local buffer (netback's transmit path, blkback's
     * write).
     *
     * @param sourceDomid  the granting domain
     * @param sourceRef    its grant reference
     * @param sourceOffset first byte in the granted page
     * @param dest         local buffer
     * @param destOffset   first byte in it
     * @param length       bytes to copy, {@code 0..PAGE_SIZE}
     * @return the segment's index
     * @throws IllegalStateException    if the batch is full
     * @throws IllegalArgumentException if the length or the local range is invalid
     */
    public int addGrantToLocal(
        final int sourceDomid, final int sourceRef, final int sourceOffset,
        final MutableDirectBuffer dest, final int destOffset, final int length) {
        checkDomid(sourceDomid);
        checkLocal("dest", dest.capacity(), destOffset, length);
        return add(null, sourceOffset, sourceDomid, sourceRef, dest, destOffset, LOCAL, 0, length);
    }

    /**
     * Adds a copy between two grants, possibly of two different peers.
     *
     * @param sourceDomid  the domain granting the source
     * @param sourceRef    its grant reference
     * @param sourceOffset first byte in the source page
     * @param destDomid    the domain granting the destination
     * @param destRef      its grant reference, which must allow writing
     * @param destOffset   first byte in the destination page
     * @param length       bytes to copy, {@code 0..PAGE_SIZE}
     * @return the segment's index
     * @throws IllegalStateException    if the batch is full
     * @throws IllegalArgumentException if the length is invalid
     */
    public int addGrantToGrant(
        final int sourceDomid, final int sourceRef, final int sourceOffset,
        final int destDomid, final int destRef, final int destOffset, final int length) {
        checkDomid(sourceDomid);
        checkDomid(destDomid);
        checkLength(length);
        return add(null, sourceOffset, sourceDomid, sourceRef, null, destOffset, destDomid, destRef, length);
    }

    private int add(
        final @Nullable DirectBuffer srcBuffer, final int srcOffset, final int srcDomid, final int srcRef,
        final @Nullable MutableDirectBuffer dstBuffer, final int dstOffset, final int dstDomid, final int dstRef,
        final int length) {
        if (size == capacity) {
            throw new IllegalStateException("grant copy batch full: capacity=" + capacity);
        }
        final int i = size++;
        sourceBuffers[i] = srcBuffer;
        sourceOffsets[i] = srcOffset;
        sourceDomids[i] = srcDomid;
        sourceRefs[i] = srcRef;
        destBuffers[i] = dstBuffer;
        destOffsets[i] = dstOffset;
        destDomids[i] = dstDomid;
        destRefs[i] = dstRef;
        lengths[i] = length;
        statuses[i] = NOT_RUN;
        return i;
    }

    private static void checkLength(final int length) {
        if (length < 0 || length > GrantTables.PAGE_SIZE) {
            throw new IllegalArgumentException("length=" + length + ": must be in [0, " + GrantTables.PAGE_SIZE + "]");
        }
    }

    private static void checkLocal(final String side, final int capacity, final int offset, final int length) {
        checkLength(length);
        if (offset < 0 || offset > capacity - length) {
            throw new IllegalArgumentException(
                side + " offset=" + offset + " length=" + length + " capacity=" + capacity + ": outside the local buffer");
        }
    }

    private static void checkDomid(final int domid) {
        if (domid < 0 || domid > 0xFFFF) {
            throw new IllegalArgumentException("domid=" + domid + ": must be in [0, 65535]");
        }
    }

    /**
     * Removes every segment, keeping the storage.
     */
    public void clear() {
        // Drop the buffer references so a reused batch does not keep old buffers alive.
        Arrays.fill(sourceBuffers, 0, size, null);
        Arrays.fill(destBuffers, 0, size, null);
        size = 0;
    }

    /**
     * How many segments the batch holds.
     *
     * @return the size
     */
    public int size() {
        return size;
    }

    /**
     * The most segments the batch can hold.
     *
     * @return the capacity
     */
    public int capacity() {
        return capacity;
    }

    /**
     * The status of a segment after {@link GrantTables#copy(GrantCopyBatch)}.
     *
     * @param i the segment's index
     * @return a {@code GNTST_*} value ({@link GrantTable#GNTST_OKAY} when copied), or {@link #NOT_RUN}
     */
    public int status(final int i) {
        checkIndex(i);
        return statuses[i];
    }

    /**
     * Whether every segment was copied.
     *
     * @return true when every status is {@link GrantTable#GNTST_OKAY}
     */
    public boolean allOkay() {
        for (int i = 0; i < size; i++) {
            if (statuses[i] != GrantTable.GNTST_OKAY) {
                return false;
            }
        }
        return true;
    }

    /**
     * Sets a segment's status; for HAL implementations.
     *
     * @param i      the segment's index
     * @param status a {@code GNTST_*} value
     */
    public void status(final int i, final int status) {
        checkIndex(i);
        statuses[i] = status;
    }

    /**
     * The source's local buffer.
     *
     * @param i the segment's index
     * @return the buffer, or {@code null} when the source is a grant
     */
    public @Nullable DirectBuffer sourceBuffer(final int i) {
        checkIndex(i);
        return sourceBuffers[i];
    }

    /**
     * The source's offset: in the local buffer, or in the granted page.
     *
     * @param i the segment's index
     * @return the offset
     */
    public int sourceOffset(final int i) {
        checkIndex(i);
        return sourceOffsets[i];
    }

    /**
     * The domain granting the source.
     *
     * @param i the segment's index
     * @return the domain id, or {@link #LOCAL}
     */
    public int sourceDomid(final int i) {
        checkIndex(i);
        return sourceDomids[i];
    }

    /**
     * The source's grant reference.
     *
     * @param i the segment's index
     * @return the reference; meaningless for a local source
     */
    public int sourceRef(final int i) {
        checkIndex(i);
        return sourceRefs[i];
    }

    /**
     * The destination's local buffer.
     *
     * @param i the segment's index
     * @return the buffer, or {@code null} when the destination is a grant
     */
    public @Nullable MutableDirectBuffer destBuffer(final int i) {
        checkIndex(i);
        return destBuffers[i];
    }

    /**
     * The destination's offset: in the local buffer, or in the granted page.
     *
     * @param i the segment's index
     * @return the offset
     */
    public int destOffset(final int i) {
        checkIndex(i);
        return destOffsets[i];
    }

    /**
     * The domain granting the destination.
     *
     * @param i the segment's index
     * @return the domain id, or {@link #LOCAL}
     */
    public int destDomid(final int i) {
        checkIndex(i);
        return destDomids[i];
    }

    /**
     * The destination's grant reference.
     *
     * @param i the segment's index
     * @return the reference; meaningless for a local destination
     */
    public int destRef(final int i) {
        checkIndex(i);
        return destRefs[i];
    }

    /**
     * The number of bytes the segment copies.
     *
     * @param i the segment's index
     * @return the length
     */
    public int length(final int i) {
        checkIndex(i);
        return lengths[i];
    }

    private void checkIndex(final int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("segment=" + i + " size=" + size);
        }
    }
}
