package io.xen4j.net.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checksums, segmentation and parsing of the packet helpers, on hand-built frames. */
final class PacketsTest {
    /** A TCP/IPv4 frame with payload bytes 0, 1, 2, ... and the given TCP flags. */
    private static ByteBuf tcp4(final int payload, final int flags) {
        final ByteBuf b = Unpooled.buffer();
        b.writeMedium(0x00163E).writeMedium(2).writeMedium(0x00163E).writeMedium(1).writeShort(0x0800);
        b.writeByte(0x45).writeByte(0).writeShort(40 + payload).writeShort(100).writeShort(0x4000).writeByte(64).writeByte(6)
            .writeShort(0).writeInt(0x0A000001).writeInt(0x0A000002);
        b.writeShort(1234).writeShort(80).writeInt(0xFFFF_FF00).writeInt(0).writeByte(0x50).writeByte(flags).writeShort(1000)
            .writeShort(0).writeShort(0);
        for (int i = 0; i < payload; i++) {
            b.writeByte(i);
        }
        return b;
    }

    @Test
    void aCompletedChecksumVerifiesAndACorruptedOneDoesNot() {
        final ByteBuf f = tcp4(100, 0x18);
        assertFalse(Packets.verifyChecksum(f));
        assertTrue(Packets.completeChecksum(f));
        assertTrue(Packets.verifyChecksum(f));
        f.setByte(f.writerIndex() - 1, 0x55);
        assertFalse(Packets.verifyChecksum(f));
    }

    @Test
    void segmentationCutsAtTheMssFixesHeadersAndWrapsTheSequenceNumber() {
        final ByteBuf f = tcp4(3000, 0x19); // FIN | PSH | ACK
        final List<ByteBuf> out = new ArrayList<>();
        assertEquals(3, Packets.segment(f, 1000, ByteBufAllocator.DEFAULT, out::add));
        for (int i = 0; i < 3; i++) {
            final ByteBuf s = out.get(i);
            assertEquals(54 + 1000, s.readableBytes());
            assertTrue(Packets.verifyChecksum(s), "segment " + i);
            assertEquals(1040, s.getUnsignedShort(16), "IP total length");
            assertEquals(100 + i, s.getUnsignedShort(18), "IP id");
            // 0xFFFFFF00 + 1000 * i wraps past 2^32.
            assertEquals((0xFFFF_FF00L + 1000L * i) & 0xFFFF_FFFFL, s.getUnsignedInt(38));
            assertEquals(i == 2 ? 0x19 : 0x10, s.getUnsignedByte(47), "FIN and PSH only on the last");
            assertEquals((byte) (i * 1000), s.getByte(54));
            s.release();
        }
    }

    @Test
    void framesThatDoNotParseAreLeftAlone() {
        final ByteBuf arp = Unpooled.buffer().writeZero(12).writeShort(0x0806).writeZero(46);
        assertFalse(Packets.completeChecksum(arp));
        assertEquals(0, Packets.segment(arp, 100, ByteBufAllocator.DEFAULT, s -> { }));
        // An IP length beyond the frame.
        final ByteBuf f = tcp4(10, 0x10);
        f.setShort(16, 2000);
        assertFalse(Packets.parse(f, new Packets.Layout()));
        // A fragment.
        final ByteBuf g = tcp4(10, 0x10);
        g.setShort(20, 0x2001);
        assertFalse(Packets.parse(g, new Packets.Layout()));
        assertEquals(Packets.flowHash(tcp4(10, 0x10)), Packets.flowHash(tcp4(500, 0x18)));
    }
}
