package io.xen4j.rings;

import io.xen4j.abi.ring.RingSizes;
import io.xen4j.abi.ring.SringHeader;
import java.nio.ByteOrder;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
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
    /** The shared area: header and slots, {@code 2^order} pages. */
    AtomicBuffer buffer = UNATTACHED;
    /** {@code nr_ents}: slots in the ring, a power of two. */
    int size;
    /** {@code size - 1}. */
    int mask;
    @Nullable RingViolation violation;
    String brokenReason = "";

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
        // Off-heap and cache-line aligned: bulk copies from the shared page into native memory
        // take the fast copy stub, copies into a byte[] a slower one.
        this.slotCopy = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            BitUtil.align(consumeLength, BitUtil.CACHE_LINE_LENGTH), BitUtil.CACHE_LINE_LENGTH), 0, consumeLength);
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
        this.buffer = sharedRing;
        this.size = ringSize;
        this.mask = ringSize - 1;
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

    /** Copies up to this many bytes with word moves; longer copies go through one bulk copy. */
    static final int SMALL_COPY = 64;

    /**
     * {@code RING_COPY_*}: copies {@link #consumeLength} bytes of the slot at {@code slotOffset} out
     * of the shared area, reading each byte once. Small types (most responses, netif requests) are
     * moved a word at a time, which costs less than the call of a bulk copy.
     */
    final void copyOut(final int slotOffset, final MutableDirectBuffer destination, final int offset) {
        final int length = consumeLength;
        if (length > SMALL_COPY) {
            buffer.getBytes(slotOffset, destination, offset, length);
            return;
        }
        int i = 0;
        for (; i <= length - Long.BYTES; i += Long.BYTES) {
            destination.putLong(offset + i, buffer.getLong(slotOffset + i));
        }
        for (; i < length; i++) {
            destination.putByte(offset + i, buffer.getByte(slotOffset + i));
        }
    }

    /**
     * Zeroes the {@link #produceLength} bytes of a claimed slot (R7), small types a word at a time.
     */
    final void zeroClaimed(final int slotOffset) {
        final int length = produceLength;
        if (length > SMALL_COPY) {
            buffer.setMemory(slotOffset, length, (byte) 0);
            return;
        }
        int i = 0;
        for (; i <= length - Long.BYTES; i += Long.BYTES) {
            buffer.putLong(slotOffset + i, 0L);
        }
        for (; i < length; i++) {
            buffer.putByte(slotOffset + i, (byte) 0);
        }
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
