package io.xen4j.hal.memory;

import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.api.XenHostOptions;
import io.xen4j.hal.spi.XenHostProvider;

/**
 * Registers the simulated host as the HAL backend {@code "memory"}. It is never picked by
 * detection, only by name: {@code XenHosts.open("memory")} creates a fresh {@link SimulatedXen}
 * and returns dom0's host; closing that host closes the simulated host.
 *
 * <p>Options: {@code seed} (a number, default 0).
 */
public final class MemoryXenHostProvider implements XenHostProvider {
    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public MemoryXenHostProvider() {
    }

    @Override
    public String name() {
        return SimHost.BACKEND;
    }

    @Override
    public int priority() {
        return -100;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public boolean selectedByDetection() {
        return false;
    }

    @Override
    public XenHost open(final XenHostOptions options) {
        final SimulatedXen xen = SimulatedXen.builder().seed(options.getLong("seed", 0)).build();
        final DomainCore dom0 = java.util.Objects.requireNonNull(xen.hypervisor().anyDomain(0));
        xen.hypervisor().lock.lock();
        try {
            final SimHost host = new SimHost(dom0, xen::close);
            dom0.hosts.add(host);
            return host;
        } finally {
            xen.hypervisor().lock.unlock();
        }
    }
}
