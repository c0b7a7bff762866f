package io.xen4j.blk.spi;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;

/**
 * A disk in memory, for tests and demos. It counts flushes, so that tests can see them.
 */
public final class MemoryBlockStore implements BlockStore {
    /** Replaced by a resize; reads of the size from other threads see the new array. */
    private volatile byte[] data;
    private final int sectorSize;
    private final int physicalSectorSize;
    private final boolean readOnly;
    private long flushes;

    /**
     * Creates a zeroed disk.
     *
     * @param sizeBytes          size, a multiple of the sector size, at most 2 GiB - 1 sector
     * @param sectorSize         logical sector size, a power of two from 512 to 4096
     * @param physicalSectorSize physical sector size, a multiple of the logical one
     * @param readOnly           whether writes are refused
     */
    public MemoryBlockStore(final long sizeBytes, final int sectorSize, final int physicalSectorSize, final boolean readOnly) {
        if (sectorSize < 512 || sectorSize > 4096 || Integer.bitCount(sectorSize) != 1) {
            throw new IllegalArgumentException("memory store: sectorSize=" + sectorSize + " must be a power of two in 512..4096");
        }
        if (physicalSectorSize < sectorSize || physicalSectorSize % sectorSize != 0) {
            throw new IllegalArgumentException("memory store: physicalSectorSize=" + physicalSectorSize + " must be a multiple of " + sectorSize);
        }
        if (sizeBytes <= 0 || sizeBytes % sectorSize != 0 || sizeBytes > Integer.MAX_VALUE - 4096) {
            throw new IllegalArgumentException("memory store: sizeBytes=" + sizeBytes + " must be a positive multiple of " + sectorSize + " below 2 GiB");
        }
        this.data = new byte[(int) sizeBytes];
        this.sectorSize = sectorSize;
        this.physicalSectorSize = physicalSectorSize;
        this.readOnly = readOnly;
    }

    /**
     * Creates a writable disk of 512-byte sectors.
     *
     * @param sizeBytes size, a multiple of 512
     */
    public MemoryBlockStore(final long sizeBytes) {
        this(sizeBytes, 512, 512, false);
    }

    @Override
    public int sectorSize() {
        return sectorSize;
    }

    @Override
    public int physicalSectorSize() {
        return physicalSectorSize;
    }

    @Override
    public long sizeBytes() {
        return data.length;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public synchronized void read(final long position, final ByteBuffer dst) throws IOException {
        BlockStore.checkRange("memory store read", position, dst.remaining(), data.length);
        dst.put(data, (int) position, dst.remaining());
    }

    @Override
    public synchronized void write(final long position, final ByteBuffer src) throws IOException {
        checkWritable("write");
        BlockStore.checkRange("memory store write", position, src.remaining(), data.length);
        src.get(data, (int) position, src.remaining());
    }

    @Override
    public synchronized void read(final long position, final MemorySegment dst, final long offset, final long length) throws IOException {
        BlockStore.checkRange("memory store read", position, length, data.length);
        MemorySegment.copy(data, (int) position, dst, ValueLayout.JAVA_BYTE, offset, (int) length);
    }

    @Override
    public synchronized void write(final long position, final MemorySegment src, final long offset, final long length) throws IOException {
        checkWritable("write");
        BlockStore.checkRange("memory store write", position, length, data.length);
        MemorySegment.copy(src, ValueLayout.JAVA_BYTE, offset, data, (int) position, (int) length);
    }

    private void checkWritable(final String op) throws IOException {
        if (readOnly) {
            throw new IOException("memory store " + op + ": the disk is read-only (EROFS)");
        }
    }

    @Override
    public synchronized void resize(final long newSizeBytes) {
        if (newSizeBytes <= 0 || newSizeBytes % sectorSize != 0 || newSizeBytes > Integer.MAX_VALUE - 4096) {
            throw new IllegalArgumentException("memory store resize: sizeBytes=" + newSizeBytes + " must be a positive multiple of "
                + sectorSize + " below 2 GiB");
        }
        data = java.util.Arrays.copyOf(data, (int) newSizeBytes);
    }

    @Override
    public synchronized void flush() {
        flushes++;
    }

    /**
     * How many flushes were asked for.
     *
     * @return the count
     */
    public synchronized long flushes() {
        return flushes;
    }

    @Override
    public synchronized void discard(final long position, final long length, final boolean secure) throws IOException {
        checkWritable("discard");
        BlockStore.checkRange("memory store discard", position, length, data.length);
        java.util.Arrays.fill(data, (int) position, (int) (position + length), (byte) 0);
    }

    /**
     * Copies bytes out directly, for tests that check what the backend wrote.
     *
     * @param position byte offset
     * @param length   bytes
     * @return a copy
     */
    public synchronized byte[] snapshot(final int position, final int length) {
        return java.util.Arrays.copyOfRange(data, position, position + length);
    }

    @Override
    public void close() {
        // Nothing to release: the array goes with the store.
    }
}
