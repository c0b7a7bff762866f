package io.xen4j.abi;

/**
 * Argument checks shared by the flyweights, with messages in {@code key=value} form that name
 * the structure.
 */
public final class AbiChecks {
    private AbiChecks() {
    }

    /**
     * Checks that a structure of {@code length} bytes fits in a buffer at {@code offset}.
     *
     * @param structName C name of the structure
     * @param length     size of the structure
     * @param capacity   capacity of the buffer
     * @param offset     offset of the structure in the buffer
     * @throws IllegalArgumentException naming the structure, the offset, its length and the capacity
     */
    public static void checkFits(final String structName, final int length, final int capacity, final int offset) {
        if (offset < 0 || offset > capacity - length) {
            throw new IllegalArgumentException(
                structName + " does not fit: offset=" + offset + " length=" + length + " capacity=" + capacity);
        }
    }

    /**
     * Checks an array index against the array's length.
     *
     * @param structName C name of the structure that holds the array
     * @param field      C name of the array field
     * @param index      index asked for
     * @param count      number of elements of the array
     * @return the index
     * @throws IndexOutOfBoundsException naming the structure, the field, the index and the count
     */
    public static int checkIndex(final String structName, final String field, final int index, final int count) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException(
                structName + "." + field + ": index=" + index + " count=" + count);
        }
        return index;
    }
}
