package io.xen4j.abi.console;

import io.xen4j.abi.AbiChecks;
import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * The PV console page shared by a guest and its console backend: two byte rings and their
 * indices, the same in every ABI (3088 bytes at the start of the page).
 *
 * <p>{@code in} carries keystrokes to the guest (the backend produces, the guest consumes);
 * {@code out} carries the guest's output to the backend. Each ring's size is a power of two and
 * its indices are free-running unsigned 32-bit counters, masked only to index a byte
 * ({@link #maskIn(int)}, {@link #maskOut(int)}).
 *
 * <p>The accessors here are plain reads and writes, for private copies and tests. On a page
 * shared with another domain the indices must be read with acquire and written with release
 * semantics at {@link #IN_CONS_OFFSET} and the other index offsets, as the byte rings of
 * xen-rings do, and {@code prod - cons <= size} must be checked on both rings (SECURITY-RULES,
 * Console).
 *
 * <pre>{@code
 * typedef uint32_t XENCONS_RING_IDX;
 *
 * #define MASK_XENCONS_IDX(idx, ring) ((idx) & (sizeof(ring)-1))
 *
 * struct xencons_interface {
 *     char in[1024];
 *     char out[2048];
 *     XENCONS_RING_IDX in_cons, in_prod;
 *     XENCONS_RING_IDX out_cons, out_prod;
 * };
 * }</pre>
 */
public final class XenconsInterface extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "xencons_interface";
    /** Bytes of the {@code in} ring, {@code sizeof(in)}: a power of two. */
    public static final int IN_SIZE = 1024;
    /** Bytes of the {@code out} ring, {@code sizeof(out)}: a power of two. */
    public static final int OUT_SIZE = 2048;
    /** Offset of {@code in}, the ring of input to the guest. */
    public static final int IN_OFFSET = 0;
    /** Offset of {@code out}, the ring of output from the guest. */
    public static final int OUT_OFFSET = IN_OFFSET + IN_SIZE;
    /** Offset of {@code in_cons}: consumer index of {@code in}, written by the guest. */
    public static final int IN_CONS_OFFSET = OUT_OFFSET + OUT_SIZE;
    /** Offset of {@code in_prod}: producer index of {@code in}, written by the backend. */
    public static final int IN_PROD_OFFSET = IN_CONS_OFFSET + Integer.BYTES;
    /** Offset of {@code out_cons}: consumer index of {@code out}, written by the backend. */
    public static final int OUT_CONS_OFFSET = IN_PROD_OFFSET + Integer.BYTES;
    /** Offset of {@code out_prod}: producer index of {@code out}, written by the guest. */
    public static final int OUT_PROD_OFFSET = OUT_CONS_OFFSET + Integer.BYTES;
    /** {@code sizeof(struct xencons_interface)}, the same in every ABI. */
    public static final int LENGTH = OUT_PROD_OFFSET + Integer.BYTES;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public XenconsInterface wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Position in {@code in} of a free-running index: {@code MASK_XENCONS_IDX(idx, in)}.
     *
     * @param index index, any value (unsigned 32 bit, wraps)
     * @return 0..{@value #IN_SIZE} - 1
     */
    public static int maskIn(final int index) {
        return index & (IN_SIZE - 1);
    }

    /**
     * Position in {@code out} of a free-running index: {@code MASK_XENCONS_IDX(idx, out)}.
     *
     * @param index index, any value (unsigned 32 bit, wraps)
     * @return 0..{@value #OUT_SIZE} - 1
     */
    public static int maskOut(final int index) {
        return index & (OUT_SIZE - 1);
    }

    /**
     * Reads {@code in[index]}. The accessor is not named {@code in}, a Java keyword.
     *
     * @param index byte index, 0..{@value #IN_SIZE} - 1
     * @return the byte (C {@code char}, signed on x86)
     */
    public byte inByte(final int index) {
        return buffer.getByte(inOffset(index));
    }

    /**
     * Writes {@code in[index]}.
     *
     * @param index byte index, 0..{@value #IN_SIZE} - 1
     * @param value the byte
     * @return this
     */
    public XenconsInterface inByte(final int index, final byte value) {
        buffer.putByte(inOffset(index), value);
        return this;
    }

    /**
     * Reads {@code out[index]}. Named like {@link #inByte(int)}, whose C name is a Java keyword.
     *
     * @param index byte index, 0..{@value #OUT_SIZE} - 1
     * @return the byte (C {@code char}, signed on x86)
     */
    public byte outByte(final int index) {
        return buffer.getByte(outOffset(index));
    }

    /**
     * Writes {@code out[index]}.
     *
     * @param index byte index, 0..{@value #OUT_SIZE} - 1
     * @param value the byte
     * @return this
     */
    public XenconsInterface outByte(final int index, final byte value) {
        buffer.putByte(outOffset(index), value);
        return this;
    }

    /**
     * Reads {@code in_cons}: how far the guest has consumed {@code in}.
     *
     * @return the index (unsigned 32 bit, as an int)
     */
    public int inCons() {
        return buffer.getInt(offset + IN_CONS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code in_cons}.
     *
     * @param value the index (unsigned 32 bit, as an int)
     * @return this
     */
    public XenconsInterface inCons(final int value) {
        buffer.putInt(offset + IN_CONS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code in_prod}: how far the backend has produced into {@code in}.
     *
     * @return the index (unsigned 32 bit, as an int)
     */
    public int inProd() {
        return buffer.getInt(offset + IN_PROD_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code in_prod}.
     *
     * @param value the index (unsigned 32 bit, as an int)
     * @return this
     */
    public XenconsInterface inProd(final int value) {
        buffer.putInt(offset + IN_PROD_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code out_cons}: how far the backend has consumed {@code out}.
     *
     * @return the index (unsigned 32 bit, as an int)
     */
    public int outCons() {
        return buffer.getInt(offset + OUT_CONS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code out_cons}.
     *
     * @param value the index (unsigned 32 bit, as an int)
     * @return this
     */
    public XenconsInterface outCons(final int value) {
        buffer.putInt(offset + OUT_CONS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code out_prod}: how far the guest has produced into {@code out}.
     *
     * @return the index (unsigned 32 bit, as an int)
     */
    public int outProd() {
        return buffer.getInt(offset + OUT_PROD_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code out_prod}.
     *
     * @param value the index (unsigned 32 bit, as an int)
     * @return this
     */
    public XenconsInterface outProd(final int value) {
        buffer.putInt(offset + OUT_PROD_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    private int inOffset(final int index) {
        AbiChecks.checkIndex(STRUCT_NAME, "in", index, IN_SIZE);
        return offset + IN_OFFSET + index;
    }

    private int outOffset(final int index) {
        AbiChecks.checkIndex(STRUCT_NAME, "out", index, OUT_SIZE);
        return offset + OUT_OFFSET + index;
    }
}
