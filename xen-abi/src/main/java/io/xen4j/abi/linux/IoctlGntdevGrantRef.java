package io.xen4j.abi.linux;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * One grant to map with {@code IOCTL_GNTDEV_MAP_GRANT_REF}: the granting domain and its grant
 * reference.
 *
 * <pre>{@code
 * struct ioctl_gntdev_grant_ref {
 *     // The domain ID of the grant to be mapped.
 *     uint32_t domid;
 *     // The grant reference of the grant to be mapped.
 *     uint32_t ref;
 * };
 * }</pre>
 */
public final class IoctlGntdevGrantRef extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "ioctl_gntdev_grant_ref";
    /** Offset of {@code domid}. */
    public static final int DOMID_OFFSET = 0;
    /** Offset of {@code ref}. */
    public static final int REF_OFFSET = DOMID_OFFSET + Integer.BYTES;
    /** {@code sizeof(struct ioctl_gntdev_grant_ref)} on x86_64. */
    public static final int LENGTH = 8;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public IoctlGntdevGrantRef wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code domid}: the domain that granted the page.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int domid() {
        return buffer.getInt(offset + DOMID_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code domid}.
     *
     * @param value the value
     * @return this
     */
    public IoctlGntdevGrantRef domid(final int value) {
        buffer.putInt(offset + DOMID_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code ref}: the grant reference.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int ref() {
        return buffer.getInt(offset + REF_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code ref}.
     *
     * @param value the value
     * @return this
     */
    public IoctlGntdevGrantRef ref(final int value) {
        buffer.putInt(offset + REF_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
