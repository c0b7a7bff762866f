package io.xen4j.store.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.abi.xenstore.XsWireHeader;
import java.nio.ByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The client's parser against arbitrary headers, lengths and payloads fed in arbitrary chunks:
 * no uncaught exception, every call makes progress or reports a failure (no hang), no message over
 * 4096 bytes comes out, and a length over 4096 is always a failure. {@code mvn verify} runs the
 * seed corpus; {@code JAZZER_FUZZ=1} fuzzes.
 */
final class XsParserFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void arbitraryStreamsInArbitraryChunks(final FuzzedDataProvider data) {
        final XsParser parser = new XsParser(data.consumeBoolean());
        final int form = data.consumeInt(0, 2);
        // Half the inputs get a well-formed header up front, so the fuzzer reaches the payload paths.
        final byte[] stream;
        if (data.consumeBoolean()) {
            final byte[] head = new byte[XsWireHeader.LENGTH];
            final int len = data.consumeInt(0, XsWire.XENSTORE_PAYLOAD_MAX + 2);
            XsWireHeader.put(new UnsafeBuffer(head), 0, data.consumeInt(0, 24), data.consumeInt(), data.consumeInt(), len);
            final byte[] rest = data.consumeBytes(8192);
            stream = new byte[head.length + rest.length];
            System.arraycopy(head, 0, stream, 0, head.length);
            System.arraycopy(rest, 0, stream, head.length, rest.length);
        } else {
            stream = data.consumeBytes(8192);
        }
        int at = 0;
        int steps = 0;
        while (at < stream.length) {
            final int chunk = Math.min(stream.length - at, Math.max(1, data.consumeInt(1, 5000)));
            int chunkAt = at;
            final int chunkEnd = at + chunk;
            while (chunkAt < chunkEnd) {
                assertTrue(++steps <= 2 * stream.length + 10, "parser makes no progress");
                final ParseResult r = parse(parser, form, stream, chunkAt, chunkEnd - chunkAt);
                final int consumed = parser.consumed();
                switch (r) {
                    case ParseResult.Packet p -> {
                        assertTrue(p.message().payloadLength() <= XsWire.XENSTORE_PAYLOAD_MAX);
                        assertTrue(consumed > 0 || p.message().payloadLength() == 0);
                        chunkAt += consumed;
                    }
                    case ParseResult.NeedMoreData n -> {
                        assertEquals(chunkEnd - chunkAt, consumed, "NeedMoreData consumes everything");
                        chunkAt += consumed;
                    }
                    case ParseResult.Failed f -> {
                        if (f.reason() == ParseResult.Reason.PAYLOAD_TOO_LONG) {
                            assertTrue(Integer.compareUnsigned(f.length(), XsWire.XENSTORE_PAYLOAD_MAX) > 0);
                        }
                        assertTrue(f.describe().startsWith("xenstore message"));
                        return;
                    }
                }
            }
            at = chunkEnd;
        }
    }

    private static ParseResult parse(final XsParser parser, final int form, final byte[] b, final int at, final int n) {
        return switch (form) {
            case 0 -> parser.parse(b, at, n);
            case 1 -> parser.parse(new UnsafeBuffer(b), at, n);
            default -> {
                final ByteBuffer bb = ByteBuffer.wrap(b, at, n);
                final ParseResult r = parser.parse(bb);
                assertEquals(parser.consumed(), bb.position() - at);
                yield r;
            }
        };
    }
}
