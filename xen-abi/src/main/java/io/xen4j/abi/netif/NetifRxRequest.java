package io.xen4j.abi.netif;

import io.xen4j.abi.StructFlyweight;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A page the frontend grants to the backend to receive into. The same layout in the x86_32 and
 * x86_64 ABIs.
 *
 * <pre>{@code
 * struct netif_rx_request {
 *     uint16_t    id;        // Echoed in response message.
 *     uint16_t    pad;
 *     grant_ref_t gref;
 * };
 * }</pre>
 */
public final class NetifRxRequest extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "netif_rx_request";
    /** Offset of {@code id}. */
    public static final int ID_OFFSET = 0;
    /** Offset of {@code pad}. */
    public static final int PAD_OFFSET = ID_OFFSET + Short.BYTES;
    /** Offset of {@code gref}. */
    public static final int GREF_OFFSET = PAD_OFFSET + Short.BYTES;
    /** {@code sizeof(struct netif_rx_request)}, the same in every ABI: also the rx ring slot size. */
    public static final int LENGTH = 8;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public NetifRxRequest wrap(final MutableDirectBuffer buffer, final int offset) {
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
    public NetifRxRequest id(final int value) {
        buffer.putShort(offset + ID_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code pad}: padding, written as zero.
     *
     * @return the value
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
    public NetifRxRequest pad(final int value) {
        buffer.putShort(offset + PAD_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code gref}: the grant of the page to receive into.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the grant reference (unsigned 32 bit, as an int)
     */
    public static int gref(final DirectBuffer buffer, final int offset) {
        return buffer.getInt(offset + GREF_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code gref}: the grant of the page to receive into.
     *
     * @return the grant reference (unsigned 32 bit, as an int)
     */
    public int gref() {
        return gref(buffer, offset);
    }

    /**
     * Writes {@code gref}.
     *
     * @param value the value
     * @return this
     */
    public NetifRxRequest gref(final int value) {
        buffer.putInt(offset + GREF_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
