package io.xen4j.hal.api;

/**
 * The services a {@link XenHost} can offer, one per accessor. {@link XenHost#services()} lists
 * those a backend offers to a domain; the accessor of any other throws
 * {@link UnsupportedServiceException}.
 */
public enum XenService {
    /** {@link XenHost#eventChannels()}: the Linux {@code /dev/xen/evtchn} device. */
    EVENT_CHANNELS("event channels (evtchn)"),
    /** {@link XenHost#grantTables()}: {@code /dev/xen/gntalloc} and {@code /dev/xen/gntdev}. */
    GRANT_TABLES("grant tables (gntalloc, gntdev)"),
    /** {@link XenHost#foreignMemory()}: {@code /dev/xen/privcmd} mappings; privileged domains only. */
    FOREIGN_MEMORY("foreign memory (privcmd)"),
    /** {@link XenHost#hypercalls()}: raw hypercalls through {@code /dev/xen/privcmd}. */
    HYPERCALLS("hypercalls (privcmd)"),
    /** {@link XenHost#memoryReservation()}: {@code XENMEM_*_reservation}, what the balloon uses. */
    MEMORY_RESERVATION("memory reservation"),
    /** {@link XenHost#timers()}: one-shot per-vCPU timers. */
    TIMERS("timers"),
    /** {@link XenHost#clock()}: Xen system time. */
    CLOCK("Xen clock"),
    /** {@link XenHost#platformOps()}: {@code XENPF_*} platform operations; the control domain only. */
    PLATFORM_OPS("platform operations (XENPF)"),
    /** {@link XenHost#platform()}: what the backend knows of the platform; every backend has it. */
    PLATFORM("platform information");

    private final String description;

    XenService(final String description) {
        this.description = description;
    }

    /**
     * The service in words, for messages.
     *
     * @return e.g. {@code "event channels (evtchn)"}
     */
    public String description() {
        return description;
    }
}
