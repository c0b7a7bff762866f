package io.xen4j.store.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.abi.xenstore.XsWireHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The parser against messages in every chunking, and the rules it enforces. */
final class XsParserTest {
    private static List<XsMessage> parseAll(final byte[] stream, final int chunk) {
        final XsParser parser = new XsParser();
        final List<XsMessage> out = new ArrayList<>();
        int at = 0;
        while (at < stream.length) {
            final int end = Math.min(stream.length, at + chunk);
            while (at < end) {
                final ParseResult r = parser.parse(stream, at, end - at);
                at += parser.consumed();
                switch (r) {
                    case ParseResult.Packet p -> out.add(p.message());
                    case ParseResult.NeedMoreData n -> assertEquals(end, at);
                    case ParseResult.Failed f -> throw new AssertionError(f.describe());
                }
            }
        }
        assertTrue(parser.isIdle());
        return out;
    }

    @Test
    void streamOfMessagesParsesTheSameInEveryChunking() {
        final List<XsMessage> messages = List.of(
            XsMessage.ofStrings(XsWire.XS_READ, 1, 0, "/local/domain/0/name"),
            XsMessage.ofStringAndBytes(XsWire.XS_WRITE, 2, 7, "/a", new byte[] {1, 0, 2}),
            XsMessage.ofStrings(XsWire.XS_TRANSACTION_START, -1, 0, ""),
            XsMessage.of(XsWire.XS_READ, 4, 0, new byte[XsWire.XENSTORE_PAYLOAD_MAX]),
            XsMessage.watchEvent("/a/b", "tok"),
            XsMessage.of(XsWire.XS_DIRECTORY, 5, 0, new byte[0]));
        final ByteBuffer all = ByteBuffer.allocate(8192);
        for (final XsMessage m : messages) {
            XsEncoder.encode(m, all);
        }
        final byte[] stream = new byte[all.position()];
        all.flip().get(stream);
        for (final int chunk : new int[] {1, 2, 3, 15, 16, 17, 100, 4111, 4112, 4113, stream.length}) {
            assertEquals(messages, parseAll(stream, chunk), "chunk=" + chunk);
        }
    }

    @Test
    void byteBufferAndDirectBufferFormsAgree() {
        final XsMessage m = XsMessage.ofStrings(XsWire.XS_WATCH, 9, 0, "/x", "t");
        final byte[] bytes = XsEncoder.toBytes(m);
        final XsParser p = new XsParser();
        final ByteBuffer bb = ByteBuffer.wrap(bytes);
        assertEquals(new ParseResult.Packet(m), p.parse(bb));
        assertEquals(0, bb.remaining());
        final UnsafeBuffer ub = new UnsafeBuffer(bytes);
        ParseResult r = ParseResult.NeedMoreData.INSTANCE;
        for (int i = 0; i < bytes.length; i++) {
            r = p.parse(ub, i, 1);
        }
        assertEquals(new ParseResult.Packet(m), r);
    }

    @Test
    void payloadOfExactly4096IsAcceptedAnd4097Rejected() {
        final byte[] header = new byte[XsWireHeader.LENGTH];
        XsWireHeader.put(new UnsafeBuffer(header), 0, XsWire.XS_READ, 3, 0, XsWire.XENSTORE_PAYLOAD_MAX + 1);
        final XsParser p = new XsParser();
        final ParseResult r = p.parse(header, 0, header.length);
        final ParseResult.Failed f = assertInstanceOf(ParseResult.Failed.class, r);
        assertEquals(ParseResult.Reason.PAYLOAD_TOO_LONG, f.reason());
        assertEquals(4097, f.length());
        assertSame(f, p.parse(new byte[1], 0, 1), "failure is sticky");
        assertEquals(0, p.consumed());
        XsWireHeader.put(new UnsafeBuffer(header), 0, XsWire.XS_READ, 3, 0, -1);
        p.reset();
        assertEquals(ParseResult.Reason.PAYLOAD_TOO_LONG,
            assertInstanceOf(ParseResult.Failed.class, p.parse(header, 0, 16)).reason());
        assertThrows(IllegalArgumentException.class, () -> XsMessage.of(XsWire.XS_READ, 0, 0, new byte[4097]));
    }

    @Test
    void unknownTypesFailAClientParserAndPassADaemonParser() {
        for (final int type : new int[] {XsMessageTypes.XS_RESTRICT_REMOVED, XsWire.XS_TYPE_COUNT, -1, XsWire.XS_INVALID}) {
            final byte[] bytes = new byte[XsWireHeader.LENGTH + 2];
            XsWireHeader.put(new UnsafeBuffer(bytes), 0, type, 1, 0, 2);
            assertEquals(ParseResult.Reason.UNKNOWN_TYPE,
                assertInstanceOf(ParseResult.Failed.class, new XsParser().parse(bytes, 0, bytes.length)).reason());
            final ParseResult.Packet p = assertInstanceOf(ParseResult.Packet.class,
                new XsParser(false).parse(bytes, 0, bytes.length));
            assertEquals(type, p.message().type());
        }
    }

    @Test
    void randomStreamsNeverThrow() {
        final Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            final byte[] junk = new byte[random.nextInt(64)];
            random.nextBytes(junk);
            final XsParser p = new XsParser(random.nextBoolean());
            int at = 0;
            while (at < junk.length) {
                final ParseResult r = p.parse(junk, at, junk.length - at);
                if (r instanceof ParseResult.Failed) {
                    break;
                }
                at += p.consumed();
            }
        }
    }

    @Test
    void stringHelpers() {
        final XsMessage m = XsMessage.ofStrings(XsWire.XS_DIRECTORY, 1, 0, "a", "", "b");
        assertEquals(List.of("a", "", "b"), m.strings());
        assertTrue(m.isNulTerminated());
        assertEquals(3, m.nulCount());
        final XsMessage w = XsMessage.ofStringAndBytes(XsWire.XS_WRITE, 1, 0, "/p", "v\0x".getBytes());
        assertEquals("/p", w.firstString());
        assertEquals("v\0x", new String(w.bytesAfterFirstNul()));
        assertTrue(XsMessage.ok(XsWire.XS_RM, 1, 0).isOk());
        assertEquals("ENOENT", XsMessage.error(1, 0, "ENOENT").errorName());
        assertThrows(IllegalArgumentException.class, () -> XsMessage.ofStrings(XsWire.XS_READ, 0, 0, "a\0b"));
        assertEquals("XS_READ req=4294967295 tx=0 len=3 \"/a\\0\"",
            XsMessage.ofStrings(XsWire.XS_READ, -1, 0, "/a").toString());
    }
}
