package io.xen4j.net.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.function.Consumer;

/**
 * Ethernet, IPv4/IPv6 and TCP/UDP header work on frames: where the headers are, filling in and
 * checking L4 checksums, cutting a TCP super-segment into segments (what a NIC's TSO does), and a
 * flow hash to spread frames over queues. Every read is bounded by the frame and the IP length
 * fields: a frame that does not parse gives false, never an exception.
 */
public final class Packets {
    /** Ethernet header bytes. */
    public static final int ETH_HLEN = 14;
    /** EtherType of IPv4. */
    public static final int ETH_P_IP = 0x0800;
    /** EtherType of IPv6. */
    public static final int ETH_P_IPV6 = 0x86DD;
    /** EtherType of an 802.1Q tag. */
    public static final int ETH_P_8021Q = 0x8100;
    /** EtherType of ARP. */
    public static final int ETH_P_ARP = 0x0806;
    /** IP protocol number of ICMP. */
    public static final int IPPROTO_ICMP = 1;
    /** IP protocol number of TCP. */
    public static final int IPPROTO_TCP = 6;
    /** IP protocol number of UDP. */
    public static final int IPPROTO_UDP = 17;
    private static final int TCP_FIN = 0x01;
    private static final int TCP_PSH = 0x08;
    private static final int TCP_CWR = 0x80;

    private Packets() {
    }

    /** Where a frame's headers are; filled in by {@link #parse}. All offsets are absolute buffer indices. */
    public static final class Layout {
        /** Start of the IP header. */
        public int l3;
        /** IPv6 rather than IPv4. */
        public boolean ipv6;
        /** Start of the L4 header. */
        public int l4;
        /** IP protocol of the L4 header. */
        public int proto;
        /** One past the last byte of the IP packet (Ethernet padding excluded). */
        public int end;
        /** L4 header length, for TCP (data offset times 4); 8 for UDP. */
        public int l4HeaderLength;

        /** Creates an empty layout. */
        public Layout() {
        }
    }

    /**
     * Finds the IP and L4 headers of a frame (one 802.1Q tag allowed; IPv6 without extension
     * headers; IPv4 not fragmented).
     *
     * @param f   the frame (its readable bytes)
     * @param out where the offsets go
     * @return true for TCP or UDP over IPv4 or IPv6 whose headers lie inside the frame
     */
    public static boolean parse(final ByteBuf f, final Layout out) {
        final int base = f.readerIndex();
        final int limit = f.writerIndex();
        if (limit - base < ETH_HLEN + 20) {
            return false;
        }
        int l3 = base + ETH_HLEN;
        int type = f.getUnsignedShort(base + 12);
        if (type == ETH_P_8021Q) {
            type = f.getUnsignedShort(base + 16);
            l3 += 4;
        }
        if (type == ETH_P_IP) {
            if (limit - l3 < 20 || (f.getUnsignedByte(l3) >> 4) != 4) {
                return false;
            }
            final int ihl = (f.getUnsignedByte(l3) & 15) * 4;
            final int total = f.getUnsignedShort(l3 + 2);
            // Fragments carry no complete L4 segment.
            if (ihl < 20 || total < ihl || l3 + total > limit || (f.getUnsignedShort(l3 + 6) & 0x3FFF) != 0) {
                return false;
            }
            out.ipv6 = false;
            out.proto = f.getUnsignedByte(l3 + 9);
            out.l4 = l3 + ihl;
            out.end = l3 + total;
        } else if (type == ETH_P_IPV6) {
            if (limit - l3 < 40 || (f.getUnsignedByte(l3) >> 4) != 6) {
                return false;
            }
            final int payload = f.getUnsignedShort(l3 + 4);
            if (l3 + 40 + payload > limit) {
                return false;
            }
            out.ipv6 = true;
            out.proto = f.getUnsignedByte(l3 + 6);
            out.l4 = l3 + 40;
            out.end = l3 + 40 + payload;
        } else {
            return false;
        }
        out.l3 = l3;
        if (out.proto == IPPROTO_TCP) {
            if (out.end - out.l4 < 20) {
                return false;
            }
            out.l4HeaderLength = (f.getUnsignedByte(out.l4 + 12) >> 4) * 4;
            return out.l4HeaderLength >= 20 && out.l4 + out.l4HeaderLength <= out.end;
        }
        if (out.proto == IPPROTO_UDP) {
            out.l4HeaderLength = 8;
            return out.end - out.l4 >= 8;
        }
        return false;
    }

    private static int checksumOffset(final Layout l) {
        return l.l4 + (l.proto == IPPROTO_TCP ? 16 : 6);
    }

    /** Ones' complement sum of {@code len} bytes from {@code from}, added to {@code sum} (not folded). */
    static long sum(final ByteBuf f, final int from, final int len, final long initial) {
        long s = initial;
        int i = from;
        final int end = from + len;
        for (; i + 1 < end; i += 2) {
            s += f.getUnsignedShort(i);
        }
        if (i < end) {
            s += f.getUnsignedByte(i) << 8;
        }
        return s;
    }

    private static int fold(final long sum) {
        long s = sum;
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }

    private static long pseudo(final ByteBuf f, final Layout l) {
        final int len = l.end - l.l4;
        if (l.ipv6) {
            return sum(f, l.l3 + 8, 32, 0) + len + l.proto;
        }
        return sum(f, l.l3 + 12, 8, 0) + len + l.proto;
    }

    /**
     * Fills in the TCP or UDP checksum (and the IPv4 header checksum) from scratch, whatever the
     * field held: what the receiver of a {@code csum_blank} frame does.
     *
     * @param f the frame
     * @return false when the frame is not TCP or UDP over IP (nothing is written)
     */
    public static boolean completeChecksum(final ByteBuf f) {
        final Layout l = new Layout();
        if (!parse(f, l)) {
            return false;
        }
        completeChecksum(f, l);
        return true;
    }

    private static void completeChecksum(final ByteBuf f, final Layout l) {
        final int at = checksumOffset(l);
        f.setShort(at, 0);
        int c = ~fold(sum(f, l.l4, l.end - l.l4, pseudo(f, l))) & 0xFFFF;
        if (c == 0 && l.proto == IPPROTO_UDP) {
            c = 0xFFFF;
        }
        f.setShort(at, c);
        if (!l.ipv6) {
            fixIpv4HeaderChecksum(f, l);
        }
    }

    private static void fixIpv4HeaderChecksum(final ByteBuf f, final Layout l) {
        final int ihl = l.l4 - l.l3;
        f.setShort(l.l3 + 10, 0);
        f.setShort(l.l3 + 10, ~fold(sum(f, l.l3, ihl, 0)) & 0xFFFF);
    }

    /**
     * Puts the pseudo-header sum in the L4 checksum field (folded, not inverted): what Linux's
     * {@code CHECKSUM_PARTIAL} and a virtio {@code NEEDS_CSUM} frame carry there, so that the
     * receiver completes it by adding the sum over the L4 bytes.
     *
     * @param f   the frame
     * @param out where the headers are, filled in
     * @return false when the frame is not TCP or UDP over IP (nothing is written)
     */
    public static boolean partialChecksum(final ByteBuf f, final Layout out) {
        if (!parse(f, out)) {
            return false;
        }
        f.setShort(checksumOffset(out), fold(pseudo(f, out)));
        return true;
    }

    /**
     * Offset of the L4 checksum field from the start of the L4 header.
     *
     * @param l a parsed layout
     * @return 16 for TCP, 6 for UDP
     */
    public static int checksumFieldOffset(final Layout l) {
        return l.proto == IPPROTO_TCP ? 16 : 6;
    }

    /**
     * Checks the L4 checksum (and the IPv4 header checksum) of a TCP or UDP frame.
     *
     * @param f the frame
     * @return true when they are right; false when wrong or the frame is not TCP/UDP over IP
     */
    public static boolean verifyChecksum(final ByteBuf f) {
        final Layout l = new Layout();
        if (!parse(f, l)) {
            return false;
        }
        if (!l.ipv6 && fold(sum(f, l.l3, l.l4 - l.l3, 0)) != 0xFFFF) {
            return false;
        }
        if (l.proto == IPPROTO_UDP && !l.ipv6 && f.getUnsignedShort(l.l4 + 6) == 0) {
            return true;
        }
        return fold(sum(f, l.l4, l.end - l.l4, pseudo(f, l))) == 0xFFFF;
    }

    /**
     * Cuts a TCP super-segment into segments of at most {@code mss} payload bytes, each with its
     * headers copied and fixed (IP length and id, TCP sequence number and flags) and its checksums
     * filled in: what a NIC's TSO or Linux's software GSO does.
     *
     * @param f     the frame
     * @param mss   payload bytes per segment, at least 1
     * @param alloc where the segments' buffers come from
     * @param out   receives each segment; it owns the buffer and must release it
     * @return the number of segments, or 0 when the frame is not TCP over IP (nothing emitted)
     */
    public static int segment(final ByteBuf f, final int mss, final ByteBufAllocator alloc, final Consumer<ByteBuf> out) {
        final Layout l = new Layout();
        if (mss < 1 || !parse(f, l) || l.proto != IPPROTO_TCP) {
            return 0;
        }
        final int base = f.readerIndex();
        final int headers = l.l4 + l.l4HeaderLength - base;
        final int payload = l.end - (l.l4 + l.l4HeaderLength);
        final long seq = f.getUnsignedInt(l.l4 + 4);
        final int flags = f.getUnsignedByte(l.l4 + 13);
        final int id = l.ipv6 ? 0 : f.getUnsignedShort(l.l3 + 4);
        final int count = Math.max(1, (payload + mss - 1) / mss);
        for (int i = 0; i < count; i++) {
            final int off = i * mss;
            final int len = Math.min(mss, payload - off);
            final ByteBuf s = alloc.buffer(headers + len);
            s.writeBytes(f, base, headers);
            s.writeBytes(f, l.l4 + l.l4HeaderLength + off, len);
            final Layout sl = new Layout();
            sl.l3 = l.l3 - base;
            sl.ipv6 = l.ipv6;
            sl.l4 = l.l4 - base;
            sl.proto = IPPROTO_TCP;
            sl.l4HeaderLength = l.l4HeaderLength;
            sl.end = headers + len;
            if (l.ipv6) {
                s.setShort(sl.l3 + 4, sl.end - sl.l4);
            } else {
                s.setShort(sl.l3 + 2, sl.end - sl.l3);
                s.setShort(sl.l3 + 4, (id + i) & 0xFFFF);
            }
            s.setInt(sl.l4 + 4, (int) (seq + off));
            int fl = flags;
            if (i < count - 1) {
                fl &= ~(TCP_FIN | TCP_PSH);
            }
            if (i > 0) {
                fl &= ~TCP_CWR;
            }
            s.setByte(sl.l4 + 13, fl);
            completeChecksum(s, sl);
            out.accept(s);
        }
        return count;
    }

    /**
     * A hash of the frame's flow: addresses and ports for TCP/UDP over IP, else the MAC
     * addresses. Frames of one flow always hash alike, so they stay in order on one queue.
     *
     * @param f the frame
     * @return a non-negative hash
     */
    public static int flowHash(final ByteBuf f) {
        return flowHash(f, new Layout());
    }

    /**
     * {@link #flowHash(ByteBuf)} with a caller's layout to parse into (nothing allocated).
     *
     * @param f the frame
     * @param l scratch layout, overwritten
     * @return a non-negative hash
     */
    public static int flowHash(final ByteBuf f, final Layout l) {
        final int base = f.readerIndex();
        int h;
        if (parse(f, l)) {
            h = l.ipv6 ? f.getInt(l.l3 + 8) * 31 + f.getInt(l.l3 + 36) : f.getInt(l.l3 + 12) * 31 + f.getInt(l.l3 + 16);
            h = h * 31 + f.getInt(l.l4) * 17 + l.proto;
        } else if (f.readableBytes() >= 12) {
            h = f.getInt(base) * 31 + f.getShort(base + 4) * 7 + f.getInt(base + 6) * 13 + f.getShort(base + 10);
        } else {
            h = 0;
        }
        h ^= h >>> 16;
        h *= 0x45d9f3b;
        h ^= h >>> 16;
        return h & 0x7FFF_FFFF;
    }

    /**
     * Whether the frame's TCP/IP version matches a GSO type and it can be segmented.
     *
     * @param f     the frame
     * @param ipv6  the GSO type is TCPv6
     * @return true for a TCP frame of that IP version
     */
    public static boolean isTcp(final ByteBuf f, final boolean ipv6) {
        final Layout l = new Layout();
        return parse(f, l) && l.proto == IPPROTO_TCP && l.ipv6 == ipv6;
    }

    /**
     * Whether the frame is IPv6 (after an optional 802.1Q tag).
     *
     * @param f the frame
     * @return true for IPv6
     */
    public static boolean isIpv6(final ByteBuf f) {
        final int base = f.readerIndex();
        if (f.readableBytes() < 18) {
            return false;
        }
        int type = f.getUnsignedShort(base + 12);
        if (type == ETH_P_8021Q) {
            type = f.getUnsignedShort(base + 16);
        }
        return type == ETH_P_IPV6;
    }

    /**
     * The destination MAC address.
     *
     * @param f the frame, at least 6 bytes
     * @return 48 bits
     */
    public static long destination(final ByteBuf f) {
        return f.getUnsignedMedium(f.readerIndex()) * 0x100_0000L + f.getUnsignedMedium(f.readerIndex() + 3);
    }

    /**
     * The source MAC address.
     *
     * @param f the frame, at least 12 bytes
     * @return 48 bits
     */
    public static long source(final ByteBuf f) {
        return f.getUnsignedMedium(f.readerIndex() + 6) * 0x100_0000L + f.getUnsignedMedium(f.readerIndex() + 9);
    }

    /**
     * Whether a MAC address is multicast (broadcast included): the group bit.
     *
     * @param mac 48 bits
     * @return true for group addresses
     */
    public static boolean isMulticast(final long mac) {
        return (mac & 0x0100_0000_0000L) != 0;
    }
}
