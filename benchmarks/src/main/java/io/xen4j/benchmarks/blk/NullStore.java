package io.xen4j.benchmarks.blk;

import io.xen4j.blk.spi.BlockStore;
import java.io.IOException;
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
