package io.xen4j.abi.grant;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code GNTTABOP_dump_table}: dumps {@code dom}'s grant table to the Xen console, for
 * debugging. Its layout is the same in every ABI (4 bytes).
 *
 * <pre>{@code
 * struct gnttab_dump_table {
 *     // IN parameters.
 *     domid_t dom;
 *     // OUT parameters.
 *     int16_t status;               // => enum grant_status
 * };
 * }</pre>
 */
public final class GnttabDumpTable extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "gnttab_dump_table";
    /** Offset of {@code dom}. */
    public static final int DOM_OFFSET = 0;
    /** Offset of {@code status}. */
    public static final int STATUS_OFFSET = DOM_OFFSET + Short.BYTES;
    /** {@code sizeof(struct gnttab_dump_table)}, the same in every ABI. */
    public static final int LENGTH = 4;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public GnttabDumpTable wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code dom}: the domain, or {@code DOMID_SELF}.
     *
     * @return 0..0xFFFF
     */
    public int dom() {
        return buffer.getShort(offset + DOM_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code dom}.
     *
     * @param value the domain id
     * @return this
     */
    public GnttabDumpTable dom(final int value) {
        buffer.putShort(offset + DOM_OFFSET, (short) value, XEN_BYTE_ORDER);
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
    public GnttabDumpTable status(final int value) {
        buffer.putShort(offset + STATUS_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }
}
