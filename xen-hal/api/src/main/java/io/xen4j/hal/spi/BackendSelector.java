package io.xen4j.hal.spi;

import java.util.List;

/**
 * Chooses the backend {@link io.xen4j.hal.api.XenHosts#open()} opens, from what the machine is.
 * The HAL cannot depend on platform detection (the detection module depends on the HAL, and JPMS
 * forbids the cycle), so detection plugs itself in here: the {@code xen-platform} module
 * {@code provides} a selector (and registers it in {@code META-INF/services} for the class path),
 * and {@link java.util.ServiceLoader} finds it whenever that module is present. Without one,
 * {@code XenHosts.open()} picks the available provider of highest priority that allows detection.
 */
public interface BackendSelector {
    /**
     * The selector's name, for logs and messages.
     *
     * @return e.g. {@code "platform"}
     */
    String name();

    /**
     * Rank among selectors when several are present: the highest is asked.
     *
     * @return the priority; 0 by default
     */
    default int priority() {
        return 0;
    }

    /**
     * Chooses the backend to open on this machine.
     *
     * @param providers the providers found, highest priority first
     * @return the name of one of them
     * @throws io.xen4j.hal.api.XenHalException ({@code ENODEV}) saying what the machine is and
     *                                          why no provider fits it
     */
    String selectBackend(List<XenHostProvider> providers);
}
