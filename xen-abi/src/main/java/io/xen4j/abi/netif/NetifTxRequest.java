package io.xen4j.abi.netif;

import io.xen4j.abi.StructFlyweight;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * One slot of a packet the frontend transmits: the first slot of a packet carries the packet's
 * total size, the following ones ({@code NETTXF_more_data}) the size of their fragment. The same
 * layout in the x86_32 and x86_64 ABIs.
 *
 * <p>The data of a slot must lie inside its page: a backend checks
 * {@code offset + size <= 4096} on its private copy of the slot (SECURITY-RULES, netif).
 *
 * <pre>{@code
 * struct netif_tx_request {
 *     grant_ref_t gref;
 *     uint16_t offset;
 *     uint16_t flags;
 *     uint16_t id;
 *     uint16_t size;
 * };
 * }</pre>
 */
public final class NetifTxRequest extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "netif_tx_request";
    /** Offset of {@code gref}. */
    public static final int GREF_OFFSET = 0;
    /** Offset of {@code offset}. */
    public static final int OFFSET_OFFSET = GREF_OFFSET + Integer.BYTES;
    /** Offset of {@code flags}. */
    public static final int FLAGS_OFFSET = OFFSET_OFFSET + Short.BYTES;
    /** Offset of {@code id}. */
    public static final int ID_OFFSET = FLAGS_OFFSET + Short.BYTES;
    /** Offset of {@code size}. */
    public static final int SIZE_OFFSET = ID_OFFSET + Short.BYTES;
    /** {@code sizeof(struct netif_tx_request)}, the same in every ABI: also the tx ring slot size. */
    public static final int LENGTH = 12;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public NetifTxRequest wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code gref}: the grant of the page holding the data.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the grant reference (unsigned 32 bit, as an int)
     */
    public static int gref(final DirectBuffer buffer, final int offset) {
        return buffer.getInt(offset + GREF_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code gref}: the grant of the page holding the data.
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
    public NetifTxRequest gref(final int value) {
        buffer.putInt(offset + GREF_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code offset}: where the data starts in the granted page.
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
     * Reads {@code offset}: where the data starts in the granted page.
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
    public NetifTxRequest pageOffset(final int value) {
        buffer.putShort(offset + OFFSET_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code flags}: {@code NETTXF_*} bits.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value
     */
    public static int flags(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + FLAGS_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Reads {@code flags}: {@code NETTXF_*} bits.
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
    public NetifTxRequest flags(final int value) {
        buffer.putShort(offset + FLAGS_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
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
    public NetifTxRequest id(final int value) {
        buffer.putShort(offset + ID_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code size}: the packet size in bytes in a packet's first slot, the fragment size in the others.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value
     */
    public static int size(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + SIZE_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Reads {@code size}: the packet size in bytes in a packet's first slot, the fragment size in the others.
     *
     * @return the value
     */
    public int size() {
        return size(buffer, offset);
    }

    /**
     * Writes {@code size}.
     *
     * @param value the value
     * @return this
     */
    public NetifTxRequest size(final int value) {
        buffer.putShort(offset + SIZE_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }
}
