package io.xen4j.hal.linux.internal;

import io.xen4j.hal.api.XenHandle;

/**
 * The operations of one open {@code /dev/xen/evtchn}, as {@link LinuxEventChannels} uses them: a
 * seam so that the dispatch logic (masking, stale ports, overflow, handler failures) is tested
 * without Xen against a fake device that behaves as the kernel driver does.
 */
public interface EvtchnDevice {
    /** {@link #read} result when the device's ring overflowed ({@code EFBIG}). */
    int OVERFLOW = -1;

    /**
     * {@code IOCTL_EVTCHN_BIND_UNBOUND_PORT}.
     *
     * @param operation   for messages
     * @param remoteDomid the domain that may bind the port
     * @return the local port
     */
    int bindUnbound(String operation, int remoteDomid);

    /**
     * {@code IOCTL_EVTCHN_BIND_INTERDOMAIN}.
     *
     * @param operation   for messages
     * @param remoteDomid the remote domain
     * @param remotePort  its unbound port
     * @return the local port
     */
    int bindInterdomain(String operation, int remoteDomid, int remotePort);

    /**
     * {@code IOCTL_EVTCHN_BIND_VIRQ}.
     *
     * @param operation for messages
     * @param virq      the VIRQ
     * @return the local port
     */
    int bindVirq(String operation, int virq);

    /**
     * {@code IOCTL_EVTCHN_UNBIND}.
     *
     * @param channel the channel, for messages
     * @param port    the port
     */
    void unbind(XenHandle channel, int port);

    /**
     * {@code IOCTL_EVTCHN_NOTIFY}.
     *
     * @param channel the channel, for messages
     * @param port    the port
     */
    void notify(XenHandle channel, int port);

    /**
     * Writes the port to the device: re-enables its delivery.
     *
     * @param channel the channel, for messages
     * @param port    the port
     */
    void unmask(XenHandle channel, int port);

    /**
     * Reads pending ports without blocking.
     *
     * @param ports where to put them
     * @param max   how many at most, at most {@code ports.length}
     * @return how many were read (0 when none is pending), or {@link #OVERFLOW}
     */
    int read(int[] ports, int max);

    /**
     * {@code IOCTL_EVTCHN_RESET}: empties the ring and clears its overflow.
     */
    void reset();

    /**
     * Waits until a port is pending (or the ring overflowed).
     *
     * @param timeoutMs how long at most; 0 to only check
     * @return true when something can be read
     */
    boolean await(int timeoutMs);

    /**
     * Whether the device was closed (the host closed).
     *
     * @return true once closed
     */
    boolean isClosed();
}
