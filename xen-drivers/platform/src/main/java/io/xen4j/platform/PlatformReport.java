package io.xen4j.platform;

import io.xen4j.hal.api.GuestType;
import io.xen4j.hal.api.PlatformInfo;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What {@link PlatformDetector} found: which hypervisor, and on Xen the guest type, the version,
 * whether this is the control domain and which {@code /dev/xen} nodes exist. Every conclusion
 * has a line in {@link #evidence()} naming the file it came from.
 *
 * @param hypervisor        the hypervisor, {@link Hypervisor#NONE} on bare metal
 * @param guestType         on Xen, how the domain is virtualised; {@link GuestType#NONE} otherwise
 * @param versionMajor      Xen's major version, 0 when unknown or not on Xen
 * @param versionMinor      Xen's minor version
 * @param versionExtra      Xen's extra version, e.g. {@code ".2"}; empty when unknown
 * @param versionKnown      whether {@code /sys/hypervisor/version} gave major and minor
 * @param controlDomain     whether {@code /proc/xen/capabilities} says {@code control_d} (dom0)
 * @param uuid              {@code /sys/hypervisor/uuid}, the domain's UUID; empty when unknown
 * @param properties        {@code /sys/hypervisor/properties/*} by file name (capabilities,
 *                          changeset, features, pagesize, virtual_start, writable_pt, ...)
 * @param platformPciDevice the PCI address of the Xen platform device 5853:0001 (HVM guests), or
 *                          null when absent
 * @param cpuHypervisorFlag whether {@code /proc/cpuinfo}'s flags include {@code hypervisor}
 *                          (CPUID leaf 1, ECX bit 31, as the kernel saw it)
 * @param devXen            the {@code /dev/xen} nodes that exist
 * @param evidence          one line per file that decided something, in the order read
 */
public record PlatformReport(
    Hypervisor hypervisor,
    GuestType guestType,
    int versionMajor,
    int versionMinor,
    String versionExtra,
    boolean versionKnown,
    boolean controlDomain,
    String uuid,
    Map<String, String> properties,
    @Nullable String platformPciDevice,
    boolean cpuHypervisorFlag,
    Set<DevXenNode> devXen,
    List<String> evidence) {

    /**
     * Copies the collections and checks that the guest type agrees with the hypervisor.
     *
     * @param hypervisor        the hypervisor
     * @param guestType         the guest type
     * @param versionMajor      the major version
     * @param versionMinor      the minor version
     * @param versionExtra      the extra version
     * @param versionKnown      whether the version is known
     * @param controlDomain     whether this is dom0
     * @param uuid              the domain's UUID
     * @param properties        the hypervisor properties
     * @param platformPciDevice the platform device's PCI address
     * @param cpuHypervisorFlag the CPU flag
     * @param devXen            the device nodes
     * @param evidence          the evidence
     */
    public PlatformReport {
        Objects.requireNonNull(hypervisor, "hypervisor");
        Objects.requireNonNull(guestType, "guestType");
        if ((hypervisor == Hypervisor.XEN) == (guestType == GuestType.NONE)) {
            throw new IllegalArgumentException("hypervisor=" + hypervisor + " guestType=" + guestType
                + ": a Xen domain has a guest type, nothing else has one");
        }
        properties = Map.copyOf(properties);
        devXen = Set.copyOf(devXen);
        evidence = List.copyOf(evidence);
    }

    /**
     * Whether the JVM runs in a Xen domain.
     *
     * @return true on Xen
     */
    public boolean onXen() {
        return hypervisor == Hypervisor.XEN;
    }

    /**
     * The Xen version as Xen prints it.
     *
     * @return e.g. {@code "4.17.2"}; {@code "unknown"} on Xen without {@code /sys/hypervisor/version};
     *         {@code "none"} when not on Xen
     */
    public String version() {
        if (!onXen()) {
            return "none";
        }
        return versionKnown ? versionMajor + "." + versionMinor + versionExtra : "unknown";
    }

    /**
     * Whether a {@code /dev/xen} node exists.
     *
     * @param node the node
     * @return true if it exists
     */
    public boolean has(final DevXenNode node) {
        return devXen.contains(node);
    }

    /**
     * The report as the HAL's {@link PlatformInfo}. Linux's files do not say the domain id, and
     * only the control domain is known to be privileged.
     *
     * @param domid the domain id, from xenstore or the HAL
     * @return the platform information
     */
    public PlatformInfo toPlatformInfo(final int domid) {
        return new PlatformInfo(onXen(), guestType, versionMajor, versionMinor, versionExtra, controlDomain,
            controlDomain, domid);
    }

    /**
     * One line for logs.
     *
     * @return e.g. {@code "Xen 4.17.2 HVM guest (platform PCI device 0000:00:02.0), /dev/xen: evtchn gntdev"}
     */
    public String summary() {
        final StringBuilder sb = new StringBuilder();
        switch (hypervisor) {
            case XEN -> {
                sb.append("Xen ").append(version()).append(' ').append(guestType)
                    .append(controlDomain ? " control domain (dom0)" : " guest");
                if (platformPciDevice != null) {
                    sb.append(" (platform PCI device ").append(platformPciDevice).append(')');
                }
            }
            case NONE -> sb.append("no hypervisor detected (bare metal)");
            case OTHER -> sb.append("an unidentified hypervisor (CPU hypervisor flag set), not Xen");
            default -> sb.append(hypervisor).append(" guest, not Xen");
        }
        sb.append(", /dev/xen:");
        if (devXen.isEmpty()) {
            sb.append(" none");
        }
        for (final DevXenNode n : DevXenNode.values()) {
            if (devXen.contains(n)) {
                sb.append(' ').append(n.fileName());
            }
        }
        return sb.toString();
    }
}
