package io.xen4j.hal.linux;

import io.xen4j.abi.Xen;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.api.XenHostOptions;
import io.xen4j.hal.contract.XenTestBed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The contract suites' test bed inside dom0 on real Xen: three Linux hosts of dom0 (each with its
 * own device files, as three processes), so that one acts as the guest that shares and allocates
 * and another as the privileged domain that maps and binds. Tests that need distinct domains are
 * skipped ({@link LiveXenSkip}).
 *
 * <p>Its resource counts are what the kernel and the hypervisor hold: grant entries of dom0's
 * grant table that a domain maps ({@code GTF_reading}/{@code GTF_writing}), user event-channel
 * interrupts, mappings and descriptors of {@code /dev/xen} devices in this process, and the hosts'
 * open handles. Grant entries still granted but mapped by no one are not counted: a share closed
 * while its peer mapped it is ended by the kernel's deferred list, which Linux works through at
 * most ten entries a second ({@code gnttab_handle_deferred}); {@code LinuxLiveTest} checks that
 * one such entry is ended.
 */
final class LinuxTestBed implements XenTestBed {
    /** VIRQs that dom0's kernel and daemons usually leave free, best first (CON_RING can be raised). */
    private static final int[] VIRQ_CANDIDATES = {Xen.VIRQ_CON_RING, Xen.VIRQ_TBUF, Xen.VIRQ_ENOMEM, Xen.VIRQ_ARCH_7};
    private static final Path XL = Path.of("/usr/lib/xen-4.17/bin/xl");
    private static int freeVirq = -1;

    private final LinuxXenHost privileged;
    private final LinuxXenHost guest;
    private final LinuxXenHost other;
    private @Nullable SharedPages frameSource;

    LinuxTestBed() {
        privileged = LinuxXenHost.open(XenHostOptions.NONE);
        guest = LinuxXenHost.open(XenHostOptions.NONE);
        other = LinuxXenHost.open(XenHostOptions.NONE);
        // Open the devices and map the grant table now, so that counting resources before and
        // after a test compares the work of the test only.
        for (final LinuxXenHost h : List.of(privileged, guest, other)) {
            h.openDevices();
            h.linuxGrantTables().ownTable().countInUse("map the grant table");
        }
    }

    /**
     * A new host of the guest's domain, as a second process.
     *
     * @return the host
     */
    static LinuxXenHost openHost() {
        return LinuxXenHost.open(XenHostOptions.NONE);
    }

    @Override
    public XenHost privileged() {
        return privileged;
    }

    @Override
    public XenHost guest() {
        return guest;
    }

    @Override
    public XenHost other() {
        return other;
    }

    @Override
    public void advanceTime(final long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean canRaiseVirq() {
        return unusedVirq() == Xen.VIRQ_CON_RING && Files.isExecutable(XL);
    }

    @Override
    public void raiseVirq(final XenHost host, final int virq) {
        if (virq != Xen.VIRQ_CON_RING) {
            throw new UnsupportedOperationException("the live bed raises only VIRQ_CON_RING");
        }
        // Any hypervisor console output raises VIRQ_CON_RING on its handler domain, dom0.
        try {
            final Process p = new ProcessBuilder(XL.toString(), "debug-keys", "h").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("xl debug-keys did not finish");
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized int unusedVirq() {
        if (freeVirq < 0) {
            for (final int v : VIRQ_CANDIDATES) {
                try (EventChannel ch = guest.eventChannels().bindVirq(v, c -> { })) {
                    freeVirq = v;
                    break;
                } catch (final XenHalException e) {
                    // bound by the kernel or a daemon: try the next
                }
            }
            if (freeVirq < 0) {
                throw new IllegalStateException("no free VIRQ among the candidates in dom0");
            }
        }
        return freeVirq;
    }

    @Override
    public long[] unpopulatedGuestFrames(final int count) {
        throw new UnsupportedOperationException("the Linux HAL has no memory reservation service");
    }

    @Override
    public synchronized long populatedGuestFrame() {
        // A page the guest shares: its frame, read from the guest's grant table, is dom0 memory
        // that the bed owns, so a test may write it.
        SharedPages s = frameSource;
        if (s == null) {
            s = guest.grantTables().share(privileged.domid(), 1, true);
            frameSource = s;
        }
        final long frame = guest.linuxGrantTables().ownTable().frame(s.grantRef(0), "read the frame of a shared page");
        if (frame <= 0) {
            throw new IllegalStateException("grant ref " + s.grantRef(0) + " has no frame");
        }
        return frame;
    }

    @Override
    public Map<String, Long> resources() {
        final Map<String, Long> m = new LinkedHashMap<>();
        m.put("grantEntriesMapped", (long) privileged.linuxGrantTables().ownTable().countMapped("count mapped grants"));
        m.put("openHandles", (long) (privileged.core().handleCount() + guest.core().handleCount()
            + other.core().handleCount()));
        m.put("userEventChannelIrqs", countLines(Path.of("/proc/interrupts"), "evtchn:"));
        // The hosts' views of the grant table grow with it: they are the bed's, not the test's.
        m.put("devXenMappings", countLines(Path.of("/proc/self/maps"), "/dev/xen/") - tableFrames());
        m.put("devXenDescriptors", devXenDescriptors());
        return m;
    }

    private long tableFrames() {
        long n = 0;
        for (final LinuxXenHost h : List.of(privileged, guest, other)) {
            n += h.linuxGrantTables().ownTable().mappedFrames();
        }
        return n;
    }

    private static long countLines(final Path file, final String needle) {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.ISO_8859_1)) {
            return lines.filter(l -> l.contains(needle)).count();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long devXenDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            final List<Path> all = fds.toList();
            long n = 0;
            for (final Path fd : all) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("/dev/xen/")) {
                        n++;
                    }
                } catch (final IOException e) {
                    // closed meanwhile
                }
            }
            return n;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            final SharedPages s = frameSource;
            if (s != null && !s.isClosed()) {
                s.close();
            }
        } finally {
            privileged.close();
            guest.close();
            other.close();
        }
    }
}
