package io.xen4j.blk.spi;

import io.xen4j.blk.internal.NativeFile;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jspecify.annotations.Nullable;

/**
 * A disk in a file: positional reads and writes (no shared position, so nothing to lock),
 * {@link FileChannel#force(boolean)} for flush, zeros written for discard (Java has no hole
 * punching). The file's size is the disk's size, rounded down to whole sectors.
 *
 * <p>Transfers in native memory (direct buffers, and the pages blkback maps) call {@code pread}
 * and {@code pwrite} straight through the FFM API where this module may call native code
 * ({@code --enable-native-access=io.xen4j.blk}, or {@code ALL-UNNAMED} on the class path) on Linux
 * x86_64 or aarch64: a 4 KiB read from the page cache measured 100-140 ns cheaper than through
 * a {@code FileChannel}, which registers each call as interruptible and closes the whole channel
 * when the calling thread is interrupted. Heap buffers, and every transfer where native calls are
 * not available, go through the {@code FileChannel}; {@link #nativeTransfers()} counts the others.
 * The two are one file and coherent (the same page cache). blkback calls the
 * {@link #read(long, MemorySegment, long, long) segment forms} with a segment it keeps for each
 * mapped page, which go to the kernel as an address with no object made per transfer; the
 * {@link ByteBuffer} forms make a segment of the buffer per call (which the JIT usually, not
 * always, removes).
 *
 * <p>With {@code direct} asked for, the file is also opened with {@code O_DIRECT} (bypassing the
 * host's page cache, as a disk served to a guest should: the guest caches). Where the filesystem
 * refuses it (sysfs answers {@code EINVAL}), the platform has no O_DIRECT here or native access
 * is not enabled (a warning names the flag), the store falls back to buffered I/O;
 * {@link #direct()} says which. Even with O_DIRECT, a transfer whose memory, position or length is
 * not page-aligned goes buffered (Linux keeps the two coherent: a direct read first writes back
 * dirty cached pages of its range, a direct write drops them).
 */
public final class FileBlockStore implements BlockStore {
    private static final System.Logger LOG = System.getLogger(FileBlockStore.class.getName());
    private static final int ZERO_CHUNK = 64 * 1024;

    private final Path path;
    private final FileChannel channel;
    private final @Nullable NativeFile directFile;
    /** The same file for buffered transfers in native memory, without FileChannel's per-call work. */
    private final @Nullable NativeFile bufferedFile;
    private final int sectorSize;
    private volatile long sizeBytes;
    private final boolean readOnly;
    private final ByteBuffer zeros = ByteBuffer.allocateDirect(ZERO_CHUNK);
    private long directTransfers;
    private long nativeTransfers;

    /**
     * Opens a file as a disk, with buffered I/O.
     *
     * @param path       the file; it must exist
     * @param sectorSize logical sector size, a power of two from 512 to 4096
     * @param readOnly   whether to open it read-only
     * @throws IOException naming the file if it cannot be opened
     */
    public FileBlockStore(final Path path, final int sectorSize, final boolean readOnly) throws IOException {
        this(path, sectorSize, readOnly, false);
    }

    /**
     * Opens a file as a disk.
     *
     * @param path       the file; it must exist
     * @param sectorSize logical sector size, a power of two from 512 to 4096
     * @param readOnly   whether to open it read-only
     * @param direct     use {@code O_DIRECT} where the filesystem allows it
     * @throws IOException naming the file if it cannot be opened
     */
    public FileBlockStore(final Path path, final int sectorSize, final boolean readOnly, final boolean direct) throws IOException {
        if (sectorSize < 512 || sectorSize > 4096 || Integer.bitCount(sectorSize) != 1) {
            throw new IllegalArgumentException("file store " + path + ": sectorSize=" + sectorSize + " must be a power of two in 512..4096");
        }
        this.path = path;
        this.channel = readOnly ? FileChannel.open(path, StandardOpenOption.READ)
            : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        NativeFile d = null;
        NativeFile b = null;
        try {
            if (direct) {
                d = NativeFile.openDirect(path, readOnly);
                if (d == null && !NativeFile.unavailableReason().isEmpty()) {
                    LOG.log(System.Logger.Level.WARNING, "file store " + path + ": O_DIRECT asked for but not available, buffered I/O instead: "
                        + NativeFile.unavailableReason());
                }
            }
            b = NativeFile.openBuffered(path, readOnly);
        } catch (final IOException e) {
            if (d != null) {
                d.close();
            }
            channel.close();
            throw e;
        }
        this.directFile = d;
        this.bufferedFile = b;
        this.sectorSize = sectorSize;
        this.sizeBytes = channel.size() / sectorSize * sectorSize;
        this.readOnly = readOnly;
    }

    /**
     * Creates (or truncates) a file of the given size and opens it writable, with buffered I/O.
     *
     * @param path       the file
     * @param sizeBytes  its size, a multiple of the sector size
     * @param sectorSize logical sector size
     * @return the store
     * @throws IOException naming the file on failure
     */
    public static FileBlockStore create(final Path path, final long sizeBytes, final int sectorSize) throws IOException {
        return create(path, sizeBytes, sectorSize, false);
    }

    /**
     * Creates (or truncates) a file of the given size and opens it writable.
     *
     * @param path       the file
     * @param sizeBytes  its size, a multiple of the sector size
     * @param sectorSize logical sector size
     * @param direct     use {@code O_DIRECT} where the filesystem allows it
     * @return the store
     * @throws IOException naming the file on failure
     */
    public static FileBlockStore create(final Path path, final long sizeBytes, final int sectorSize, final boolean direct)
        throws IOException {
        try (FileChannel c = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            c.write(ByteBuffer.allocate(1), sizeBytes - 1);
        }
        return new FileBlockStore(path, sectorSize, false, direct);
    }

    /**
     * Whether the file is open with {@code O_DIRECT} (false after a fallback).
     *
     * @return true if aligned transfers bypass the page cache
     */
    public boolean direct() {
        return directFile != null;
    }

    /**
     * Reads and writes that went through {@code O_DIRECT}.
     *
     * @return the count
     */
    public long directTransfers() {
        return directTransfers;
    }

    /**
     * Reads and writes that went through native calls, O_DIRECT or buffered (the others went
     * through the {@code FileChannel}).
     *
     * @return the count
     */
    public long nativeTransfers() {
        return nativeTransfers;
    }

    /** Counts a transfer of this file's own. */
    @SuppressWarnings("ReferenceEquality")
    private void countNative(final NativeFile f) {
        nativeTransfers++;
        if (f == directFile) {
            directTransfers++;
        }
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

    /** Bounds check whose message is built only when it fails (this runs per request). */
    private void checkRange(final String op, final long position, final long length) throws IOException {
        final long size = sizeBytes;
        if (position < 0 || length < 0 || position > size || length > size - position) {
            BlockStore.checkRange("file store " + path + " " + op, position, length, size);
        }
    }

    /**
     * The native file for a transfer in native memory: the O_DIRECT one when open and the
     * transfer is aligned, else the buffered one; null where native calls are not available
     * (the channel then).
     */
    private @Nullable NativeFile nativeFile(final MemorySegment memory, final long offset, final long length, final long position) {
        final NativeFile d = directFile;
        return d != null && NativeFile.aligned(memory, offset, length, position) ? d : bufferedFile;
    }

    @Override
    public void read(final long position, final ByteBuffer dst) throws IOException {
        // A read into a read-only buffer is left to the channel, which refuses it.
        if (bufferedFile != null && dst.isDirect() && !dst.isReadOnly()) {
            // The segment of a whole buffer's remaining bytes (usually dropped by the JIT; callers
            // that must not allocate pass a segment they keep, below).
            final MemorySegment m = MemorySegment.ofBuffer(dst);
            read(position, m, 0, m.byteSize());
            dst.position(dst.limit());
            return;
        }
        checkRange("read", position, dst.remaining());
        long at = position;
        while (dst.hasRemaining()) {
            final int n = channel.read(dst, at);
            if (n < 0) {
                throw new IOException("file store " + path + " read: end of file at " + at + " (the file shrank?)");
            }
            at += n;
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Native memory goes straight to {@code pread} (or {@code O_DIRECT}, aligned), without an
     * object made per call; heap memory, or every transfer where native calls are not available,
     * through the {@code FileChannel}. The part is checked against the segment once, there (by
     * {@link NativeFile} or the slice).
     */
    @Override
    public void read(final long position, final MemorySegment dst, final long offset, final long length) throws IOException {
        checkRange("read", position, length);
        if (dst.isNative() && bufferedFile != null) {
            final NativeFile f = java.util.Objects.requireNonNull(nativeFile(dst, offset, length, position));
            f.read(dst, offset, length, position);
            countNative(f);
            return;
        }
        read(position, dst.asSlice(offset, length).asByteBuffer());
    }

    @Override
    public void write(final long position, final ByteBuffer src) throws IOException {
        if (bufferedFile != null && src.isDirect()) {
            final MemorySegment m = MemorySegment.ofBuffer(src);
            write(position, m, 0, m.byteSize());
            src.position(src.limit());
            return;
        }
        checkWritable("write");
        checkRange("write", position, src.remaining());
        long at = position;
        while (src.hasRemaining()) {
            at += channel.write(src, at);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Native memory goes straight to {@code pwrite} (or {@code O_DIRECT}, aligned), without an
     * object made per call; heap memory, or every transfer where native calls are not available,
     * through the {@code FileChannel}. The part is checked against the segment once, there.
     */
    @Override
    public void write(final long position, final MemorySegment src, final long offset, final long length) throws IOException {
        checkWritable("write");
        checkRange("write", position, length);
        if (src.isNative() && bufferedFile != null) {
            final NativeFile f = java.util.Objects.requireNonNull(nativeFile(src, offset, length, position));
            f.write(src, offset, length, position);
            countNative(f);
            return;
        }
        write(position, src.asSlice(offset, length).asByteBuffer());
    }

    private void checkWritable(final String op) throws IOException {
        if (readOnly) {
            throw new IOException("file store " + path + " " + op + ": read-only (EROFS)");
        }
    }

    @Override
    public void flush() throws IOException {
        // fsync: data and metadata, as the blkif flush promises durability of all completed
        // writes; one inode, so it covers what went through O_DIRECT too (the device cache).
        channel.force(true);
    }

    @Override
    public void discard(final long position, final long length, final boolean secure) throws IOException {
        checkWritable("discard");
        checkRange("discard", position, length);
        long at = position;
        final long end = position + length;
        while (at < end) {
            zeros.clear().limit((int) Math.min(ZERO_CHUNK, end - at));
            while (zeros.hasRemaining()) {
                at += channel.write(zeros, at);
            }
        }
    }

    /**
     * Grows the file (the new part reads as zeros) or truncates it.
     *
     * @param newSizeBytes the new size, a positive multiple of the sector size
     * @throws IOException naming the file on failure
     */
    @Override
    public void resize(final long newSizeBytes) throws IOException {
        checkWritable("resize");
        if (newSizeBytes <= 0 || newSizeBytes % sectorSize != 0) {
            throw new IllegalArgumentException("file store " + path + " resize: sizeBytes=" + newSizeBytes
                + " must be a positive multiple of " + sectorSize);
        }
        if (newSizeBytes < channel.size()) {
            // Shrink the advertised size first: no request may reach the part being cut off.
            sizeBytes = newSizeBytes;
            channel.truncate(newSizeBytes);
        } else {
            channel.write(ByteBuffer.allocate(1), newSizeBytes - 1);
            sizeBytes = newSizeBytes;
        }
    }

    @Override
    public void close() throws IOException {
        final NativeFile d = directFile;
        if (d != null) {
            d.close();
        }
        final NativeFile b = bufferedFile;
        if (b != null) {
            b.close();
        }
        channel.close();
    }
}
