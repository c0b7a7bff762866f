package io.xen4j.hal.linux;

import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.api.XenHostOptions;
import io.xen4j.hal.linux.internal.LinuxPaths;
import io.xen4j.hal.linux.internal.LinuxPaths.Device;
import io.xen4j.hal.spi.XenHostProvider;

/**
 * Registers the Linux HAL as the backend {@code "linux"}: available where the Xen devices exist,
 * picked by detection ({@code XenHosts.open()}) before any simulation. See {@link LinuxXenHost}
 * for the options.
 */
public final class LinuxXenHostProvider implements XenHostProvider {
    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public LinuxXenHostProvider() {
    }

    @Override
    public String name() {
        return LinuxXenHost.BACKEND;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public boolean isAvailable() {
        final LinuxPaths p = LinuxPaths.DEFAULT;
        return p.exists(Device.PRIVCMD) || p.exists(Device.EVTCHN);
    }

    @Override
    public String unavailableReason() {
        final LinuxPaths p = LinuxPaths.DEFAULT;
        return p.path(Device.PRIVCMD) + " missing: not running in a Xen domain, or xenfs and the Xen device modules"
            + " (xen-privcmd, xen-evtchn, xen-gntalloc, xen-gntdev) are not loaded";
    }

    @Override
    public XenHost open(final XenHostOptions options) {
        return LinuxXenHost.open(options);
    }
}
