package io.xen4j.abi.grant;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code GNTTABOP_swap_grant_ref}: swaps two entries of the calling domain's table.
 * Its layout is the same in every ABI (12 bytes).
 *
 * <pre>{@code
 * struct gnttab_swap_grant_ref {
 *     // IN parameters
 *     grant_ref_t ref_a;
 *     grant_ref_t ref_b;
 *     // OUT parameters
 *     int16_t status;             // => enum grant_status
 * };
 * }</pre>
 */
public final class GnttabSwapGrantRef extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "gnttab_swap_grant_ref";
    /** Offset of {@code ref_a}. */
    public static final int REF_A_OFFSET = 0;
    /** Offset of {@code ref_b}. */
    public static final int REF_B_OFFSET = REF_A_OFFSET + Integer.BYTES;
    /** Offset of {@code status}. */
    public static final int STATUS_OFFSET = REF_B_OFFSET + Integer.BYTES; // then 2 bytes of tail padding
    /** {@code sizeof(struct gnttab_swap_grant_ref)}, the same in every ABI. */
    public static final int LENGTH = 12;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public GnttabSwapGrantRef wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code ref_a}: the first entry.
     *
     * @return the grant reference (unsigned 32-bit, as raw bits)
     */
    public int refA() {
        return buffer.getInt(offset + REF_A_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code ref_a}.
     *
     * @param value the value
     * @return this
     */
    public GnttabSwapGrantRef refA(final int value) {
        buffer.putInt(offset + REF_A_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code ref_b}: the second entry.
     *
     * @return the grant reference (unsigned 32-bit, as raw bits)
     */
    public int refB() {
        return buffer.getInt(offset + REF_B_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code ref_b}.
     *
     * @param value the value
     * @return this
     */
    public GnttabSwapGrantRef refB(final int value) {
        buffer.putInt(offset + REF_B_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code status}: a {@code GNTST_*} code (out).
     *
     * @return the code, sign-extended
     */
    public int status() {
        return buffer.getShort(offset + STATUS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code status}.
     *
     * @param value a {@code GNTST_*} code
     * @return this
     */
    public GnttabSwapGrantRef status(final int value) {
        buffer.putShort(offset + STATUS_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }
}
