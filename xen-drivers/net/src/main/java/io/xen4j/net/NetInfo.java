package io.xen4j.net;

/**
 * What netfront negotiated with its backend at connection.
 *
 * @param mac                 the interface's MAC address, 48 bits
 * @param mtu                 the backend's MTU (payload bytes of a frame without GSO)
 * @param queues              queue pairs in use ({@code multi-queue-num-queues})
 * @param splitEventChannels  one event channel each for tx and rx per queue
 * @param sg                  scatter-gather both ways ({@code feature-sg}): frames over a page
 * @param gsoTcpv4            TCPv4 GSO frames may be sent to the backend
 * @param gsoTcpv6            TCPv6 GSO frames may be sent to the backend
 * @param csumOffload         frames with a blank checksum may be exchanged (IPv4)
 * @param ipv6CsumOffload     IPv6 frames with a blank checksum may be sent to the backend
 * @param multicastControl    multicast filtering by the backend is on
 * @param controlRing         a control ring is in use (receive hashing may be configured)
 */
public record NetInfo(long mac, int mtu, int queues, boolean splitEventChannels, boolean sg, boolean gsoTcpv4,
                      boolean gsoTcpv6, boolean csumOffload, boolean ipv6CsumOffload, boolean multicastControl,
                      boolean controlRing) {
    /**
     * The MAC address as text.
     *
     * @return {@code aa:bb:cc:dd:ee:ff}
     */
    public String macText() {
        return Macs.format(mac);
    }
}
