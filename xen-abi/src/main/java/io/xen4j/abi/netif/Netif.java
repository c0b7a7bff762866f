package io.xen4j.abi.netif;

/**
 * Constants of {@code xen/io/netif.h}: tx and rx flags, extra-info types and flags, GSO types,
 * response status codes, slot and size limits, and the control ring's request types, status
 * codes, hash algorithms and hash types.
 *
 * <p>The header defines each flag twice: a bit number with a leading underscore
 * ({@code _NETTXF_csum_blank}) and the mask ({@code NETTXF_csum_blank}). Java keeps the mask under
 * the upper-cased C name ({@link #NETTXF_CSUM_BLANK}) and the bit number with a {@code _BIT}
 * suffix ({@link #NETTXF_CSUM_BLANK_BIT}).
 */
public final class Netif {
    /** Ring slots a packet may use that every backend must accept (older Linux MAX_SKB_FRAGS). */
    public static final int XEN_NETIF_NR_SLOTS_MIN = 18;
    /** Largest packet a tx request's {@code size} can describe. */
    public static final int XEN_NETIF_MAX_TX_SIZE = 0xFFFF;

    /** Bit number of {@link #NETTXF_CSUM_BLANK}. */
    public static final int NETTXF_CSUM_BLANK_BIT = 0;
    /** Tx flag: the protocol checksum field is blank (checksum offload). */
    public static final int NETTXF_CSUM_BLANK = 1 << NETTXF_CSUM_BLANK_BIT;
    /** Bit number of {@link #NETTXF_DATA_VALIDATED}. */
    public static final int NETTXF_DATA_VALIDATED_BIT = 1;
    /** Tx flag: the packet data has been validated against its protocol checksum. */
    public static final int NETTXF_DATA_VALIDATED = 1 << NETTXF_DATA_VALIDATED_BIT;
    /** Bit number of {@link #NETTXF_MORE_DATA}. */
    public static final int NETTXF_MORE_DATA_BIT = 2;
    /** Tx flag: the packet continues in the next request slot. */
    public static final int NETTXF_MORE_DATA = 1 << NETTXF_MORE_DATA_BIT;
    /** Bit number of {@link #NETTXF_EXTRA_INFO}. */
    public static final int NETTXF_EXTRA_INFO_BIT = 3;
    /** Tx flag: extra-info slots ({@code netif_extra_info}) follow this request. */
    public static final int NETTXF_EXTRA_INFO = 1 << NETTXF_EXTRA_INFO_BIT;

    /** Bit number of {@link #NETRXF_DATA_VALIDATED}. */
    public static final int NETRXF_DATA_VALIDATED_BIT = 0;
    /** Rx flag: the packet data has been validated against its protocol checksum. */
    public static final int NETRXF_DATA_VALIDATED = 1 << NETRXF_DATA_VALIDATED_BIT;
    /** Bit number of {@link #NETRXF_CSUM_BLANK}. */
    public static final int NETRXF_CSUM_BLANK_BIT = 1;
    /** Rx flag: the protocol checksum field is blank (checksum offload). */
    public static final int NETRXF_CSUM_BLANK = 1 << NETRXF_CSUM_BLANK_BIT;
    /** Bit number of {@link #NETRXF_MORE_DATA}. */
    public static final int NETRXF_MORE_DATA_BIT = 2;
    /** Rx flag: the packet continues in the next response slot. */
    public static final int NETRXF_MORE_DATA = 1 << NETRXF_MORE_DATA_BIT;
    /** Bit number of {@link #NETRXF_EXTRA_INFO}. */
    public static final int NETRXF_EXTRA_INFO_BIT = 3;
    /** Rx flag: extra-info slots ({@code netif_extra_info}) follow this response. */
    public static final int NETRXF_EXTRA_INFO = 1 << NETRXF_EXTRA_INFO_BIT;
    /** Bit number of {@link #NETRXF_GSO_PREFIX}. */
    public static final int NETRXF_GSO_PREFIX_BIT = 4;
    /** Rx flag: the packet has a GSO prefix slot; deprecated, kept for compatibility. */
    public static final int NETRXF_GSO_PREFIX = 1 << NETRXF_GSO_PREFIX_BIT;

    /** Extra-info type: never used, invalid. */
    public static final int XEN_NETIF_EXTRA_TYPE_NONE = 0;
    /** Extra-info type: GSO parameters ({@code u.gso}). */
    public static final int XEN_NETIF_EXTRA_TYPE_GSO = 1;
    /** Extra-info type: add a multicast address to the filter ({@code u.mcast}). */
    public static final int XEN_NETIF_EXTRA_TYPE_MCAST_ADD = 2;
    /** Extra-info type: remove a multicast address from the filter ({@code u.mcast}). */
    public static final int XEN_NETIF_EXTRA_TYPE_MCAST_DEL = 3;
    /** Extra-info type: the packet's hash ({@code u.hash}). */
    public static final int XEN_NETIF_EXTRA_TYPE_HASH = 4;
    /** One past the highest extra-info type: valid types are 1..MAX - 1. */
    public static final int XEN_NETIF_EXTRA_TYPE_MAX = 5;

    /** Bit number of {@link #XEN_NETIF_EXTRA_FLAG_MORE}. */
    public static final int XEN_NETIF_EXTRA_FLAG_MORE_BIT = 0;
    /** Extra-info flag: another extra-info slot follows this one. */
    public static final int XEN_NETIF_EXTRA_FLAG_MORE = 1 << XEN_NETIF_EXTRA_FLAG_MORE_BIT;

    /** GSO type: none. */
    public static final int XEN_NETIF_GSO_TYPE_NONE = 0;
    /** GSO type: TCP over IPv4 ({@code feature-gso-tcpv4}). */
    public static final int XEN_NETIF_GSO_TYPE_TCPV4 = 1;
    /** GSO type: TCP over IPv6 ({@code feature-gso-tcpv6}). */
    public static final int XEN_NETIF_GSO_TYPE_TCPV6 = 2;

    /** Tx response status: the backend dropped the packet. */
    public static final int NETIF_RSP_DROPPED = -2;
    /** Tx/rx response status: the request failed. */
    public static final int NETIF_RSP_ERROR = -1;
    /** Tx response status: the packet was sent. */
    public static final int NETIF_RSP_OKAY = 0;
    /** Tx response status: no response, the slot answers an auxiliary (extra-info) request. */
    public static final int NETIF_RSP_NULL = 1;

    /** Tx ring slots in one 4 KiB shared page ({@code __CONST_RING_SIZE(netif_tx, 4096)}). */
    public static final int NETIF_TX_RING_SIZE = 256;
    /** Rx ring slots in one 4 KiB shared page ({@code __CONST_RING_SIZE(netif_rx, 4096)}). */
    public static final int NETIF_RX_RING_SIZE = 256;
    /** Control ring slots in one 4 KiB shared page ({@code __CONST_RING_SIZE(xen_netif_ctrl, 4096)}). */
    public static final int XEN_NETIF_CTRL_RING_SIZE = 128;

    /** Control request type: invalid. */
    public static final int XEN_NETIF_CTRL_TYPE_INVALID = 0;
    /** Control request type: query the supported hash types. */
    public static final int XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS = 1;
    /** Control request type: set the hash types to calculate ({@code data[0]}). */
    public static final int XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS = 2;
    /** Control request type: set the hash key (grant in {@code data[0]}, size in {@code data[1]}). */
    public static final int XEN_NETIF_CTRL_TYPE_SET_HASH_KEY = 3;
    /** Control request type: query the largest mapping table the backend supports. */
    public static final int XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE = 4;
    /** Control request type: set the number of mapping table entries ({@code data[0]}). */
    public static final int XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE = 5;
    /** Control request type: set mapping table entries (grant, size, offset in {@code data[]}). */
    public static final int XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING = 6;
    /** Control request type: set the hash algorithm ({@code data[0]}). */
    public static final int XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM = 7;
    /** Control request type: query how many grants the backend keeps mapped. */
    public static final int XEN_NETIF_CTRL_TYPE_GET_GREF_MAPPING_SIZE = 8;
    /** Control request type: map a page of {@code xen_netif_gref} entries. */
    public static final int XEN_NETIF_CTRL_TYPE_ADD_GREF_MAPPING = 9;
    /** Control request type: unmap a page of {@code xen_netif_gref} entries. */
    public static final int XEN_NETIF_CTRL_TYPE_DEL_GREF_MAPPING = 10;

    /** Control response status: success. */
    public static final int XEN_NETIF_CTRL_STATUS_SUCCESS = 0;
    /** Control response status: the operation is not supported. */
    public static final int XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED = 1;
    /** Control response status: a parameter is invalid. */
    public static final int XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER = 2;
    /** Control response status: a size exceeds what the backend supports. */
    public static final int XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW = 3;

    /** Bit number of {@link #XEN_NETIF_CTRLF_GREF_READONLY}. */
    public static final int XEN_NETIF_CTRLF_GREF_READONLY_BIT = 0;
    /** {@code xen_netif_gref} flag: map the grant read-only. */
    public static final int XEN_NETIF_CTRLF_GREF_READONLY = 1 << XEN_NETIF_CTRLF_GREF_READONLY_BIT;

    /** Hash algorithm: none; the backend steers packets as it likes. */
    public static final int XEN_NETIF_CTRL_HASH_ALGORITHM_NONE = 0;
    /** Hash algorithm: Toeplitz, with a key. */
    public static final int XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ = 1;

    /** Bit number of {@link #XEN_NETIF_CTRL_HASH_TYPE_IPV4}; also the extra-info {@code u.hash.type}. */
    public static final int XEN_NETIF_CTRL_HASH_TYPE_IPV4_BIT = 0;
    /** Hash type: over the IPv4 source and destination addresses. */
    public static final int XEN_NETIF_CTRL_HASH_TYPE_IPV4 = 1 << XEN_NETIF_CTRL_HASH_TYPE_IPV4_BIT;
    /** Bit number of {@link #XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP}; also the extra-info {@code u.hash.type}. */
    public static final int XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP_BIT = 1;
    /** Hash type: over the IPv4 addresses and the TCP ports. */
    public static final int XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP = 1 << XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP_BIT;
    /** Bit number of {@link #XEN_NETIF_CTRL_HASH_TYPE_IPV6}; also the extra-info {@code u.hash.type}. */
    public static final int XEN_NETIF_CTRL_HASH_TYPE_IPV6_BIT = 2;
    /** Hash type: over the IPv6 source and destination addresses. */
    public static final int XEN_NETIF_CTRL_HASH_TYPE_IPV6 = 1 << XEN_NETIF_CTRL_HASH_TYPE_IPV6_BIT;
    /** Bit number of {@link #XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP}; also the extra-info {@code u.hash.type}. */
    public static final int XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP_BIT = 3;
    /** Hash type: over the IPv6 addresses and the TCP ports. */
    public static final int XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP = 1 << XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP_BIT;

    private Netif() {
    }
}
