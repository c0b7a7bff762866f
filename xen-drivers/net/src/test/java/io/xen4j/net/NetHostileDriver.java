package io.xen4j.net;

import io.xen4j.abi.netif.Netif;
import io.xen4j.xenbus.testing.HostileSource;

/**
 * One hostile step against netback (tx slots from a hostile frontend) or netfront (rx and tx
 * responses from a hostile backend), with the invariants checked after it: nothing escapes as an
 * internal error, every consumed slot gets exactly one response while the device works, and only
 * well-sized frames come out.
 */
final class NetHostileDriver {
    private NetHostileDriver() {
    }

    /** Writes 1..24 hostile tx slots, lets netback work, checks. Returns false when the device stopped. */
    static boolean hostileTx(final RawNetFrontend f, final HostileSource src) {
        // Packets, mostly well formed, with one value or another made hostile now and then.
        int budget = src.nextInt(1, Math.min(24, f.tx.freeRequests()));
        while (budget > 0) {
            final int frags = Math.min(budget - 1, src.nextInt(0, 3));
            final boolean gso = budget - frags >= 2 && rare(src, 8);
            budget -= 1 + frags + (gso ? 1 : 0);
            final int offset = rare(src, 60) ? src.nextInt(0, 65535) : src.nextInt(0, 100);
            final int own = rare(src, 60) ? src.nextInt(0, 65535) : src.nextInt(0, 1500);
            final int[] sizes = new int[frags];
            int total = own;
            for (int i = 0; i < frags; i++) {
                sizes[i] = rare(src, 60) ? src.nextInt(0, 65535) : rare(src, 6) ? 0 : src.nextInt(1, 3900);
                total += sizes[i];
            }
            if (rare(src, 15)) {
                // A size that disagrees with the slots: mostly a little, rarely anything.
                total = rare(src, 10) ? src.nextInt(0, 65535) : Math.max(0, total + src.nextInt(-64, 0));
            }
            int flags = (frags > 0 ? Netif.NETTXF_MORE_DATA : 0) | (gso ? Netif.NETTXF_EXTRA_INFO : 0)
                | (src.nextInt(0, 1) == 0 ? Netif.NETTXF_CSUM_BLANK : 0);
            if (rare(src, 40)) {
                flags = src.nextInt(0, 0xFFFF);
            }
            f.slot(gref(f, src), offset, flags, src.nextInt(0, 0xFFFF), total & 0xFFFF);
            if (gso) {
                final boolean wild = rare(src, 25);
                f.extra(wild ? src.nextInt(0, 255) : Netif.XEN_NETIF_EXTRA_TYPE_GSO, wild ? src.nextInt(0, 1) : 0,
                    wild ? src.nextInt(0, 0xFFFF) : src.nextInt(1, 9000), wild ? src.nextInt(0, 255) : src.nextInt(1, 2));
            }
            for (int i = 0; i < frags; i++) {
                final boolean last = i == frags - 1;
                f.slot(gref(f, src), rare(src, 60) ? src.nextInt(0, 65535) : 0,
                    !last || rare(src, 60) ? Netif.NETTXF_MORE_DATA : 0, src.nextInt(0, 0xFFFF), sizes[i] & 0xFFFF);
            }
        }
        final int produced = f.tx.requestProducer();
        final int sentBefore = f.port.sent.size();
        final java.util.List<RawNetFrontend.TxRsp> rsp = f.push();
        final String why = f.back.brokenReason();
        if (why != null) {
            if (why.contains("internal")) {
                throw new AssertionError("netback failed inside instead of by a rule: " + why);
            }
            return false;
        }
        if (f.tx.responseConsumer() != produced) {
            throw new AssertionError("consumed slots without one response each: produced=" + produced + " answered="
                + f.tx.responseConsumer() + " responses=" + rsp);
        }
        for (final RawNetFrontend.TxRsp r : rsp) {
            if (r.status() != Netif.NETIF_RSP_OKAY && r.status() != Netif.NETIF_RSP_ERROR && r.status() != Netif.NETIF_RSP_NULL) {
                throw new AssertionError("unexpected status " + r);
            }
        }
        for (int i = sentBefore; i < f.port.sent.size(); i++) {
            final int len = f.port.sent.get(i).frame().length;
            if (len < 14 || len > 65535) {
                throw new AssertionError("a frame of " + len + " bytes reached the port");
            }
        }
        return true;
    }

    private static int gref(final RawNetFrontend f, final HostileSource src) {
        return rare(src, 40) ? (int) src.nextLong() : f.gref(src.nextInt(0, RawNetFrontend.DATA_PAGES - 1));
    }

    private static boolean rare(final HostileSource src, final int oneIn) {
        return src.nextInt(0, oneIn - 1) == 0;
    }

    /** One hostile rx or tx response at netfront. Returns false when the device broke. */
    static boolean hostileResponse(final RawNetBackend b, final HostileSource src) {
        final int kind = src.nextInt(0, 5);
        if (kind == 0) {
            final java.util.List<RawNetBackend.TxReq> sent = b.sendFromFront(src.nextInt(14, 9000));
            for (final RawNetBackend.TxReq r : sent) {
                b.txResponse(rare(src, 25) ? src.nextInt(0, 0xFFFF) : r.id(),
                    rare(src, 30) ? src.nextInt(-3, 3) : Netif.NETIF_RSP_OKAY);
            }
        } else if (b.rx.unconsumedRequests() > 0) {
            final int n = src.nextInt(1, Math.min(20, b.rx.unconsumedRequests()));
            for (int i = 0; i < n; i++) {
                final int[] req = b.takeRx();
                if (rare(src, 200)) {
                    b.rxRaw(src.bytes(8));
                    continue;
                }
                final int offset = rare(src, 200) ? src.nextInt(0, 65535) : src.nextInt(0, 100);
                final int status = rare(src, 100) ? src.nextInt(-32768, 32767) : src.nextInt(0, 4096 - Math.min(offset, 4096));
                if (src.nextInt(0, 1) == 0 && status > 0 && offset + status <= 4096) {
                    b.fill(req[1], offset, src.bytes(status));
                }
                final int flags = rare(src, 30) ? src.nextInt(0, 0xFFFF) : src.nextInt(0, 1) == 0 ? 0 : Netif.NETRXF_MORE_DATA;
                b.rxResponse(rare(src, 200) ? src.nextInt(0, 0xFFFF) : req[0], offset, flags, status);
            }
            b.pushRx();
        } else {
            b.work();
        }
        final String why = b.front.brokenReason();
        if (why != null) {
            if (why.contains("internal")) {
                throw new AssertionError("netfront failed inside instead of by a rule: " + why);
            }
            return false;
        }
        for (final byte[] frame : b.received) {
            if (frame.length < 14 || frame.length > 65535) {
                throw new AssertionError("a frame of " + frame.length + " bytes was delivered");
            }
        }
        b.received.clear();
        return true;
    }

    /** A netfront that asked for IPv4+TCP Toeplitz hashing over its control ring, behind a hand-driven backend. */
    static RawNetBackend hashingBackend() {
        final RawNetBackend b = new RawNetBackend(new NetFrontConfig(1, true, true, true, true, true, false, false, 64, true), true);
        b.front.configureHash(new HashConfig(NetCtrlRingTest.KEY, Netif.XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP, new int[0]));
        b.work();
        b.answerCtrl(Netif.XEN_NETIF_CTRL_STATUS_SUCCESS);
        return b;
    }

    /**
     * One received frame followed by 0..5 extra-info slots at a hashing netfront: hash and GSO
     * extras, mostly well formed, with unknown types, flag bits, hash types, algorithms and values
     * now and then. Checks that nothing fails inside and that only a hash of the asked-for type
     * comes out. Returns false when the device broke by a rule.
     */
    static boolean hostileExtras(final RawNetBackend b, final HostileSource src) {
        if (b.rx.unconsumedRequests() < 6) {
            b.work();
            if (b.rx.unconsumedRequests() < 6) {
                return b.front.brokenReason() == null;
            }
        }
        final int extras = src.nextInt(0, 5);
        final int[] first = b.takeRx();
        final byte[] data = src.bytes(src.nextInt(14, 200));
        if (data.length > 0) {
            b.fill(first[1], 0, data);
        }
        final int flags = rare(src, 20) ? src.nextInt(0, 0xFFFF) : extras > 0 ? Netif.NETRXF_EXTRA_INFO : 0;
        b.rxResponse(first[0], 0, flags, data.length);
        for (int e = 0; e < extras; e++) {
            b.takeRx();
            final int type = rare(src, 4) ? src.nextInt(0, 255)
                : src.nextInt(0, 1) == 0 ? Netif.XEN_NETIF_EXTRA_TYPE_HASH : Netif.XEN_NETIF_EXTRA_TYPE_GSO;
            final int eflags = (e < extras - 1 ? Netif.XEN_NETIF_EXTRA_FLAG_MORE : 0) | (rare(src, 8) ? src.nextInt(0, 255) : 0);
            final byte[] x = new byte[8];
            x[0] = (byte) type;
            x[1] = (byte) eflags;
            if (type == Netif.XEN_NETIF_EXTRA_TYPE_GSO) {
                final int size = rare(src, 6) ? 0 : src.nextInt(1, 0xFFFF);
                x[2] = (byte) size;
                x[3] = (byte) (size >>> 8);
                x[4] = (byte) (rare(src, 4) ? src.nextInt(0, 255) : src.nextInt(1, 2));
            } else {
                x[2] = (byte) (rare(src, 4) ? src.nextInt(0, 255) : src.nextInt(0, 3));
                x[3] = (byte) (rare(src, 4) ? src.nextInt(0, 255) : Netif.XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ);
                final int value = src.nextInt(0, 0xFFFF) << 16 | src.nextInt(0, 0xFFFF);
                for (int k = 0; k < 4; k++) {
                    x[4 + k] = (byte) (value >>> 8 * k);
                }
            }
            b.rxRaw(x);
        }
        b.pushRx();
        final String why = b.front.brokenReason();
        if (why != null) {
            // A chain longer than the types allow, or extras where data was announced (or the
            // reverse) break the device by a rule; a failure inside never.
            if (why.contains("internal")) {
                throw new AssertionError("netfront failed inside instead of by a rule: " + why);
            }
            return false;
        }
        for (int i = 0; i < b.received.size(); i++) {
            final byte[] frame = b.received.get(i);
            final Offload o = b.offloads.get(i);
            if (frame.length < 14 || frame.length > 65535) {
                throw new AssertionError("a frame of " + frame.length + " bytes was delivered");
            }
            if (o.hasHash() && o.hashType() != Netif.XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP) {
                throw new AssertionError("a hash of a type not asked for was delivered: " + o);
            }
        }
        b.received.clear();
        b.offloads.clear();
        return true;
    }
}
