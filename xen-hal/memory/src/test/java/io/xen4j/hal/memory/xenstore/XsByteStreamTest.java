package io.xen4j.hal.memory.xenstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.abi.xenstore.XsdErrors;
import io.xen4j.store.wire.ParseResult;
import io.xen4j.store.wire.XsEncoder;
import io.xen4j.store.wire.XsMessage;
import io.xen4j.store.wire.XsParser;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The daemon as a byte stream: any chunking in, any buffer size out, and broken streams. */
final class XsByteStreamTest {
    private static byte[] session() {
        final ByteArrayOutputStream s = new ByteArrayOutputStream();
        int id = 1;
        for (final XsMessage m : new XsMessage[] {
            XsMessage.ofStringAndBytes(XsWire.XS_WRITE, id++, 0, "/a/b", "value".getBytes()),
            XsMessage.ofStrings(XsWire.XS_WATCH, id++, 0, "/a", "tok"),
            XsMessage.ofStrings(XsWire.XS_READ, id++, 0, "/a/b"),
            XsMessage.ofStrings(XsWire.XS_DIRECTORY, id++, 0, "/a"),
            XsMessage.ofStrings(XsWire.XS_TRANSACTION_START, id++, 0, ""),
            XsMessage.ofStringAndBytes(XsWire.XS_WRITE, id++, 1, "/a/c", new byte[0]),
            XsMessage.ofStrings(XsWire.XS_TRANSACTION_END, id++, 1, "T"),
            XsMessage.ofStrings(XsWire.XS_GET_PERMS, id++, 0, "/a"),
            XsMessage.ofStrings(42, id++, 0, "unknown type"),
            XsMessage.ofStrings(XsWire.XS_RM, id++, 0, "/a"),
        }) {
            s.writeBytes(XsEncoder.toBytes(m));
        }
        return s.toByteArray();
    }

    private static byte[] run(final byte[] input, final int inChunk, final int outChunk) {
        final XenstoreCore core = new XenstoreCore();
        final XsByteStream stream = new XsByteStream(core, core.connectSocket());
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteBuffer buf = ByteBuffer.allocate(outChunk);
        for (int at = 0; at < input.length; at += inChunk) {
            final int n = Math.min(inChunk, input.length - at);
            assertEquals(n, stream.receive(input, at, n));
            while (stream.hasOutput()) {
                buf.clear();
                stream.drainTo(buf);
                out.write(buf.array(), 0, buf.position());
            }
        }
        assertFalse(stream.isBroken());
        assertEquals(0, core.internalErrors());
        return out.toByteArray();
    }

    @Test
    void anyChunkingGivesTheSameBytesOut() {
        final byte[] input = session();
        // One byte at a time the client reads everything before its next request is complete, as a
        // synchronous client does; any chunking that completes at most one request at a time must match.
        final byte[] reference = run(input, 1, 1 << 16);
        assertArrayEquals(reference, run(input, 1, 1));
        assertArrayEquals(reference, run(input, 7, 3));
        assertArrayEquals(reference, run(input, 16, 17));
        final List<XsMessage> replies = parse(reference);
        assertEquals(13, replies.size(), replies.toString());
        assertEquals("value", new String(replies.get(3).payload()));
        assertEquals(XsWire.XS_ERROR, replies.get(10).type());
        assertEquals(XsdErrors.ENOSYS, replies.get(10).errorName());
    }

    private static List<XsMessage> parse(final byte[] bytes) {
        final XsParser parser = new XsParser();
        final List<XsMessage> out = new ArrayList<>();
        int at = 0;
        while (at < bytes.length) {
            final ParseResult r = parser.parse(bytes, at, bytes.length - at);
            at += parser.consumed();
            if (r instanceof ParseResult.Packet p) {
                out.add(p.message());
            }
        }
        return out;
    }

    @Test
    void aPayloadLengthOver4096BreaksTheStreamAndClosesTheConnection() {
        final XenstoreCore core = new XenstoreCore();
        final XsConnection conn = core.connectSocket();
        final XsByteStream stream = new XsByteStream(core, conn);
        conn.outputListener(() -> { });
        final byte[] header = new byte[16];
        final ByteBuffer b = ByteBuffer.wrap(header).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(XsWire.XS_WRITE).putInt(1).putInt(0).putInt(4097);
        stream.receive(header, 0, header.length);
        assertTrue(stream.isBroken());
        assertTrue(conn.isClosed());
        assertTrue(String.valueOf(stream.brokenReason()).contains("len=4097"), stream.brokenReason());
        assertEquals(0, stream.receive(header, 0, header.length));
        assertFalse(core.connections().contains(conn));
    }

    @Test
    void aPayloadOfExactly4096IsAccepted() {
        final XenstoreCore core = new XenstoreCore();
        final XsByteStream stream = new XsByteStream(core, core.connectSocket());
        final byte[] value = new byte[XsWire.XENSTORE_PAYLOAD_MAX - 3];
        final byte[] bytes = XsEncoder.toBytes(XsMessage.ofStringAndBytes(XsWire.XS_WRITE, 1, 0, "/x", value));
        assertEquals(bytes.length, stream.receive(bytes, 0, bytes.length));
        assertFalse(stream.isBroken());
        assertTrue(java.util.Objects.requireNonNull(stream.connection().pollOutput()).isOk());
    }
}
