package io.xen4j.net;

import io.xen4j.abi.netif.Netif;

/**
 * The offload metadata that travels with a frame, as netif carries it: a blank L4 checksum
 * ({@code NETTXF_csum_blank}/{@code NETRXF_csum_blank}: the TCP or UDP checksum field is not
 * filled in and whoever puts the frame on a wire computes it), a checksum already validated
 * ({@code data_validated}), and TCP segmentation to do ({@code XEN_NETIF_EXTRA_TYPE_GSO}: the frame
 * is one TCP super-segment of up to 64 KiB to be cut into {@code gsoSize}-byte segments).
 *
 * @param csumBlank     the L4 checksum is not computed
 * @param dataValidated the checksum is known to be good
 * @param gsoType       {@link Netif#XEN_NETIF_GSO_TYPE_NONE}, {@code _TCPV4} or {@code _TCPV6}
 * @param gsoSize       the TCP payload bytes per segment when {@code gsoType} is not NONE, else 0
 */
public record Offload(boolean csumBlank, boolean dataValidated, int gsoType, int gsoSize) {
    /** A plain frame whose checksums are filled in. */
    public static final Offload NONE = new Offload(false, false, Netif.XEN_NETIF_GSO_TYPE_NONE, 0);
    /** A frame whose L4 checksum is left for the receiver (or port) to fill in. */
    public static final Offload CSUM_BLANK = new Offload(true, true, Netif.XEN_NETIF_GSO_TYPE_NONE, 0);

    /**
     * Validates the values.
     *
     * @throws IllegalArgumentException for an unknown GSO type, or a GSO size out of 1..65535
     */
    public Offload {
        if (gsoType != Netif.XEN_NETIF_GSO_TYPE_NONE && gsoType != Netif.XEN_NETIF_GSO_TYPE_TCPV4
            && gsoType != Netif.XEN_NETIF_GSO_TYPE_TCPV6) {
            throw new IllegalArgumentException("offload: gsoType=" + gsoType + " is not NONE, TCPV4 or TCPV6");
        }
        if (gsoType == Netif.XEN_NETIF_GSO_TYPE_NONE ? gsoSize != 0 : gsoSize < 1 || gsoSize > 0xFFFF) {
            throw new IllegalArgumentException("offload: gsoSize=" + gsoSize + " with gsoType=" + gsoType);
        }
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
