package io.xen4j.blk.spi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A disk in a file: positional {@link FileChannel} reads and writes (no shared position, so
 * nothing to lock), {@link FileChannel#force(boolean)} for flush, zeros written for discard (Java
 * has no hole punching). The file's size is the disk's size, rounded down to whole sectors.
 */
public final class FileBlockStore implements BlockStore {
    private static final int ZERO_CHUNK = 64 * 1024;

    private final Path path;
    private final FileChannel channel;
    private final int sectorSize;
    private final long sizeBytes;
    private final boolean readOnly;
    private final ByteBuffer zeros = ByteBuffer.allocateDirect(ZERO_CHUNK);

    /**
     * Opens a file as a disk.
     *
     * @param path       the file; it must exist
     * @param sectorSize logical sector size, a power of two from 512 to 4096
     * @param readOnly   whether to open it read-only
     * @throws IOException naming the file if it cannot be opened
     */
    public FileBlockStore(final Path path, final int sectorSize, final boolean readOnly) throws IOException {
        if (sectorSize < 512 || sectorSize > 4096 || Integer.bitCount(sectorSize) != 1) {
            throw new IllegalArgumentException("file store " + path + ": sectorSize=" + sectorSize + " must be a power of two in 512..4096");
        }
        this.path = path;
        this.channel = readOnly ? FileChannel.open(path, StandardOpenOption.READ)
            : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.sectorSize = sectorSize;
        this.sizeBytes = channel.size() / sectorSize * sectorSize;
        this.readOnly = readOnly;
    }

    /**
     * Creates (or truncates) a file of the given size and opens it writable.
     *
     * @param path       the file
     * @param sizeBytes  its size, a multiple of the sector size
     * @param sectorSize logical sector size
     * @return the store
     * @throws IOException naming the file on failure
     */
    public static FileBlockStore create(final Path path, final long sizeBytes, final int sectorSize) throws IOException {
        try (FileChannel c = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            c.write(ByteBuffer.allocate(1), sizeBytes - 1);
        }
        return new FileBlockStore(path, sectorSize, false);
    }

    @Override
    public int sectorSize() {
        return sectorSize;
    }

    @Override
    public long sizeBytes() {
        return sizeBytes;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public void read(final long position, final ByteBuffer dst) throws IOException {
        BlockStore.checkRange("file store " + path + " read", position, dst.remaining(), sizeBytes);
        long at = position;
        while (dst.hasRemaining()) {
            final int n = channel.read(dst, at);
            if (n < 0) {
                throw new IOException("file store " + path + " read: end of file at " + at + " (the file shrank?)");
            }
            at += n;
        }
    }

    @Override
    public void write(final long position, final ByteBuffer src) throws IOException {
        if (readOnly) {
            throw new IOException("file store " + path + " write: read-only (EROFS)");
        }
        BlockStore.checkRange("file store " + path + " write", position, src.remaining(), sizeBytes);
        long at = position;
        while (src.hasRemaining()) {
            at += channel.write(src, at);
        }
    }

    @Override
    public void flush() throws IOException {
        // fsync: data and metadata, as the blkif flush promises durability of all completed writes.
        channel.force(true);
    }

    @Override
    public void discard(final long position, final long length, final boolean secure) throws IOException {
        if (readOnly) {
            throw new IOException("file store " + path + " discard: read-only (EROFS)");
        }
        BlockStore.checkRange("file store " + path + " discard", position, length, sizeBytes);
        long at = position;
        final long end = position + length;
        while (at < end) {
            zeros.clear().limit((int) Math.min(ZERO_CHUNK, end - at));
            while (zeros.hasRemaining()) {
                at += channel.write(zeros, at);
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
