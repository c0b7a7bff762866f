package io.xen4j.store.wire;

import io.xen4j.abi.StructFlyweight;
import io.xen4j.abi.xenstore.XsWireHeader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Writes xenstore messages: the 16-byte {@code struct xsd_sockmsg} in Xen's byte order, then the
 * payload. Stateless.
 */
public final class XsEncoder {
    private XsEncoder() {
    }

    /**
     * Writes {@code message} at {@code offset}.
     *
     * @param message the message
     * @param dst     destination buffer
     * @param offset  where the header starts
     * @return bytes written, {@link XsMessage#encodedLength()}
     * @throws IndexOutOfBoundsException if it does not fit
     */
    public static int encode(final XsMessage message, final MutableDirectBuffer dst, final int offset) {
        dst.boundsCheck(offset, message.encodedLength());
        XsWireHeader.put(dst, offset, message.type(), message.reqId(), message.txId(), message.payloadLength());
        dst.putBytes(offset + XsWireHeader.LENGTH, message.payloadArray());
        return message.encodedLength();
    }

    /**
     * Writes {@code message} at the position of {@code dst} and advances it; the buffer's own byte
     * order is neither used nor changed.
     *
     * @param message the message
     * @param dst     destination buffer
     * @return bytes written
     * @throws java.nio.BufferOverflowException if it does not fit
     */
    public static int encode(final XsMessage message, final ByteBuffer dst) {
        if (dst.remaining() < message.encodedLength()) {
            throw new java.nio.BufferOverflowException();
        }
        final ByteOrder order = dst.order();
        try {
            dst.order(StructFlyweight.XEN_BYTE_ORDER);
            dst.putInt(message.type()).putInt(message.reqId()).putInt(message.txId()).putInt(message.payloadLength());
        } finally {
            dst.order(order);
        }
        dst.put(message.payloadArray());
        return message.encodedLength();
    }

    /**
     * The wire bytes of {@code message}.
     *
     * @param message the message
     * @return a new array of {@link XsMessage#encodedLength()} bytes
     */
    public static byte[] toBytes(final XsMessage message) {
        final byte[] bytes = new byte[message.encodedLength()];
        encode(message, new UnsafeBuffer(bytes), 0);
        return bytes;
    }
}
