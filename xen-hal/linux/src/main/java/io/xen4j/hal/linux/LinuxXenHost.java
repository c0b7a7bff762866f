package io.xen4j.hal.linux;

import io.xen4j.abi.JvmFlags;
import io.xen4j.abi.Xen;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.EventChannels;
import io.xen4j.hal.api.ForeignMemory;
import io.xen4j.hal.api.GrantTables;
import io.xen4j.hal.api.Hypercalls;
import io.xen4j.hal.api.MemoryReservation;
import io.xen4j.hal.api.PlatformInfo;
import io.xen4j.hal.api.PlatformOps;
import io.xen4j.hal.api.Timers;
import io.xen4j.hal.api.UnsupportedServiceException;
import io.xen4j.hal.api.XenClock;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.api.XenHostOptions;
import io.xen4j.hal.api.XenService;
import io.xen4j.hal.linux.internal.HostCore;
import io.xen4j.hal.linux.internal.Ioctl;
import io.xen4j.hal.linux.internal.LinuxEventChannels;
import io.xen4j.hal.linux.internal.LinuxForeignMemory;
import io.xen4j.hal.linux.internal.LinuxGrantTables;
import io.xen4j.hal.linux.internal.LinuxHypercalls;
import io.xen4j.hal.linux.internal.LinuxPaths;
import io.xen4j.hal.linux.internal.LinuxPaths.Device;
import io.xen4j.hal.linux.internal.LinuxPlatformOps;
import io.xen4j.hal.linux.internal.NativeEvtchnDevice;
import io.xen4j.hal.linux.internal.PlatformFacts;
import io.xen4j.hal.linux.internal.DeviceFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@link XenHost} of the domain this process runs in, over the Linux Xen devices
 * ({@code /dev/xen/evtchn}, {@code gntalloc}, {@code gntdev}, {@code privcmd},
 * {@code hypercall}) through the Foreign Function and Memory API. Each host opens its own device
 * files, on first use, as one process would: two hosts of one domain are two independent users
 * of the devices.
 *
 * <p>Services: event channels, grant tables, hypercalls and the platform information wherever
 * their devices exist; foreign memory and platform operations in the control domain
 * ({@code control_d} in {@code /proc/xen/capabilities}). Not offered: the memory reservation,
 * timers and the Xen clock, which the guest kernel owns; their accessors say so.
 *
 * <p>Options ({@link XenHostOptions}): {@value #OPTION_DEV_XEN} (default {@code /dev/xen}),
 * {@value #OPTION_SYS_HYPERVISOR} ({@code /sys/hypervisor}), {@value #OPTION_PROC_XEN}
 * ({@code /proc/xen}), {@value #OPTION_DOMID} (this domain's id, when neither
 * {@code /proc/xen/capabilities} nor xenstore can tell it).
 *
 * <p>The JVM needs {@code --enable-native-access=io.xen4j.hal.linux} (module path) or
 * {@code =ALL-UNNAMED} (class path); {@link #open} explains a missing flag.
 */
public final class LinuxXenHost implements XenHost {
    /** The backend's name. */
    public static final String BACKEND = "linux";
    /** Option: the folder of the Xen devices. */
    public static final String OPTION_DEV_XEN = "devXen";
    /** Option: the hypervisor's sysfs folder. */
    public static final String OPTION_SYS_HYPERVISOR = "sysHypervisor";
    /** Option: where xenfs is mounted. */
    public static final String OPTION_PROC_XEN = "procXen";
    /** Option: this domain's id. */
    public static final String OPTION_DOMID = "domid";

    private final HostCore core;
    private final Set<XenService> services;
    private final Map<XenService, String> missing;
    private final PlatformInfo platform;
    private final LinuxEventChannels eventChannels;
    private final LinuxGrantTables grantTables;
    private final LinuxForeignMemory foreignMemory;
    private final LinuxHypercalls hypercalls;
    private final LinuxPlatformOps platformOps;
    private final Arena arena = Arena.ofShared();

    private LinuxXenHost(final HostCore core) {
        this.core = core;
        final LinuxPaths paths = core.paths();
        final PlatformFacts f = core.facts();
        final EnumMap<XenService, String> why = new EnumMap<>(XenService.class);
        if (!paths.exists(Device.EVTCHN)) {
            why.put(XenService.EVENT_CHANNELS, paths.path(Device.EVTCHN) + " does not exist (module xen-evtchn)");
        }
        if (!paths.exists(Device.GNTALLOC) && !paths.exists(Device.GNTDEV)) {
            why.put(XenService.GRANT_TABLES, paths.path(Device.GNTALLOC) + " and " + paths.path(Device.GNTDEV)
                + " do not exist (modules xen-gntalloc, xen-gntdev)");
        }
        final String noPrivcmd = paths.path(Device.PRIVCMD) + " does not exist (module xen-privcmd)";
        final String notPrivileged = "dom" + core.domid() + " is not privileged: /proc/xen/capabilities has no"
            + " control_d";
        if (!paths.exists(Device.PRIVCMD)) {
            why.put(XenService.HYPERCALLS, noPrivcmd);
            why.put(XenService.FOREIGN_MEMORY, noPrivcmd);
            why.put(XenService.PLATFORM_OPS, noPrivcmd);
        } else if (!f.controlDomain()) {
            why.put(XenService.FOREIGN_MEMORY, notPrivileged);
            why.put(XenService.PLATFORM_OPS, notPrivileged);
        }
        why.put(XenService.MEMORY_RESERVATION, "the guest kernel's balloon driver owns this domain's reservation; a"
            + " process cannot populate its physmap (set /sys/devices/system/xen_memory/xen_memory0/target_kb)");
        why.put(XenService.TIMERS, "the guest kernel owns the vCPUs' one-shot timers (VCPUOP_set_singleshot_timer);"
            + " a process cannot arm them");
        why.put(XenService.CLOCK, "Xen system time (vcpu_time_info) is kept by the guest kernel and not exported to"
            + " processes");
        final EnumSet<XenService> offered = EnumSet.allOf(XenService.class);
        offered.removeAll(why.keySet());
        this.services = Collections.unmodifiableSet(offered);
        this.missing = Collections.unmodifiableMap(why);
        int major = f.versionMajor();
        int minor = f.versionMinor();
        if (!f.versionKnown() && f.xen() && paths.exists(Device.PRIVCMD)) {
            final long v = core.hypercall("read the Xen version", Xen.HYPERVISOR_XEN_VERSION, Hypercalls.XENVER_VERSION, 0);
            major = (int) (v >>> 16);
            minor = (int) (v & 0xFFFF);
        }
        this.platform = new PlatformInfo(f.xen(), f.guestType(), major, minor, f.versionExtra(), f.controlDomain(),
            f.controlDomain() && core.domid() == 0, core.domid());
        this.eventChannels = new LinuxEventChannels(core,
            op -> new NativeEvtchnDevice(core.device(Device.EVTCHN, op), arena));
        this.grantTables = new LinuxGrantTables(core);
        this.foreignMemory = new LinuxForeignMemory(core);
        this.hypercalls = new LinuxHypercalls(core);
        this.platformOps = new LinuxPlatformOps(core);
    }

    /**
     * Opens the host of the domain this process runs in.
     *
     * @param options the options above; {@link XenHostOptions#NONE} for the real paths
     * @return the host
     * @throws XenHalException naming the missing JVM flag, or why the domain id is unknown
     */
    public static LinuxXenHost open(final XenHostOptions options) {
        try {
            JvmFlags.requireAgronaAccess();
            JvmFlags.requireNativeAccess(LinuxXenHost.class.getModule());
        } catch (final IllegalStateException e) {
            throw new XenHalException("open xen4j HAL backend " + BACKEND, 0, String.valueOf(e.getMessage()), e);
        }
        final LinuxPaths d = LinuxPaths.DEFAULT;
        final LinuxPaths paths = new LinuxPaths(
            Path.of(options.get(OPTION_DEV_XEN, d.devXen().toString())),
            Path.of(options.get(OPTION_SYS_HYPERVISOR, d.sysHypervisor().toString())),
            Path.of(options.get(OPTION_PROC_XEN, d.procXen().toString())));
        final PlatformFacts facts = PlatformFacts.read(paths);
        final int domid = domid(options, paths, facts);
        return new LinuxXenHost(new HostCore(paths, facts, domid));
    }

    private static int domid(final XenHostOptions options, final LinuxPaths paths, final PlatformFacts facts) {
        final long given = options.getLong(OPTION_DOMID, -1);
        if (given >= 0) {
            if (given >= Xen.DOMID_FIRST_RESERVED) {
                throw new IllegalArgumentException("option " + OPTION_DOMID + "=" + given + " is not a domain id");
            }
            return (int) given;
        }
        if (facts.controlDomain()) {
            return 0;
        }
        try {
            return PlatformFacts.readDomidFromXenstore(paths.path(Device.XENBUS));
        } catch (final RuntimeException e) {
            throw new XenHalException("open xen4j HAL backend " + BACKEND, Errno.ENODEV.number(),
                "cannot tell this domain's id: /proc/xen/capabilities has no control_d and reading \"domid\" from"
                    + " xenstore failed (" + e.getMessage() + "); pass the option " + OPTION_DOMID, e);
        }
    }

    private UnsupportedServiceException unsupported(final XenService s) {
        return new UnsupportedServiceException(s, BACKEND, core.domid(), missing.getOrDefault(s, "unsupported"));
    }

    @Override
    public int domid() {
        return core.domid();
    }

    @Override
    public String backendName() {
        return BACKEND;
    }

    @Override
    public Set<XenService> services() {
        return services;
    }

    @Override
    public EventChannels eventChannels() {
        if (!services.contains(XenService.EVENT_CHANNELS)) {
            throw unsupported(XenService.EVENT_CHANNELS);
        }
        return eventChannels;
    }

    @Override
    public GrantTables grantTables() {
        if (!services.contains(XenService.GRANT_TABLES)) {
            throw unsupported(XenService.GRANT_TABLES);
        }
        return grantTables;
    }

    @Override
    public ForeignMemory foreignMemory() {
        if (!services.contains(XenService.FOREIGN_MEMORY)) {
            throw unsupported(XenService.FOREIGN_MEMORY);
        }
        return foreignMemory;
    }

    @Override
    public Hypercalls hypercalls() {
        if (!services.contains(XenService.HYPERCALLS)) {
            throw unsupported(XenService.HYPERCALLS);
        }
        return hypercalls;
    }

    @Override
    public MemoryReservation memoryReservation() {
        throw unsupported(XenService.MEMORY_RESERVATION);
    }

    @Override
    public Timers timers() {
        throw unsupported(XenService.TIMERS);
    }

    @Override
    public XenClock clock() {
        throw unsupported(XenService.CLOCK);
    }

    @Override
    public PlatformOps platformOps() {
        if (!services.contains(XenService.PLATFORM_OPS)) {
            throw unsupported(XenService.PLATFORM_OPS);
        }
        return platformOps;
    }

    @Override
    public PlatformInfo platform() {
        return platform;
    }

    /**
     * Restricts this host's {@code /dev/xen/privcmd} to one domain for good
     * ({@code IOCTL_PRIVCMD_RESTRICT}): from then on its hypercalls fail with {@code EPERM} and
     * only that domain's memory can be mapped, what a device model does before it handles a
     * guest's requests.
     *
     * @param targetDomid the one domain left
     * @throws LinuxXenException naming the device and ioctl
     */
    public void restrictPrivcmd(final int targetDomid) {
        final String op = "restrict " + "privcmd of dom" + core.domid() + " to dom" + targetDomid;
        if (targetDomid < 0 || targetDomid >= Xen.DOMID_FIRST_RESERVED) {
            throw new XenHalException(op, Errno.EINVAL, "dom" + targetDomid + " is not a domain id");
        }
        final DeviceFile privcmd = core.device(Device.PRIVCMD, op);
        try (Arena a = Arena.ofConfined()) {
            final MemorySegment arg = a.allocate(ValueLayout.JAVA_SHORT);
            arg.set(ValueLayout.JAVA_SHORT, 0, (short) targetDomid);
            privcmd.ioctlOrThrow(op, Ioctl.PRIVCMD_RESTRICT, arg, 0);
        }
    }

    /**
     * The internals, for this module's tests (the live test bed reads the grant table with them).
     *
     * @return the host's state
     */
    HostCore core() {
        return core;
    }

    /**
     * Opens every device that exists now instead of on first use: the live test bed counts
     * descriptors before and after a test.
     */
    void openDevices() {
        for (final Device d : Device.values()) {
            if (d != Device.XENBUS && core.paths().exists(d)) {
                core.device(d, "open " + d.file());
            }
        }
    }

    /**
     * The grant tables with their Linux extras.
     *
     * @return the service
     */
    LinuxGrantTables linuxGrantTables() {
        return grantTables;
    }

    @Override
    public boolean isClosed() {
        return core.isClosed();
    }

    @Override
    public void close() {
        if (core.isClosed()) {
            return;
        }
        try {
            core.close();
        } finally {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "XenHost(" + BACKEND + ", dom" + core.domid() + (isClosed() ? ", closed" : "") + ")";
    }
}
