package io.xen4j.abi.grant;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code GNTTABOP_set_version}: switches the calling domain's table to version 1 or 2
 * while no grant is active. Its layout is the same in every ABI (4 bytes).
 *
 * <pre>{@code
 * struct gnttab_set_version {
 *     // IN/OUT parameters
 *     uint32_t version;
 * };
 * }</pre>
 */
public final class GnttabSetVersion extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "gnttab_set_version";
    /** Offset of {@code version}. */
    public static final int VERSION_OFFSET = 0;
    /** {@code sizeof(struct gnttab_set_version)}, the same in every ABI. */
    public static final int LENGTH = 4;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public GnttabSetVersion wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code version}: the version wanted; the version in effect (out).
     *
     * @return 1 or 2 (unsigned 32-bit, as raw bits)
     */
    public int version() {
        return buffer.getInt(offset + VERSION_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code version}.
     *
     * @param value {@code GRANT_TABLE_VERSION_1} or {@code GRANT_TABLE_VERSION_2}
     * @return this
     */
    public GnttabSetVersion version(final int value) {
        buffer.putInt(offset + VERSION_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
