package io.xen4j.hal.spi;

import io.xen4j.hal.api.HandleClosedException;
import io.xen4j.hal.api.XenHalException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.jspecify.annotations.Nullable;

/**
 * The buffer a backend hands out for a mapping or share: a view over its pages that turns the
 * faults a real mapping would raise into exceptions, so that the HAL contract holds on every
 * backend (the simulated host uses it for every view; the Linux HAL for read-only mappings and
 * to make a stale buffer fail after {@code munmap} instead of crashing the JVM).
 *
 * <ul>
 *   <li>Pages that are consecutive in memory (a share of several pages, a map of its references
 *   in order, an {@code mmap}) are given as one {@link UnsafeBuffer}, so every Agrona fast path
 *   works and {@link #addressOffset()} is real. Pages from different places are stitched: each
 *   access goes to its page, multi-byte plain accesses that cross a page are split, and atomic
 *   accesses, which are aligned and so never cross a page, work per page. Such a view has no
 *   single address: {@link #addressOffset()} throws.</li>
 *   <li>A read-only view throws {@link XenHalException} on every write, where the real mapping
 *   would fault. A program that takes {@link #addressOffset()} and wraps its own
 *   {@code UnsafeBuffer} over it bypasses this check; over real read-only pages the hardware
 *   still faults.</li>
 *   <li>A page that failed to map (a foreign frame with an error) throws on access, where Linux
 *   would raise {@code SIGBUS}.</li>
 *   <li>After {@link #detach(String)} (unmap, close, domain destroyed) every access throws
 *   {@link HandleClosedException}; the backend must keep the memory mapped until no thread can
 *   still be inside an access (the simulated host never frees it; the JVM keeps it alive).</li>
 *   <li>Where the memory can never be freed under a buffer over it (memory the JVM owns, as the
 *   simulated host's), a writable contiguous view also has a {@linkplain #plainView() plain
 *   view}: the same pages as one exact {@link UnsafeBuffer}, for hot paths that would otherwise
 *   pay this class's dispatch and checks on every access (a ring's indices and slots).</li>
 * </ul>
 */
public final class PageViewBuffer implements AtomicBuffer {
    /** log2 of the page size. */
    public static final int PAGE_SHIFT = 12;
    /** The page size: every page given to the constructor has exactly this capacity. */
    public static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    private static final int PAGE_MASK = PAGE_SIZE - 1;

    private final String name;
    private final boolean writable;
    private final int capacity;
    private @Nullable UnsafeBuffer[] pages;
    private final @Nullable String[] pageErrors;
    private @Nullable UnsafeBuffer contiguous;
    /** What {@link #plainView()} hands out, or null; shrunk to capacity 0 by {@link #detach}. */
    private final @Nullable UnsafeBuffer plain;
    /** The contiguous buffer {@link #plain} was made from: kept to re-wrap it at detach. */
    private final @Nullable UnsafeBuffer plainSource;
    // Plain fields: a stale read in another thread sees the memory that was mapped, which the JVM
    // keeps alive; it can never touch freed memory.
    private boolean detached;
    // Volatile, written before the plain view shrinks: a thread whose access failed on the shrunk
    // plain view reads it in accessFailure (off the hot path) and finds why.
    private volatile String detachReason = "";

    /**
     * Creates a view.
     *
     * @param name       what the view is, for messages (the handle's description)
     * @param writable   whether writes are allowed
     * @param pages      one {@value #PAGE_SIZE}-byte buffer per page; {@code null} for a page that
     *                   failed to map
     * @param pageErrors for each {@code null} page, why it failed (used in messages)
     * @param contiguous one buffer over all pages when they are consecutive in memory, else null
     */
    public PageViewBuffer(
        final String name,
        final boolean writable,
        final @Nullable UnsafeBuffer[] pages,
        final @Nullable String[] pageErrors,
        final @Nullable UnsafeBuffer contiguous) {
        this(name, writable, pages, pageErrors, contiguous, false);
    }

    /**
     * Creates a view that may also have a {@linkplain #plainView() plain view}.
     *
     * @param name           what the view is, for messages (the handle's description)
     * @param writable       whether writes are allowed
     * @param pages          one {@value #PAGE_SIZE}-byte buffer per page; {@code null} for a page
     *                       that failed to map
     * @param pageErrors     for each {@code null} page, why it failed (used in messages)
     * @param contiguous     one buffer over all pages when they are consecutive in memory, else null
     * @param memoryOutlives whether the memory under {@code contiguous} stays allocated as long as
     *                       any buffer over it is reachable, unmapped or not (a direct
     *                       {@link ByteBuffer} that {@code contiguous} holds, which only the
     *                       garbage collector frees): only then is a plain view given, because no
     *                       check stands between it and the memory. Never true for memory an
     *                       {@code munmap} frees.
     */
    public PageViewBuffer(
        final String name,
        final boolean writable,
        final @Nullable UnsafeBuffer[] pages,
        final @Nullable String[] pageErrors,
        final @Nullable UnsafeBuffer contiguous,
        final boolean memoryOutlives) {
        this.name = name;
        this.writable = writable;
        this.pages = pages.clone();
        this.pageErrors = pageErrors.clone();
        this.capacity = pages.length * PAGE_SIZE;
        this.contiguous = contiguous;
        // Read-only views have none: a plain buffer cannot refuse a write. The copy holds the same
        // ByteBuffer (or array) as the contiguous buffer, which keeps the memory alive.
        UnsafeBuffer source = null;
        UnsafeBuffer copy = null;
        if (memoryOutlives && writable && contiguous != null && contiguous.getClass() == UnsafeBuffer.class
            && contiguous.capacity() == capacity && (contiguous.byteBuffer() != null || contiguous.byteArray() != null)) {
            source = contiguous;
            copy = new UnsafeBuffer(contiguous);
        }
        this.plainSource = source;
        this.plain = copy;
    }

    /**
     * Makes every later access fail: the mapping is gone.
     *
     * @param reason why, e.g. {@code "unmapped"}
     */
    public void detach(final String reason) {
        detachReason = reason;
        detached = true;
        contiguous = null;
        pages = new UnsafeBuffer[0];
        final UnsafeBuffer p = plain;
        final UnsafeBuffer source = plainSource;
        if (p != null && source != null) {
            // Over the same memory with capacity 0: every later access fails Agrona's bounds
            // check. Only the capacity field changes (address, array and ByteBuffer are written
            // with the values they had), so a thread racing this sees the old capacity over
            // memory that is still allocated, or 0: never a torn buffer, never freed memory.
            p.wrap(source, 0, 0);
        }
    }

    /**
     * The same pages as one exact {@link UnsafeBuffer}, for a hot path that reaches them many
     * times per operation (a ring's indices and slots): no dispatch through this class, no check
     * of the view's state, and the ring's unchecked slot moves apply (they need the exact class).
     * Given only for a writable contiguous view whose memory the constructor was told outlives
     * every buffer over it; otherwise this view itself is returned.
     *
     * <p>What stays: Agrona's bounds check on every access (unless disabled with
     * {@code agrona.disable.bounds.checks}, in which case a stale access reads or writes memory
     * that is still allocated and no longer shared, never freed memory). What changes: after
     * {@link #detach(String)} its capacity is 0, so an access fails with
     * {@link IndexOutOfBoundsException} instead of {@link HandleClosedException}, and a thread
     * racing the detach may complete one more access of the old memory.
     *
     * @return the plain buffer, or this view when there is none
     * @throws HandleClosedException if the view is detached
     */
    public AtomicBuffer plainView() {
        checkOpen();
        final UnsafeBuffer p = plain;
        return p != null ? p : this;
    }

    /**
     * Whether {@link #plainView()} gives a plain buffer rather than this view.
     *
     * @return true for a writable contiguous view over memory that outlives its buffers
     */
    public boolean hasPlainView() {
        return plain != null;
    }

    /**
     * The error an access of the {@linkplain #plainView() plain view} should have given: after
     * {@link #detach(String)} the plain view fails Agrona's bounds check with an
     * {@link IndexOutOfBoundsException} ("capacity=0") that names neither the pages nor why. For
     * such a failure this gives the {@link HandleClosedException} this view itself throws, naming
     * the view (the handle's description: domains, grant references) and the reason given to
     * {@code detach} (unmapped, closed, a domain destroyed), with the original as its cause.
     * Anything else, or any failure while the view is attached, is returned as it is.
     *
     * @param failure what an access of the plain view threw
     * @return the explained failure, or {@code failure} itself
     */
    public RuntimeException accessFailure(final RuntimeException failure) {
        final String reason = detachReason;
        if (plain != null && !reason.isEmpty() && failure instanceof IndexOutOfBoundsException) {
            return new HandleClosedException(name, "access through the plain buffer (" + reason + ")", failure);
        }
        return failure;
    }

    /**
     * Whether the view was detached.
     *
     * @return true after {@link #detach(String)}
     */
    public boolean isDetached() {
        return detached;
    }

    // ---------------------------------------------------------------------------------------------
    // Checks

    private void checkOpen() {
        if (detached) {
            throw new HandleClosedException(name, "buffer access (" + detachReason + ")");
        }
    }

    private void checkRange(final int index, final int length) {
        checkOpen();
        if (index < 0 || length < 0 || index > capacity - length) {
            throw new IndexOutOfBoundsException(
                "index=" + index + " length=" + length + " capacity=" + capacity + " of " + name);
        }
    }

    private void checkWrite(final int index, final int length) {
        checkRange(index, length);
        if (!writable) {
            throw new XenHalException("write " + length + " bytes at offset " + index + " of " + name,
                0, "the mapping is read-only");
        }
    }

    private UnsafeBuffer page(final int index) {
        final UnsafeBuffer p = pages[index >>> PAGE_SHIFT];
        if (p == null) {
            final int frame = index >>> PAGE_SHIFT;
            throw new XenHalException("access offset " + index + " (frame " + frame + ") of " + name, 0,
                "the frame was not mapped: " + pageErrors[frame]);
        }
        return p;
    }

    private static boolean withinPage(final int index, final int length) {
        return (index & PAGE_MASK) <= PAGE_SIZE - length;
    }

    private UnsafeBuffer atomicPage(final int index, final int length) {
        if (!withinPage(index, length)) {
            throw new IllegalArgumentException("atomic access at index=" + index + " length=" + length
                + " crosses a page boundary of " + name + ": atomic accesses must be aligned");
        }
        return page(index);
    }

    private long readSplit(final int index, final int length, final ByteOrder order) {
        long v = 0;
        if (order == ByteOrder.LITTLE_ENDIAN) {
            for (int i = length - 1; i >= 0; i--) {
                v = v << 8 | (page(index + i).getByte((index + i) & PAGE_MASK) & 0xFF);
            }
        } else {
            for (int i = 0; i < length; i++) {
                v = v << 8 | (page(index + i).getByte((index + i) & PAGE_MASK) & 0xFF);
            }
        }
        return v;
    }

    private void writeSplit(final int index, final int length, final long value, final ByteOrder order) {
        for (int i = 0; i < length; i++) {
            final int shift = order == ByteOrder.LITTLE_ENDIAN ? 8 * i : 8 * (length - 1 - i);
            page(index + i).putByte((index + i) & PAGE_MASK, (byte) (value >>> shift));
        }
    }

    private long getN(final int index, final int length, final ByteOrder order) {
        checkRange(index, length);
        final UnsafeBuffer c = contiguous;
        if (c != null) {
            return switch (length) {
                case 8 -> c.getLong(index, order);
                case 4 -> c.getInt(index, order);
                case 2 -> c.getShort(index, order);
                default -> c.getByte(index);
            };
        }
        if (withinPage(index, length)) {
            final UnsafeBuffer p = page(index);
            final int o = index & PAGE_MASK;
            return switch (length) {
                case 8 -> p.getLong(o, order);
                case 4 -> p.getInt(o, order);
                case 2 -> p.getShort(o, order);
                default -> p.getByte(o);
            };
        }
        return readSplit(index, length, order);
    }

    private void putN(final int index, final int length, final long value, final ByteOrder order) {
        checkWrite(index, length);
        final UnsafeBuffer c = contiguous;
        if (c != null) {
            switch (length) {
                case 8 -> c.putLong(index, value, order);
                case 4 -> c.putInt(index, (int) value, order);
                case 2 -> c.putShort(index, (short) value, order);
                default -> c.putByte(index, (byte) value);
            }
            return;
        }
        if (withinPage(index, length)) {
            final UnsafeBuffer p = page(index);
            final int o = index & PAGE_MASK;
            switch (length) {
                case 8 -> p.putLong(o, value, order);
                case 4 -> p.putInt(o, (int) value, order);
                case 2 -> p.putShort(o, (short) value, order);
                default -> p.putByte(o, (byte) value);
            }
            return;
        }
        writeSplit(index, length, value, order);
    }

    private AtomicBuffer atomicRead(final int index, final int length) {
        checkRange(index, length);
        final UnsafeBuffer c = contiguous;
        return c != null ? c : atomicPage(index, length);
    }

    private AtomicBuffer atomicWrite(final int index, final int length) {
        checkWrite(index, length);
        final UnsafeBuffer c = contiguous;
        return c != null ? c : atomicPage(index, length);
    }

    private int at(final int index) {
        return contiguous != null ? index : index & PAGE_MASK;
    }

    private byte[] copyOut(final int index, final int length) {
        final byte[] bytes = new byte[length];
        getBytes(index, bytes, 0, length);
        return bytes;
    }

    // ---------------------------------------------------------------------------------------------
    // DirectBuffer: wrapping is not allowed, a mapping is where it is.

    private static UnsupportedOperationException noWrap() {
        return new UnsupportedOperationException("the buffer of a simulated mapping cannot be re-wrapped");
    }

    @Override
    public void wrap(final byte[] buffer) {
        throw noWrap();
    }

    @Override
    public void wrap(final byte[] buffer, final int offset, final int length) {
        throw noWrap();
    }

    @Override
    public void wrap(final ByteBuffer buffer) {
        throw noWrap();
    }

    @Override
    public void wrap(final ByteBuffer buffer, final int offset, final int length) {
        throw noWrap();
    }

    @Override
    public void wrap(final DirectBuffer buffer) {
        throw noWrap();
    }

    @Override
    public void wrap(final DirectBuffer buffer, final int offset, final int length) {
        throw noWrap();
    }

    @Override
    public void wrap(final long address, final int length) {
        throw noWrap();
    }

    @Override
    public long addressOffset() {
        checkOpen();
        final UnsafeBuffer c = contiguous;
        if (c == null) {
            throw new UnsupportedOperationException(name + " spans pages that are not contiguous in the simulated "
                + "host, so it has no single address: copy with getBytes/putBytes of this buffer instead");
        }
        return c.addressOffset();
    }

    @Override
    public byte @Nullable [] byteArray() {
        checkOpen();
        final UnsafeBuffer c = contiguous;
        return c == null ? null : c.byteArray();
    }

    @Override
    public @Nullable ByteBuffer byteBuffer() {
        checkOpen();
        final UnsafeBuffer c = contiguous;
        if (c == null) {
            return null;
        }
        final ByteBuffer b = c.byteBuffer();
        return b == null || writable ? b : b.asReadOnlyBuffer();
    }

    @Override
    public int wrapAdjustment() {
        checkOpen();
        final UnsafeBuffer c = contiguous;
        return c == null ? 0 : c.wrapAdjustment();
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public void checkLimit(final int limit) {
        if (limit > capacity) {
            throw new IndexOutOfBoundsException("limit=" + limit + " is beyond capacity=" + capacity + " of " + name);
        }
    }

    @Override
    public void boundsCheck(final int index, final int length) {
        checkRange(index, length);
    }

    @Override
    public boolean isExpandable() {
        return false;
    }

    @Override
    public void verifyAlignment() {
        checkOpen();
        final UnsafeBuffer c = contiguous;
        if (c != null) {
            c.verifyAlignment();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Plain reads

    @Override
    public long getLong(final int index, final ByteOrder byteOrder) {
        return getN(index, 8, byteOrder);
    }

    @Override
    public long getLong(final int index) {
        return getN(index, 8, ByteOrder.nativeOrder());
    }

    @Override
    public int getInt(final int index, final ByteOrder byteOrder) {
        return (int) getN(index, 4, byteOrder);
    }

    @Override
    public int getInt(final int index) {
        return (int) getN(index, 4, ByteOrder.nativeOrder());
    }

    @Override
    public double getDouble(final int index, final ByteOrder byteOrder) {
        return Double.longBitsToDouble(getN(index, 8, byteOrder));
    }

    @Override
    public double getDouble(final int index) {
        return Double.longBitsToDouble(getN(index, 8, ByteOrder.nativeOrder()));
    }

    @Override
    public float getFloat(final int index, final ByteOrder byteOrder) {
        return Float.intBitsToFloat((int) getN(index, 4, byteOrder));
    }

    @Override
    public float getFloat(final int index) {
        return Float.intBitsToFloat((int) getN(index, 4, ByteOrder.nativeOrder()));
    }

    @Override
    public short getShort(final int index, final ByteOrder byteOrder) {
        return (short) getN(index, 2, byteOrder);
    }

    @Override
    public short getShort(final int index) {
        return (short) getN(index, 2, ByteOrder.nativeOrder());
    }

    @Override
    public char getChar(final int index, final ByteOrder byteOrder) {
        return (char) getN(index, 2, byteOrder);
    }

    @Override
    public char getChar(final int index) {
        return (char) getN(index, 2, ByteOrder.nativeOrder());
    }

    @Override
    public byte getByte(final int index) {
        return (byte) getN(index, 1, ByteOrder.nativeOrder());
    }

    @Override
    public void getBytes(final int index, final byte[] dst) {
        getBytes(index, dst, 0, dst.length);
    }

    @Override
    public void getBytes(final int index, final byte[] dst, final int offset, final int length) {
        checkRange(index, length);
        final UnsafeBuffer c = contiguous;
        if (c != null) {
            c.getBytes(index, dst, offset, length);
            return;
        }
        int done = 0;
        while (done < length) {
            final int i = index + done;
            final int n = Math.min(length - done, PAGE_SIZE - (i & PAGE_MASK));
            page(i).getBytes(i & PAGE_MASK, dst, offset + done, n);
            done += n;
        }
    }

    @Override
    public void getBytes(final int index, final MutableDirectBuffer dstBuffer, final int dstIndex, final int length) {
        checkRange(index, length);
        final UnsafeBuffer c = contiguous;
        if (c != null) {
            c.getBytes(index, dstBuffer, dstIndex, length);
            return;
        }
        int done = 0;
        while (done < length) {
            final int i = index + done;
            final int n = Math.min(length - done, PAGE_SIZE - (i & PAGE_MASK));
            // Written through the destination's own putBytes so that a destination that is itself a
            // stitched view is handled page by page too.
            dstBuffer.putBytes(dstIndex + done, page(i), i & PAGE_MASK, n);
            done += n;
        }
    }

    @Override
    public void getBytes(final int index, final ByteBuffer dstBuffer, final int length) {
        final int position = dstBuffer.position();
        getBytes(index, dstBuffer, position, length);
        dstBuffer.position(position + length);
    }

    @Override
    public void getBytes(final int index, final ByteBuffer dstBuffer, final int dstOffset, final int length) {
        checkRange(index, length);
        final UnsafeBuffer c = contiguous;
        if (c != null) {
            c.getBytes(index, dstBuffer, dstOffset, length);
            return;
        }
        int done = 0;
        while (done < length) {
            final int i = index + done;
            final int n = Math.min(length - done, PAGE_SIZE - (i & PAGE_MASK));
            page(i).getBytes(i & PAGE_MASK, dstBuffer, dstOffset + done, n);
            done += n;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // ASCII and UTF-8 helpers: rare on shared pages, done through a copy.

    @Override
    public int parseNaturalIntAscii(final int index, final int length) {
        return new UnsafeBuffer(copyOut(index, length)).parseNaturalIntAscii(0, length);
    }

    @Override
    public long parseNaturalLongAscii(final int index, final int length) {
        return new UnsafeBuffer(copyOut(index, length)).parseNaturalLongAscii(0, length);
    }

    @Override
    public int parseIntAscii(final int index, final int length) {
        return new UnsafeBuffer(copyOut(index, length)).parseIntAscii(0, length);
    }

    @Override
    public long parseLongAscii(final int index, final int length) {
        return new UnsafeBuffer(copyOut(index, length)).parseLongAscii(0, length);
    }

    private int stringLength(final int index, final ByteOrder order) {
        final int length = getInt(index, order);
        checkRange(index + STR_HEADER_LEN, length);
        return length;
    }

    private static String ascii(final byte[] bytes) {
        final char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            // As Agrona does: a byte outside ASCII reads as '?'.
            chars[i] = bytes[i] < 0 ? '?' : (char) bytes[i];
        }
        return new String(chars);
    }

    private static int append(final String s, final Appendable appendable) {
        try {
            appendable.append(s);
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return s.length();
    }

    @Override
    public String getStringAscii(final int index) {
        return getStringAscii(index, ByteOrder.nativeOrder());
    }

    @Override
    public int getStringAscii(final int index, final Appendable appendable) {
        return append(getStringAscii(index), appendable);
    }

    @Override
    public String getStringAscii(final int index, final ByteOrder byteOrder) {
        final int length = stringLength(index, byteOrder);
        return ascii(copyOut(index + STR_HEADER_LEN, length));
    }

    @Override
    public int getStringAscii(final int index, final Appendable appendable, final ByteOrder byteOrder) {
        return append(getStringAscii(index, byteOrder), appendable);
    }

    @Override
    public String getStringAscii(final int index, final int length) {
        return ascii(copyOut(index + STR_HEADER_LEN, length));
    }

    @Override
    public int getStringAscii(final int index, final int length, final Appendable appendable) {
        return append(getStringAscii(index, length), appendable);
    }

    @Override
    public String getStringWithoutLengthAscii(final int index, final int length) {
        return ascii(copyOut(index, length));
    }

    @Override
    public int getStringWithoutLengthAscii(final int index, final int length, final Appendable appendable) {
        return append(getStringWithoutLengthAscii(index, length), appendable);
    }

    @Override
    public String getStringUtf8(final int index) {
        return getStringUtf8(index, ByteOrder.nativeOrder());
    }

    @Override
    public String getStringUtf8(final int index, final ByteOrder byteOrder) {
        final int length = stringLength(index, byteOrder);
        return new String(copyOut(index + STR_HEADER_LEN, length), StandardCharsets.UTF_8);
    }

    @Override
    public String getStringUtf8(final int index, final int length) {
        return new String(copyOut(index + STR_HEADER_LEN, length), StandardCharsets.UTF_8);
    }

    @Override
    public String getStringWithoutLengthUtf8(final int index, final int length) {
        return new String(copyOut(index, length), StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------------------------------------
    // Plain writes

    @Override
    public void setMemory(final int index, final int length, final byte value) {
        checkWrite(index, length);
        final UnsafeBuffer c = contiguous;
        if (c != null) {
            c.setMemory(index, length, value);
            return;
        }
        int done = 0;
        while (done < length) {
            final int i = index + done;
            final int n = Math.min(length - done, PAGE_SIZE - (i & PAGE_MASK));
            page(i).setMemory(i & PAGE_MASK, n, value);
            done += n;
        }
    }

    @Override
    public void putLong(final int index, final long value, final ByteOrder byteOrder) {
        putN(index, 8, value, byteOrder);
    }

    @Override
    public void putLong(final int index, final long value) {
        putN(index, 8, value, ByteOrder.nativeOrder());
    }

    @Override
    public void putInt(final int index, final int value, final ByteOrder byteOrder) {
        putN(index, 4, value, byteOrder);
    }

    @Override
    public void putInt(final int index, final int value) {
        putN(index, 4, value, ByteOrder.nativeOrder());
    }

    @Override
    public void putDouble(final int index, final double value, final ByteOrder byteOrder) {
        putN(index, 8, Double.doubleToRawLongBits(value), byteOrder);
    }

    @Override
    public void putDouble(final int index, final double value) {
        putN(index, 8, Double.doubleToRawLongBits(value), ByteOrder.nativeOrder());
    }

    @Override
    public void putFloat(final int index, final float value, final ByteOrder byteOrder) {
        putN(index, 4, Float.floatToRawIntBits(value), byteOrder);
    }

    @Override
    public void putFloat(final int index, final float value) {
        putN(index, 4, Float.floatToRawIntBits(value), ByteOrder.nativeOrder());
    }

    @Override
    public void putShort(final int index, final short value, final ByteOrder byteOrder) {
        putN(index, 2, value, byteOrder);
    }

    @Override
    public void putShort(final int index, final short value) {
        putN(index, 2, value, ByteOrder.nativeOrder());
    }

    @Override
    public void putChar(final int index, final char value, final ByteOrder byteOrder) {
        putN(index, 2, value, byteOrder);
    }

    @Override
    public void putChar(final int index, final char value) {
        putN(index, 2, value, ByteOrder.nativeOrder());
    }

    @Override
    public void putByte(final int index, final byte value) {
        putN(index, 1, value, ByteOrder.nativeOrder());
    }

    @Override
    public void putBytes(final int index, final byte[] src) {
        putBytes(index, src, 0, src.length);
    }

    @Override
    public void putBytes(final int index, final byte[] src, final int offset, final int length) {
        checkWrite(index, length);
        final UnsafeBuffer c = contiguous;
        if (c != null) {
            c.putBytes(index, src, offset, length);
            return;
        }
        int done = 0;
        while (done < length) {
            final int i = index + done;
            final int n = Math.min(length - done, PAGE_SIZE - (i & PAGE_MASK));
            page(i).putBytes(i & PAGE_MASK, src, offset + done, n);
            done += n;
        }
    }

    @Override
    public void putBytes(final int index, final ByteBuffer srcBuffer, final int length) {
        final int position = srcBuffer.position();
        putBytes(index, srcBuffer, position, length);
        srcBuffer.position(position + length);
    }

    @Override
    public void putBytes(final int index, final ByteBuffer srcBuffer, final int srcIndex, final int length) {
        checkWrite(index, length);
        final UnsafeBuffer c = contiguous;
        if (c != null) {
            c.putBytes(index, srcBuffer, srcIndex, length);
            return;
        }
        int done = 0;
        while (done < length) {
            final int i = index + done;
            final int n = Math.min(length - done, PAGE_SIZE - (i & PAGE_MASK));
            page(i).putBytes(i & PAGE_MASK, srcBuffer, srcIndex + done, n);
            done += n;
        }
    }

    @Override
    public void putBytes(final int index, final DirectBuffer srcBuffer, final int srcIndex, final int length) {
        checkWrite(index, length);
        int done = 0;
        while (done < length) {
            final int i = index + done;
            final UnsafeBuffer c = contiguous;
            final int n = c != null ? length - done : Math.min(length - done, PAGE_SIZE - (i & PAGE_MASK));
            final UnsafeBuffer target = c != null ? c : page(i);
            if (srcBuffer instanceof PageViewBuffer) {
                // A stitched source has no address for UnsafeBuffer's raw copy: let it copy out.
                srcBuffer.getBytes(srcIndex + done, target, at(i), n);
            } else {
                target.putBytes(at(i), srcBuffer, srcIndex + done, n);
            }
            done += n;
        }
    }

    private int putThroughCopy(final int index, final UnsafeBuffer scratch, final int length) {
        putBytes(index, scratch, 0, length);
        return length;
    }

    @Override
    public int putIntAscii(final int index, final int value) {
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[11]);
        return putThroughCopy(index, scratch, scratch.putIntAscii(0, value));
    }

    @Override
    public int putNaturalIntAscii(final int index, final int value) {
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[11]);
        return putThroughCopy(index, scratch, scratch.putNaturalIntAscii(0, value));
    }

    @Override
    public void putNaturalPaddedIntAscii(final int offset, final int length, final int value) {
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[length]);
        scratch.putNaturalPaddedIntAscii(0, length, value);
        putThroughCopy(offset, scratch, length);
    }

    @Override
    public int putNaturalIntAsciiFromEnd(final int value, final int endExclusive) {
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[11]);
        final int start = scratch.putNaturalIntAsciiFromEnd(value, 11);
        final int length = 11 - start;
        putBytes(endExclusive - length, scratch, start, length);
        return endExclusive - length;
    }

    @Override
    public int putNaturalLongAscii(final int index, final long value) {
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[20]);
        return putThroughCopy(index, scratch, scratch.putNaturalLongAscii(0, value));
    }

    @Override
    public int putLongAscii(final int index, final long value) {
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[20]);
        return putThroughCopy(index, scratch, scratch.putLongAscii(0, value));
    }

    private static UnsafeBuffer scratchFor(final CharSequence value, final int perChar) {
        return new UnsafeBuffer(new byte[STR_HEADER_LEN + value.length() * perChar]);
    }

    @Override
    public int putStringAscii(final int index, final String value) {
        final UnsafeBuffer s = scratchFor(value, 1);
        return putThroughCopy(index, s, s.putStringAscii(0, value));
    }

    @Override
    public int putStringAscii(final int index, final CharSequence value) {
        final UnsafeBuffer s = scratchFor(value, 1);
        return putThroughCopy(index, s, s.putStringAscii(0, value));
    }

    @Override
    public int putStringAscii(final int index, final String value, final ByteOrder byteOrder) {
        final UnsafeBuffer s = scratchFor(value, 1);
        return putThroughCopy(index, s, s.putStringAscii(0, value, byteOrder));
    }

    @Override
    public int putStringAscii(final int index, final CharSequence value, final ByteOrder byteOrder) {
        final UnsafeBuffer s = scratchFor(value, 1);
        return putThroughCopy(index, s, s.putStringAscii(0, value, byteOrder));
    }

    @Override
    public int putStringWithoutLengthAscii(final int index, final String value) {
        final UnsafeBuffer s = scratchFor(value, 1);
        return putThroughCopy(index, s, s.putStringWithoutLengthAscii(0, value));
    }

    @Override
    public int putStringWithoutLengthAscii(final int index, final CharSequence value) {
        final UnsafeBuffer s = scratchFor(value, 1);
        return putThroughCopy(index, s, s.putStringWithoutLengthAscii(0, value));
    }

    @Override
    public int putStringWithoutLengthAscii(final int index, final String value, final int valueOffset, final int length) {
        final UnsafeBuffer s = scratchFor(value, 1);
        return putThroughCopy(index, s, s.putStringWithoutLengthAscii(0, value, valueOffset, length));
    }

    @Override
    public int putStringWithoutLengthAscii(
        final int index, final CharSequence value, final int valueOffset, final int length) {
        final UnsafeBuffer s = scratchFor(value, 1);
        return putThroughCopy(index, s, s.putStringWithoutLengthAscii(0, value, valueOffset, length));
    }

    @Override
    public int putStringUtf8(final int index, final String value) {
        final UnsafeBuffer s = scratchFor(value, 3);
        return putThroughCopy(index, s, s.putStringUtf8(0, value));
    }

    @Override
    public int putStringUtf8(final int index, final String value, final ByteOrder byteOrder) {
        final UnsafeBuffer s = scratchFor(value, 3);
        return putThroughCopy(index, s, s.putStringUtf8(0, value, byteOrder));
    }

    @Override
    public int putStringUtf8(final int index, final String value, final int maxEncodedLength) {
        final UnsafeBuffer s = scratchFor(value, 3);
        return putThroughCopy(index, s, s.putStringUtf8(0, value, maxEncodedLength));
    }

    @Override
    public int putStringUtf8(final int index, final String value, final ByteOrder byteOrder, final int maxEncodedLength) {
        final UnsafeBuffer s = scratchFor(value, 3);
        return putThroughCopy(index, s, s.putStringUtf8(0, value, byteOrder, maxEncodedLength));
    }

    @Override
    public int putStringWithoutLengthUtf8(final int index, final String value) {
        final UnsafeBuffer s = scratchFor(value, 3);
        return putThroughCopy(index, s, s.putStringWithoutLengthUtf8(0, value));
    }

    // ---------------------------------------------------------------------------------------------
    // Ordered and atomic accesses: aligned, so always within one page.

    @Override
    public long getLongVolatile(final int index) {
        return atomicRead(index, 8).getLongVolatile(at(index));
    }

    @Override
    public long getLongAcquire(final int index) {
        return atomicRead(index, 8).getLongAcquire(at(index));
    }

    @Override
    public void putLongVolatile(final int index, final long value) {
        atomicWrite(index, 8).putLongVolatile(at(index), value);
    }

    @Override
    public void putLongOrdered(final int index, final long value) {
        atomicWrite(index, 8).putLongRelease(at(index), value);
    }

    @Override
    public void putLongRelease(final int index, final long value) {
        atomicWrite(index, 8).putLongRelease(at(index), value);
    }

    @Override
    public long addLongOrdered(final int index, final long increment) {
        return atomicWrite(index, 8).addLongRelease(at(index), increment);
    }

    @Override
    public void putLongOpaque(final int index, final long value) {
        atomicWrite(index, 8).putLongOpaque(at(index), value);
    }

    @Override
    public long getLongOpaque(final int index) {
        return atomicRead(index, 8).getLongOpaque(at(index));
    }

    @Override
    public long addLongOpaque(final int index, final long increment) {
        return atomicWrite(index, 8).addLongOpaque(at(index), increment);
    }

    @Override
    public long addLongRelease(final int index, final long increment) {
        return atomicWrite(index, 8).addLongRelease(at(index), increment);
    }

    @Override
    public boolean compareAndSetLong(final int index, final long expectedValue, final long updateValue) {
        return atomicWrite(index, 8).compareAndSetLong(at(index), expectedValue, updateValue);
    }

    @Override
    public long compareAndExchangeLong(final int index, final long expectedValue, final long updateValue) {
        return atomicWrite(index, 8).compareAndExchangeLong(at(index), expectedValue, updateValue);
    }

    @Override
    public long getAndSetLong(final int index, final long value) {
        return atomicWrite(index, 8).getAndSetLong(at(index), value);
    }

    @Override
    public long getAndAddLong(final int index, final long delta) {
        return atomicWrite(index, 8).getAndAddLong(at(index), delta);
    }

    @Override
    public int getIntVolatile(final int index) {
        return atomicRead(index, 4).getIntVolatile(at(index));
    }

    @Override
    public void putIntVolatile(final int index, final int value) {
        atomicWrite(index, 4).putIntVolatile(at(index), value);
    }

    @Override
    public int getIntAcquire(final int index) {
        return atomicRead(index, 4).getIntAcquire(at(index));
    }

    @Override
    public void putIntOrdered(final int index, final int value) {
        atomicWrite(index, 4).putIntRelease(at(index), value);
    }

    @Override
    public void putIntRelease(final int index, final int value) {
        atomicWrite(index, 4).putIntRelease(at(index), value);
    }

    @Override
    public int addIntOrdered(final int index, final int increment) {
        return atomicWrite(index, 4).addIntRelease(at(index), increment);
    }

    @Override
    public int addIntRelease(final int index, final int increment) {
        return atomicWrite(index, 4).addIntRelease(at(index), increment);
    }

    @Override
    public void putIntOpaque(final int index, final int value) {
        atomicWrite(index, 4).putIntOpaque(at(index), value);
    }

    @Override
    public int getIntOpaque(final int index) {
        return atomicRead(index, 4).getIntOpaque(at(index));
    }

    @Override
    public int addIntOpaque(final int index, final int increment) {
        return atomicWrite(index, 4).addIntOpaque(at(index), increment);
    }

    @Override
    public boolean compareAndSetInt(final int index, final int expectedValue, final int updateValue) {
        return atomicWrite(index, 4).compareAndSetInt(at(index), expectedValue, updateValue);
    }

    @Override
    public int compareAndExchangeInt(final int index, final int expectedValue, final int updateValue) {
        return atomicWrite(index, 4).compareAndExchangeInt(at(index), expectedValue, updateValue);
    }

    @Override
    public int getAndSetInt(final int index, final int value) {
        return atomicWrite(index, 4).getAndSetInt(at(index), value);
    }

    @Override
    public int getAndAddInt(final int index, final int delta) {
        return atomicWrite(index, 4).getAndAddInt(at(index), delta);
    }

    @Override
    public short getShortVolatile(final int index) {
        return atomicRead(index, 2).getShortVolatile(at(index));
    }

    @Override
    public void putShortVolatile(final int index, final short value) {
        atomicWrite(index, 2).putShortVolatile(at(index), value);
    }

    @Override
    public char getCharVolatile(final int index) {
        return atomicRead(index, 2).getCharVolatile(at(index));
    }

    @Override
    public void putCharVolatile(final int index, final char value) {
        atomicWrite(index, 2).putCharVolatile(at(index), value);
    }

    @Override
    public byte getByteVolatile(final int index) {
        return atomicRead(index, 1).getByteVolatile(at(index));
    }

    @Override
    public void putByteVolatile(final int index, final byte value) {
        atomicWrite(index, 1).putByteVolatile(at(index), value);
    }

    // ---------------------------------------------------------------------------------------------
    // Object

    @Override
    public int compareTo(final DirectBuffer that) {
        final int length = Math.min(capacity, that.capacity());
        for (int i = 0; i < length; i++) {
            final int cmp = Byte.compare(getByte(i), that.getByte(i));
            if (cmp != 0) {
                return cmp;
            }
        }
        return Integer.compare(capacity, that.capacity());
    }

    @Override
    public boolean equals(final @Nullable Object obj) {
        // Identity: the contents of shared memory change under the caller, so content equality
        // would be neither stable nor useful for a mapping.
        return this == obj;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return "PageViewBuffer{" + name + ", capacity=" + capacity + (writable ? "" : ", read-only")
            + (contiguous != null ? "" : ", stitched") + (detached ? ", detached: " + detachReason : "") + '}';
    }
}
