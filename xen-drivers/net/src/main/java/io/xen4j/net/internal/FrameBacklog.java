package io.xen4j.net.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.jspecify.annotations.Nullable;

/**
 * A bounded first-in first-out queue of frames, each copied once into one direct memory area
 * (a ring of contiguous frames), with a piece of metadata per frame: netback's frames waiting for
 * a frontend's receive buffers. Nothing is allocated per frame: the area grows by doubling, up to
 * what the bounds need, while it fills the first time. A frame is always contiguous in the area,
 * so it can be the source of one grant copy per page.
 *
 * <p>The bounds are exact: {@link #offer} refuses a frame when {@code maxFrames} are queued or
 * when the queued bytes would exceed {@code maxBytes} (XSA-39, XSA-392: a frontend that posts no
 * buffers holds at most this much). The area's largest size, {@code maxBytes + 65536}, leaves room
 * for the unused tail a frame that does not fit at the end leaves behind, so a frame within the
 * bounds always finds a place. One thread at a time.
 *
 * @param <M> the metadata of a frame
 */
public final class FrameBacklog<M> {
    private static final int FIRST_CAPACITY = 256 * 1024;
    /** The largest frame: one netif packet (16-bit size). */
    private static final int MAX_FRAME = 65536;

    private final int maxFrames;
    private final int maxBytes;
    private final int maxCapacity;
    private final int[] at;
    private final int[] length;
    private final @Nullable Object[] meta;
    private UnsafeBuffer area = new UnsafeBuffer(new byte[0]);
    private ByteBuf view = Unpooled.EMPTY_BUFFER;
    /** Index of the oldest frame in the metadata arrays. */
    private int head;
    private int count;
    private long bytes;
    /** Where the next frame goes in the area. */
    private int tail;

    /**
     * Creates an empty backlog; its area is allocated with the first frame.
     *
     * @param maxFrames most frames held
     * @param maxBytes  most bytes held
     */
    public FrameBacklog(final int maxFrames, final int maxBytes) {
        if (maxFrames < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("frame backlog: maxFrames=" + maxFrames + " maxBytes=" + maxBytes + " must be >= 1");
        }
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.maxCapacity = (int) Math.min(Integer.MAX_VALUE - 64, (long) maxBytes + MAX_FRAME);
        this.at = new int[maxFrames];
        this.length = new int[maxFrames];
        this.meta = new Object[maxFrames];
    }

    /**
     * Copies a frame's readable bytes to the end of the queue.
     *
     * @param frame    the frame, 1 to 65536 bytes; not changed
     * @param metadata what goes with it
     * @return the frame's offset in {@link #area()}, or -1 when a bound refuses it (nothing copied)
     */
    public int offer(final ByteBuf frame, final M metadata) {
        final int len = frame.readableBytes();
        if (len == 0 || len > MAX_FRAME || count >= maxFrames || bytes + len > maxBytes) {
            return -1;
        }
        int pos = place(len);
        if (pos < 0) {
            grow();
            pos = place(len);
            if (pos < 0) {
                return -1;
            }
        }
        final int slot = (head + count) % maxFrames;
        frame.getBytes(frame.readerIndex(), view, pos, len);
        at[slot] = pos;
        length[slot] = len;
        meta[slot] = metadata;
        count++;
        bytes += len;
        tail = pos + len;
        return pos;
    }

    /** Where a frame of {@code len} bytes fits (contiguous), or -1. */
    private int place(final int len) {
        final int cap = area.capacity();
        if (count == 0) {
            tail = 0;
            return len <= cap ? 0 : -1;
        }
        final int first = at[head];
        if (tail > first) {
            // Live bytes are [first, tail): room at the end, else at the start before the oldest.
            if (cap - tail >= len) {
                return tail;
            }
            return first >= len ? 0 : -1;
        }
        // Wrapped: live bytes are [first, end of the old lap) and [0, tail).
        return first - tail >= len ? tail : -1;
    }

    /** Doubles the area (up to the largest size) and lays the queued frames out again from 0. */
    private void grow() {
        final int cap = area.capacity();
        if (cap >= maxCapacity) {
            return;
        }
        final int next = (int) Math.min(maxCapacity, Math.max(FIRST_CAPACITY, 2L * cap));
        final ByteBuffer memory = BufferUtil.allocateDirectAligned(BitUtil.align(next, BitUtil.CACHE_LINE_LENGTH), BitUtil.CACHE_LINE_LENGTH);
        final UnsafeBuffer bigger = new UnsafeBuffer(memory, 0, next);
        int pos = 0;
        for (int i = 0; i < count; i++) {
            final int slot = (head + i) % maxFrames;
            bigger.putBytes(pos, area, at[slot], length[slot]);
            at[slot] = pos;
            pos += length[slot];
        }
        tail = pos;
        area = bigger;
        view = Unpooled.wrappedBuffer(memory.duplicate().clear().limit(next));
    }

    /**
     * The memory the frames are in: the source of grant copies. Changes when the area grows.
     *
     * @return the area
     */
    public UnsafeBuffer area() {
        return area;
    }

    /**
     * The area as a netty buffer, for the packet helpers that edit a queued frame in place (its
     * checksum): set its indices to a frame's bytes first.
     *
     * @return a view over {@link #area()}
     */
    public ByteBuf view() {
        return view;
    }

    /**
     * Frames queued.
     *
     * @return the count
     */
    public int size() {
        return count;
    }

    /**
     * Bytes queued.
     *
     * @return the count
     */
    public long bytes() {
        return bytes;
    }

    /**
     * Whether nothing is queued.
     *
     * @return true when empty
     */
    public boolean isEmpty() {
        return count == 0;
    }

    /**
     * The oldest frame's offset in {@link #area()}.
     *
     * @return the offset
     * @throws IllegalStateException when empty
     */
    public int firstOffset() {
        return at[checkedHead()];
    }

    /**
     * The oldest frame's length.
     *
     * @return bytes
     * @throws IllegalStateException when empty
     */
    public int firstLength() {
        return length[checkedHead()];
    }

    /**
     * The oldest frame's metadata.
     *
     * @return what {@link #offer} was given with it
     * @throws IllegalStateException when empty
     */
    @SuppressWarnings("unchecked")
    public M firstMetadata() {
        return (M) java.util.Objects.requireNonNull(meta[checkedHead()]);
    }

    /**
     * Replaces the oldest frame's metadata (after it was edited in place).
     *
     * @param metadata the new metadata
     * @throws IllegalStateException when empty
     */
    public void setFirstMetadata(final M metadata) {
        meta[checkedHead()] = metadata;
    }

    /**
     * Removes the oldest frame.
     *
     * @throws IllegalStateException when empty
     */
    public void removeFirst() {
        final int h = checkedHead();
        bytes -= length[h];
        meta[h] = null;
        head = (h + 1) % maxFrames;
        count--;
    }

    /**
     * Removes the newest frame (one that turned out not to be sendable after it was queued).
     *
     * @throws IllegalStateException when empty
     */
    public void removeLast() {
        checkedHead();
        final int last = (head + count - 1) % maxFrames;
        bytes -= length[last];
        meta[last] = null;
        count--;
        if (count == 0) {
            tail = 0;
        } else {
            final int prev = (head + count - 1) % maxFrames;
            tail = at[prev] + length[prev];
        }
    }

    /** Drops every frame; the area is kept. */
    public void clear() {
        while (count > 0) {
            removeFirst();
        }
        tail = 0;
    }

    private int checkedHead() {
        if (count == 0) {
            throw new IllegalStateException("frame backlog is empty");
        }
        return head;
    }
}
