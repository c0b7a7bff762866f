package io.xen4j.hal.linux.internal;

import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.spi.PageViewBuffer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Pages mapped into this process (a gntalloc share, a gntdev or privcmd mapping), the
 * {@link PageViewBuffer} handed out over them, and their unmapping.
 *
 * <p>When every page is mapped the view is contiguous and its {@link PageViewBuffer#byteBuffer()}
 * is a direct {@link ByteBuffer} over the mapping (read-only for a read-only view), so that
 * Netty and {@code FileChannel} can use the pages in place. That buffer is made on first use in
 * a shared {@link Arena} which {@link #unmap} closes before {@code munmap}: a {@link ByteBuffer}
 * (or a slice, a duplicate, a Netty buffer over it) still held after the unmap throws
 * {@link IllegalStateException} on access instead of touching unmapped memory, and the close
 * waits out any thread inside an access. Closing a shared arena costs a handshake with every
 * thread (tens of microseconds), hence the lazy buffer: a view nobody asked a
 * {@link ByteBuffer} of unmaps as cheaply as before.
 */
final class MappedView {
    /**
     * The contiguous pages as Agrona sees them (at their address, unchecked: the
     * {@link PageViewBuffer} checks), with the {@link ByteBuffer} of the arena.
     */
    private static final class Contiguous extends UnsafeBuffer {
        private @Nullable Arena arena;
        private @Nullable ByteBuffer nio;
        private boolean unmapped;

        Contiguous(final long address, final int length) {
            super(address, length);
        }

        // The arena lives as long as the mapping: close() ends it, before the munmap.
        @SuppressWarnings("MustBeClosedChecker")
        @Override
        public synchronized @Nullable ByteBuffer byteBuffer() {
            if (nio == null && !unmapped) {
                final Arena a = Arena.ofShared();
                nio = MemorySegment.ofAddress(addressOffset()).reinterpret(capacity(), a, null).asByteBuffer();
                arena = a;
            }
            return nio;
        }

        // The ByteBuffer starts at the mapping: the view's offset into it is 0 (Agrona's field is
        // 0 for an address wrap already; overridden so the pairing with byteBuffer() is explicit).
        @Override
        public int wrapAdjustment() {
            return 0;
        }

        /** Ends the arena: from now on every ByteBuffer made over the pages throws on access. */
        synchronized void close() {
            unmapped = true;
            final Arena a = arena;
            if (a != null) {
                // Throws IllegalStateException while a thread holds the session (an I/O call in
                // progress on the buffer): then the pages must stay mapped.
                a.close();
                arena = null;
                nio = null;
            }
        }
    }

    private final PageViewBuffer view;
    private final @Nullable Contiguous contiguous;
    private final String name;
    private final long address;
    private final int pages;

    private MappedView(final PageViewBuffer view, final @Nullable Contiguous contiguous, final String name, final long address,
        final int pages) {
        this.view = view;
        this.contiguous = contiguous;
        this.name = name;
        this.address = address;
        this.pages = pages;
    }

    /**
     * A view over mapped pages, some of which may have failed to map.
     *
     * @param name     the handle's description
     * @param writable whether writes are allowed
     * @param address  the mapping's address
     * @param pages    how many pages
     * @param errors   for each page, why it is not mapped, or null when it is; null when all are
     * @return the view: contiguous when every page is mapped, else per page
     */
    static MappedView of(final String name, final boolean writable, final long address, final int pages,
        final @Nullable String @Nullable [] errors) {
        Native.checkPages(pages);
        final @Nullable UnsafeBuffer[] perPage = new UnsafeBuffer[pages];
        final @Nullable String[] why = new String[pages];
        boolean all = true;
        for (int i = 0; i < pages; i++) {
            final String e = errors == null ? null : errors[i];
            if (e == null) {
                perPage[i] = new UnsafeBuffer(address + (long) i * Native.PAGE_SIZE, Native.PAGE_SIZE);
            } else {
                why[i] = e;
                all = false;
            }
        }
        final Contiguous c = all ? new Contiguous(address, pages * Native.PAGE_SIZE) : null;
        return new MappedView(new PageViewBuffer(name, writable, perPage, why, c), c, name, address, pages);
    }

    /**
     * The view handed out.
     *
     * @return the view
     */
    PageViewBuffer view() {
        return view;
    }

    /**
     * Detaches the view, ends its {@link ByteBuffer}'s arena and unmaps the pages; called once.
     *
     * @param reason why, for the messages of later accesses ({@code "unmapped"})
     * @throws XenHalException (EBUSY) when a thread is still in an I/O call on the view's
     *                         {@link ByteBuffer}: the pages are then left mapped (leaked), never freed under it
     */
    void unmap(final String reason) {
        view.detach(reason);
        final Contiguous c = contiguous;
        if (c != null) {
            try {
                c.close();
            } catch (final IllegalStateException e) {
                throw new XenHalException("unmap " + name, Errno.EBUSY.number(),
                    "a thread is still in an I/O call on its ByteBuffer: the " + pages + " page(s) stay mapped", e);
            }
        }
        Libc.munmap(address, (long) pages * Native.PAGE_SIZE);
    }
}
