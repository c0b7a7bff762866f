package io.xen4j.net;

import io.xen4j.abi.netif.Netif;

/**
 * The offload metadata that travels with a frame, as netif carries it: a blank L4 checksum
 * ({@code NETTXF_csum_blank}/{@code NETRXF_csum_blank}: the TCP or UDP checksum field is not
 * filled in and whoever puts the frame on a wire computes it), a checksum already validated
 * ({@code data_validated}), and TCP segmentation to do ({@code XEN_NETIF_EXTRA_TYPE_GSO}: the frame
 * is one TCP super-segment of up to 64 KiB to be cut into {@code gsoSize}-byte segments), and on
 * receive the flow hash the backend computed ({@code XEN_NETIF_EXTRA_TYPE_HASH}: a Toeplitz hash
 * the frontend configured on the control ring, see {@link NetFront#configureHash}).
 *
 * @param csumBlank     the L4 checksum is not computed
 * @param dataValidated the checksum is known to be good
 * @param gsoType       {@link Netif#XEN_NETIF_GSO_TYPE_NONE}, {@code _TCPV4} or {@code _TCPV6}
 * @param gsoSize       the TCP payload bytes per segment when {@code gsoType} is not NONE, else 0
 * @param hashType      the hash type the {@code hash} covers, one {@code XEN_NETIF_CTRL_HASH_TYPE_*}
 *                      bit ({@code IPV4}, {@code IPV4_TCP}, {@code IPV6}, {@code IPV6_TCP}), or 0
 *                      when the frame carries no hash
 * @param hash          the 32-bit Toeplitz hash when {@code hashType} is not 0, else 0
 */
public record Offload(boolean csumBlank, boolean dataValidated, int gsoType, int gsoSize, int hashType, int hash) {
    /** A plain frame whose checksums are filled in. */
    public static final Offload NONE = new Offload(false, false, Netif.XEN_NETIF_GSO_TYPE_NONE, 0);
    /** A frame whose L4 checksum is left for the receiver (or port) to fill in. */
    public static final Offload CSUM_BLANK = new Offload(true, true, Netif.XEN_NETIF_GSO_TYPE_NONE, 0);

    /** The hash types a hash may cover. */
    private static final int HASH_TYPES = Netif.XEN_NETIF_CTRL_HASH_TYPE_IPV4 | Netif.XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP
        | Netif.XEN_NETIF_CTRL_HASH_TYPE_IPV6 | Netif.XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP;

    /**
     * Metadata without a hash.
     *
     * @param csumBlank     the L4 checksum is not computed
     * @param dataValidated the checksum is known to be good
     * @param gsoType       {@link Netif#XEN_NETIF_GSO_TYPE_NONE}, {@code _TCPV4} or {@code _TCPV6}
     * @param gsoSize       the TCP payload bytes per segment when {@code gsoType} is not NONE, else 0
     * @throws IllegalArgumentException for an unknown GSO type, or a GSO size out of 1..65535
     */
    public Offload(final boolean csumBlank, final boolean dataValidated, final int gsoType, final int gsoSize) {
        this(csumBlank, dataValidated, gsoType, gsoSize, 0, 0);
    }

    /**
     * Validates the values.
     *
     * @throws IllegalArgumentException for an unknown GSO type, a GSO size out of 1..65535, a hash
     *     type that is not exactly one known {@code XEN_NETIF_CTRL_HASH_TYPE_*} bit, or a hash
     *     value without a type
     */
    public Offload {
        if (gsoType != Netif.XEN_NETIF_GSO_TYPE_NONE && gsoType != Netif.XEN_NETIF_GSO_TYPE_TCPV4
            && gsoType != Netif.XEN_NETIF_GSO_TYPE_TCPV6) {
            throw new IllegalArgumentException("offload: gsoType=" + gsoType + " is not NONE, TCPV4 or TCPV6");
        }
        if (gsoType == Netif.XEN_NETIF_GSO_TYPE_NONE ? gsoSize != 0 : gsoSize < 1 || gsoSize > 0xFFFF) {
            throw new IllegalArgumentException("offload: gsoSize=" + gsoSize + " with gsoType=" + gsoType);
        }
        if (hashType == 0 ? hash != 0 : Integer.bitCount(hashType) != 1 || (hashType & ~HASH_TYPES) != 0) {
            throw new IllegalArgumentException("offload: hashType=" + hashType + " hash=" + hash
                + " (one XEN_NETIF_CTRL_HASH_TYPE_* bit, or 0 with hash 0)");
        }
    }

    /**
     * The same metadata with a flow hash.
     *
     * @param type  one {@code XEN_NETIF_CTRL_HASH_TYPE_*} bit, or 0 for none
     * @param value the hash (0 when {@code type} is 0)
     * @return the metadata
     * @throws IllegalArgumentException as the constructor
     */
    public Offload withHash(final int type, final int value) {
        return new Offload(csumBlank, dataValidated, gsoType, gsoSize, type, value);
    }

    /**
     * Whether the frame carries a flow hash from the backend.
     *
     * @return true when {@code hashType} is not 0
     */
    public boolean hasHash() {
        return hashType != 0;
    }

    /**
     * A TCP super-segment to be cut into {@code gsoSize}-byte segments; its checksum is blank.
     *
     * @param ipv6    TCP over IPv6 rather than IPv4
     * @param gsoSize TCP payload bytes per segment (the MSS)
     * @return the metadata
     */
    public static Offload gso(final boolean ipv6, final int gsoSize) {
        return new Offload(true, true, ipv6 ? Netif.XEN_NETIF_GSO_TYPE_TCPV6 : Netif.XEN_NETIF_GSO_TYPE_TCPV4, gsoSize);
    }

    /**
     * Whether the frame is a GSO super-segment.
     *
     * @return true when {@code gsoType} is not NONE
     */
    public boolean isGso() {
        return gsoType != Netif.XEN_NETIF_GSO_TYPE_NONE;
    }
}
