package io.xen4j.abi.netif;

import io.xen4j.abi.StructFlyweight;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * One received fragment, in the slot of the request whose page it fills. The same layout in the
 * x86_32 and x86_64 ABIs.
 *
 * <p>A frontend checks {@code status >= 0} and {@code offset + status <= 4096} on its private copy
 * before it touches the page (SECURITY-RULES, netif).
 *
 * <pre>{@code
 * struct netif_rx_response {
 *     uint16_t id;
 *     uint16_t offset;
 *     uint16_t flags;
 *     int16_t  status;
 * };
 * }</pre>
 */
public final class NetifRxResponse extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "netif_rx_response";
    /** Offset of {@code id}. */
    public static final int ID_OFFSET = 0;
    /** Offset of {@code offset}. */
    public static final int OFFSET_OFFSET = ID_OFFSET + Short.BYTES;
    /** Offset of {@code flags}. */
    public static final int FLAGS_OFFSET = OFFSET_OFFSET + Short.BYTES;
    /** Offset of {@code status}. */
    public static final int STATUS_OFFSET = FLAGS_OFFSET + Short.BYTES;
    /** {@code sizeof(struct netif_rx_response)}, the same in every ABI: also the rx ring slot size. */
    public static final int LENGTH = 8;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public NetifRxResponse wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code id}: the id of the request whose page was filled.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value
     */
    public static int id(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + ID_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Reads {@code id}: the id of the request whose page was filled.
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
    public NetifRxResponse id(final int value) {
        buffer.putShort(offset + ID_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code offset}: where the data starts in the page.
     * Not {@code offset()}: that name is the flyweight's own offset in its buffer.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value
     */
    public static int pageOffset(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + OFFSET_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Reads {@code offset}: where the data starts in the page.
     * Not {@code offset()}: that name is the flyweight's own offset in its buffer.
     *
     * @return the value
     */
    public int pageOffset() {
        return pageOffset(buffer, offset);
    }

    /**
     * Writes {@code offset}.
     *
     * @param value the value
     * @return this
     */
    public NetifRxResponse pageOffset(final int value) {
        buffer.putShort(offset + OFFSET_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code flags}: {@code NETRXF_*} bits.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value
     */
    public static int flags(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + FLAGS_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Reads {@code flags}: {@code NETRXF_*} bits.
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
    public NetifRxResponse flags(final int value) {
        buffer.putShort(offset + FLAGS_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code status}: the fragment size in bytes, or a negative {@code NETIF_RSP_*} code.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value
     */
    public static short status(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + STATUS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code status}: the fragment size in bytes, or a negative {@code NETIF_RSP_*} code.
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
    public NetifRxResponse status(final short value) {
        buffer.putShort(offset + STATUS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
