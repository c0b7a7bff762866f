package io.xen4j.abi.xenstore;

import io.xen4j.abi.StructFlyweight;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The header of every xenstore message, on the socket, the xenbus device and the ring page alike,
 * the same in every ABI (16 bytes); {@code len} bytes of payload follow it, generally
 * NUL-terminated strings.
 *
 * <p>The codec reads headers with the static accessors, from a private copy of the bytes: on a
 * ring page the peer can rewrite a header while it is being read (SECURITY-RULES R2).
 *
 * <pre>{@code
 * struct xsd_sockmsg
 * {
 *     uint32_t type;  // XS_???
 *     uint32_t req_id;// Request identifier, echoed in daemon's response.
 *     uint32_t tx_id; // Transaction id (0 if not related to a transaction).
 *     uint32_t len;   // Length of data following this.
 *
 *     // Generally followed by nul-terminated string(s).
 * };
 * }</pre>
 */
public final class XsWireHeader extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "xsd_sockmsg";
    /** Offset of {@code type}. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of {@code req_id}. */
    public static final int REQ_ID_OFFSET = TYPE_OFFSET + Integer.BYTES;
    /** Offset of {@code tx_id}. */
    public static final int TX_ID_OFFSET = REQ_ID_OFFSET + Integer.BYTES;
    /** Offset of {@code len}. */
    public static final int LEN_OFFSET = TX_ID_OFFSET + Integer.BYTES;
    /** {@code sizeof(struct xsd_sockmsg)}, the same in every ABI. */
    public static final int LENGTH = LEN_OFFSET + Integer.BYTES;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public XsWireHeader wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Writes a whole header.
     *
     * @param buffer buffer to write to
     * @param offset offset of the header
     * @param type   message type, an {@code XS_*} of {@link XsWire}
     * @param reqId  request id
     * @param txId   transaction id, 0 outside a transaction
     * @param len    payload length in bytes
     */
    public static void put(
        final MutableDirectBuffer buffer, final int offset, final int type, final int reqId, final int txId,
        final int len) {
        buffer.putInt(offset + TYPE_OFFSET, type, XEN_BYTE_ORDER);
        buffer.putInt(offset + REQ_ID_OFFSET, reqId, XEN_BYTE_ORDER);
        buffer.putInt(offset + TX_ID_OFFSET, txId, XEN_BYTE_ORDER);
        buffer.putInt(offset + LEN_OFFSET, len, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code type}: the message type, an {@code XS_*} of {@link XsWire}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value (unsigned 32 bit, as an int)
     */
    public static int type(final DirectBuffer buffer, final int offset) {
        return buffer.getInt(offset + TYPE_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code type}: the message type, an {@code XS_*} of {@link XsWire}.
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int type() {
        return type(buffer, offset);
    }

    /**
     * Writes {@code type}.
     *
     * @param value the value (unsigned 32 bit, as an int)
     * @return this
     */
    public XsWireHeader type(final int value) {
        buffer.putInt(offset + TYPE_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code req_id}: the request id, echoed by the daemon in its reply.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value (unsigned 32 bit, as an int)
     */
    public static int reqId(final DirectBuffer buffer, final int offset) {
        return buffer.getInt(offset + REQ_ID_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code req_id}: the request id, echoed by the daemon in its reply.
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int reqId() {
        return reqId(buffer, offset);
    }

    /**
     * Writes {@code req_id}.
     *
     * @param value the value (unsigned 32 bit, as an int)
     * @return this
     */
    public XsWireHeader reqId(final int value) {
        buffer.putInt(offset + REQ_ID_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code tx_id}: the transaction id, 0 outside a transaction.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value (unsigned 32 bit, as an int)
     */
    public static int txId(final DirectBuffer buffer, final int offset) {
        return buffer.getInt(offset + TX_ID_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code tx_id}: the transaction id, 0 outside a transaction.
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int txId() {
        return txId(buffer, offset);
    }

    /**
     * Writes {@code tx_id}.
     *
     * @param value the value (unsigned 32 bit, as an int)
     * @return this
     */
    public XsWireHeader txId(final int value) {
        buffer.putInt(offset + TX_ID_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code len}: the payload length in bytes; a peer may send any value, check it against {@link XsWire#XENSTORE_PAYLOAD_MAX}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value (unsigned 32 bit, as an int)
     */
    public static int len(final DirectBuffer buffer, final int offset) {
        return buffer.getInt(offset + LEN_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads {@code len}: the payload length in bytes; a peer may send any value, check it against {@link XsWire#XENSTORE_PAYLOAD_MAX}.
     *
     * @return the value (unsigned 32 bit, as an int)
     */
    public int len() {
        return len(buffer, offset);
    }

    /**
     * Writes {@code len}.
     *
     * @param value the value (unsigned 32 bit, as an int)
     * @return this
     */
    public XsWireHeader len(final int value) {
        buffer.putInt(offset + LEN_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
