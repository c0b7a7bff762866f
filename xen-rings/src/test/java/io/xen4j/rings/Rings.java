package io.xen4j.rings;

import io.xen4j.abi.ring.RingSizes;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/** Test helpers: page-aligned shared areas. */
final class Rings {
    private Rings() {
    }

    /** A zeroed, page-aligned shared area of {@code pages} pages, off-heap as a mapped grant is. */
    static UnsafeBuffer pages(final int pages) {
        return new UnsafeBuffer(BufferUtil.allocateDirectAligned(pages * RingSizes.XEN_PAGE_SIZE,
            RingSizes.XEN_PAGE_SIZE));
    }
}
