package io.xen4j.store.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.xenstore.XsWire;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden wire bytes of every message type ({@code xs-wire-golden.txt}, written from the protocol
 * description independently of this codec): each is parsed whole and one byte at a time, and each
 * request is what {@link XsRequests} builds, byte for byte.
 */
final class XsGoldenWireBytesTest {
    /** One golden line. */
    record Golden(String name, String typeName, byte[] bytes) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Golden> golden() throws IOException {
        try (InputStream in = XsGoldenWireBytesTest.class.getResourceAsStream("xs-wire-golden.txt")) {
            assertNotNull(in, "xs-wire-golden.txt missing");
            final List<Golden> out = new ArrayList<>();
            for (final String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                final String[] f = line.trim().split(" ");
                out.add(new Golden(f[0], f[1], HexFormat.of().parseHex(f[2])));
            }
            return out;
        }
    }

    static Stream<Golden> goldenStream() throws IOException {
        return golden().stream();
    }

    /** What XsRequests must build for each golden request. */
    private static final Map<String, Supplier<XsMessage>> REQUESTS = new LinkedHashMap<>();

    static {
        REQUESTS.put("request.read", () -> XsRequests.read(1, 0, "/local/domain/0/name"));
        REQUESTS.put("request.read.tx", () -> XsRequests.read(2, 7, "/a"));
        REQUESTS.put("request.write", () -> XsRequests.write(3, 0, "/a/b", "value".getBytes(StandardCharsets.US_ASCII)));
        REQUESTS.put("request.write.binary", () -> XsRequests.write(4, 9, "/v", new byte[] {0, 1, (byte) 0xFF}));
        REQUESTS.put("request.write.empty", () -> XsRequests.write(5, 0, "/e", new byte[0]));
        REQUESTS.put("request.mkdir", () -> XsRequests.mkdir(6, 0, "/m"));
        REQUESTS.put("request.rm", () -> XsRequests.rm(7, 0, "/m"));
        REQUESTS.put("request.directory", () -> XsRequests.directory(8, 0, "/local/domain"));
        REQUESTS.put("request.directory_part", () -> XsRequests.directoryPart(9, 0, "/local/domain", 4096));
        REQUESTS.put("request.get_perms", () -> XsRequests.getPerms(10, 0, "/a"));
        REQUESTS.put("request.set_perms", () -> XsRequests.setPerms(11, 0, "/a", List.of("n0", "r1", "w2", "b3")));
        REQUESTS.put("request.watch", () -> XsRequests.watch(12, "/a", "tok"));
        REQUESTS.put("request.watch.introduce", () -> XsRequests.watch(13, "@introduceDomain", "intro"));
        REQUESTS.put("request.unwatch", () -> XsRequests.unwatch(14, "/a", "tok"));
        REQUESTS.put("request.transaction_start", () -> XsRequests.transactionStart(15));
        REQUESTS.put("request.transaction_end.commit", () -> XsRequests.transactionEnd(16, 42, true));
        REQUESTS.put("request.transaction_end.abort", () -> XsRequests.transactionEnd(17, 42, false));
        REQUESTS.put("request.get_domain_path", () -> XsRequests.getDomainPath(18, 7));
        REQUESTS.put("request.introduce", () -> XsRequests.introduce(19, 7, 1234567L, 3));
        REQUESTS.put("request.release", () -> XsRequests.release(20, 7));
        REQUESTS.put("request.is_domain_introduced", () -> XsRequests.isDomainIntroduced(21, 7));
        REQUESTS.put("request.resume", () -> XsRequests.resume(22, 7));
        REQUESTS.put("request.set_target", () -> XsRequests.setTarget(23, 8, 7));
        REQUESTS.put("request.reset_watches", () -> XsRequests.resetWatches(24));
        REQUESTS.put("request.control", () -> XsRequests.control(25, "log", "on"));
        REQUESTS.put("request.high_ids", () -> XsRequests.read(0xFFFFFFFF, 0xFFFFFFFE, "/x"));
    }

    @ParameterizedTest
    @MethodSource("goldenStream")
    void parsedWholeAndOneByteAtATimeGiveTheSameMessage(final Golden g) {
        final XsParser whole = new XsParser();
        final ParseResult.Packet packet = assertInstanceOf(ParseResult.Packet.class,
            whole.parse(g.bytes(), 0, g.bytes().length), g.name());
        assertEquals(g.bytes().length, whole.consumed());
        final XsMessage m = packet.message();
        assertEquals(g.typeName(), XsMessageTypes.name(m.type()));
        assertEquals(g.bytes().length - 16, m.payloadLength());

        final XsParser single = new XsParser();
        for (int i = 0; i < g.bytes().length; i++) {
            final ParseResult r = single.parse(g.bytes(), i, 1);
            assertEquals(1, single.consumed());
            if (i < g.bytes().length - 1) {
                assertEquals(ParseResult.NeedMoreData.INSTANCE, r, g.name() + " byte " + i);
            } else {
                assertEquals(new ParseResult.Packet(m), r, g.name());
            }
        }
        assertArrayEquals(g.bytes(), XsEncoder.toBytes(m), "re-encoding " + g.name());
    }

    @ParameterizedTest
    @MethodSource("goldenStream")
    void requestBuildersWriteTheGoldenBytes(final Golden g) {
        if (!g.name().startsWith("request.")) {
            return;
        }
        final Supplier<XsMessage> builder = REQUESTS.get(g.name());
        assertNotNull(builder, "no builder for " + g.name());
        assertEquals(HexFormat.of().formatHex(g.bytes()), HexFormat.of().formatHex(XsEncoder.toBytes(builder.get())));
    }

    @Test
    void everyMessageTypeOfTheHeaderHasAGoldenRequestAndReply() throws IOException {
        final Set<String> requests = new TreeSet<>();
        final Set<String> replies = new TreeSet<>();
        for (final Golden g : golden()) {
            (g.name().startsWith("request.") ? requests : replies).add(g.typeName());
        }
        for (int type = 0; type < XsWire.XS_TYPE_COUNT; type++) {
            if (!XsMessageTypes.isKnown(type)) {
                continue;
            }
            final String name = XsMessageTypes.name(type);
            if (type == XsWire.XS_WATCH_EVENT || type == XsWire.XS_ERROR) {
                assertTrue(replies.contains(name), name + " has no golden message");
            } else {
                assertTrue(requests.contains(name), name + " has no golden request");
                assertTrue(replies.contains(name), name + " has no golden reply");
            }
        }
        assertEquals(REQUESTS.size(), golden().stream().filter(g -> g.name().startsWith("request.")).count());
    }

    @Test
    void allGoldenMessagesAsOneStreamInRandomChunks() throws IOException {
        final List<Golden> all = golden();
        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (final Golden g : all) {
            stream.writeBytes(g.bytes());
        }
        final byte[] bytes = stream.toByteArray();
        final Random random = new Random(5);
        for (int round = 0; round < 50; round++) {
            final XsParser parser = new XsParser();
            final List<String> seen = new ArrayList<>();
            int at = 0;
            while (at < bytes.length) {
                final int end = Math.min(bytes.length, at + 1 + random.nextInt(200));
                while (at < end) {
                    final ParseResult r = parser.parse(bytes, at, end - at);
                    at += parser.consumed();
                    if (r instanceof ParseResult.Packet p) {
                        seen.add(XsMessageTypes.name(p.message().type()));
                    }
                }
            }
            assertEquals(all.stream().map(Golden::typeName).toList(), seen);
        }
    }
}
