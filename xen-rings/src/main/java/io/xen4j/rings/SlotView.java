package io.xen4j.rings;

import java.nio.ByteOrder;
import java.util.Objects;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.jspecify.annotations.Nullable;

/**
 * The slot a ring just claimed, as a buffer of {@code sizeof} the produced type whose offsets
 * start at the slot: returned by {@link FrontRing#claimRequestSlot()} and
 * {@link BackRing#claimResponseSlot()}, and re-pointed by the next claim (one per ring, a
 * flyweight; allocates nothing). A protocol flyweight wraps it at offset 0.
 *
 * <p><b>Why it exists</b> (round 8, read from C2's code). Writing the fields of a claimed slot
 * through the ring's {@link AtomicBuffer} costs, per field, Agrona's bounds check
 * ({@code checkFromIndexSize}: three ALU operations and two branches, each with a trap that keeps
 * the loop's values alive) and an {@code Unsafe} store whose base may be an array or null, which C2
 * orders against every other memory access. The blkif benchmark writes nine fields per round trip
 * that way, and that alone was about a third of its CPU time. The primitive accessors here check
 * {@code 0 <= index} and {@code index + size <= length} with {@link Objects#checkIndex}, which C2
 * compiles to range checks and merges across the constant field offsets of one slot (one check per
 * slot, not per field), and store with a literal null base when the ring is on native memory.
 * Every access is still checked: nothing is written outside the claimed slot's {@code length}
 * bytes.
 *
 * <p>Over a ring whose buffer is not a plain native {@link UnsafeBuffer} (a HAL's page view that
 * checks each access or fails after unmap), the primitive accessors forward to that buffer at the
 * slot's offset, so its own checks apply; the other methods inherited from {@link UnsafeBuffer}
 * then see an empty buffer and throw {@link IndexOutOfBoundsException}. Over a plain buffer they
 * all work, within the slot.
 *
 * <p>Valid until the ring's next claim, attach or init; not thread-safe.
 */
public final class SlotView extends UnsafeBuffer {
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    /** Bytes of the slot this view covers: {@code sizeof} the produced type. */
    private int length;
    /** The ring's buffer when it is not plain native memory: accessors forward to it. */
    private @Nullable AtomicBuffer delegate;
    /** Offset of the slot in {@link #delegate}. */
    private int delegateOffset;

    /** False while the superclass constructor runs: it calls {@link #wrap(long, int)}. */
    private final boolean constructed;

    SlotView() {
        super(0L, 0);
        constructed = true;
    }

    /**
     * Refused: the view belongs to its ring, which points it at each claimed slot. (A view wrapped
     * onto an array would make the accessors, which store with a null base, write to the array's
     * offset as a native address.)
     */
    private UnsupportedOperationException rewrap() {
        return new UnsupportedOperationException("a ring's SlotView is pointed by its ring's claims and cannot be wrapped");
    }

    @Override
    public void wrap(final byte[] buffer) {
        throw rewrap();
    }

    @Override
    public void wrap(final byte[] buffer, final int offset, final int length) {
        throw rewrap();
    }

    @Override
    public void wrap(final java.nio.ByteBuffer buffer) {
        throw rewrap();
    }

    @Override
    public void wrap(final java.nio.ByteBuffer buffer, final int offset, final int length) {
        throw rewrap();
    }

    @Override
    public void wrap(final org.agrona.DirectBuffer buffer) {
        throw rewrap();
    }

    @Override
    public void wrap(final org.agrona.DirectBuffer buffer, final int offset, final int length) {
        throw rewrap();
    }

    @Override
    public void wrap(final long address, final int length) {
        if (constructed) {
            throw rewrap();
        }
        super.wrap(address, length);
    }

    /** Points the view at native memory: {@code length} bytes from {@code address}, inside the ring. */
    void pointTo(final long address, final int length) {
        this.addressOffset = address;
        // Stored only when they change (the first claim, or a ring re-attached to another kind of
        // buffer): a store to capacity, a field every Agrona buffer shares, makes C2 forget the
        // capacity of the consumer's private copy too and check its reads again; a reference
        // store has GC barriers.
        if (this.length != length || this.delegate != null || this.capacity != length) {
            this.capacity = length;
            this.length = length;
            this.delegate = null;
        }
    }

    /** Makes the view forward its primitive accessors to {@code buffer} from {@code offset}. */
    void delegateTo(final AtomicBuffer buffer, final int offset, final int length) {
        this.addressOffset = 0L;
        this.capacity = 0;
        this.length = length;
        this.delegate = buffer;
        this.delegateOffset = offset;
    }

    /**
     * Bytes of the slot this view covers.
     *
     * @return {@code sizeof} the produced type
     */
    public int length() {
        return length;
    }

    /** Checks {@code 0 <= index && index + size <= length} as two range checks C2 can merge. */
    private void check(final int index, final int size) {
        final int limit = length;
        Objects.checkIndex(index, limit);
        Objects.checkIndex(index + size - 1, limit);
    }

    @Override
    public void putByte(final int index, final byte value) {
        check(index, Byte.BYTES);
        final AtomicBuffer d = delegate;
        if (d == null) {
            UnsafeApi.putByte(null, addressOffset + index, value);
        } else {
            d.putByte(delegateOffset + index, value);
        }
    }

    @Override
    public void putShort(final int index, final short value) {
        check(index, Short.BYTES);
        final AtomicBuffer d = delegate;
        if (d == null) {
            UnsafeApi.putShort(null, addressOffset + index, value);
        } else {
            d.putShort(delegateOffset + index, value);
        }
    }

    @Override
    public void putShort(final int index, final short value, final ByteOrder byteOrder) {
        putShort(index, byteOrder == NATIVE ? value : Short.reverseBytes(value));
    }

    @Override
    public void putInt(final int index, final int value) {
        check(index, Integer.BYTES);
        final AtomicBuffer d = delegate;
        if (d == null) {
            UnsafeApi.putInt(null, addressOffset + index, value);
        } else {
            d.putInt(delegateOffset + index, value);
        }
    }

    @Override
    public void putInt(final int index, final int value, final ByteOrder byteOrder) {
        putInt(index, byteOrder == NATIVE ? value : Integer.reverseBytes(value));
    }

    @Override
    public void putLong(final int index, final long value) {
        check(index, Long.BYTES);
        final AtomicBuffer d = delegate;
        if (d == null) {
            UnsafeApi.putLong(null, addressOffset + index, value);
        } else {
            d.putLong(delegateOffset + index, value);
        }
    }

    @Override
    public void putLong(final int index, final long value, final ByteOrder byteOrder) {
        putLong(index, byteOrder == NATIVE ? value : Long.reverseBytes(value));
    }

    @Override
    public byte getByte(final int index) {
        check(index, Byte.BYTES);
        final AtomicBuffer d = delegate;
        return d == null ? UnsafeApi.getByte(null, addressOffset + index) : d.getByte(delegateOffset + index);
    }

    @Override
    public short getShort(final int index) {
        check(index, Short.BYTES);
        final AtomicBuffer d = delegate;
        return d == null ? UnsafeApi.getShort(null, addressOffset + index) : d.getShort(delegateOffset + index);
    }

    @Override
    public short getShort(final int index, final ByteOrder byteOrder) {
        final short value = getShort(index);
        return byteOrder == NATIVE ? value : Short.reverseBytes(value);
    }

    @Override
    public int getInt(final int index) {
        check(index, Integer.BYTES);
        final AtomicBuffer d = delegate;
        return d == null ? UnsafeApi.getInt(null, addressOffset + index) : d.getInt(delegateOffset + index);
    }

    @Override
    public int getInt(final int index, final ByteOrder byteOrder) {
        final int value = getInt(index);
        return byteOrder == NATIVE ? value : Integer.reverseBytes(value);
    }

    @Override
    public long getLong(final int index) {
        check(index, Long.BYTES);
        final AtomicBuffer d = delegate;
        return d == null ? UnsafeApi.getLong(null, addressOffset + index) : d.getLong(delegateOffset + index);
    }

    @Override
    public long getLong(final int index, final ByteOrder byteOrder) {
        final long value = getLong(index);
        return byteOrder == NATIVE ? value : Long.reverseBytes(value);
    }
}
