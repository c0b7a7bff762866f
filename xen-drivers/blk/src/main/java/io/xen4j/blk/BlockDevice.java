package io.xen4j.blk;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A disk: asynchronous reads, writes, flushes and discards, with blocking forms. Offsets and
 * lengths are bytes and must be multiples of the logical sector size. A request completes once;
 * a failed one completes exceptionally with a {@link BlockIoException} naming domain, device and
 * reason. Requests may be submitted from any thread.
 */
public interface BlockDevice {
    /** How long the blocking forms wait at most. */
    long BLOCKING_TIMEOUT_SECONDS = 60;

    /**
     * Completes when the handshake is done.
     *
     * @return the disk's description, once connected
     */
    CompletableFuture<DiskInfo> connected();

    /**
     * Reads {@code length} bytes at {@code offset} into {@code dst} at its writer index; on
     * success the writer index moves by {@code length}.
     *
     * @param offset byte offset on the disk
     * @param length bytes, at most {@code dst.writableBytes()}
     * @param dst    where the data goes
     * @return completes when the data is in {@code dst}
     */
    CompletableFuture<Void> read(long offset, int length, ByteBuf dst);

    /**
     * A buffer for this device's reads and writes, {@code size} bytes of fixed capacity, empty.
     * A device may hand out memory it shares with the disk's server so that requests on it move
     * no bytes on this side (blkfront: pages granted to the backend once, {@link BlkFront}); such
     * memory is as visible to the server as the requests' data is. Release it when done. This
     * default gives an ordinary direct buffer.
     *
     * @param size bytes, at least 1
     * @return the buffer, reference count 1
     */
    default ByteBuf allocateBuffer(final int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size=" + size + " must be at least 1");
        }
        return io.netty.buffer.Unpooled.directBuffer(size, size);
    }

    /**
     * {@link #read(long, int, ByteBuf)} without a future: {@code callback} is told once, on the
     * driver's thread, when the data is in {@code dst} or the read failed. Nothing is allocated
     * per request at steady state.
     *
     * @param offset   byte offset on the disk
     * @param length   bytes
     * @param dst      where the data goes
     * @param callback told of the completion; it must not block
     */
    void read(long offset, int length, ByteBuf dst, BlockCallback callback);

    /**
     * {@link #write(long, ByteBuf)} without a future: {@code callback} is told once, on the
     * driver's thread. Nothing is allocated per request at steady state.
     *
     * @param offset   byte offset on the disk
     * @param src      the data; it must not change until the callback
     * @param callback told of the completion; it must not block
     */
    void write(long offset, ByteBuf src, BlockCallback callback);

    /**
     * Writes {@code src}'s readable bytes at {@code offset}; the reader index is not moved. The
     * buffer must not change until the future completes.
     *
     * @param offset byte offset on the disk
     * @param src    the data
     * @return completes when the backend acknowledged the write
     */
    CompletableFuture<Void> write(long offset, ByteBuf src);

    /**
     * Makes every write completed before this call durable; issued only after every request
     * before it completed.
     *
     * @return completes when the backend flushed
     */
    CompletableFuture<Void> flush();

    /**
     * Writes {@code src}'s readable bytes at {@code offset} as a write barrier
     * ({@code BLKIF_OP_WRITE_BARRIER}): every request submitted before it completes and is durable
     * before it is written, and every request submitted after it starts after it is durable. An
     * empty {@code src} is a pure ordering point. Where the backend does not offer
     * {@code feature-barrier} but offers {@code feature-flush-cache}, it is done as flush, write,
     * flush, each alone; where it offers neither, the future fails with {@code EOPNOTSUPP}.
     *
     * @param offset byte offset on the disk
     * @param src    the data, possibly empty; it must not change until the future completes
     * @return completes when the barrier write is durable
     */
    CompletableFuture<Void> writeBarrier(long offset, ByteBuf src);

    /**
     * The size of the disk now; it changes when the backend resizes the disk online.
     *
     * @return bytes
     * @throws IllegalStateException before the first connection
     */
    long capacityBytes();

    /**
     * Adds a listener told of every change of the disk's size (online resize), with the new
     * description. It runs on the driver's thread and must not block.
     *
     * @param listener the listener
     */
    void addCapacityListener(java.util.function.Consumer<DiskInfo> listener);

    /**
     * Discards a range (later reads give zeros).
     *
     * @param offset byte offset
     * @param length bytes
     * @param secure {@code BLKIF_DISCARD_SECURE}: also make the old data unrecoverable
     * @return completes when done
     */
    CompletableFuture<Void> discard(long offset, long length, boolean secure);

    /**
     * Blocking {@link #read}.
     *
     * @param offset byte offset
     * @param length bytes
     * @param dst    where the data goes
     * @throws BlockIoException when the read fails or times out
     */
    default void readBlocking(final long offset, final int length, final ByteBuf dst) throws BlockIoException {
        await(read(offset, length, dst));
    }

    /**
     * Blocking {@link #write}.
     *
     * @param offset byte offset
     * @param src    the data
     * @throws BlockIoException when the write fails or times out
     */
    default void writeBlocking(final long offset, final ByteBuf src) throws BlockIoException {
        await(write(offset, src));
    }

    /**
     * Blocking {@link #flush}.
     *
     * @throws BlockIoException when the flush fails or times out
     */
    default void flushBlocking() throws BlockIoException {
        await(flush());
    }

    /**
     * Blocking {@link #writeBarrier}.
     *
     * @param offset byte offset
     * @param src    the data, possibly empty
     * @throws BlockIoException when the barrier fails or times out
     */
    default void writeBarrierBlocking(final long offset, final ByteBuf src) throws BlockIoException {
        await(writeBarrier(offset, src));
    }

    /**
     * Blocking {@link #discard}.
     *
     * @param offset byte offset
     * @param length bytes
     * @param secure secure discard
     * @throws BlockIoException when the discard fails or times out
     */
    default void discardBlocking(final long offset, final long length, final boolean secure) throws BlockIoException {
        await(discard(offset, length, secure));
    }

    /**
     * Waits for a future of this API and turns its failure into a {@link BlockIoException}.
     *
     * @param future the request
     * @param <T>    its value
     * @return its value
     * @throws BlockIoException when it failed, was cancelled, or took too long
     */
    static <T> T await(final CompletableFuture<T> future) throws BlockIoException {
        try {
            return future.get(BLOCKING_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (final ExecutionException | CompletionException e) {
            final Throwable cause = e.getCause();
            if (cause instanceof BlockIoException b) {
                throw b;
            }
            throw new BlockIoException(String.valueOf(cause), 0);
        } catch (final TimeoutException e) {
            throw new BlockIoException("block request not done after " + BLOCKING_TIMEOUT_SECONDS + " s", 0);
        } catch (final CancellationException e) {
            throw new BlockIoException("block request cancelled", 0);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BlockIoException("interrupted while waiting for a block request", 0);
        }
    }
}
