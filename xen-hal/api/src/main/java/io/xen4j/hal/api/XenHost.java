package io.xen4j.hal.api;

import java.util.Set;

/**
 * What one domain can do with the hypervisor, through one backend: the root of the HAL. Get one
 * from {@link XenHosts}, or from a backend directly (the simulated host hands one to each of its
 * domains).
 *
 * <p>Each accessor returns the same service object every time. A service the backend does not
 * offer to this domain throws {@link UnsupportedServiceException} naming it and why;
 * {@link #services()} says beforehand which exist.
 *
 * <p>Closing the host closes every handle opened through it, as the devices of a process close
 * when it exits: bindings are unbound, shares ended, mappings unmapped, and their unmap
 * notifications sent.
 */
public interface XenHost extends AutoCloseable {
    /**
     * The domain this host acts for.
     *
     * @return its domain id
     */
    int domid();

    /**
     * The backend's name, as its provider is registered ({@code "linux"}, {@code "memory"}).
     *
     * @return the name
     */
    String backendName();

    /**
     * The services this backend offers to this domain.
     *
     * @return an unmodifiable set
     */
    Set<XenService> services();

    /**
     * Whether a service is offered.
     *
     * @param service the service
     * @return true if its accessor works
     */
    default boolean supports(final XenService service) {
        return services().contains(service);
    }

    /**
     * Event channels.
     *
     * @return the service
     * @throws UnsupportedServiceException if the backend lacks it
     */
    EventChannels eventChannels();

    /**
     * Grant tables: sharing, mapping and copying.
     *
     * @return the service
     * @throws UnsupportedServiceException if the backend lacks it
     */
    GrantTables grantTables();

    /**
     * Mapping other domains' memory; privileged domains only.
     *
     * @return the service
     * @throws UnsupportedServiceException if the backend lacks it or the domain is not privileged
     */
    ForeignMemory foreignMemory();

    /**
     * Raw hypercalls.
     *
     * @return the service
     * @throws UnsupportedServiceException if the backend lacks it
     */
    Hypercalls hypercalls();

    /**
     * The memory reservation, for ballooning.
     *
     * @return the service
     * @throws UnsupportedServiceException if the backend lacks it
     */
    MemoryReservation memoryReservation();

    /**
     * One-shot per-vCPU timers.
     *
     * @return the service
     * @throws UnsupportedServiceException if the backend lacks it
     */
    Timers timers();

    /**
     * Xen system time.
     *
     * @return the clock
     * @throws UnsupportedServiceException if the backend lacks it
     */
    XenClock clock();

    /**
     * Platform operations; the control domain only.
     *
     * @return the service
     * @throws UnsupportedServiceException if the backend lacks it or the domain may not use it
     */
    PlatformOps platformOps();

    /**
     * What the backend knows of the platform. Every backend has it.
     *
     * @return the platform information
     */
    PlatformInfo platform();

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed
     */
    boolean isClosed();

    /**
     * Closes every handle opened through this host and the host itself. Closing twice is
     * harmless.
     */
    @Override
    void close();
}
