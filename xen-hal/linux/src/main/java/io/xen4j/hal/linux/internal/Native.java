package io.xen4j.hal.linux.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Helpers between native memory and Agrona: flyweights of xen-abi are written over an
 * {@link UnsafeBuffer} at a segment's address (mapped pages are handed out by {@link MappedView}).
 */
public final class Native {
    /** The page size. */
    public static final int PAGE_SIZE = Libc.PAGE_SIZE;
    /** The most pages one mapping can have: its buffer's capacity is an {@code int}. */
    public static final int MAX_PAGES = Integer.MAX_VALUE / PAGE_SIZE;

    /** Per thread: a small zeroed segment for the one-word arguments of hot calls (notify, unmask). */
    private static final ThreadLocal<MemorySegment> WORD = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(16, 8));

    private Native() {
    }

    /**
     * An Agrona buffer over a native segment, for xen-abi flyweights.
     *
     * @param segment the segment, at most 2 GiB
     * @return the buffer
     */
    public static UnsafeBuffer buffer(final MemorySegment segment) {
        if (segment.byteSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("segment of " + segment.byteSize() + " bytes is too large for a buffer");
        }
        return new UnsafeBuffer(segment.address(), (int) segment.byteSize());
    }

    /**
     * This thread's 16-byte scratch segment, for one call at a time.
     *
     * @return the segment
     */
    public static MemorySegment word() {
        return WORD.get();
    }

    /**
     * Checks a page count before it reaches a native call.
     *
     * @param pages the count
     * @throws IllegalArgumentException if it is not in {@code [1, MAX_PAGES]}
     */
    public static void checkPages(final int pages) {
        if (pages < 1 || pages > MAX_PAGES) {
            throw new IllegalArgumentException("pages=" + pages + ": must be in [1, " + MAX_PAGES + "]");
        }
    }

    /**
     * Formats a list of numbers for a handle's description, eliding the middle of long ones.
     *
     * @param values the values
     * @return e.g. {@code "[8,9]"}
     */
    public static String list(final int[] values) {
        final StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            if (values.length > 8 && i == 4) {
                sb.append(",...");
                i = values.length - 3;
            }
            sb.append(i == 0 ? "" : ",").append(Integer.toUnsignedString(values[i]));
        }
        return sb.append(']').toString();
    }

    /**
     * Formats frame numbers for a description.
     *
     * @param values the values
     * @return e.g. {@code "[0x1a2b]"}
     */
    public static String hexList(final long[] values) {
        final StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            if (values.length > 8 && i == 4) {
                sb.append(",...");
                i = values.length - 3;
            }
            sb.append(i == 0 ? "" : ",").append("0x").append(Long.toHexString(values[i]));
        }
        return sb.append(']').toString();
    }
}
