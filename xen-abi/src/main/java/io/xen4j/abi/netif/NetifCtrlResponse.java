package io.xen4j.abi.netif;

import io.xen4j.abi.StructFlyweight;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The backend's answer to a control request. The same layout in the x86_32 and x86_64 ABIs.
 *
 * <p>The response fills only 12 bytes of its 16-byte control ring slot: whoever writes the slot
 * sets the last 4 bytes too (SECURITY-RULES R7).
 *
 * <pre>{@code
 * struct xen_netif_ctrl_response {
 *     uint16_t id;
 *     uint16_t type;
 *     uint32_t status;
 *     uint32_t data;
 * };
 * }</pre>
 */
public final class NetifCtrlResponse extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "xen_netif_ctrl_response";
    /** Offset of {@code id}. */
    public static final int ID_OFFSET = 0;
    /** Offset of {@code type}. */
    public static final int TYPE_OFFSET = ID_OFFSET + Short.BYTES;
    /** Offset of {@code status}. */
    public static final int STATUS_OFFSET = TYPE_OFFSET + Short.BYTES;
    /** Offset of {@code data}. */
    public static final int DATA_OFFSET = STATUS_OFFSET + Integer.BYTES;
    /** {@code sizeof(struct xen_netif_ctrl_response)}, the same in every ABI; the ring slot is 16 bytes. */
    public static final int LENGTH = 12;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public NetifCtrlResponse wrap(final MutableDirectBuffer buffer, final int offset) {
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
    public NetifCtrlResponse id(final int value) {
        buffer.putShort(offset + ID_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code type}: the type of the request answered.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value
     */
    public static int type(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + TYPE_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Reads {@code type}: the type of the request answered.
     *
     * @return the value
     */
    public int type() {
        return type(buffer, offset);
    }

    /**
     * Writes {@code type}.
     *
     * @param value the value
     * @return this
     */
    public NetifCtrlResponse type(final int value) {
        buffer.putShort(offset + TYPE_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code status}: a {@code XEN_NETIF_CTRL_STATUS_*} code.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value (unsigned 32 bit, as an int)
     */
    public static int status(final DirectBuffer buffer, final int offset) {
        return buffer.getInt(offset + STATUS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code status}: a {@code XEN_NETIF_CTRL_STATUS_*} code.
     *
     * @return the value (unsigned 32 bit, as an int)
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
    public NetifCtrlResponse status(final int value) {
        buffer.putInt(offset + STATUS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code data}: the result, as the request's type defines it.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value (unsigned 32 bit, as an int)
     */
    public static int data(final DirectBuffer buffer, final int offset) {
        return buffer.getInt(offset + DATA_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code data}: the result, as the request's type defines it.
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int data() {
        return data(buffer, offset);
    }

    /**
     * Writes {@code data}.
     *
     * @param value the value
     * @return this
     */
    public NetifCtrlResponse data(final int value) {
        buffer.putInt(offset + DATA_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
