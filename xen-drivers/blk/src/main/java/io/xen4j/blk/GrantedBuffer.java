package io.xen4j.blk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.xen4j.hal.api.SharedPages;
import java.nio.ByteBuffer;

/**
 * A buffer of {@link BlkFront#allocateBuffer}: a {@link ByteBuf} whose memory is pages this
 * frontend granted to its backend once, for one connection. A read into it lands in place (the
 * backend writes the pages) and a write is served from it (the backend reads them): the
 * segments of the request are these pages' grants, no data is copied on this side.
 *
 * <p>Its capacity is fixed (the memory is the granted pages and cannot move). Releasing it (the
 * reference count reaching zero) gives the pages back to its frontend, which keeps them granted
 * for a later buffer of the same connection, or ends their grants.
 */
final class GrantedBuffer extends UnpooledDirectByteBuf {
    /** The frontend that granted the pages; only its requests go zero-copy. */
    final BlkFront owner;
    /** The grants, one per page, to the backend domain of {@link #generation}. */
    final SharedPages pages;
    /** The frontend's connection the pages were granted for; a later one copies instead. */
    final long generation;

    GrantedBuffer(final BlkFront owner, final SharedPages pages, final ByteBuffer memory, final long generation) {
        // Wrapping: the memory is never freed by Netty (it is the share's), only given back.
        super(UnpooledByteBufAllocator.DEFAULT, memory, memory.remaining());
        this.owner = owner;
        this.pages = pages;
        this.generation = generation;
        clear();
    }

    /** The memory must stay the granted pages: a buffer of this kind never grows or shrinks. */
    @Override
    public ByteBuf capacity(final int newCapacity) {
        if (newCapacity != capacity()) {
            throw new UnsupportedOperationException("blkfront: a granted buffer has the fixed capacity " + capacity()
                + " (asked " + newCapacity + ")");
        }
        return this;
    }

    @Override
    protected void deallocate() {
        super.deallocate();
        owner.release(this);
    }
}
