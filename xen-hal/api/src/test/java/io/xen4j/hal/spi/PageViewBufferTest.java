package io.xen4j.hal.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.api.HandleClosedException;
import io.xen4j.hal.api.XenHalException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The buffer over simulated pages: stitched pages read and write as contiguous memory, atomics
 * stay within a page, read-only views refuse writes, detached views refuse everything.
 */
final class PageViewBufferTest {
    private static final int PAGE = 4096;

    private static UnsafeBuffer page() {
        return new UnsafeBuffer(BufferUtil.allocateDirectAligned(PAGE, PAGE));
    }

    private static PageViewBuffer stitched(final boolean writable, final UnsafeBuffer... pages) {
        return new PageViewBuffer("test view", writable, pages, new String[pages.length], null);
    }

    @ParameterizedTest
    @ValueSource(ints = {PAGE - 7, PAGE - 4, PAGE - 1, PAGE - 3})
    void plainValuesThatCrossAPageReadAndWriteAsContiguousMemory(final int index) {
        final UnsafeBuffer a = page();
        final UnsafeBuffer b = page();
        final PageViewBuffer v = stitched(true, a, b);
        final UnsafeBuffer reference = new UnsafeBuffer(new byte[2 * PAGE]);
        for (final ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            v.putLong(index, 0x0102_0304_0506_0708L, order);
            reference.putLong(index, 0x0102_0304_0506_0708L, order);
            assertEquals(0x0102_0304_0506_0708L, v.getLong(index, order));
            assertEquals(reference.getInt(index, order), v.getInt(index, order));
            assertEquals(reference.getShort(index + 2, order), v.getShort(index + 2, order));
            v.putDouble(index, 1.5, order);
            assertEquals(1.5, v.getDouble(index, order));
            v.putFloat(index, 2.5f, order);
            assertEquals(2.5f, v.getFloat(index, order));
            v.putChar(index + 3, 'x', order);
            assertEquals('x', v.getChar(index + 3, order));
        }
        v.putInt(PAGE - 2, 0x11223344, ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x44, a.getByte(PAGE - 2) & 0xFF);
        assertEquals(0x11, b.getByte(1) & 0xFF, "the high bytes went to the second page");
    }

    @Test
    void bulkCopiesSpanPagesAndStringsSurviveTheSeam() {
        final PageViewBuffer v = stitched(true, page(), page(), page());
        final byte[] data = new byte[PAGE + 100];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        v.putBytes(PAGE - 50, data);
        final byte[] back = new byte[data.length];
        v.getBytes(PAGE - 50, back);
        assertArrayEquals(data, back);
        final UnsafeBuffer other = new UnsafeBuffer(new byte[data.length]);
        v.getBytes(PAGE - 50, other, 0, data.length);
        assertEquals(data[PAGE], other.getByte(PAGE));
        final ByteBuffer bb = ByteBuffer.allocate(16);
        v.getBytes(PAGE - 8, bb, 16);
        assertEquals(16, bb.position());
        v.putStringAscii(2 * PAGE - 3, "across the seam");
        assertEquals("across the seam", v.getStringAscii(2 * PAGE - 3));
        v.putStringUtf8(PAGE - 5, "été");
        assertEquals("été", v.getStringUtf8(PAGE - 5));
        assertEquals(3, v.putIntAscii(PAGE - 1, 123));
        assertEquals(123, v.parseIntAscii(PAGE - 1, 3));
        v.setMemory(PAGE - 10, 20, (byte) 7);
        assertEquals(7, v.getByte(PAGE + 9));
        final PageViewBuffer copy = stitched(true, page(), page());
        copy.putBytes(0, v, PAGE - 10, 20);
        assertEquals(7, copy.getByte(19));
    }

    @Test
    void alignedAtomicsWorkPerPageAndCrossingOnesAreRefused() {
        final UnsafeBuffer b = page();
        final PageViewBuffer v = stitched(true, page(), b);
        assertTrue(v.compareAndSetLong(PAGE + 8, 0, 5));
        assertEquals(5, b.getLongVolatile(8));
        assertEquals(5, v.getAndAddLong(PAGE + 8, 1));
        v.putIntRelease(PAGE, 9);
        assertEquals(9, v.getIntAcquire(PAGE));
        assertThrows(IllegalArgumentException.class, () -> v.getLongVolatile(PAGE - 4));
        assertThrows(IllegalArgumentException.class, () -> v.compareAndSetInt(PAGE - 2, 0, 1));
    }

    @Test
    void aStitchedViewHasNoSingleAddress() {
        final PageViewBuffer v = stitched(true, page(), page());
        final UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, v::addressOffset);
        assertTrue(String.valueOf(e.getMessage()).contains("test view"));
        assertThrows(UnsupportedOperationException.class, () -> v.wrap(new byte[8]));
    }

    @Test
    void aContiguousViewIsAnOrdinaryBufferForAgrona() {
        final ByteBuffer region = BufferUtil.allocateDirectAligned(2 * PAGE, PAGE);
        final UnsafeBuffer whole = new UnsafeBuffer(region);
        final PageViewBuffer v = new PageViewBuffer("contiguous", true,
            new UnsafeBuffer[] {new UnsafeBuffer(region, 0, PAGE), new UnsafeBuffer(region, PAGE, PAGE)},
            new String[2], whole);
        assertEquals(whole.addressOffset(), v.addressOffset());
        v.putLong(PAGE - 4, 42L);
        final UnsafeBuffer target = new UnsafeBuffer(new byte[8]);
        target.putBytes(0, v, PAGE - 4, 8);
        assertEquals(42L, target.getLong(0));
    }

    @Test
    void aReadOnlyViewRefusesEveryKindOfWrite() {
        final PageViewBuffer v = stitched(false, page());
        assertEquals(0, v.getLong(0));
        assertThrows(XenHalException.class, () -> v.putByte(0, (byte) 1));
        assertThrows(XenHalException.class, () -> v.putLong(0, 1));
        assertThrows(XenHalException.class, () -> v.putBytes(0, new byte[1]));
        assertThrows(XenHalException.class, () -> v.setMemory(0, 1, (byte) 1));
        assertThrows(XenHalException.class, () -> v.putLongVolatile(0, 1));
        assertThrows(XenHalException.class, () -> v.getAndAddInt(0, 1));
        assertThrows(XenHalException.class, () -> v.putStringAscii(0, "x"));
        final XenHalException e = assertThrows(XenHalException.class, () -> v.compareAndSetInt(0, 0, 1));
        assertTrue(String.valueOf(e.getMessage()).contains("read-only"));
    }

    @Test
    void aDetachedViewRefusesEverythingAndNamesWhy() {
        final PageViewBuffer v = stitched(true, page());
        v.detach("unmapped");
        assertTrue(v.isDetached());
        final HandleClosedException e = assertThrows(HandleClosedException.class, () -> v.getByte(0));
        assertTrue(String.valueOf(e.getMessage()).contains("test view (closed)"), e.getMessage());
        assertTrue(String.valueOf(e.getMessage()).contains("unmapped"), e.getMessage());
        assertThrows(HandleClosedException.class, () -> v.putInt(0, 1));
        assertThrows(HandleClosedException.class, v::addressOffset);
    }

    @Test
    void aPageThatFailedToMapFailsOnAccessNamingTheFrame() {
        final @Nullable UnsafeBuffer[] pages = {page(), null};
        final PageViewBuffer v = new PageViewBuffer("foreign", true, pages, new String[] {null, "EINVAL (22): absent"}, null);
        v.putInt(0, 1);
        final XenHalException e = assertThrows(XenHalException.class, () -> v.getInt(PAGE + 4));
        assertTrue(String.valueOf(e.getMessage()).contains("frame 1"), e.getMessage());
        assertTrue(String.valueOf(e.getMessage()).contains("absent"), e.getMessage());
    }

    @Test
    void boundsAreChecked() {
        final PageViewBuffer v = stitched(true, page());
        assertThrows(IndexOutOfBoundsException.class, () -> v.getLong(PAGE - 4));
        assertThrows(IndexOutOfBoundsException.class, () -> v.getByte(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> v.checkLimit(PAGE + 1));
        v.checkLimit(PAGE);
        assertEquals(PAGE, v.capacity());
    }

    /** Two pages in one direct region, as the simulated host's share: per-page buffers and the whole. */
    private static PageViewBuffer contiguousView(final boolean writable, final boolean memoryOutlives) {
        final ByteBuffer region = BufferUtil.allocateDirectAligned(2 * PAGE, PAGE);
        final @Nullable UnsafeBuffer[] pages = {new UnsafeBuffer(region, 0, PAGE), new UnsafeBuffer(region, PAGE, PAGE)};
        return new PageViewBuffer("plain test view", writable, pages, new String[2], new UnsafeBuffer(region, 0, 2 * PAGE),
            memoryOutlives);
    }

    @Test
    void aPlainViewIsAnExactUnsafeBufferOverTheSamePages() {
        final PageViewBuffer v = contiguousView(true, true);
        assertTrue(v.hasPlainView());
        final AtomicBuffer plain = v.plainView();
        // The exact class: the ring's unchecked slot moves test for it.
        assertEquals(UnsafeBuffer.class, plain.getClass());
        assertEquals(v.capacity(), plain.capacity());
        assertEquals(v.addressOffset(), plain.addressOffset());
        plain.putLongRelease(PAGE - 8, 0x0102_0304_0506_0708L);
        assertEquals(0x0102_0304_0506_0708L, v.getLongAcquire(PAGE - 8));
        v.putIntVolatile(PAGE + 4, 77);
        assertEquals(77, plain.getIntVolatile(PAGE + 4));
        assertThrows(IndexOutOfBoundsException.class, () -> plain.getLong(2 * PAGE - 4), "Agrona's bounds check stays");
    }

    @Test
    void onlyAWritableContiguousViewOverMemoryThatOutlivesItHasAPlainView() {
        // Memory an munmap frees (the Linux HAL): a plain buffer would crash the JVM after the unmap.
        final PageViewBuffer unmappable = contiguousView(true, false);
        assertFalse(unmappable.hasPlainView());
        assertSame(unmappable, unmappable.plainView());
        // Read-only: a plain buffer cannot refuse writes.
        final PageViewBuffer readOnly = contiguousView(false, true);
        assertFalse(readOnly.hasPlainView());
        assertSame(readOnly, readOnly.plainView());
        assertThrows(XenHalException.class, () -> readOnly.plainView().putInt(0, 1));
        // Stitched: no single address.
        final PageViewBuffer stitched = new PageViewBuffer("stitched", true, new UnsafeBuffer[] {page(), page()}, new String[2], null, true);
        assertFalse(stitched.hasPlainView());
        assertSame(stitched, stitched.plainView());
    }

    @Test
    void aDetachedViewsPlainViewFailsEveryAccessButKeepsItsMemory() {
        final PageViewBuffer v = contiguousView(true, true);
        final AtomicBuffer plain = v.plainView();
        final long address = plain.addressOffset();
        final ByteBuffer memory = java.util.Objects.requireNonNull(plain.byteBuffer());
        v.detach("unmapped");
        assertThrows(HandleClosedException.class, v::plainView);
        assertEquals(0, plain.capacity());
        assertThrows(IndexOutOfBoundsException.class, () -> plain.getIntAcquire(0));
        assertThrows(IndexOutOfBoundsException.class, () -> plain.putIntRelease(PAGE, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> plain.getBytes(0, new byte[8]));
        // Only the capacity changed: a racing access used the same, still allocated, memory.
        assertEquals(address, plain.addressOffset());
        assertSame(memory, plain.byteBuffer());
    }

    @Test
    void anAccessRacingTheDetachReadsTheMemoryOrFailsNeverAnythingElse() throws Exception {
        for (int round = 0; round < 200; round++) {
            final PageViewBuffer v = contiguousView(true, true);
            final AtomicBuffer plain = v.plainView();
            plain.putLong(PAGE, 0x5555_5555_5555_5555L);
            final java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
            final long[] seen = new long[2];
            final Thread reader = new Thread(() -> {
                started.countDown();
                try {
                    while (true) {
                        final long value = plain.getLongVolatile(PAGE);
                        seen[value == 0x5555_5555_5555_5555L ? 0 : 1]++;
                    }
                } catch (final IndexOutOfBoundsException expected) {
                    // The detach took effect: the way out.
                }
            });
            reader.start();
            started.await();
            v.detach("unmapped");
            reader.join(10_000);
            assertFalse(reader.isAlive(), "round " + round + ": the reader never saw the detach");
            assertEquals(0, seen[1], "round " + round + ": a racing read saw something other than the memory's value");
        }
    }
}
