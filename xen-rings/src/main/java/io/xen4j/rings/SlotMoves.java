package io.xen4j.rings;

import org.agrona.UnsafeApi;
import org.jspecify.annotations.Nullable;

/**
 * Unchecked word moves for slot copies and slot clears, the Java counterpart of the inline
 * {@code memcpy} and {@code memset} a C compiler emits for {@code RING_COPY_*} and for clearing a
 * constant-size struct.
 *
 * <p>Agrona's {@code getBytes}/{@code setMemory} check the bounds of both buffers and then call a
 * bulk-copy stub, and a word loop whose trip count comes from a field is compiled into pre-, main-
 * and post-loops: for the 16 to 112 bytes of a slot either costs more than the moves themselves.
 * These methods move the length by its binary digits (64, 32, 16, 8, 4, 2, 1 bytes) in
 * straight-line 8-byte loads and stores, with a loop of 64-byte blocks only from 128 bytes on; a
 * ring's lengths never change, so every branch is predicted. Each source byte is read exactly once
 * (a peer that rewrites the slot meanwhile cannot make two reads disagree).
 *
 * <p><b>Nothing here checks bounds.</b> Callers prove them: a slot offset is
 * {@code RING_OFFSET + (index & mask) * slotLength}, below the ring end that
 * {@link SharedRing#wrap} checked against the capacity, and the callers check the capacity of the
 * buffer again before each move, so a buffer re-wrapped smaller falls back to the checked path.
 * Addresses follow Agrona's convention: {@code base} is the {@code byte[]} of a heap buffer (its
 * address is then an offset into the array) or null for native memory.
 */
final class SlotMoves {
    private SlotMoves() {
    }

    /**
     * Whether two ranges of {@code length} bytes share a byte: only possible in the same array or
     * both in native memory. Agrona's copies move overlapping ranges as {@code memmove} does; the
     * word moves do not, so the callers fall back to them.
     *
     * @param srcArray   source array, or null for native memory
     * @param srcAddress source address (or array offset)
     * @param dstArray   destination array, or null for native memory
     * @param dstAddress destination address (or array offset)
     * @param length     bytes
     * @return true if the ranges overlap
     */
    @SuppressWarnings("ReferenceEquality") // the same array object, not equal contents
    static boolean overlap(
        final byte @Nullable [] srcArray, final long srcAddress, final byte @Nullable [] dstArray,
        final long dstAddress, final int length) {
        return srcArray == dstArray && srcAddress < dstAddress + length && dstAddress < srcAddress + length;
    }

    /**
     * Copies {@code length} bytes; the two ranges must not overlap ({@link #overlap}).
     *
     * @param srcBase    source array, or null for native memory
     * @param srcAddress source address (or array offset)
     * @param dstBase    destination array, or null for native memory
     * @param dstAddress destination address (or array offset)
     * @param length     bytes to copy, at least 0
     */
    static void copy(
        final @Nullable Object srcBase, final long srcAddress, final @Nullable Object dstBase, final long dstAddress,
        final int length) {
        long i = 0;
        int rest = length;
        // One test for everything from 64 bytes on, so that a site that only moves less (a
        // response, a segment) compiles one test and one trap for it, not two.
        if (rest >= 64) {
            for (; rest >= 128; rest -= 64) {
                copy64(srcBase, srcAddress + i, dstBase, dstAddress + i);
                i += 64;
            }
            copy64(srcBase, srcAddress + i, dstBase, dstAddress + i);
            i += 64;
            rest -= 64;
        }
        // The rest, below 64 bytes, by its binary digits: straight-line code without a loop to
        // set up, and with a slot length fixed per ring every branch is predicted.
        if ((rest & 32) != 0) {
            copy16(srcBase, srcAddress + i, dstBase, dstAddress + i);
            copy16(srcBase, srcAddress + i + 16, dstBase, dstAddress + i + 16);
            i += 32;
        }
        if ((rest & 16) != 0) {
            copy16(srcBase, srcAddress + i, dstBase, dstAddress + i);
            i += 16;
        }
        if ((rest & 8) != 0) {
            UnsafeApi.putLongUnaligned(dstBase, dstAddress + i, UnsafeApi.getLongUnaligned(srcBase, srcAddress + i));
            i += 8;
        }
        // Most slot types are multiples of 8 bytes: one test, and the last 1 to 7 bytes out of line.
        if ((rest & 7) != 0) {
            copyBelow8(srcBase, srcAddress + i, dstBase, dstAddress + i, rest & 7);
        }
    }

    /** The last 1 to 7 bytes of a copy: 4, 2, 1. */
    private static void copyBelow8(
        final @Nullable Object srcBase, final long srcAddress, final @Nullable Object dstBase, final long dstAddress,
        final int rest) {
        long i = 0;
        if ((rest & 4) != 0) {
            UnsafeApi.putIntUnaligned(dstBase, dstAddress, UnsafeApi.getIntUnaligned(srcBase, srcAddress));
            i = 4;
        }
        if ((rest & 2) != 0) {
            UnsafeApi.putShortUnaligned(dstBase, dstAddress + i,
                UnsafeApi.getShortUnaligned(srcBase, srcAddress + i));
            i += 2;
        }
        if ((rest & 1) != 0) {
            UnsafeApi.putByte(dstBase, dstAddress + i, UnsafeApi.getByte(srcBase, srcAddress + i));
        }
    }

    private static void copy64(
        final @Nullable Object srcBase, final long srcAddress, final @Nullable Object dstBase, final long dstAddress) {
        copy16(srcBase, srcAddress, dstBase, dstAddress);
        copy16(srcBase, srcAddress + 16, dstBase, dstAddress + 16);
        copy16(srcBase, srcAddress + 32, dstBase, dstAddress + 32);
        copy16(srcBase, srcAddress + 48, dstBase, dstAddress + 48);
    }

    private static void copy16(
        final @Nullable Object srcBase, final long srcAddress, final @Nullable Object dstBase, final long dstAddress) {
        // Both loads before the stores: independent, they overlap in the pipeline.
        final long a = UnsafeApi.getLongUnaligned(srcBase, srcAddress);
        final long b = UnsafeApi.getLongUnaligned(srcBase, srcAddress + 8);
        UnsafeApi.putLongUnaligned(dstBase, dstAddress, a);
        UnsafeApi.putLongUnaligned(dstBase, dstAddress + 8, b);
    }

    /**
     * Sets {@code length} bytes to zero: the R7 clear of the request slot a frontend claims
     * ({@code FrontRing.claimRequest}), by the binary digits of the length as {@link #copy} moves.
     * A method for this one call site, and {@link #zeroResponse} the same moves for the other, so
     * that each has its own branch profile: in a JVM that runs front and back rings, one shared
     * clear sees 112- and 16-byte lengths (blkif) and is compiled, at every site it is inlined
     * into, with the 64-, 32- and 16-byte blocks; the backend's claim then carries 14 stores of
     * code for its 2, and the larger code keeps C2 from inlining a consumer's handler (which claims
     * its response) into the poll loop ("already compiled into a big method"). With a profile of
     * its own each site is compiled for the one length it sees.
     *
     * @param base    array, or null for native memory
     * @param address address (or array offset)
     * @param length  bytes to clear, at least 0
     */
    static void zeroRequest(final @Nullable Object base, final long address, final int length) {
        long i = 0;
        int rest = length;
        // One test for everything from 64 bytes on, as in copy.
        if (rest >= 64) {
            for (; rest >= 128; rest -= 64) {
                zero64(base, address + i);
                i += 64;
            }
            zero64(base, address + i);
            i += 64;
            rest -= 64;
        }
        // The rest, below 64 bytes, by its binary digits, as in copy.
        if ((rest & 32) != 0) {
            zero16(base, address + i);
            zero16(base, address + i + 16);
            i += 32;
        }
        if ((rest & 16) != 0) {
            zero16(base, address + i);
            i += 16;
        }
        if ((rest & 8) != 0) {
            UnsafeApi.putLongUnaligned(base, address + i, 0L);
            i += 8;
        }
        if ((rest & 7) != 0) {
            zeroBelow8(base, address + i, rest & 7);
        }
    }

    /**
     * Sets {@code length} bytes to zero: the R7 clear of the response slot a backend claims
     * ({@code BackRing.claimResponse}); the same moves as {@link #zeroRequest}, for the reason given
     * there.
     *
     * @param base    array, or null for native memory
     * @param address address (or array offset)
     * @param length  bytes to clear, at least 0
     */
    static void zeroResponse(final @Nullable Object base, final long address, final int length) {
        long i = 0;
        int rest = length;
        // One test for everything from 64 bytes on, as in copy.
        if (rest >= 64) {
            for (; rest >= 128; rest -= 64) {
                zero64(base, address + i);
                i += 64;
            }
            zero64(base, address + i);
            i += 64;
            rest -= 64;
        }
        // The rest, below 64 bytes, by its binary digits, as in copy.
        if ((rest & 32) != 0) {
            zero16(base, address + i);
            zero16(base, address + i + 16);
            i += 32;
        }
        if ((rest & 16) != 0) {
            zero16(base, address + i);
            i += 16;
        }
        if ((rest & 8) != 0) {
            UnsafeApi.putLongUnaligned(base, address + i, 0L);
            i += 8;
        }
        if ((rest & 7) != 0) {
            zeroBelow8(base, address + i, rest & 7);
        }
    }

    /** The last 1 to 7 bytes of a clear: 4, 2, 1. */
    private static void zeroBelow8(final @Nullable Object base, final long address, final int rest) {
        long i = 0;
        if ((rest & 4) != 0) {
            UnsafeApi.putIntUnaligned(base, address, 0);
            i = 4;
        }
        if ((rest & 2) != 0) {
            UnsafeApi.putShortUnaligned(base, address + i, (short) 0);
            i += 2;
        }
        if ((rest & 1) != 0) {
            UnsafeApi.putByte(base, address + i, (byte) 0);
        }
    }

    private static void zero64(final @Nullable Object base, final long address) {
        zero16(base, address);
        zero16(base, address + 16);
        zero16(base, address + 32);
        zero16(base, address + 48);
    }

    private static void zero16(final @Nullable Object base, final long address) {
        UnsafeApi.putLongUnaligned(base, address, 0L);
        UnsafeApi.putLongUnaligned(base, address + 8, 0L);
    }
}
