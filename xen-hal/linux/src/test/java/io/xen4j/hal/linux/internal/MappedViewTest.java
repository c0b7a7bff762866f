package io.xen4j.hal.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.HandleClosedException;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.spi.PageViewBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.Pipe;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The views of the Linux HAL over anonymous memory (no /dev/xen): a contiguous view gives a
 * direct {@link ByteBuffer} over the mapping, the same one each time, read-only for a read-only
 * view and none for a stitched one; after the unmap that buffer and its slices throw instead of
 * touching unmapped memory, and an unmap while a thread is in I/O on it leaves the pages mapped.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MappedViewTest {
    private static final int PAGE = Native.PAGE_SIZE;

    private static long anonymous(final int pages) {
        return Libc.mmap((long) pages * PAGE, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
    }

    @Test
    void aContiguousViewGivesOneDirectByteBufferOverTheMapping() {
        final long address = anonymous(3);
        final MappedView m = MappedView.of("test share", true, address, 3, null);
        final PageViewBuffer view = m.view();
        final ByteBuffer b = view.byteBuffer();
        assertNotNull(b);
        assertTrue(b.isDirect());
        assertFalse(b.isReadOnly());
        assertEquals(3 * PAGE, b.capacity());
        assertEquals(0, view.wrapAdjustment());
        assertEquals(address, view.addressOffset());
        assertSame(b, view.byteBuffer(), "one buffer per mapping: callers compare them by identity");
        // The same memory both ways, across a page boundary.
        view.putLong(PAGE - 4, 0x0102030405060708L);
        assertEquals(0x0102030405060708L, b.order(java.nio.ByteOrder.nativeOrder()).getLong(PAGE - 4));
        b.put(2 * PAGE + 7, (byte) 0x5A);
        assertEquals((byte) 0x5A, view.getByte(2 * PAGE + 7));
        m.unmap("unmapped");
    }

    @Test
    void aReadOnlyViewGivesAReadOnlyBufferAndAStitchedOneNone() {
        final long address = anonymous(2);
        final MappedView ro = MappedView.of("test read-only mapping", false, address, 2, null);
        final ByteBuffer b = ro.view().byteBuffer();
        assertNotNull(b);
        assertTrue(b.isReadOnly());
        assertThrows(ReadOnlyBufferException.class, () -> b.put(0, (byte) 1));
        ro.unmap("unmapped");

        final long other = anonymous(2);
        final @Nullable String[] errors = {null, "gfn 0x10: EFAULT"};
        final MappedView stitched = MappedView.of("test foreign mapping", true, other, 2, errors);
        assertNull(stitched.view().byteBuffer(), "a page failed to map: there is no one buffer over the view");
        stitched.unmap("unmapped");
    }

    @Test
    void afterTheUnmapTheBufferAndItsSlicesThrowInsteadOfTouchingTheMemory() {
        final long address = anonymous(2);
        final MappedView m = MappedView.of("test share", true, address, 2, null);
        final ByteBuffer whole = m.view().byteBuffer();
        assertNotNull(whole);
        final ByteBuffer slice = whole.slice(PAGE, PAGE);
        final ByteBuffer copy = whole.duplicate();
        final ByteBuffer readOnly = whole.asReadOnlyBuffer();
        slice.put(0, (byte) 9);
        m.unmap("unshared");
        // The memory is gone (munmap): a touch would crash the JVM; the arena turns it into an exception.
        for (final ByteBuffer b : new ByteBuffer[] {whole, slice, copy, readOnly}) {
            final IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.get(0));
            assertTrue(String.valueOf(e.getMessage()).contains("closed"), e.getMessage());
        }
        assertThrows(IllegalStateException.class, () -> slice.put(0, (byte) 1));
        final HandleClosedException e = assertThrows(HandleClosedException.class, () -> m.view().byteBuffer());
        assertTrue(String.valueOf(e.getMessage()).contains("unshared"), e.getMessage());
        assertThrows(HandleClosedException.class, () -> m.view().getByte(0));
    }

    @Test
    void aViewWithoutAByteBufferUnmapsAsBefore() {
        final long address = anonymous(1);
        final MappedView m = MappedView.of("test mapping", true, address, 1, null);
        m.view().putInt(0, 7);
        assertEquals(7, m.view().getInt(0));
        m.unmap("unmapped");
        assertTrue(m.view().isDetached());
        assertThrows(HandleClosedException.class, () -> m.view().getInt(0));
    }

    @Test
    void anUnmapWhileAThreadIsInIoOnTheBufferLeavesThePagesMapped() throws Exception {
        // 32 pages into a pipe that holds 16: the write blocks inside the channel, holding the buffer.
        final int pages = 32;
        final long address = anonymous(pages);
        final MappedView m = MappedView.of("test share", true, address, pages, null);
        final ByteBuffer whole = m.view().byteBuffer();
        assertNotNull(whole);
        final Pipe pipe = Pipe.open();
        final AtomicReference<@Nullable Throwable> failed = new AtomicReference<>();
        final Thread writer = new Thread(() -> {
            try {
                while (whole.hasRemaining()) {
                    pipe.sink().write(whole);
                }
            } catch (final IOException | RuntimeException e) {
                failed.set(e);
            }
        }, "mapped-view-writer");
        writer.start();
        try {
            // Wait until the writer is inside the channel's native write (the pipe is full): only
            // there is the buffer held for I/O. A RUNNABLE thread may not have got that far yet (a
            // loaded machine starts threads late), so its stack is what says so.
            final ByteBuffer drain = ByteBuffer.allocate(PAGE);
            XenHalException busy = null;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (busy == null && System.nanoTime() - deadline < 0) {
                Thread.sleep(20);
                if (inNativeWrite(writer) && whole.position() == 0) {
                    try {
                        m.unmap("unshared");
                        // Not blocked yet: every page still mapped, nothing was unmapped under the writer.
                        throw new AssertionError("the unmap succeeded while a thread was writing from the buffer");
                    } catch (final XenHalException e) {
                        busy = e;
                    }
                }
            }
            assertNotNull(busy, "the writer never blocked in the pipe");
            assertEquals(Errno.EBUSY.number(), busy.errnoNumber());
            assertTrue(String.valueOf(busy.getMessage()).contains("stay mapped"), busy.getMessage());
            // The pages are still there: the writer finishes from them.
            int read = 0;
            while (read < pages * PAGE) {
                drain.clear();
                read += pipe.source().read(drain);
            }
            writer.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(writer.isAlive());
            assertNull(failed.get());
            assertEquals(pages * PAGE, read);
        } finally {
            pipe.source().close();
            pipe.sink().close();
            writer.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    /** Whether {@code t} is in a native write of a channel (JDK's {@code sun.nio.ch}), where it holds its buffer. */
    private static boolean inNativeWrite(final Thread t) {
        for (final StackTraceElement frame : t.getStackTrace()) {
            if (frame.isNativeMethod() && frame.getClassName().startsWith("sun.nio.ch.") && frame.getMethodName().startsWith("write")) {
                return true;
            }
        }
        return false;
    }
}
