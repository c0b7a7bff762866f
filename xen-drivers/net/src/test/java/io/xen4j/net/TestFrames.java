package io.xen4j.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.xen4j.net.internal.Packets;

/** Builds Ethernet frames for the tests: TCP and UDP over IPv4 and IPv6, checksums filled in or left blank. */
final class TestFrames {
    static final long MAC_A = 0x00163E00000AL;
    static final long MAC_B = 0x00163E00000BL;
    static final int ISN = 1000;

    private TestFrames() {
    }

    static void putMac(final ByteBuf b, final long mac) {
        b.writeMedium((int) (mac >>> 24)).writeMedium((int) mac);
    }

    /** A TCP segment; with {@code blank} the checksum field holds garbage, as a csum_blank frame may. */
    static ByteBuf tcp(final boolean ipv6, final long src, final long dst, final int sport, final int dport, final long seq,
                       final byte[] payload, final boolean blank) {
        return l4(ipv6, Packets.IPPROTO_TCP, src, dst, sport, dport, seq, payload, blank);
    }

    static ByteBuf udp(final boolean ipv6, final long src, final long dst, final int sport, final int dport,
                       final byte[] payload, final boolean blank) {
        return l4(ipv6, Packets.IPPROTO_UDP, src, dst, sport, dport, 0, payload, blank);
    }

    private static ByteBuf l4(final boolean ipv6, final int proto, final long src, final long dst, final int sport, final int dport,
                              final long seq, final byte[] payload, final boolean blank) {
        final int l4len = (proto == Packets.IPPROTO_TCP ? 20 : 8) + payload.length;
        final ByteBuf b = Unpooled.buffer();
        putMac(b, dst);
        putMac(b, src);
        if (ipv6) {
            b.writeShort(Packets.ETH_P_IPV6);
            b.writeInt(0x6000_0000).writeShort(l4len).writeByte(proto).writeByte(64);
            b.writeLong(0xFD00_0000_0000_0000L).writeLong(0x0000_0000_0000_0001L);
            b.writeLong(0xFD00_0000_0000_0000L).writeLong(0x0000_0000_0000_0002L);
        } else {
            b.writeShort(Packets.ETH_P_IP);
            b.writeByte(0x45).writeByte(0).writeShort(20 + l4len).writeShort(0x1234).writeShort(0x4000);
            b.writeByte(64).writeByte(proto).writeShort(0).writeInt(0x0AE7_0701).writeInt(0x0AE7_0702);
        }
        b.writeShort(sport).writeShort(dport);
        if (proto == Packets.IPPROTO_TCP) {
            b.writeInt((int) seq).writeInt(0).writeByte(5 << 4).writeByte(0x18).writeShort(65535).writeShort(0).writeShort(0);
        } else {
            b.writeShort(l4len).writeShort(0);
        }
        b.writeBytes(payload);
        while (b.readableBytes() < 60) {
            b.writeByte(0);
        }
        if (!Packets.completeChecksum(b)) {
            throw new IllegalStateException("test frame does not parse");
        }
        if (blank) {
            final Packets.Layout l = new Packets.Layout();
            Packets.parse(b, l);
            b.setShort(l.l4 + (proto == Packets.IPPROTO_TCP ? 16 : 6), 0xBEEF);
        }
        return b;
    }
}
