package io.xen4j.platform;

import io.xen4j.hal.api.GuestType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Detects whether and how the JVM runs on Xen from the files Linux exposes under a root
 * directory ({@code /} on a live system, a temporary tree in tests), as the xenpci role needs it:
 *
 * <ul>
 *   <li>{@code sys/hypervisor/type}, {@code guest_type}, {@code uuid}, {@code version/*} and
 *       {@code properties/*} (Xen's sysfs, present when the kernel runs on Xen);</li>
 *   <li>{@code proc/xen/capabilities}: {@code control_d} in the control domain;</li>
 *   <li>the Xen platform PCI device, vendor {@code 0x5853} device {@code 0x0001}, in
 *       {@code sys/bus/pci/devices/}{@code *}{@code /vendor} and {@code device} (HVM guests only: PV
 *       and PVH domains have no emulated PCI bus for it);</li>
 *   <li>{@code proc/cpuinfo}'s {@code hypervisor} flag. CPUID itself cannot be executed from
 *       pure Java (no inline assembly, and the FFM API cannot call an instruction), so the
 *       kernel's reading of CPUID leaf 1 ECX bit 31 is used instead; the Xen leaves at
 *       {@code 0x40000000} are read only indirectly, through what the kernel put in sysfs;</li>
 *   <li>other hypervisors, to say what the machine is when it is not Xen: the
 *       {@code kvm-clock} clocksource and DMI's {@code sys_vendor} and {@code product_name};</li>
 *   <li>{@code dev/xen/*}: which HAL services the kernel offers.</li>
 * </ul>
 *
 * <p>Missing or unreadable files mean "not this", never an error; each file is read up to
 * {@value #MAX_FILE_BYTES} bytes and at most {@value #MAX_PCI_DEVICES} PCI devices are looked
 * at, so a strange tree costs bounded work.
 */
public final class PlatformDetector {
    /** The most bytes read of one file. */
    public static final int MAX_FILE_BYTES = 4096;
    /** The most PCI devices examined. */
    public static final int MAX_PCI_DEVICES = 1024;
    /** The most {@code /sys/hypervisor/properties} files read. */
    public static final int MAX_PROPERTIES = 64;
    /** The most {@code /proc/cpuinfo} lines read before the first {@code flags} line. */
    public static final int MAX_CPUINFO_LINES = 256;
    /** The Xen platform PCI device's vendor id ({@code PCI_VENDOR_ID_XEN}). */
    public static final int XEN_PCI_VENDOR = 0x5853;
    /** The Xen platform PCI device's device id ({@code PCI_DEVICE_ID_XEN_PLATFORM}). */
    public static final int XEN_PLATFORM_PCI_DEVICE = 0x0001;

    private final Path root;

    private PlatformDetector(final Path root) {
        this.root = root;
    }

    /**
     * Detects the platform of the running system.
     *
     * @return the report
     */
    public static PlatformReport detect() {
        return detect(Path.of("/"));
    }

    /**
     * Detects the platform described by the files under a root directory.
     *
     * @param root the directory holding {@code sys}, {@code proc} and {@code dev}
     * @return the report
     */
    public static PlatformReport detect(final Path root) {
        return new PlatformDetector(root).run();
    }

    private PlatformReport run() {
        final List<String> evidence = new ArrayList<>();
        final Path hyp = root.resolve("sys/hypervisor");
        final String type = read(hyp.resolve("type"));
        final String caps = read(root.resolve("proc/xen/capabilities"));
        final String pci = findPlatformPciDevice();
        final boolean cpuFlag = cpuHypervisorFlag();
        final String vendor = read(root.resolve("sys/class/dmi/id/sys_vendor"));
        final String product = read(root.resolve("sys/class/dmi/id/product_name"));
        final String clocks = read(root.resolve("sys/devices/system/clocksource/clocksource0/available_clocksource"));
        final Set<DevXenNode> dev = EnumSet.noneOf(DevXenNode.class);
        for (final DevXenNode n : DevXenNode.values()) {
            if (Files.exists(root.resolve("dev/xen").resolve(n.fileName()))) {
                dev.add(n);
            }
        }

        if (type != null) {
            evidence.add("sys/hypervisor/type: " + type);
        }
        if (caps != null) {
            evidence.add("proc/xen/capabilities: \"" + caps + "\"");
        }
        if (pci != null) {
            evidence.add("Xen platform PCI device 5853:0001 at " + pci);
        }
        evidence.add("proc/cpuinfo hypervisor flag: " + (cpuFlag ? "set" : "not set"));

        final boolean xen = "xen".equals(type) || caps != null || pci != null || "Xen".equals(vendor)
            || Files.isDirectory(root.resolve("proc/xen"));
        final Hypervisor hv;
        if (xen) {
            hv = Hypervisor.XEN;
        } else {
            hv = otherHypervisor(type, vendor, product, clocks, cpuFlag, evidence);
        }
        if (!xen) {
            return new PlatformReport(hv, GuestType.NONE, 0, 0, "", false, false, "", new TreeMap<>(), null, cpuFlag,
                dev, evidence);
        }
        if ("Xen".equals(vendor)) {
            evidence.add("DMI sys_vendor: Xen (an HVM guest's emulated firmware)");
        }
        final GuestType guest = guestType(read(hyp.resolve("guest_type")), pci, vendor, evidence);
        final Integer major = readInt(hyp.resolve("version/major"));
        final Integer minor = readInt(hyp.resolve("version/minor"));
        final String extra = read(hyp.resolve("version/extra"));
        final int maj = major == null ? -1 : major;
        final int min = minor == null ? -1 : minor;
        final boolean known = maj >= 0 && min >= 0;
        if (known) {
            evidence.add("sys/hypervisor/version: " + maj + "." + min + (extra == null ? "" : extra));
        }
        final boolean control = caps != null && List.of(caps.split("[,\\s]+")).contains("control_d");
        final String uuid = read(hyp.resolve("uuid"));
        return new PlatformReport(hv, guest, known ? maj : 0, known ? min : 0, extra == null ? "" : extra, known,
            control, uuid == null ? "" : uuid, properties(hyp.resolve("properties")), pci, cpuFlag, dev, evidence);
    }

    private static GuestType guestType(final @Nullable String guestType, final @Nullable String pci,
                                       final @Nullable String vendor, final List<String> evidence) {
        if (guestType != null) {
            final GuestType t = switch (guestType.toUpperCase(Locale.ROOT)) {
                case "PV" -> GuestType.PV;
                case "HVM" -> GuestType.HVM;
                case "PVH" -> GuestType.PVH;
                default -> null;
            };
            if (t != null) {
                evidence.add("sys/hypervisor/guest_type: " + guestType);
                return t;
            }
            evidence.add("sys/hypervisor/guest_type: unknown value \"" + guestType + "\", guessed from the rest");
        }
        // Kernels before 4.15 lack guest_type. An emulated PCI device or Xen firmware means HVM;
        // otherwise PV, which is how such kernels ran dom0 and most guests (PVH came with 4.11+).
        if (pci != null || "Xen".equals(vendor)) {
            evidence.add("guest type HVM: no guest_type, but emulated hardware is present");
            return GuestType.HVM;
        }
        evidence.add("guest type PV: no guest_type and no emulated hardware");
        return GuestType.PV;
    }

    private static Hypervisor otherHypervisor(final @Nullable String type, final @Nullable String vendor,
                                              final @Nullable String product, final @Nullable String clocks,
                                              final boolean cpuFlag, final List<String> evidence) {
        final String v = vendor == null ? "" : vendor;
        final String p = product == null ? "" : product;
        if (clocks != null && List.of(clocks.split("\\s+")).contains("kvm-clock")) {
            evidence.add("clocksource kvm-clock available: KVM");
            return Hypervisor.KVM;
        }
        if (p.startsWith("KVM") || v.equals("QEMU") && cpuFlag) {
            evidence.add("DMI " + v + " " + p + ": KVM");
            return Hypervisor.KVM;
        }
        if (v.startsWith("Microsoft") && cpuFlag) {
            evidence.add("DMI sys_vendor " + v + " with the hypervisor flag: Hyper-V");
            return Hypervisor.HYPER_V;
        }
        if (v.startsWith("VMware")) {
            evidence.add("DMI sys_vendor " + v + ": VMware");
            return Hypervisor.VMWARE;
        }
        if (cpuFlag || type != null) {
            evidence.add("a hypervisor is present" + (type == null ? "" : " (sys/hypervisor/type " + type + ")")
                + " but nothing names it");
            return Hypervisor.OTHER;
        }
        return Hypervisor.NONE;
    }

    private @Nullable String findPlatformPciDevice() {
        final Path devices = root.resolve("sys/bus/pci/devices");
        if (!Files.isDirectory(devices)) {
            return null;
        }
        final TreeSet<String> names = new TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(devices)) {
            for (final Path d : ds) {
                if (names.size() >= MAX_PCI_DEVICES) {
                    break;
                }
                names.add(d.getFileName().toString());
            }
        } catch (final IOException | SecurityException e) {
            return null;
        }
        for (final String name : names) {
            final Path d = devices.resolve(name);
            if (hexEquals(read(d.resolve("vendor")), XEN_PCI_VENDOR)
                && hexEquals(read(d.resolve("device")), XEN_PLATFORM_PCI_DEVICE)) {
                return name;
            }
        }
        return null;
    }

    private static boolean hexEquals(final @Nullable String s, final int value) {
        if (s == null) {
            return false;
        }
        final String digits = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
        if (digits.isEmpty() || digits.length() > 8) {
            return false;
        }
        try {
            return Integer.parseUnsignedInt(digits, 16) == value;
        } catch (final NumberFormatException e) {
            return false;
        }
    }

    private boolean cpuHypervisorFlag() {
        final Path cpuinfo = root.resolve("proc/cpuinfo");
        try (BufferedReader r = Files.newBufferedReader(cpuinfo, StandardCharsets.US_ASCII)) {
            for (int i = 0; i < MAX_CPUINFO_LINES; i++) {
                final String line = r.readLine();
                if (line == null) {
                    return false;
                }
                // x86 "flags", and the first processor's line is enough: all CPUs share CPUID leaf 1's bit 31.
                if (line.startsWith("flags")) {
                    final int colon = line.indexOf(':');
                    return colon >= 0 && List.of(line.substring(colon + 1).trim().split("\\s+")).contains("hypervisor");
                }
            }
        } catch (final IOException | SecurityException | java.io.UncheckedIOException e) {
            return false;
        }
        return false;
    }

    private static TreeMap<String, String> properties(final Path dir) {
        final TreeMap<String, String> props = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return props;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (final Path p : ds) {
                if (props.size() >= MAX_PROPERTIES) {
                    break;
                }
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    final String v = read(p);
                    if (v != null) {
                        props.put(p.getFileName().toString(), v);
                    }
                }
            }
        } catch (final IOException | SecurityException e) {
            return props;
        }
        return props;
    }

    /** The file's first {@value #MAX_FILE_BYTES} bytes as trimmed ASCII, or null if it cannot be read. */
    static @Nullable String read(final Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (InputStream in = Files.newInputStream(file)) {
            final byte[] bytes = in.readNBytes(MAX_FILE_BYTES);
            final String s = new String(bytes, StandardCharsets.US_ASCII);
            // sysfs strings end with a newline; some (version/extra) may carry a NUL.
            return s.replace("\0", "").trim();
        } catch (final IOException | SecurityException e) {
            return null;
        }
    }

    private static @Nullable Integer readInt(final Path file) {
        final String s = read(file);
        if (s == null) {
            return null;
        }
        try {
            return Integer.valueOf(s);
        } catch (final NumberFormatException e) {
            return null;
        }
    }
}
