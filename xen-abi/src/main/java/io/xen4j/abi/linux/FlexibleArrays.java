package io.xen4j.abi.linux;

import io.xen4j.abi.AbiChecks;

/**
 * Size and bounds arithmetic for the ioctl structures that end in a C flexible array declared as
 * {@code x[1]} ({@code refs}, {@code gref_ids}): the array is as long as the structure's
 * {@code count}, so its bound is what the wrapped buffer holds, not a constant.
 */
final class FlexibleArrays {
    private FlexibleArrays() {
    }

    /**
     * Bytes a structure with {@code count} array elements needs: never less than its
     * {@code sizeof}, which the kernel copies whole before it reads the array.
     */
    static int lengthFor(
        final String structName, final int length, final int arrayOffset, final int elementLength, final int count) {
        if (count < 0 || count > (Integer.MAX_VALUE - arrayOffset) / elementLength) {
            throw new IllegalArgumentException(structName + ": count=" + count + " is negative or too large:"
                + " arrayOffset=" + arrayOffset + " elementLength=" + elementLength);
        }
        return Math.max(length, arrayOffset + count * elementLength);
    }

    /** Elements that fit in a buffer of {@code capacity} bytes after a structure at {@code offset}. */
    static int capacity(final int capacity, final int offset, final int arrayOffset, final int elementLength) {
        return Math.max(0, capacity - offset - arrayOffset) / elementLength;
    }

    /** Offset of element {@code index}, checked against what the buffer holds. */
    static int elementOffset(
        final String structName, final String field, final int capacity, final int offset, final int arrayOffset,
        final int elementLength, final int index) {
        AbiChecks.checkIndex(structName, field, index, capacity(capacity, offset, arrayOffset, elementLength));
        return offset + arrayOffset + index * elementLength;
    }
}
