package io.xen4j.examples;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.hal.memory.xenstore.InProcessTransport;
import io.xen4j.hal.memory.xenstore.XenstoreService;
import io.xen4j.net.FrameHandler;
import io.xen4j.net.Macs;
import io.xen4j.net.NetBack;
import io.xen4j.net.NetBackConfig;
import io.xen4j.net.NetFront;
import io.xen4j.net.NetFrontConfig;
import io.xen4j.net.NetInfo;
import io.xen4j.net.Offload;
import io.xen4j.net.spi.MemorySwitch;
import io.xen4j.store.XenStoreClient;
import io.xen4j.xenbus.DevicePaths;
import io.xen4j.xenbus.XenbusToolstack;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The demo's network part: two simulated guests, each with a netfront served by a netback in dom0,
 * the netbacks' ports on an in-memory switch. Guest a resolves guest b's address with ARP and
 * pings it three times (ICMP echo frames built here); guest b answers ARP and echo requests. All
 * four agents are polled on this thread, so the run is the same every time.
 */
final class NetDemo {
    private static final long MAC_A = 0x00163E00000AL;
    private static final long MAC_B = 0x00163E00000BL;
    private static final int IP_A = 0x0A00_0001;
    private static final int IP_B = 0x0A00_0002;
    private static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

    private NetDemo() {
    }

    static void run(final PrintStream out) {
        out.println();
        out.println("Network: two guests, each a netfront served by a netback in dom0, the netbacks on an in-memory switch");
        try (SimulatedXen xen = SimulatedXen.create()) {
            final SimulatedDomain a = xen.createDomain("guest-a");
            final SimulatedDomain b = xen.createDomain("guest-b");
            final XenstoreService xenstore = new XenstoreService();
            xenstore.run(core -> {
                core.createDomainHome(0, "Domain-0");
                for (final SimulatedDomain g : List.of(a, b)) {
                    core.introduceDomain(g.domid());
                    core.createDomainHome(g.domid(), g.name());
                }
            });
            final MemorySwitch sw = new MemorySwitch();
            final List<ByteBuf> atA = new ArrayList<>();
            final NetFront[] fronts = new NetFront[2];
            try (XenStoreClient dom0 = XenStoreClient.connect(InProcessTransport.connect(xenstore, 0));
                 XenStoreClient storeA = XenStoreClient.connect(InProcessTransport.connect(xenstore, a.domid()));
                 XenStoreClient storeB = XenStoreClient.connect(InProcessTransport.connect(xenstore, b.domid()))) {
                final FrameHandler collect = (f, o) -> atA.add(Unpooled.copiedBuffer(f));
                final FrameHandler responder = (f, o) -> {
                    final ByteBuf reply = answer(f);
                    if (reply != null) {
                        fronts[1].send(reply, Offload.NONE);
                    }
                };
                final NetBack backA = back(xen, dom0, a, MAC_A, sw);
                final NetBack backB = back(xen, dom0, b, MAC_B, sw);
                fronts[0] = new NetFront(a.host(), storeA, new DevicePaths("vif", a.domid(), 0, 0), NetFrontConfig.defaults(), collect);
                fronts[1] = new NetFront(b.host(), storeB, new DevicePaths("vif", b.domid(), 0, 0), NetFrontConfig.defaults(), responder);
                fronts[0].start();
                fronts[1].start();
                final Runnable poll = () -> {
                    backA.doWork();
                    backB.doWork();
                    fronts[0].doWork();
                    fronts[1].doWork();
                };
                until(poll, () -> fronts[0].isConnected() && fronts[1].isConnected());
                for (int i = 0; i < 2; i++) {
                    final NetInfo info = fronts[i].info();
                    out.printf("  %s dom%d vif0 %s %s: connected, %d queue(s), mtu %d, sg=%s gso-tcpv4=%s csum-offload=%s%n",
                        i == 0 ? "guest-a" : "guest-b", i == 0 ? a.domid() : b.domid(), info.macText(), ip(i == 0 ? IP_A : IP_B),
                        info.queues(), info.mtu(), info.sg(), info.gsoTcpv4(), info.csumOffload());
                }
                fronts[0].send(arpRequest(MAC_A, IP_A, IP_B), Offload.NONE);
                until(poll, () -> !atA.isEmpty());
                final ByteBuf arp = atA.remove(0);
                final long macB = mac(arp, 22);
                out.printf("  guest-a: ARP who-has %s tell %s -> %s is-at %s%n", ip(IP_B), ip(IP_A), ip(arp.getInt(28)), Macs.format(macB));
                int replies = 0;
                for (int seq = 1; seq <= 3; seq++) {
                    fronts[0].send(echo(MAC_A, macB, IP_A, IP_B, 8, seq), Offload.NONE);
                    until(poll, () -> !atA.isEmpty());
                    final ByteBuf r = atA.remove(0);
                    final boolean ok = r.getUnsignedByte(34) == 0 && r.getUnsignedShort(40) == seq && sum(r, 14, 20) == 0xFFFF
                        && sum(r, 34, r.readableBytes() - 34) == 0xFFFF && payloadOk(r);
                    if (ok) {
                        replies++;
                    }
                    out.printf("  guest-a: %d bytes from %s: icmp_seq=%d ttl=%d (%s)%n", r.readableBytes() - 34, ip(r.getInt(26)), seq,
                        r.getUnsignedByte(22), ok ? "checksums and payload verified" : "BAD REPLY");
                }
                out.printf("  3 echo requests, %d replies; the switch forwarded %d frames and flooded %d%n", replies, sw.forwarded(),
                    sw.flooded());
                fronts[0].close();
                fronts[1].close();
                backA.close();
                backB.close();
            }
        }
    }

    private static NetBack back(final SimulatedXen xen, final XenStoreClient dom0, final SimulatedDomain g, final long mac,
                                final MemorySwitch sw) {
        final DevicePaths device = new DevicePaths("vif", g.domid(), 0, 0);
        new XenbusToolstack(dom0).createDevice(device, Map.of("mac", Macs.format(mac), "handle", "0"),
            Map.of("mac", Macs.format(mac), "handle", "0"));
        final NetBack back = new NetBack(xen.dom0().host(), dom0, device, sw.port("vif" + g.domid() + ".0"), NetBackConfig.full());
        back.start();
        return back;
    }

    private static void until(final Runnable poll, final BooleanSupplier done) {
        for (int i = 0; i < 100_000 && !done.getAsBoolean(); i++) {
            poll.run();
        }
        if (!done.getAsBoolean()) {
            throw new IllegalStateException("net demo: no progress after 100000 polls");
        }
    }

    private static String ip(final int ip) {
        return (ip >>> 24) + "." + (ip >>> 16 & 255) + "." + (ip >>> 8 & 255) + "." + (ip & 255);
    }

    private static long mac(final ByteBuf f, final int at) {
        return f.getUnsignedMedium(at) * 0x100_0000L + f.getUnsignedMedium(at + 3);
    }

    private static void ethernet(final ByteBuf b, final long dst, final long src, final int type) {
        b.writeMedium((int) (dst >>> 24)).writeMedium((int) dst).writeMedium((int) (src >>> 24)).writeMedium((int) src).writeShort(type);
    }

    private static ByteBuf arpRequest(final long mac, final int ip, final int target) {
        final ByteBuf b = Unpooled.buffer(60);
        ethernet(b, BROADCAST, mac, 0x0806);
        b.writeShort(1).writeShort(0x0800).writeByte(6).writeByte(4).writeShort(1);
        b.writeMedium((int) (mac >>> 24)).writeMedium((int) mac).writeInt(ip).writeMedium(0).writeMedium(0).writeInt(target);
        return b.writeZero(60 - b.readableBytes());
    }

    /** Guest b's stack: ARP replies for its address, ICMP echo replies. Null for anything else. */
    private static @Nullable ByteBuf answer(final ByteBuf f) {
        if (f.readableBytes() >= 42 && f.getUnsignedShort(12) == 0x0806 && f.getUnsignedShort(20) == 1 && f.getInt(38) == IP_B) {
            final long asker = mac(f, 22);
            final ByteBuf b = Unpooled.buffer(60);
            ethernet(b, asker, MAC_B, 0x0806);
            b.writeShort(1).writeShort(0x0800).writeByte(6).writeByte(4).writeShort(2);
            b.writeMedium((int) (MAC_B >>> 24)).writeMedium((int) MAC_B).writeInt(IP_B);
            b.writeMedium((int) (asker >>> 24)).writeMedium((int) asker).writeInt(f.getInt(28));
            return b.writeZero(60 - b.readableBytes());
        }
        if (f.readableBytes() >= 42 && f.getUnsignedShort(12) == 0x0800 && f.getUnsignedByte(23) == 1 && f.getInt(30) == IP_B
            && f.getUnsignedByte(34) == 8) {
            return echo(MAC_B, mac(f, 6), IP_B, f.getInt(26), 0, f.getUnsignedShort(40));
        }
        return null;
    }

    /** An ICMP echo request (type 8) or reply (0) with 56 bytes of payload, checksums filled in. */
    private static ByteBuf echo(final long src, final long dst, final int from, final int to, final int type, final int seq) {
        final ByteBuf b = Unpooled.buffer(98);
        ethernet(b, dst, src, 0x0800);
        b.writeByte(0x45).writeByte(0).writeShort(84).writeShort(seq).writeShort(0x4000).writeByte(64).writeByte(1).writeShort(0);
        b.writeInt(from).writeInt(to);
        b.writeByte(type).writeByte(0).writeShort(0).writeShort(0x7E57).writeShort(seq);
        for (int i = 0; i < 56; i++) {
            b.writeByte(i);
        }
        b.setShort(24, ~sum(b, 14, 20) & 0xFFFF);
        b.setShort(36, ~sum(b, 34, 64) & 0xFFFF);
        return b;
    }

    private static boolean payloadOk(final ByteBuf r) {
        for (int i = 0; i < 56; i++) {
            if (r.getUnsignedByte(42 + i) != i) {
                return false;
            }
        }
        return true;
    }

    /** The folded ones' complement sum of a range (0xFFFF over a range with a right checksum in it). */
    private static int sum(final ByteBuf b, final int from, final int len) {
        long s = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            s += b.getUnsignedShort(from + i);
        }
        if ((len & 1) != 0) {
            s += b.getUnsignedByte(from + len - 1) << 8;
        }
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }
}
