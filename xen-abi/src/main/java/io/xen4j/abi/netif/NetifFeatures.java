package io.xen4j.abi.netif;

/**
 * The xenstore node names of the netif protocol, as documented in {@code xen/io/netif.h} and
 * used by the Linux and FreeBSD drivers. The header documents them in comments only, so they are
 * not checked against it mechanically.
 *
 * <p>A frontend with one queue writes the ring and event-channel nodes in its device directory; one
 * with two or more queues writes them under {@code queue-N} sub-directories instead
 * ({@link #QUEUE_PREFIX}).
 */
public final class NetifFeatures {
    /** Backend: 1 if it copies received packets into frontend-granted pages (the only rx mode in use). */
    public static final String FEATURE_RX_COPY = "feature-rx-copy";
    /** Backend: 1 if it supports the obsolete page-flipping rx mode; current backends write 0. */
    public static final String FEATURE_RX_FLIP = "feature-rx-flip";
    /** Frontend: 1 to ask for rx copy mode. */
    public static final String REQUEST_RX_COPY = "request-rx-copy";
    /** Both ends: 1 if packets may span several slots ({@code NETTXF_more_data}). */
    public static final String FEATURE_SG = "feature-sg";
    /** Both ends: 1 if TCP over IPv4 segmentation offload is handled. */
    public static final String FEATURE_GSO_TCPV4 = "feature-gso-tcpv4";
    /** Both ends: 1 if TCP over IPv6 segmentation offload is handled. */
    public static final String FEATURE_GSO_TCPV6 = "feature-gso-tcpv6";
    /** Both ends: 1 to turn IPv6 TCP/UDP checksum offload on (off when missing). */
    public static final String FEATURE_IPV6_CSUM_OFFLOAD = "feature-ipv6-csum-offload";
    /** Both ends: 1 to turn IPv4 TCP/UDP checksum offload off (on when missing). */
    public static final String FEATURE_NO_CSUM_OFFLOAD = "feature-no-csum-offload";
    /** Frontend: 1 if it notifies the backend after queuing rx requests. */
    public static final String FEATURE_RX_NOTIFY = "feature-rx-notify";
    /** Backend: 1 if the frontend may use separate tx and rx event channels. */
    public static final String FEATURE_SPLIT_EVENT_CHANNELS = "feature-split-event-channels";
    /** Backend: 1 if it filters multicast packets, sampled when the frontend connects. */
    public static final String FEATURE_MULTICAST_CONTROL = "feature-multicast-control";
    /** Backend: 1 if it watches {@link #REQUEST_MULTICAST_CONTROL} at any time. */
    public static final String FEATURE_DYNAMIC_MULTICAST_CONTROL = "feature-dynamic-multicast-control";
    /** Frontend: 1 to ask the backend to filter multicast packets. */
    public static final String REQUEST_MULTICAST_CONTROL = "request-multicast-control";
    /** Backend: 1 if it serves a control ring. */
    public static final String FEATURE_CTRL_RING = "feature-ctrl-ring";
    /** Backend: the most queues (ring pairs) it serves. */
    public static final String MULTI_QUEUE_MAX_QUEUES = "multi-queue-max-queues";
    /** Frontend: the number of queues it uses, 1..{@code multi-queue-max-queues}. */
    public static final String MULTI_QUEUE_NUM_QUEUES = "multi-queue-num-queues";
    /** Frontend: prefix of the per-queue sub-directories ({@code queue-0}, {@code queue-1}, ...). */
    public static final String QUEUE_PREFIX = "queue-";
    /** Frontend: grant reference of the tx ring page. */
    public static final String TX_RING_REF = "tx-ring-ref";
    /** Frontend: grant reference of the rx ring page. */
    public static final String RX_RING_REF = "rx-ring-ref";
    /** Frontend: the event channel shared by tx and rx. */
    public static final String EVENT_CHANNEL = "event-channel";
    /** Frontend: the tx event channel, with {@code feature-split-event-channels}. */
    public static final String EVENT_CHANNEL_TX = "event-channel-tx";
    /** Frontend: the rx event channel, with {@code feature-split-event-channels}. */
    public static final String EVENT_CHANNEL_RX = "event-channel-rx";
    /** Frontend: grant reference of the control ring page. */
    public static final String CTRL_RING_REF = "ctrl-ring-ref";
    /** Frontend: the control ring's event channel. */
    public static final String EVENT_CHANNEL_CTRL = "event-channel-ctrl";
    /** Toolstack, frontend directory: the MAC address, {@code xx:xx:xx:xx:xx:xx}. */
    public static final String MAC = "mac";
    /** Toolstack, frontend directory: the MTU in octets (1500 when missing). */
    public static final String MTU = "mtu";
    /** Backend: link state, {@code "0"} down, {@code "1"} up (up when missing). */
    public static final String CARRIER = "carrier";
    /** Toolstack, frontend directory: {@code "0"} if the frontend must not trust its backend. */
    public static final String TRUSTED = "trusted";

    private NetifFeatures() {
    }
}
