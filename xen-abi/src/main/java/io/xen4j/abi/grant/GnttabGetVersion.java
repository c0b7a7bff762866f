package io.xen4j.abi.grant;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code GNTTABOP_get_version}: the grant-table version in effect for {@code dom}. Its
 * layout is the same in every ABI (8 bytes).
 *
 * <pre>{@code
 * struct gnttab_get_version {
 *     // IN parameters
 *     domid_t dom;
 *     uint16_t pad;
 *     // OUT parameters
 *     uint32_t version;
 * };
 * }</pre>
 */
public final class GnttabGetVersion extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "gnttab_get_version";
    /** Offset of {@code dom}. */
    public static final int DOM_OFFSET = 0;
    /** Offset of {@code pad}. */
    public static final int PAD_OFFSET = DOM_OFFSET + Short.BYTES;
    /** Offset of {@code version}. */
    public static final int VERSION_OFFSET = PAD_OFFSET + Short.BYTES;
    /** {@code sizeof(struct gnttab_get_version)}, the same in every ABI. */
    public static final int LENGTH = 8;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public GnttabGetVersion wrap(final MutableDirectBuffer buffer, final int offset) {
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
    public GnttabGetVersion dom(final int value) {
        buffer.putShort(offset + DOM_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code pad}: padding, zero.
     *
     * @return 0..0xFFFF
     */
    public int pad() {
        return buffer.getShort(offset + PAD_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code pad}.
     *
     * @param value the value
     * @return this
     */
    public GnttabGetVersion pad(final int value) {
        buffer.putShort(offset + PAD_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code version}: the version in effect (out).
     *
     * @return 1 or 2 (unsigned 32-bit, as raw bits)
     */
    public int version() {
        return buffer.getInt(offset + VERSION_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code version}.
     *
     * @param value the value
     * @return this
     */
    public GnttabGetVersion version(final int value) {
        buffer.putInt(offset + VERSION_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
