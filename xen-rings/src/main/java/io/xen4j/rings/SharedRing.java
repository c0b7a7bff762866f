package io.xen4j.rings;

import io.xen4j.abi.ring.RingSizes;
import io.xen4j.abi.ring.SringHeader;
import java.nio.ByteOrder;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.jspecify.annotations.Nullable;

/**
 * State and arithmetic shared by {@link FrontRing} and {@link BackRing}: the shared area, the ring
 * size, slot addressing and the broken state. Indices are free-running unsigned 32-bit values held
 * in {@code int}s: they are compared by subtraction ({@link Integer#compareUnsigned}) and masked
 * only to address a slot.
 */
abstract sealed class SharedRing extends RingPadding permits FrontRingIndices, BackRingIndices {
    private static final AtomicBuffer UNATTACHED = new UnsafeBuffer(new byte[0]);

    /** Name of the ring in messages, for example {@code "vbd-51712.front"}. */
    final String name;
    /** Size of a slot: the larger of the request and the response. */
    final int slotLength;
    /** {@code sizeof} of what this side produces: zeroed when claimed. */
    final int produceLength;
    /** {@code sizeof} of what this side consumes: copied out, as RING_COPY_* copies the type. */
    final int consumeLength;
    /** Private copy of the slot being consumed (RING_COPY_*). */
    final UnsafeBuffer slotCopy;
    /** Native address of {@link #slotCopy}: fixed, the buffer is never re-wrapped. */
    private final long slotCopyAddress;
    /** The partial copy of the slot being consumed, over the same private memory as {@link #slotCopy}. */
    final SlotCopy partialCopy;
    /** The slot this side claimed last, as a buffer ({@link #claimedSlotView}). */
    private final SlotView slotView = new SlotView();
    /** The shared area: header and slots, {@code 2^order} pages. */
    AtomicBuffer buffer = UNATTACHED;
    /** {@code nr_ents}: slots in the ring, a power of two. */
    int size;
    /** {@code size - 1}. */
    int mask;
    /**
     * The shared area when it is a plain {@link UnsafeBuffer}: slots are then moved with unchecked
     * word moves ({@link SlotMoves}). Null for other buffers (a HAL's page view that checks each
     * access, stitches pages or fails after unmap), which keep Agrona's checked copies.
     */
    @Nullable UnsafeBuffer plainBuffer;
    /** {@code RING_OFFSET + size * slotLength}: every slot lies below it. */
    int ringEnd;
    @Nullable RingViolation violation;
    String brokenReason = "";

    /** Alignment and padding of the private slot copy: two cache lines. */
    private static final int PRIVATE_ALIGNMENT = 2 * BitUtil.CACHE_LINE_LENGTH;

    SharedRing(final String name, final int produceLength, final int consumeLength, final int slotLength) {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new UnsupportedOperationException("ring=" + name + ": shared rings need a little-endian machine,"
                + " nativeOrder=" + ByteOrder.nativeOrder());
        }
        final int maxSlot = RingSizes.ringBytes(RingSizes.MAX_RING_PAGE_ORDER) - SringHeader.RING_OFFSET;
        if (produceLength <= 0 || consumeLength <= 0 || slotLength < Math.max(produceLength, consumeLength)
            || slotLength > maxSlot) {
            throw new IllegalArgumentException("ring=" + name + ": request, response or slot length out of range:"
                + " produceLength=" + produceLength + " consumeLength=" + consumeLength + " slotLength=" + slotLength
                + " maxSlot=" + maxSlot);
        }
        this.name = name;
        this.produceLength = produceLength;
        this.consumeLength = consumeLength;
        this.slotLength = slotLength;
        // Off-heap, so that the word moves address it without an array base. Aligned to and padded
        // to 128 bytes, the pair of cache lines some CPUs prefetch together: the private copy of
        // a frontend and that of a backend in the same JVM never share one.
        this.slotCopy = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            BitUtil.align(consumeLength, PRIVATE_ALIGNMENT), PRIVATE_ALIGNMENT), 0, consumeLength);
        this.slotCopyAddress = slotCopy.addressOffset();
        this.partialCopy = new SlotCopy(this, slotCopyAddress, consumeLength);
    }

    /**
     * Points the ring at a shared area and computes {@code nr_ents} ({@code __RING_SIZE}).
     */
    final void wrap(final AtomicBuffer sharedRing) {
        final int capacity = sharedRing.capacity();
        RingSizes.pageOrderOf(capacity);
        if ((sharedRing.addressOffset() & (Integer.BYTES - 1)) != 0) {
            throw new IllegalArgumentException("ring=" + name + ": shared ring is not 4-byte aligned: addressOffset="
                + sharedRing.addressOffset());
        }
        final int ringSize = RingSizes.ringSize(capacity, slotLength);
        // A slot offset of the old area means nothing in the new one: no partial copy goes on.
        partialCopy.close();
        this.buffer = sharedRing;
        this.size = ringSize;
        this.mask = ringSize - 1;
        this.ringEnd = SringHeader.RING_OFFSET + ringSize * slotLength;
        // Exact class: a subclass may override accessors with checks that the word moves would skip.
        this.plainBuffer = sharedRing.getClass() == UnsafeBuffer.class ? (UnsafeBuffer) sharedRing : null;
        this.violation = null;
        this.brokenReason = "";
    }

    /**
     * {@code RING_SIZE}: the number of slots.
     *
     * @return a power of two; 0 before {@code init} or {@code attach}
     */
    public final int size() {
        return size;
    }

    /**
     * Size of one slot: the larger of the request and the response, as the C union.
     *
     * @return bytes
     */
    public final int slotLength() {
        return slotLength;
    }

    /**
     * Name of the ring, as it appears in messages.
     *
     * @return the name
     */
    public final String name() {
        return name;
    }

    /**
     * The shared area the ring works on: write claimed slots through it.
     *
     * @return the buffer of the last {@code init} or {@code attach}
     */
    public final AtomicBuffer buffer() {
        return buffer;
    }

    /**
     * {@code RING_GET_REQUEST} / {@code RING_GET_RESPONSE}: the offset in {@link #buffer()} of the
     * slot of a free-running index, masked to the ring.
     *
     * @param index request or response index
     * @return offset of the slot
     */
    public final int slotOffset(final int index) {
        return SringHeader.RING_OFFSET + (index & mask) * slotLength;
    }

    /**
     * Whether the peer broke a ring rule; a broken ring produces and consumes nothing more until it
     * is attached again.
     *
     * @return true once a violation was seen
     */
    public final boolean isBroken() {
        return violation != null;
    }

    /**
     * The first rule the peer broke.
     *
     * @return the violation, or null while the ring is sound
     */
    public final @Nullable RingViolation violation() {
        return violation;
    }

    /**
     * Why the ring is broken, with the ring name, the rule and the index values.
     *
     * @return the message, or the empty string while the ring is sound
     */
    public final String brokenReason() {
        return brokenReason;
    }

    /** Breaks the ring (the first violation wins) and returns false, for use in validations. */
    final boolean fail(final RingViolation rule, final String indices, final String advice) {
        if (violation == null) {
            violation = rule;
            brokenReason = "ring=" + name + " rule=" + rule + " (SECURITY-RULES " + rule.securityRule() + ") "
                + indices + " size=" + size + ": " + advice;
        }
        return false;
    }

    /**
     * The plain buffer, if the slots of this ring may be moved unchecked now: the buffer is a plain
     * {@link UnsafeBuffer} and still covers the whole ring. Checked before every move because the
     * caller owns the buffer and may re-wrap it; a slot offset is below {@link #ringEnd} by
     * construction, so this one comparison bounds every byte of the move.
     */
    private @Nullable UnsafeBuffer plainCoveringRing() {
        final UnsafeBuffer plain = plainBuffer;
        return plain != null && plain.capacity() >= ringEnd ? plain : null;
    }

    /**
     * {@code RING_COPY_*} into the ring's private {@link #slotCopy}: copies {@link #consumeLength}
     * bytes of the slot at {@code slotOffset}, reading each byte once.
     */
    final void copyOutToSlotCopy(final int slotOffset) {
        final UnsafeBuffer plain = plainCoveringRing();
        if (plain != null) {
            SlotMoves.copy(plain.byteArray(), plain.addressOffset() + slotOffset, null, slotCopyAddress, consumeLength);
        } else {
            buffer.getBytes(slotOffset, slotCopy, 0, consumeLength);
        }
    }

    /**
     * Part of a {@code RING_COPY_*} into the ring's private {@link #slotCopy}: bytes {@code from} to
     * {@code to} of the slot at {@code slotOffset}, to the same offsets of the copy, each read once.
     * {@code 0 <= from < to <= consumeLength} ({@link SlotCopy} guarantees it), so the range lies
     * in the slot, below {@link #ringEnd}.
     */
    final void copyOutRange(final int slotOffset, final int from, final int to) {
        final UnsafeBuffer plain = plainCoveringRing();
        if (plain != null) {
            SlotMoves.copy(plain.byteArray(), plain.addressOffset() + slotOffset + from, null, slotCopyAddress + from,
                to - from);
        } else {
            buffer.getBytes(slotOffset + from, slotCopy, from, to - from);
        }
    }

    /**
     * {@code RING_COPY_*} into a caller's buffer: copies {@link #consumeLength} bytes of the slot at
     * {@code slotOffset}, reading each byte once.
     *
     * @throws IndexOutOfBoundsException if the destination range is outside {@code destination}
     */
    final void copyOut(final int slotOffset, final MutableDirectBuffer destination, final int offset) {
        final int length = consumeLength;
        final UnsafeBuffer plain = plainCoveringRing();
        if (plain != null && destination.getClass() == UnsafeBuffer.class) {
            destination.boundsCheck(offset, length);
            final long from = plain.addressOffset() + slotOffset;
            final long to = destination.addressOffset() + offset;
            if (!SlotMoves.overlap(plain.byteArray(), from, destination.byteArray(), to, length)) {
                SlotMoves.copy(plain.byteArray(), from, destination.byteArray(), to, length);
                return;
            }
        }
        buffer.getBytes(slotOffset, destination, offset, length);
    }

    /**
     * Copies {@link #produceLength} bytes built in private memory into the slot at
     * {@code slotOffset} ({@code *RING_GET_*(r, pvt) = *item}).
     *
     * @throws IndexOutOfBoundsException if the source range is outside {@code source}
     */
    final void copyIn(final int slotOffset, final DirectBuffer source, final int offset) {
        final int length = produceLength;
        final UnsafeBuffer plain = plainCoveringRing();
        if (plain != null && source.getClass() == UnsafeBuffer.class) {
            source.boundsCheck(offset, length);
            final long from = source.addressOffset() + offset;
            final long to = plain.addressOffset() + slotOffset;
            if (!SlotMoves.overlap(source.byteArray(), from, plain.byteArray(), to, length)) {
                SlotMoves.copy(source.byteArray(), from, plain.byteArray(), to, length);
                return;
            }
        }
        buffer.putBytes(slotOffset, source, offset, length);
    }

    /**
     * Zeroes the {@link #produceLength} bytes of the request slot a {@link FrontRing} claims (R7).
     * {@link BackRing}'s claim has {@link #zeroClaimedResponse}: the same clear, moved by a method
     * of its own so that each is compiled for its own length ({@link SlotMoves#zeroRequest}).
     */
    final void zeroClaimedRequest(final int slotOffset) {
        final UnsafeBuffer plain = plainCoveringRing();
        if (plain != null) {
            SlotMoves.zeroRequest(plain.byteArray(), plain.addressOffset() + slotOffset, produceLength);
        } else {
            buffer.setMemory(slotOffset, produceLength, (byte) 0);
        }
    }

    /** Zeroes the {@link #produceLength} bytes of the response slot a {@link BackRing} claims (R7). */
    final void zeroClaimedResponse(final int slotOffset) {
        final UnsafeBuffer plain = plainCoveringRing();
        if (plain != null) {
            SlotMoves.zeroResponse(plain.byteArray(), plain.addressOffset() + slotOffset, produceLength);
        } else {
            buffer.setMemory(slotOffset, produceLength, (byte) 0);
        }
    }

    /**
     * Points this ring's {@link SlotView} at the slot at {@code slotOffset}, just claimed: its
     * {@link #produceLength} bytes, unchecked native memory when the shared area is a plain native
     * buffer covering the ring (checked here, as before every move), else forwarded to the buffer.
     */
    final SlotView claimedSlotView(final int slotOffset) {
        final UnsafeBuffer plain = plainCoveringRing();
        if (plain != null && plain.byteArray() == null) {
            slotView.pointTo(plain.addressOffset() + slotOffset, produceLength);
        } else {
            slotView.delegateTo(buffer, slotOffset, produceLength);
        }
        return slotView;
    }

    /** Unsigned 32-bit {@code a > b}. */
    static boolean above(final int a, final int b) {
        return Integer.compareUnsigned(a, b) > 0;
    }

    /** An index as the unsigned value C prints. */
    static String u32(final int index) {
        return Integer.toUnsignedString(index);
    }

    /**
     * The notify test of {@code RING_PUSH_*_AND_CHECK_NOTIFY}: the peer asked for an event at an index
     * in {@code (oldProd, newProd]}.
     */
    static boolean eventInRange(final int newProd, final int oldProd, final int event) {
        return Integer.compareUnsigned(newProd - event, newProd - oldProd) < 0;
    }
}
