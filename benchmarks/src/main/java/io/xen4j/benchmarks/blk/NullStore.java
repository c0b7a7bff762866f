package io.xen4j.benchmarks.blk;

import io.xen4j.blk.spi.BlockStore;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A disk whose reads and writes move no bytes (they only consume the buffer's remaining bytes):
 * what is left of a request through the drivers is their own work. For the benchmarks only;
 * {@link BlkDriverCost}'s store overrides its read.
 */
class NullStore implements BlockStore {
    private final long sizeBytes;

    NullStore(final long sizeBytes) {
        this.sizeBytes = sizeBytes;
    }

    @Override
    public int sectorSize() {
        return 512;
    }

    @Override
    public long sizeBytes() {
        return sizeBytes;
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    @Override
    public void read(final long position, final ByteBuffer dst) throws IOException {
        dst.position(dst.limit());
    }

    @Override
    public void write(final long position, final ByteBuffer src) {
        src.position(src.limit());
    }

    // The forms blkback calls: moving no bytes there either, and no wrapping in a buffer (the
    // defaults' slice and buffer would be the drivers' cost in every measurement on this store).
    @Override
    public void read(final long position, final MemorySegment dst, final long offset, final long length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, dst.byteSize());
    }

    @Override
    public void write(final long position, final MemorySegment src, final long offset, final long length) {
        java.util.Objects.checkFromIndexSize(offset, length, src.byteSize());
    }

    @Override
    public void flush() {
    }

    @Override
    public void discard(final long position, final long length, final boolean secure) {
    }

    @Override
    public void close() {
    }
}
