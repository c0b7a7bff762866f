package io.xen4j.abi.netif;

import io.xen4j.abi.StructFlyweight;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * One entry of the table of static grants that {@code XEN_NETIF_CTRL_TYPE_ADD_GREF_MAPPING} and
 * {@code XEN_NETIF_CTRL_TYPE_DEL_GREF_MAPPING} name by the grant of its page ({@link #PER_PAGE} per
 * page). The same layout in the x86_32 and x86_64 ABIs.
 *
 * <pre>{@code
 * struct xen_netif_gref {
 *        grant_ref_t ref;
 *        uint16_t flags;
 * 
 * #define _XEN_NETIF_CTRLF_GREF_readonly    0
 * #define XEN_NETIF_CTRLF_GREF_readonly    (1U<<_XEN_NETIF_CTRLF_GREF_readonly)
 * 
 *        uint16_t status;
 * };
 * }</pre>
 */
public final class NetifGref extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "xen_netif_gref";
    /** Offset of {@code ref}. */
    public static final int REF_OFFSET = 0;
    /** Offset of {@code flags}. */
    public static final int FLAGS_OFFSET = REF_OFFSET + Integer.BYTES;
    /** Offset of {@code status}. */
    public static final int STATUS_OFFSET = FLAGS_OFFSET + Short.BYTES;
    /** {@code sizeof(struct xen_netif_gref)}, the same in every ABI. */
    public static final int LENGTH = 8;
    /** Entries in one 4 KiB page of a {@code XEN_NETIF_CTRL_TYPE_*_GREF_MAPPING} table. */
    public static final int PER_PAGE = 4096 / LENGTH;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public NetifGref wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code ref}: the grant to map or unmap (in).
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the grant reference (unsigned 32 bit, as an int)
     */
    public static int ref(final DirectBuffer buffer, final int offset) {
        return buffer.getInt(offset + REF_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code ref}: the grant to map or unmap (in).
     *
     * @return the grant reference (unsigned 32 bit, as an int)
     */
    public int ref() {
        return ref(buffer, offset);
    }

    /**
     * Writes {@code ref}.
     *
     * @param value the value
     * @return this
     */
    public NetifGref ref(final int value) {
        buffer.putInt(offset + REF_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code flags}: {@code XEN_NETIF_CTRLF_GREF_*} bits (in).
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value
     */
    public static int flags(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + FLAGS_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Reads {@code flags}: {@code XEN_NETIF_CTRLF_GREF_*} bits (in).
     *
     * @return the value
     */
    public int flags() {
        return flags(buffer, offset);
    }

    /**
     * Writes {@code flags}.
     *
     * @param value the value
     * @return this
     */
    public NetifGref flags(final int value) {
        buffer.putShort(offset + FLAGS_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code status}: a {@code XEN_NETIF_CTRL_STATUS_*} code (out, set by the backend on unmap).
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value
     */
    public static int status(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + STATUS_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Reads {@code status}: a {@code XEN_NETIF_CTRL_STATUS_*} code (out, set by the backend on unmap).
     *
     * @return the value
     */
    public int status() {
        return status(buffer, offset);
    }

    /**
     * Writes {@code status}.
     *
     * @param value the value
     * @return this
     */
    public NetifGref status(final int value) {
        buffer.putShort(offset + STATUS_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }
}
