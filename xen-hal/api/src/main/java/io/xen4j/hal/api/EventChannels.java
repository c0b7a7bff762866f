package io.xen4j.hal.api;

/**
 * Event channels of one domain: the Linux {@code /dev/xen/evtchn} device, one instance per open
 * device.
 *
 * <p>Binding operations return an {@link EventChannel} whose events go to its
 * {@link EventHandler}. Delivery is polled: {@link #poll(int)} dispatches pending ports to their
 * handlers on the calling thread and returns the work done, which makes it an Agrona
 * {@code Agent}'s {@code doWork()}; {@link #awaitEvent(long)} blocks until an event is pending.
 * {@link EventLoop} runs both on a thread for callers who want one.
 *
 * <p>As with the Linux device, a delivered port is masked until its owner calls
 * {@link EventChannel#unmask()}: each port is queued at most once, so a peer that floods a port
 * costs one dispatch per unmask (SECURITY-RULES R8).
 *
 * <p>Binding, notifying, unmasking and closing are thread-safe. {@link #poll(int)} and
 * {@link #awaitEvent(long)} are called by one thread at a time, like reads of the device.
 */
public interface EventChannels {
    /**
     * Allocates a port that {@code remoteDomid} may bind ({@code IOCTL_EVTCHN_BIND_UNBOUND_PORT}).
     * The frontend of a split driver does this and publishes the port in xenstore.
     *
     * @param remoteDomid the only domain allowed to bind the port; may be this domain
     * @param handler     receives the port's events
     * @return the bound channel
     * @throws XenHalException naming the remote domain if the allocation fails
     *                         ({@link Errno#ESRCH} for an unknown domain, {@link Errno#ENOSPC}
     *                         when out of ports)
     */
    EventChannel allocateUnbound(int remoteDomid, EventHandler handler);

    /**
     * Binds to a remote domain's unbound port ({@code IOCTL_EVTCHN_BIND_INTERDOMAIN}). The backend
     * of a split driver does this with the port the frontend published.
     *
     * @param remoteDomid the domain that allocated the port
     * @param remotePort  the port it allocated
     * @param handler     receives the port's events
     * @return the bound channel
     * @throws XenHalException naming both domains and the port, with {@link Errno#EINVAL} when the
     *                         remote port is not unbound or was allocated for another domain,
     *                         {@link Errno#ESRCH} for an unknown domain
     */
    EventChannel bindInterdomain(int remoteDomid, int remotePort, EventHandler handler);

    /**
     * Binds a virtual IRQ ({@code IOCTL_EVTCHN_BIND_VIRQ}) on vCPU 0.
     *
     * @param virq    a {@code VIRQ_*} number of {@code xen/xen.h}
     * @param handler receives the VIRQ's events
     * @return the bound channel
     * @throws XenHalException naming the VIRQ, with {@link Errno#EINVAL} for an unknown VIRQ and
     *                         {@link Errno#EEXIST} when this domain already bound it
     */
    EventChannel bindVirq(int virq, EventHandler handler);

    /**
     * Dispatches up to {@code maxEvents} pending ports to their handlers on the calling thread.
     * Each dispatched port stays masked until {@link EventChannel#unmask()}. An exception thrown
     * by a handler propagates; its port stays masked and the ports not yet dispatched stay
     * pending.
     *
     * @param maxEvents the most handlers to call, at least 1: bounds the work of one call
     * @return the number of handlers called (0 when nothing was pending)
     */
    int poll(int maxEvents);

    /**
     * Blocks until an event is pending or the timeout passes, without dispatching it.
     *
     * <p>If the thread is interrupted it returns {@code false} early with its interrupt status
     * set.
     *
     * @param timeoutNanos how long to wait at most (wall-clock time), 0 to only check
     * @return whether an event is pending
     */
    boolean awaitEvent(long timeoutNanos);
}
