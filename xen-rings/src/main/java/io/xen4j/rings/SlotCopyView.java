package io.xen4j.rings;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The buffer a {@link SlotCopy} hands out: a view of the ring's private copy whose capacity is the
 * number of bytes copied so far, so that a read beyond them fails Agrona's bounds check instead of
 * returning bytes of an earlier slot.
 *
 * <p>A class of its own for one reason: {@link #limit(int)} moves the capacity with one field
 * store. {@link UnsafeBuffer#wrap(long, int)} would do the same with five (address, capacity,
 * array, byte buffer, wrap adjustment, two of them references with GC barriers), twice per slot on
 * the consume path. The address never changes: it is the ring's private copy for the life of the
 * ring.
 */
final class SlotCopyView extends UnsafeBuffer {
    SlotCopyView(final long address) {
        super(address, 0);
    }

    /** Makes bytes {@code 0} to {@code length} readable; {@code length} is within the private copy. */
    void limit(final int length) {
        capacity = length;
    }
}
