package io.xen4j.abi;

import java.nio.ByteOrder;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Common state of a flyweight over one C structure in an Agrona buffer: the buffer and the offset
 * of the structure in it. Subclasses add the layout constants and the field accessors; they are
 * final and reusable (wrap again to move to another instance).
 *
 * <p>A flyweight does no synchronisation and keeps no copy: it reads and writes the buffer in
 * place. Wrap a private copy, not a page shared with another domain, when the values must not
 * change under the reader (SECURITY-RULES R2).
 */
public abstract class StructFlyweight {
    /** Byte order of every Xen structure: x86 and Arm guests are little-endian. */
    public static final ByteOrder XEN_BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    private static final MutableDirectBuffer UNWRAPPED = new UnsafeBuffer(new byte[0]);

    /** Buffer the structure lives in. */
    protected MutableDirectBuffer buffer = UNWRAPPED;

    /** Offset of the first byte of the structure in {@link #buffer}. */
    protected int offset;

    /** Creates an unwrapped flyweight; every access fails until it is wrapped. */
    protected StructFlyweight() {
    }

    /**
     * Points this flyweight at the structure at {@code offset} in {@code buffer}.
     *
     * @param structName C name of the structure, for the error message
     * @param length     size of the structure in bytes
     * @param buffer     buffer holding the structure
     * @param offset     offset of the structure's first byte
     * @throws IllegalArgumentException if the structure does not fit in the buffer at that offset
     */
    protected final void wrapChecked(
        final String structName, final int length, final MutableDirectBuffer buffer, final int offset) {
        AbiChecks.checkFits(structName, length, buffer.capacity(), offset);
        this.buffer = buffer;
        this.offset = offset;
    }

    /**
     * Buffer the flyweight is wrapped over.
     *
     * @return the buffer
     */
    public final MutableDirectBuffer buffer() {
        return buffer;
    }

    /**
     * Offset of the structure in {@link #buffer()}.
     *
     * @return offset in bytes
     */
    public final int offset() {
        return offset;
    }

    /**
     * Size of the structure in bytes.
     *
     * @return the C {@code sizeof}
     */
    public abstract int length();

    /**
     * Sets every byte of the structure to zero, padding included (SECURITY-RULES R7).
     */
    public final void clear() {
        buffer.setMemory(offset, length(), (byte) 0);
    }
}
