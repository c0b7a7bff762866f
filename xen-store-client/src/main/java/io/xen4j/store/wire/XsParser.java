package io.xen4j.store.wire;

import io.xen4j.abi.StructFlyweight;
import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.abi.xenstore.XsWireHeader;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.agrona.DirectBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Incremental parser of a stream of xenstore messages, fed bytes in any chunking: a whole stream
 * at once, one byte at a time, or what a socket read or a ring page happened to hold.
 *
 * <p>Each {@code parse} call consumes bytes up to the end of at most one message and answers
 * {@link ParseResult.NeedMoreData} (all given bytes consumed, the message is not complete),
 * {@link ParseResult.Packet} (a message is complete; bytes after it were not consumed, so call
 * again with the rest), or {@link ParseResult.Failed} (the header broke a rule; the parser stays
 * failed). {@link #consumed()} tells how many bytes the last call took.
 *
 * <p>The header is copied into a private array before any word of it is checked, and the payload
 * into a fresh array of exactly {@code len} bytes only after {@code len} passed the
 * {@link XsWire#XENSTORE_PAYLOAD_MAX} check: a peer cannot make the parser allocate more than
 * 4096 bytes per message, nor change a value between its check and its use (SECURITY-RULES R2).
 *
 * <p>Not thread-safe: one parser per connection and direction.
 */
public final class XsParser {
    private final boolean rejectUnknownTypes;
    private final byte[] header = new byte[XsWireHeader.LENGTH];
    private int headerFill;
    private int type;
    private int reqId;
    private int txId;
    private byte @Nullable [] payload;
    private int payloadFill;
    private ParseResult.@Nullable Failed failed;
    private int consumed;

    /**
     * A parser that rejects unknown message types, as a client does: a daemon only sends types of
     * the header.
     */
    public XsParser() {
        this(true);
    }

    /**
     * A parser with the unknown-type rule chosen.
     *
     * @param rejectUnknownTypes true to fail on a type that is not in {@code xs_wire.h}; false to
     *                           hand such messages out whole, as a daemon does, which answers them
     *                           with {@code ENOSYS} and keeps the connection
     */
    public XsParser(final boolean rejectUnknownTypes) {
        this.rejectUnknownTypes = rejectUnknownTypes;
    }

    /**
     * Parses from {@code src[offset .. offset + length)}.
     *
     * @param src    bytes
     * @param offset first byte
     * @param length number of bytes available
     * @return the result; see the class comment
     */
    public ParseResult parse(final byte[] src, final int offset, final int length) {
        Objects.checkFromIndexSize(offset, length, src.length);
        consumed = 0;
        if (failed != null) {
            return failed;
        }
        int at = offset;
        int left = length;
        if (headerFill < XsWireHeader.LENGTH) {
            final int n = Math.min(left, XsWireHeader.LENGTH - headerFill);
            System.arraycopy(src, at, header, headerFill, n);
            headerFill += n;
            at += n;
            left -= n;
            consumed += n;
            if (headerFill < XsWireHeader.LENGTH) {
                return ParseResult.NeedMoreData.INSTANCE;
            }
            final ParseResult.Failed bad = headerComplete();
            if (bad != null) {
                return bad;
            }
        }
        final byte[] body = Objects.requireNonNull(payload);
        final int n = Math.min(left, body.length - payloadFill);
        System.arraycopy(src, at, body, payloadFill, n);
        payloadFill += n;
        consumed += n;
        return payloadFill == body.length ? complete(body) : ParseResult.NeedMoreData.INSTANCE;
    }

    /**
     * Parses from {@code src[offset .. offset + length)} of an Agrona buffer.
     *
     * @param src    bytes
     * @param offset first byte
     * @param length number of bytes available
     * @return the result; see the class comment
     */
    public ParseResult parse(final DirectBuffer src, final int offset, final int length) {
        src.boundsCheck(offset, length);
        consumed = 0;
        if (failed != null) {
            return failed;
        }
        int at = offset;
        int left = length;
        if (headerFill < XsWireHeader.LENGTH) {
            final int n = Math.min(left, XsWireHeader.LENGTH - headerFill);
            src.getBytes(at, header, headerFill, n);
            headerFill += n;
            at += n;
            left -= n;
            consumed += n;
            if (headerFill < XsWireHeader.LENGTH) {
                return ParseResult.NeedMoreData.INSTANCE;
            }
            final ParseResult.Failed bad = headerComplete();
            if (bad != null) {
                return bad;
            }
        }
        final byte[] body = Objects.requireNonNull(payload);
        final int n = Math.min(left, body.length - payloadFill);
        src.getBytes(at, body, payloadFill, n);
        payloadFill += n;
        consumed += n;
        return payloadFill == body.length ? complete(body) : ParseResult.NeedMoreData.INSTANCE;
    }

    /**
     * Parses from the remaining bytes of {@code src}, advancing its position by what was consumed.
     *
     * @param src bytes between position and limit
     * @return the result; see the class comment
     */
    public ParseResult parse(final ByteBuffer src) {
        consumed = 0;
        if (failed != null) {
            return failed;
        }
        if (headerFill < XsWireHeader.LENGTH) {
            final int n = Math.min(src.remaining(), XsWireHeader.LENGTH - headerFill);
            src.get(header, headerFill, n);
            headerFill += n;
            consumed += n;
            if (headerFill < XsWireHeader.LENGTH) {
                return ParseResult.NeedMoreData.INSTANCE;
            }
            final ParseResult.Failed bad = headerComplete();
            if (bad != null) {
                return bad;
            }
        }
        final byte[] body = Objects.requireNonNull(payload);
        final int n = Math.min(src.remaining(), body.length - payloadFill);
        src.get(body, payloadFill, n);
        payloadFill += n;
        consumed += n;
        return payloadFill == body.length ? complete(body) : ParseResult.NeedMoreData.INSTANCE;
    }

    /**
     * Bytes the last {@code parse} call consumed: all of them for {@link ParseResult.NeedMoreData},
     * up to the end of the message for {@link ParseResult.Packet}, up to the end of the bad header
     * (or none, once failed) for {@link ParseResult.Failed}.
     *
     * @return byte count
     */
    public int consumed() {
        return consumed;
    }

    /**
     * Whether the parser is between messages: no byte of a next message has been seen.
     *
     * @return true at a message boundary and not failed
     */
    public boolean isIdle() {
        return failed == null && headerFill == 0;
    }

    /**
     * The failure the parser is stuck in, if any.
     *
     * @return the failure, or null
     */
    public ParseResult.@Nullable Failed failure() {
        return failed;
    }

    /** Forgets any partial message and any failure, as for a new connection. */
    public void reset() {
        headerFill = 0;
        payload = null;
        payloadFill = 0;
        failed = null;
        consumed = 0;
    }

    private ParseResult.@Nullable Failed headerComplete() {
        type = word(XsWireHeader.TYPE_OFFSET);
        reqId = word(XsWireHeader.REQ_ID_OFFSET);
        txId = word(XsWireHeader.TX_ID_OFFSET);
        final int len = word(XsWireHeader.LEN_OFFSET);
        // len is unsigned on the wire: a negative int is a length over 2 GiB, not a small one.
        if (Integer.compareUnsigned(len, XsWire.XENSTORE_PAYLOAD_MAX) > 0) {
            failed = new ParseResult.Failed(ParseResult.Reason.PAYLOAD_TOO_LONG, type, reqId, len);
            return failed;
        }
        if (rejectUnknownTypes && !XsMessageTypes.isKnown(type)) {
            failed = new ParseResult.Failed(ParseResult.Reason.UNKNOWN_TYPE, type, reqId, len);
            return failed;
        }
        payload = new byte[len];
        payloadFill = 0;
        return null;
    }

    private ParseResult complete(final byte[] body) {
        final XsMessage message = XsMessage.adopt(type, reqId, txId, body);
        headerFill = 0;
        payload = null;
        payloadFill = 0;
        return new ParseResult.Packet(message);
    }

    private int word(final int offset) {
        // Little-endian, as StructFlyweight.XEN_BYTE_ORDER says for every Xen structure.
        assert StructFlyweight.XEN_BYTE_ORDER == java.nio.ByteOrder.LITTLE_ENDIAN;
        return (header[offset] & 0xFF) | (header[offset + 1] & 0xFF) << 8 | (header[offset + 2] & 0xFF) << 16
            | (header[offset + 3] & 0xFF) << 24;
    }
}
