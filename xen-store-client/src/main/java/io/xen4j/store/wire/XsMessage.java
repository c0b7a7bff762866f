package io.xen4j.store.wire;

import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.abi.xenstore.XsWireHeader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One xenstore message: the four words of {@code struct xsd_sockmsg} and the payload, immutable.
 *
 * <p>The payload is at most {@link XsWire#XENSTORE_PAYLOAD_MAX} bytes: a message that could not
 * be sent (SECURITY-RULES: a reply over the limit is {@code E2BIG}, never sent) cannot be built.
 * Payloads are mostly NUL-terminated strings ({@code "path\0"}, {@code "path\0token\0"}); a few
 * end with raw bytes that are not terminated: the value of {@code XS_WRITE} and the reply of
 * {@code XS_READ}. The factories and accessors here name which form they use.
 *
 * <p>Strings are encoded in UTF-8; xenstore itself treats them as bytes, and paths are ASCII.
 */
public final class XsMessage {
    /** Payload of the reply to a request that returns nothing: {@code "OK\0"}. */
    public static final String OK = "OK";

    private static final byte[] EMPTY = new byte[0];

    private final int type;
    private final int reqId;
    private final int txId;
    private final byte[] payload;

    private XsMessage(final int type, final int reqId, final int txId, final byte[] payload) {
        if (payload.length > XsWire.XENSTORE_PAYLOAD_MAX) {
            throw new XsPayloadTooLongException("xenstore payload too long: type=" + XsMessageTypes.name(type)
                + " len=" + payload.length + " max=" + XsWire.XENSTORE_PAYLOAD_MAX, payload.length);
        }
        this.type = type;
        this.reqId = reqId;
        this.txId = txId;
        this.payload = payload;
    }

    /**
     * A message with the given payload bytes, copied.
     *
     * @param type    message type, an {@code XS_*} of {@link XsWire}
     * @param reqId   request id
     * @param txId    transaction id, 0 outside a transaction
     * @param payload payload bytes, copied
     * @return the message
     * @throws XsPayloadTooLongException if the payload is longer than {@link XsWire#XENSTORE_PAYLOAD_MAX}
     */
    public static XsMessage of(final int type, final int reqId, final int txId, final byte[] payload) {
        return new XsMessage(type, reqId, txId, payload.clone());
    }

    /**
     * A message whose payload is {@code payload}, taken without a copy: the caller gives up the array.
     *
     * @param type    message type
     * @param reqId   request id
     * @param txId    transaction id
     * @param payload payload bytes, owned by the message from now on
     * @return the message
     */
    static XsMessage adopt(final int type, final int reqId, final int txId, final byte[] payload) {
        return new XsMessage(type, reqId, txId, payload);
    }

    /**
     * A message whose payload is each string followed by a NUL: {@code "a\0b\0"}. With no strings
     * the payload is empty.
     *
     * @param type    message type
     * @param reqId   request id
     * @param txId    transaction id
     * @param strings the strings, none of which may contain a NUL
     * @return the message
     * @throws IllegalArgumentException if a string holds a NUL or the payload is too long
     */
    public static XsMessage ofStrings(final int type, final int reqId, final int txId, final String... strings) {
        return new XsMessage(type, reqId, txId, nulTerminated(strings));
    }

    /**
     * A message whose payload is {@code head}, a NUL, then {@code tail} without a terminator: the
     * form of {@code XS_WRITE} ({@code path\0value}) and of {@code XS_SET_PERMS}'s last field.
     *
     * @param type  message type
     * @param reqId request id
     * @param txId  transaction id
     * @param head  the leading string, without a NUL
     * @param tail  the raw bytes that follow it, copied
     * @return the message
     * @throws IllegalArgumentException if {@code head} holds a NUL or the payload is too long
     */
    public static XsMessage ofStringAndBytes(
        final int type, final int reqId, final int txId, final String head, final byte[] tail) {
        final byte[] headBytes = utf8NoNul(head);
        final byte[] payload = new byte[headBytes.length + 1 + tail.length];
        System.arraycopy(headBytes, 0, payload, 0, headBytes.length);
        System.arraycopy(tail, 0, payload, headBytes.length + 1, tail.length);
        return new XsMessage(type, reqId, txId, payload);
    }

    /**
     * A message whose payload is the raw bytes of {@code value}, without a terminator: the form of
     * the reply to {@code XS_READ}.
     *
     * @param type  message type
     * @param reqId request id
     * @param txId  transaction id
     * @param value the string, in UTF-8
     * @return the message
     */
    public static XsMessage ofRawString(final int type, final int reqId, final int txId, final String value) {
        return new XsMessage(type, reqId, txId, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * An {@code XS_ERROR} reply: the error name and a NUL.
     *
     * @param reqId     request id of the request it answers
     * @param txId      transaction id of the request it answers
     * @param errorName one of the names of {@link io.xen4j.abi.xenstore.XsdErrors}
     * @return the message
     */
    public static XsMessage error(final int reqId, final int txId, final String errorName) {
        return ofStrings(XsWire.XS_ERROR, reqId, txId, errorName);
    }

    /**
     * The {@code "OK\0"} reply of a request that returns nothing ({@code XS_WRITE}, {@code XS_RM}, ...).
     *
     * @param type  type of the request it answers
     * @param reqId request id of the request it answers
     * @param txId  transaction id of the request it answers
     * @return the message
     */
    public static XsMessage ok(final int type, final int reqId, final int txId) {
        return ofStrings(type, reqId, txId, OK);
    }

    /**
     * An {@code XS_WATCH_EVENT}: path and token, each followed by a NUL; request and transaction ids 0.
     *
     * @param path  path of the node that changed (or the watched special path)
     * @param token token the watcher registered
     * @return the message
     */
    public static XsMessage watchEvent(final String path, final String token) {
        return ofStrings(XsWire.XS_WATCH_EVENT, 0, 0, path, token);
    }

    /**
     * The message type, an {@code XS_*} of {@link XsWire}.
     *
     * @return type (unsigned 32 bit, as an int)
     */
    public int type() {
        return type;
    }

    /**
     * The request id the daemon echoes in its reply.
     *
     * @return request id (unsigned 32 bit, as an int)
     */
    public int reqId() {
        return reqId;
    }

    /**
     * The transaction id, 0 outside a transaction.
     *
     * @return transaction id (unsigned 32 bit, as an int)
     */
    public int txId() {
        return txId;
    }

    /**
     * Payload length in bytes, the {@code len} word of the header.
     *
     * @return 0..{@link XsWire#XENSTORE_PAYLOAD_MAX}
     */
    public int payloadLength() {
        return payload.length;
    }

    /**
     * Bytes of header and payload on the wire.
     *
     * @return {@link XsWireHeader#LENGTH} plus {@link #payloadLength()}
     */
    public int encodedLength() {
        return XsWireHeader.LENGTH + payload.length;
    }

    /**
     * A copy of the payload.
     *
     * @return the payload bytes
     */
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload array itself, for the encoder of this package; never handed out. */
    byte[] payloadArray() {
        return payload;
    }

    /**
     * One payload byte.
     *
     * @param index 0..{@link #payloadLength()} - 1
     * @return the byte
     */
    public byte payloadByte(final int index) {
        return payload[index];
    }

    /**
     * Copies the payload into {@code dst}.
     *
     * @param dst       destination array
     * @param dstOffset where the first byte goes
     */
    public void copyPayload(final byte[] dst, final int dstOffset) {
        System.arraycopy(payload, 0, dst, dstOffset, payload.length);
    }

    /**
     * Whether this is an {@code XS_ERROR} reply.
     *
     * @return true for type {@link XsWire#XS_ERROR}
     */
    public boolean isError() {
        return type == XsWire.XS_ERROR;
    }

    /**
     * Whether the payload is exactly {@code "OK\0"}.
     *
     * @return true for the OK reply
     */
    public boolean isOk() {
        return payload.length == 3 && payload[0] == 'O' && payload[1] == 'K' && payload[2] == 0;
    }

    /**
     * The error name of an {@code XS_ERROR} reply, or any reply, read as one string: the payload up
     * to its first NUL (or all of it if it has none).
     *
     * @return the name, such as {@code ENOENT}; the peer may send any string
     */
    public String errorName() {
        return firstString();
    }

    /**
     * The whole payload as a UTF-8 string, NULs included: the value of an {@code XS_READ} reply.
     *
     * @return the string
     */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /**
     * The payload up to its first NUL, or all of it if it has none.
     *
     * @return the string
     */
    public String firstString() {
        final int end = indexOfNul(0);
        return new String(payload, 0, end < 0 ? payload.length : end, StandardCharsets.UTF_8);
    }

    /**
     * The bytes after the first NUL: the value of an {@code XS_WRITE} request.
     *
     * @return the bytes, empty if there is no NUL or nothing follows it
     */
    public byte[] bytesAfterFirstNul() {
        final int nul = indexOfNul(0);
        return nul < 0 ? EMPTY : Arrays.copyOfRange(payload, nul + 1, payload.length);
    }

    /**
     * Whether the payload is empty or ends with a NUL, as a list of NUL-terminated strings must.
     *
     * @return true if {@link #strings()} lost no unterminated tail
     */
    public boolean isNulTerminated() {
        return payload.length == 0 || payload[payload.length - 1] == 0;
    }

    /**
     * The payload split at each NUL into strings: {@code "a\0b\0"} gives {@code [a, b]},
     * {@code "a\0\0"} gives {@code [a, ""]}. An unterminated tail ({@code "a\0b"}) is the last
     * string; {@link #isNulTerminated()} tells the two apart.
     *
     * @return the strings, empty for an empty payload
     */
    public List<String> strings() {
        final List<String> strings = new ArrayList<>();
        int start = 0;
        while (start < payload.length) {
            final int nul = indexOfNul(start);
            final int end = nul < 0 ? payload.length : nul;
            strings.add(new String(payload, start, end - start, StandardCharsets.UTF_8));
            start = end + 1;
        }
        return strings;
    }

    /**
     * Counts the NULs of the payload: the number of terminated strings.
     *
     * @return count of zero bytes
     */
    public int nulCount() {
        int count = 0;
        for (final byte b : payload) {
            if (b == 0) {
                count++;
            }
        }
        return count;
    }

    /**
     * The same message with other request and transaction ids, as a daemon echoes them.
     *
     * @param newReqId request id
     * @param newTxId  transaction id
     * @return the message
     */
    public XsMessage withIds(final int newReqId, final int newTxId) {
        return new XsMessage(type, newReqId, newTxId, payload);
    }

    private int indexOfNul(final int from) {
        for (int i = from; i < payload.length; i++) {
            if (payload[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] nulTerminated(final String... strings) {
        final byte[][] parts = new byte[strings.length][];
        int length = 0;
        for (int i = 0; i < strings.length; i++) {
            parts[i] = utf8NoNul(strings[i]);
            length += parts[i].length + 1;
        }
        final byte[] payload = new byte[length];
        int at = 0;
        for (final byte[] part : parts) {
            System.arraycopy(part, 0, payload, at, part.length);
            at += part.length + 1;
        }
        return payload;
    }

    private static byte[] utf8NoNul(final String s) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("xenstore string holds a NUL: string=" + printable(s.getBytes(
                StandardCharsets.UTF_8), 0, 128));
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof XsMessage m && type == m.type && reqId == m.reqId && txId == m.txId
            && Arrays.equals(payload, m.payload);
    }

    @Override
    public int hashCode() {
        return ((type * 31 + reqId) * 31 + txId) * 31 + Arrays.hashCode(payload);
    }

    /**
     * The message in a form for logs: {@code XS_READ req=1 tx=0 len=6 "/local\0"}, with
     * non-printable bytes escaped and long payloads cut.
     *
     * @return the text
     */
    @Override
    public String toString() {
        return XsMessageTypes.name(type) + " req=" + Integer.toUnsignedString(reqId) + " tx="
            + Integer.toUnsignedString(txId) + " len=" + payload.length + " \"" + printable(payload, 0, 128) + "\"";
    }

    static String printable(final byte[] bytes, final int from, final int max) {
        final StringBuilder sb = new StringBuilder();
        final int end = Math.min(bytes.length, from + max);
        for (int i = from; i < end; i++) {
            final int b = bytes[i] & 0xFF;
            if (b == 0) {
                sb.append("\\0");
            } else if (b == '\\' || b == '"') {
                sb.append('\\').append((char) b);
            } else if (b >= 0x20 && b < 0x7F) {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b));
            }
        }
        if (end < bytes.length) {
            sb.append("...");
        }
        return sb.toString();
    }
}
