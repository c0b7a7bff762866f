package io.xen4j.abi;

import java.nio.ByteOrder;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

/**
 * Volatile and atomic access to little-endian words and bitmaps that the hypervisor (or the
 * simulated host) updates concurrently: {@code shared_info} event bits, {@code vcpu_info} selector
 * and flags, time versions.
 *
 * <p>{@link AtomicBuffer}'s volatile and atomic methods use the native byte order, Xen's words are
 * little-endian; the two agree on every host Xen runs on, and the conversion below keeps the
 * simulated host right elsewhere. Bitmaps are worked on through the aligned 32-bit word that holds
 * the bit: in a little-endian bitmap bit {@code n} is bit {@code n % 32} of 32-bit word
 * {@code n / 32} whatever the C word size, so one code path serves the 32- and 64-bit layouts, as
 * Linux's {@code sync_set_bit} on x86 does.
 */
final class SharedWords {
    private static final boolean NATIVE_IS_XEN = ByteOrder.nativeOrder() == StructFlyweight.XEN_BYTE_ORDER;

    private SharedWords() {
    }

    /**
     * The buffer as an {@link AtomicBuffer}, or a clear error.
     *
     * @param buffer     buffer a flyweight is wrapped over
     * @param structName C name of the structure, for the message
     * @return the same buffer
     * @throws IllegalStateException if the buffer has no atomic operations
     */
    static AtomicBuffer atomic(final MutableDirectBuffer buffer, final String structName) {
        if (buffer instanceof AtomicBuffer atomic) {
            return atomic;
        }
        throw new IllegalStateException(structName + ": volatile and atomic access needs an AtomicBuffer"
            + " (such as UnsafeBuffer), buffer=" + buffer.getClass().getName());
    }

    static int getIntVolatile(final AtomicBuffer buffer, final int index) {
        return toXen(buffer.getIntVolatile(index));
    }

    static void putIntVolatile(final AtomicBuffer buffer, final int index, final int value) {
        buffer.putIntVolatile(index, toXen(value));
    }

    static int getAndSetInt(final AtomicBuffer buffer, final int index, final int value) {
        return toXen(buffer.getAndSetInt(index, toXen(value)));
    }

    static long getAndSetLong(final AtomicBuffer buffer, final int index, final long value) {
        final long nativeValue = NATIVE_IS_XEN ? value : Long.reverseBytes(value);
        final long old = buffer.getAndSetLong(index, nativeValue);
        return NATIVE_IS_XEN ? old : Long.reverseBytes(old);
    }

    /**
     * Reads bit {@code bit} of the little-endian bitmap at {@code bitmap}, with volatile semantics.
     */
    static boolean testBit(final AtomicBuffer buffer, final int bitmap, final int bit) {
        return (buffer.getIntVolatile(wordIndex(bitmap, bit)) & nativeMask(bit)) != 0;
    }

    /**
     * Atomically sets a bit.
     *
     * @return whether the bit was already set
     */
    static boolean testAndSetBit(final AtomicBuffer buffer, final int bitmap, final int bit) {
        final int index = wordIndex(bitmap, bit);
        final int mask = nativeMask(bit);
        while (true) {
            final int old = buffer.getIntVolatile(index);
            if ((old & mask) != 0) {
                return true;
            }
            if (buffer.compareAndSetInt(index, old, old | mask)) {
                return false;
            }
        }
    }

    /**
     * Atomically clears a bit.
     *
     * @return whether the bit was set
     */
    static boolean testAndClearBit(final AtomicBuffer buffer, final int bitmap, final int bit) {
        final int index = wordIndex(bitmap, bit);
        final int mask = nativeMask(bit);
        while (true) {
            final int old = buffer.getIntVolatile(index);
            if ((old & mask) == 0) {
                return false;
            }
            if (buffer.compareAndSetInt(index, old, old & ~mask)) {
                return true;
            }
        }
    }

    private static int wordIndex(final int bitmap, final int bit) {
        return bitmap + (bit >>> 5) * Integer.BYTES;
    }

    private static int nativeMask(final int bit) {
        return toXen(1 << (bit & 31));
    }

    /** Converts between native and Xen byte order; the conversion is its own inverse. */
    private static int toXen(final int value) {
        return NATIVE_IS_XEN ? value : Integer.reverseBytes(value);
    }
}
