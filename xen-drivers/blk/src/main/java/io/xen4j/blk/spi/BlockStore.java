package io.xen4j.blk.spi;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The storage behind a backend: positional reads and writes in bytes, flush and discard. The
 * backend has validated every request (alignment, bounds, read-only) before calling; a store
 * still checks its own bounds. Called from one backend thread at a time, except {@link #resize}
 * and {@link #sizeBytes()}, which may be called from any thread.
 */
public interface BlockStore extends AutoCloseable {
    /**
     * The logical sector size ({@code sector-size}): the unit of every request, a power of two
     * from 512.
     *
     * @return bytes per sector
     */
    int sectorSize();

    /**
     * The physical sector size ({@code physical-sector-size}).
     *
     * @return bytes, a multiple of {@link #sectorSize()}
     */
    default int physicalSectorSize() {
        return sectorSize();
    }

    /**
     * The size of the disk.
     *
     * @return bytes, a multiple of {@link #sectorSize()}
     */
    long sizeBytes();

    /**
     * Whether writes and discards are refused.
     *
     * @return true for a read-only disk
     */
    boolean readOnly();

    /**
     * Whether {@link #discard} does anything; the backend advertises {@code feature-discard}.
     *
     * @return true if supported
     */
    default boolean supportsDiscard() {
        return !readOnly();
    }

    /**
     * Reads {@code dst.remaining()} bytes at {@code position}.
     *
     * @param position byte offset on the disk
     * @param dst      where to read to
     * @throws IOException on a failed read
     */
    void read(long position, ByteBuffer dst) throws IOException;

    /**
     * Writes {@code src.remaining()} bytes at {@code position}.
     *
     * @param position byte offset on the disk
     * @param src      what to write
     * @throws IOException on a failed write
     */
    void write(long position, ByteBuffer src) throws IOException;

    /**
     * Reads {@code length} bytes at {@code position} into part of a segment. The backend calls
     * this form for the pages it maps, with a segment it keeps for each mapping, so that a store
     * can move the bytes without making an object per request (the file store and the memory
     * store do). This default wraps the part in a {@link ByteBuffer} for
     * {@link #read(long, ByteBuffer)}, which allocates.
     *
     * @param position byte offset on the disk
     * @param dst      the memory to read into
     * @param offset   where in {@code dst} the bytes go
     * @param length   bytes
     * @throws IOException               on a failed read
     * @throws IndexOutOfBoundsException if the part is outside {@code dst}
     */
    default void read(final long position, final MemorySegment dst, final long offset, final long length) throws IOException {
        read(position, dst.asSlice(offset, length).asByteBuffer());
    }

    /**
     * Writes {@code length} bytes from part of a segment at {@code position}: the form of
     * {@link #read(long, MemorySegment, long, long)} for writes. This default wraps the part in a
     * {@link ByteBuffer} for {@link #write(long, ByteBuffer)}, which allocates.
     *
     * @param position byte offset on the disk
     * @param src      the memory to write from
     * @param offset   where in {@code src} the bytes are
     * @param length   bytes
     * @throws IOException               on a failed write
     * @throws IndexOutOfBoundsException if the part is outside {@code src}
     */
    default void write(final long position, final MemorySegment src, final long offset, final long length) throws IOException {
        write(position, src.asSlice(offset, length).asByteBuffer());
    }

    /**
     * Makes every completed write durable ({@code BLKIF_OP_FLUSH_DISKCACHE}).
     *
     * @throws IOException on a failed flush
     */
    void flush() throws IOException;

    /**
     * Discards a range: later reads return zeros. A secure discard also makes the old data
     * unrecoverable; both stores here overwrite with zeros, which is both.
     *
     * @param position byte offset
     * @param length   bytes
     * @param secure   {@code BLKIF_DISCARD_SECURE}
     * @throws IOException on failure
     */
    void discard(long position, long length, boolean secure) throws IOException;

    /**
     * Changes the size of the disk (online resize). A backend serving the store notices the new
     * {@link #sizeBytes()} on its next turn and tells the frontend, as Linux blkback does.
     *
     * @param newSizeBytes the new size, a positive multiple of {@link #sectorSize()}
     * @throws IOException on failure
     * @throws UnsupportedOperationException if the store has a fixed size
     */
    default void resize(final long newSizeBytes) throws IOException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has a fixed size");
    }

    /**
     * Releases the store.
     *
     * @throws IOException on failure
     */
    @Override
    void close() throws IOException;

    /**
     * Checks a range against the disk, for stores' own bounds checks.
     *
     * @param what     the operation, for the message
     * @param position byte offset
     * @param length   bytes
     * @param size     the disk size
     * @throws IOException naming the range when it is outside the disk
     */
    static void checkRange(final String what, final long position, final long length, final long size) throws IOException {
        if (position < 0 || length < 0 || position > size || length > size - position) {
            throw new IOException(what + ": position=" + position + " length=" + length + " outside the disk of " + size + " bytes");
        }
    }
}
