package io.xen4j.platform;

import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.api.XenHostOptions;
import io.xen4j.hal.api.XenHosts;
import io.xen4j.hal.spi.XenHostProvider;
import java.util.List;

/**
 * Opens the HAL backend the platform calls for: on Xen, with {@code /dev/xen/privcmd} or
 * {@code /dev/xen/evtchn}, the {@code "linux"} backend; anywhere else a clear refusal that says
 * what the machine is (KVM guest, bare metal, Xen without the device modules loaded) and how to
 * use the simulated host instead.
 *
 * <p>{@link XenHosts#open()} makes the same choice whenever this module is present: it finds
 * {@link PlatformBackendSelector} through {@link java.util.ServiceLoader} ({@code io.xen4j.hal}
 * cannot require this module, which requires it). {@link #open()} stays for callers that want the
 * platform's choice even where service loading does not see this module (a custom module layer).
 */
public final class PlatformHosts {
    /** The name of the Linux backend, as its provider registers it. */
    public static final String LINUX_BACKEND = "linux";

    private PlatformHosts() {
    }

    /**
     * Detects the platform of the running system and opens the backend it calls for; the system
     * property {@value XenHosts#BACKEND_PROPERTY} still overrides the choice.
     *
     * @return the host
     * @throws XenHalException with the detection summary, when this is not a usable Xen domain
     */
    public static XenHost open() {
        final String forced = System.getProperty(XenHosts.BACKEND_PROPERTY);
        if (forced != null && !forced.isBlank()) {
            return XenHosts.open(forced.trim());
        }
        final PlatformReport report = PlatformDetector.detect();
        final String backend = chooseBackend(report, XenHosts.providers());
        return XenHosts.open(backend, XenHostOptions.NONE);
    }

    /**
     * Chooses the backend for a platform among the providers found.
     *
     * @param report    what the platform is
     * @param providers the providers, highest priority first ({@link XenHosts#providers()})
     * @return the name of the backend to open
     * @throws XenHalException ({@link Errno#ENODEV}) saying why none fits: not on Xen, no
     *                         {@code /dev/xen} device to use, or no provider for a live host
     */
    public static String chooseBackend(final PlatformReport report, final List<XenHostProvider> providers) {
        final String op = "choose a xen4j HAL backend";
        if (!report.onXen()) {
            throw new XenHalException(op, Errno.ENODEV, "not running on Xen: " + report.summary()
                + "; for the simulated host open the backend by name: XenHosts.open(\"memory\")");
        }
        if (!report.has(DevXenNode.PRIVCMD) && !report.has(DevXenNode.EVTCHN)) {
            throw new XenHalException(op, Errno.ENODEV, report.summary()
                + ": neither /dev/xen/privcmd nor /dev/xen/evtchn exists; mount xenfs and load xen-privcmd,"
                + " xen-evtchn, xen-gntdev and xen-gntalloc");
        }
        for (final XenHostProvider p : providers) {
            // Only a backend over the real hypervisor fits a live Xen domain; a simulation never does.
            if (p.selectedByDetection() && p.name().equals(LINUX_BACKEND)) {
                return p.name();
            }
        }
        for (final XenHostProvider p : providers) {
            if (p.selectedByDetection()) {
                return p.name();
            }
        }
        throw new XenHalException(op, Errno.ENODEV, report.summary()
            + ": no HAL backend for a live Xen host on the module or class path; add xen-hal-linux");
    }
}
