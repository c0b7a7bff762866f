package io.xen4j.net.internal;

/**
 * The netif backend transmit rules of SECURITY-RULES.md, after Linux netback
 * ({@code xenvif_count_requests}, {@code xenvif_get_extras}, {@code xenvif_set_skb_gso}). A packet
 * that breaks a drop rule is answered with {@code NETIF_RSP_ERROR} on every slot it used; a fatal
 * rule stops the device, as {@code xenvif_fatal_tx_err}.
 */
public enum NetifRule {
    /** The packet is fine. */
    OK(false),
    /** The frame is shorter than an Ethernet header. */
    TOO_SMALL(false),
    /** More than {@code XEN_NETBK_LEGACY_SLOTS_MAX} (18) slots in one packet. */
    TOO_MANY_SLOTS(false),
    /** A fragment is larger than what is left of the packet's size. */
    FRAG_EXCEEDS_REMAINING(false),
    /** A frame without GSO larger than the MTU allows. */
    OVERSIZE(false),
    /** A blank checksum or GSO on a frame that is not TCP/UDP over IP (of the GSO type). */
    CSUM_SETUP(false),
    /** A grant copy of the packet's data failed (bad reference, revoked grant). */
    GRANT_COPY(false),
    /** A multicast add/del without {@code request-multicast-control}. */
    MCAST(false),
    /** A slot's {@code offset + size} is beyond its page. */
    SLOT_CROSSES_PAGE(true),
    /** A packet runs over more than 20 slots ({@code fatal_skb_slots}): a runaway chain. */
    RUNAWAY_CHAIN(true),
    /** A slot says more follows, but the frontend produced no more slots. */
    CHAIN_BEYOND_PROD(true),
    /** An extra-info slot of type 0 or beyond {@code XEN_NETIF_EXTRA_TYPE_MAX}. */
    EXTRA_TYPE(true),
    /** An extra-info chain (the MORE flag) longer than there are extra types. */
    EXTRA_CHAIN(true),
    /** A GSO extra with size 0. */
    GSO_SIZE_ZERO(true),
    /** A GSO extra whose type is neither TCPv4 nor TCPv6. */
    GSO_TYPE(true);

    private final boolean fatal;

    NetifRule(final boolean fatal) {
        this.fatal = fatal;
    }

    /**
     * Whether breaking the rule stops the device.
     *
     * @return true for fatal rules
     */
    public boolean fatal() {
        return fatal;
    }
}
