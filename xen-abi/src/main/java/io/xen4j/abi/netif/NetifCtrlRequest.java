package io.xen4j.abi.netif;

import io.xen4j.abi.AbiChecks;
import io.xen4j.abi.StructFlyweight;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A request on the control ring, frontend to backend; {@code type} says what {@code data[]} means.
 * The same layout in the x86_32 and x86_64 ABIs.
 *
 * <pre>{@code
 * struct xen_netif_ctrl_request {
 *     uint16_t id;
 *     uint16_t type;
 *     uint32_t data[3];
 * };
 * }</pre>
 */
public final class NetifCtrlRequest extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "xen_netif_ctrl_request";
    /** Offset of {@code id}. */
    public static final int ID_OFFSET = 0;
    /** Offset of {@code type}. */
    public static final int TYPE_OFFSET = ID_OFFSET + Short.BYTES;
    /** Offset of {@code data}. */
    public static final int DATA_OFFSET = TYPE_OFFSET + Short.BYTES;
    /** {@code sizeof(struct xen_netif_ctrl_request)}, the same in every ABI. */
    public static final int LENGTH = 16;
    /** Elements of {@code data}. */
    public static final int DATA_COUNT = 3;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public NetifCtrlRequest wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code id}: the frontend's value, echoed in the response.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value
     */
    public static int id(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + ID_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Reads {@code id}: the frontend's value, echoed in the response.
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
    public NetifCtrlRequest id(final int value) {
        buffer.putShort(offset + ID_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code type}: a {@code XEN_NETIF_CTRL_TYPE_*}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value
     */
    public static int type(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + TYPE_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Reads {@code type}: a {@code XEN_NETIF_CTRL_TYPE_*}.
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
    public NetifCtrlRequest type(final int value) {
        buffer.putShort(offset + TYPE_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code data[index]}: an argument of the request, as {@code type} defines it.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @param index  element index, 0..{@value #DATA_COUNT} - 1 (not checked)
     * @return the value (unsigned 32 bit, as an int)
     */
    public static int data(final DirectBuffer buffer, final int offset, final int index) {
        return buffer.getInt(offset + DATA_OFFSET + index * Integer.BYTES, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code data[index]}: an argument of the request, as {@code type} defines it.
     *
     * @param index element index, 0..{@value #DATA_COUNT} - 1
     * @return the value (unsigned 32 bit, as an int)
     */
    public int data(final int index) {
        return buffer.getInt(dataOffset(index), XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code data[index]}.
     *
     * @param index element index, 0..{@value #DATA_COUNT} - 1
     * @param value the value
     * @return this
     */
    public NetifCtrlRequest data(final int index, final int value) {
        buffer.putInt(dataOffset(index), value, XEN_BYTE_ORDER);
        return this;
    }

    private int dataOffset(final int index) {
        AbiChecks.checkIndex(STRUCT_NAME, "data", index, DATA_COUNT);
        return offset + DATA_OFFSET + index * Integer.BYTES;
    }
}
