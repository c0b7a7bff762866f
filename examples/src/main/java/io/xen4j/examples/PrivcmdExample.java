package io.xen4j.examples;

import io.xen4j.abi.JvmFlags;
import io.xen4j.abi.Xen;
import io.xen4j.hal.api.ForeignMapping;
import io.xen4j.hal.api.Hypercalls;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.platform.PlatformHosts;
import java.io.PrintStream;
import java.util.HexFormat;

/**
 * Hypercalls and foreign memory ({@code /dev/xen/privcmd}) used directly, as a privileged tool:
 * {@code xen_version(XENVER_version)} through a raw hypercall, then a guest's frames mapped
 * into dom0, written and read back through a second, read-only mapping. With {@code --live}
 * the hypercall is made on this host, and with {@code --peer D --gfn G} frame G of domain D is
 * mapped read-only and its first 32 bytes printed (dom0 only).
 */
public final class PrivcmdExample {
    private PrivcmdExample() {
    }

    /**
     * Runs the example.
     *
     * @param args {@code [--live] [--peer D --gfn G]}
     */
    public static void main(final String[] args) {
        JvmFlags.requireAgronaAccess();
        run(args, System.out);
    }

    static void run(final String[] args, final PrintStream out) {
        final ExampleArgs a = ExampleArgs.parse(args);
        if (a.live()) {
            try (XenHost host = PlatformHosts.open()) {
                out.printf("privcmd on the live host (%s backend), dom%d%n", host.backendName(), host.domid());
                version(host.hypercalls(), out);
                if (a.has("gfn")) {
                    final int peer = (int) a.get("peer", 0);
                    try (ForeignMapping m = host.foreignMemory().mapFrames(peer, new long[] {a.get("gfn", 0)}, false)) {
                        final byte[] head = new byte[32];
                        m.buffer().getBytes(0, head);
                        out.printf("  dom%d gfn 0x%x: %s%n", peer, a.get("gfn", 0), HexFormat.ofDelimiter(" ").formatHex(head));
                    }
                }
            }
            return;
        }
        try (SimulatedXen xen = SimulatedXen.create()) {
            final XenHost guest = xen.createDomain("guest").host();
            final XenHost dom0 = xen.dom0().host();
            out.printf("privcmd on the simulated host: dom%d (privileged) and dom%d%n", dom0.domid(), guest.domid());
            version(dom0.hypercalls(), out);
            try {
                dom0.hypercalls().hypercall(Xen.HYPERVISOR_MEMORY_OP, 0, 0);
            } catch (final XenHalException e) {
                out.printf("  memory_op on the simulated host: %s%n", e.errno());
            }
            final long[] gfns = {0x10, 0x11};
            try (ForeignMapping rw = dom0.foreignMemory().mapFrames(guest.domid(), gfns, true)) {
                out.printf("  dom%d maps dom%d gfns 0x10-0x11 writable: %d frame(s), all mapped %s%n", dom0.domid(),
                    guest.domid(), rw.frameCount(), rw.allMapped());
                rw.buffer().putLong(0, 0x0123_4567_89AB_CDEFL);
                rw.buffer().putLong(4096, 0x0FED_CBA9_8765_4321L);
            }
            try (ForeignMapping ro = dom0.foreignMemory().mapFrames(guest.domid(), gfns, false)) {
                out.printf("  read back read-only: 0x%016x 0x%016x%n", ro.buffer().getLong(0), ro.buffer().getLong(4096));
            }
            try {
                guest.foreignMemory();
                out.println("  the guest may map foreign memory too");
            } catch (final XenHalException e) {
                out.printf("  dom%d may not map foreign memory: %s%n", guest.domid(), e.detail());
            }
            out.printf("  foreign mappings still open: %d%n", xen.resources().foreignMappings());
        }
    }

    private static void version(final Hypercalls hc, final PrintStream out) {
        final long v = hc.hypercall(Xen.HYPERVISOR_XEN_VERSION, Hypercalls.XENVER_VERSION, 0);
        out.printf("  xen_version(XENVER_version) = 0x%x: Xen %d.%d%n", v, v >>> 16, v & 0xFFFF);
    }
}
