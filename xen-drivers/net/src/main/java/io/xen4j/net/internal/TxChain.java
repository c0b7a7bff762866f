package io.xen4j.net.internal;

import io.xen4j.abi.netif.Netif;
import io.xen4j.abi.netif.NetifExtraInfo;
import io.xen4j.abi.netif.NetifTxRequest;
import io.xen4j.rings.BackRing;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads one transmit packet off a netif tx ring: the first slot, its extra-info slots and its
 * fragment slots, each copied once into private memory, and checks them against the
 * {@link NetifRule}s. Every slot it consumes is recorded so that the caller answers each with
 * exactly one response. Reused for each packet; allocates nothing.
 */
public final class TxChain {
    /** {@code XEN_NETBK_LEGACY_SLOTS_MAX}: more slots in one packet are dropped. */
    public static final int MAX_SLOTS = Netif.XEN_NETIF_NR_SLOTS_MIN;
    /** {@code fatal_skb_slots}: a packet using more slots is a runaway chain. */
    public static final int FATAL_SLOTS = 20;
    /** Most extra-info slots per packet: one per type. */
    public static final int MAX_EXTRAS = Netif.XEN_NETIF_EXTRA_TYPE_MAX - 1;
    private static final int PAGE = 4096;

    private final UnsafeBuffer copy = new UnsafeBuffer(new byte[NetifTxRequest.LENGTH]);
    /** Data slots: index 0 is the first slot, then the fragments. */
    public final int[] gref = new int[FATAL_SLOTS + 1];
    /** Page offset of each data slot. */
    public final int[] offset = new int[FATAL_SLOTS + 1];
    /** Bytes of each data slot (for slot 0: its own bytes, the packet size minus the fragments). */
    public final int[] length = new int[FATAL_SLOTS + 1];
    /** Request id of each data slot. */
    public final int[] id = new int[FATAL_SLOTS + 1];
    /** Data slots consumed. */
    public int dataSlots;
    /** Extra-info slots consumed (they follow the first slot). */
    public int extraSlots;
    /** The first slot's flags. */
    public int flags;
    /** The packet's size, from the first slot. */
    public int size;
    /** GSO type and size, when a GSO extra came; type 0 otherwise. */
    public int gsoType;
    /** GSO size. */
    public int gsoSize;
    /** Multicast add (1), del (-1) or none (0), and the address. */
    public int mcast;
    /** The multicast address, 48 bits. */
    public long mcastAddress;
    /** Why a fatal rule fired: the offending values. */
    public String detail = "";

    /** Creates a reader. */
    public TxChain() {
    }

    /**
     * Consumes one packet from the ring. The ring must have at least one unconsumed request
     * (checked by the caller with {@link BackRing#unconsumedRequests()}).
     *
     * @param ring the tx ring, holding 12-byte slots
     * @return the first rule broken (fatal rules take precedence), or {@link NetifRule#OK}
     */
    public NetifRule read(final BackRing ring) {
        dataSlots = 0;
        extraSlots = 0;
        gsoType = 0;
        gsoSize = 0;
        mcast = 0;
        detail = "";
        if (!ring.copyRequest(copy, 0)) {
            detail = "no request";
            return NetifRule.CHAIN_BEYOND_PROD;
        }
        flags = NetifTxRequest.flags(copy, 0);
        size = NetifTxRequest.size(copy, 0);
        take(0);
        dataSlots = 1;
        if ((flags & Netif.NETTXF_EXTRA_INFO) != 0) {
            final NetifRule extras = readExtras(ring);
            if (extras != NetifRule.OK) {
                return extras;
            }
        }
        if (mcast != 0) {
            // As xenvif_tx_build_gops: a multicast control packet is answered on its own.
            return NetifRule.OK;
        }
        NetifRule drop = NetifRule.OK;
        int remaining = size;
        boolean more = (flags & Netif.NETTXF_MORE_DATA) != 0;
        while (more) {
            if (dataSlots >= FATAL_SLOTS) {
                detail = "more than " + FATAL_SLOTS + " slots in one packet";
                return NetifRule.RUNAWAY_CHAIN;
            }
            if (!ring.copyRequest(copy, 0)) {
                detail = "slot " + dataSlots + " has more_data but req_prod ends the chain";
                return NetifRule.CHAIN_BEYOND_PROD;
            }
            final int i = dataSlots;
            take(i);
            dataSlots++;
            if (offset[i] + length[i] > PAGE) {
                detail = "slot " + i + " offset=" + offset[i] + " size=" + length[i];
                return NetifRule.SLOT_CROSSES_PAGE;
            }
            if (length[i] > remaining && drop == NetifRule.OK) {
                drop = NetifRule.FRAG_EXCEEDS_REMAINING;
            }
            remaining = Math.max(0, remaining - length[i]);
            if (dataSlots > MAX_SLOTS && drop == NetifRule.OK) {
                drop = NetifRule.TOO_MANY_SLOTS;
            }
            more = (NetifTxRequest.flags(copy, 0) & Netif.NETTXF_MORE_DATA) != 0;
        }
        length[0] = remaining;
        if (offset[0] + remaining > PAGE) {
            detail = "first slot offset=" + offset[0] + " own bytes=" + remaining;
            return NetifRule.SLOT_CROSSES_PAGE;
        }
        if (gsoType != 0 && gsoSize == 0) {
            detail = "GSO size 0";
            return NetifRule.GSO_SIZE_ZERO;
        }
        if (drop != NetifRule.OK) {
            return drop;
        }
        return size < Packets.ETH_HLEN ? NetifRule.TOO_SMALL : NetifRule.OK;
    }

    private void take(final int i) {
        gref[i] = NetifTxRequest.gref(copy, 0);
        offset[i] = NetifTxRequest.pageOffset(copy, 0);
        length[i] = NetifTxRequest.size(copy, 0);
        id[i] = NetifTxRequest.id(copy, 0);
    }

    private NetifRule readExtras(final BackRing ring) {
        int eflags;
        do {
            if (extraSlots >= MAX_EXTRAS) {
                detail = "more than " + MAX_EXTRAS + " extra-info slots";
                return NetifRule.EXTRA_CHAIN;
            }
            if (!ring.copyRequest(copy, 0)) {
                detail = "extra-info slot " + extraSlots + " missing at req_prod";
                return NetifRule.CHAIN_BEYOND_PROD;
            }
            extraSlots++;
            final int type = NetifExtraInfo.type(copy, 0);
            eflags = NetifExtraInfo.flags(copy, 0);
            switch (type) {
                case Netif.XEN_NETIF_EXTRA_TYPE_GSO -> {
                    gsoSize = NetifExtraInfo.gsoSize(copy, 0);
                    gsoType = NetifExtraInfo.gsoType(copy, 0);
                    if (gsoType != Netif.XEN_NETIF_GSO_TYPE_TCPV4 && gsoType != Netif.XEN_NETIF_GSO_TYPE_TCPV6) {
                        detail = "GSO type " + gsoType;
                        return NetifRule.GSO_TYPE;
                    }
                    if (gsoSize == 0) {
                        detail = "GSO size 0";
                        return NetifRule.GSO_SIZE_ZERO;
                    }
                }
                case Netif.XEN_NETIF_EXTRA_TYPE_MCAST_ADD, Netif.XEN_NETIF_EXTRA_TYPE_MCAST_DEL -> {
                    mcast = type == Netif.XEN_NETIF_EXTRA_TYPE_MCAST_ADD ? 1 : -1;
                    long a = 0;
                    for (int b = 0; b < NetifExtraInfo.MCAST_ADDR_LENGTH; b++) {
                        a = a << 8 | NetifExtraInfo.mcastAddr(copy, 0, b);
                    }
                    mcastAddress = a;
                }
                case Netif.XEN_NETIF_EXTRA_TYPE_HASH -> {
                    // A hash the frontend computed: accepted and not used.
                }
                default -> {
                    detail = "extra-info type " + type;
                    return NetifRule.EXTRA_TYPE;
                }
            }
        } while ((eflags & Netif.XEN_NETIF_EXTRA_FLAG_MORE) != 0);
        return NetifRule.OK;
    }
}
