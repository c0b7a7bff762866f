package io.xen4j.abi.netif;

import io.xen4j.abi.StructFlyweight;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The backend's answer to one tx slot, extra-info slots included ({@code NETIF_RSP_NULL}). The
 * same layout in the x86_32 and x86_64 ABIs.
 *
 * <p>The response fills only the first 4 bytes of its 12-byte tx ring slot: whoever writes the
 * slot sets the other 8 bytes too (SECURITY-RULES R7).
 *
 * <pre>{@code
 * struct netif_tx_response {
 *     uint16_t id;
 *     int16_t  status;
 * };
 * }</pre>
 */
public final class NetifTxResponse extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "netif_tx_response";
    /** Offset of {@code id}. */
    public static final int ID_OFFSET = 0;
    /** Offset of {@code status}. */
    public static final int STATUS_OFFSET = ID_OFFSET + Short.BYTES;
    /** {@code sizeof(struct netif_tx_response)}, the same in every ABI; the 12-byte tx ring slot is larger. */
    public static final int LENGTH = 4;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public NetifTxResponse wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code id}: the id of the request answered.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value
     */
    public static int id(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + ID_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Reads {@code id}: the id of the request answered.
     *
     * @return the value
     */
    public int id() {
        return id(buffer, offset);
    }

    /**
     * Writes {@code id}.
     *
     * @param value the value
     * @return this
     */
    public NetifTxResponse id(final int value) {
        buffer.putShort(offset + ID_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code status}: a {@code NETIF_RSP_*} code.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value
     */
    public static short status(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + STATUS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code status}: a {@code NETIF_RSP_*} code.
     *
     * @return the value
     */
    public short status() {
        return status(buffer, offset);
    }

    /**
     * Writes {@code status}.
     *
     * @param value the value
     * @return this
     */
    public NetifTxResponse status(final short value) {
        buffer.putShort(offset + STATUS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
