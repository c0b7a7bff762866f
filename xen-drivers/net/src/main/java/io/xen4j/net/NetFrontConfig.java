package io.xen4j.net;

/**
 * What netfront asks for; each feature is used only when the backend offers it too.
 *
 * @param queues             queue pairs wanted, 1 to {@link NetBackConfig#MAX_QUEUES}
 * @param sg                 scatter-gather ({@code feature-sg}): frames larger than a page
 * @param gsoTcpv4           take and send TCPv4 GSO frames ({@code feature-gso-tcpv4})
 * @param gsoTcpv6           take and send TCPv6 GSO frames ({@code feature-gso-tcpv6})
 * @param csumOffload        take and send frames with a blank checksum; false writes
 *                           {@code feature-no-csum-offload=1} and fills checksums in software
 * @param ipv6CsumOffload    the same for IPv6 ({@code feature-ipv6-csum-offload})
 * @param splitEventChannels ask for one event channel each for tx and rx
 * @param multicastControl   ask the backend to filter multicast ({@code request-multicast-control})
 * @param sendQueue          frames {@link NetDevice#send} may queue, at least 1
 */
public record NetFrontConfig(int queues, boolean sg, boolean gsoTcpv4, boolean gsoTcpv6, boolean csumOffload,
                             boolean ipv6CsumOffload, boolean splitEventChannels, boolean multicastControl, int sendQueue) {
    /**
     * Validates the values.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public NetFrontConfig {
        if (queues < 1 || queues > NetBackConfig.MAX_QUEUES) {
            throw new IllegalArgumentException("netfront: queues=" + queues + " must be 1.." + NetBackConfig.MAX_QUEUES);
        }
        if (sendQueue < 1) {
            throw new IllegalArgumentException("netfront: sendQueue=" + sendQueue + " must be >= 1");
        }
    }

    /**
     * Every feature on, one queue.
     *
     * @return the configuration
     */
    public static NetFrontConfig defaults() {
        return new NetFrontConfig(1, true, true, true, true, true, false, false, 4096);
    }
}
