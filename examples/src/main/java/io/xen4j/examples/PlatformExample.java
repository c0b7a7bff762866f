package io.xen4j.examples;

import io.xen4j.platform.DevXenNode;
import io.xen4j.platform.PlatformDetector;
import io.xen4j.platform.PlatformReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * Says whether this JVM runs on Xen and how: the hypervisor, guest type, Xen version, dom0 or
 * not, the platform PCI device and the {@code /dev/xen} nodes, with the files each conclusion
 * came from. Reads {@code /} by default, or the root directory given (a copied or fake tree).
 */
public final class PlatformExample {
    private PlatformExample() {
    }

    /**
     * Runs the example.
     *
     * @param args {@code [root]}
     */
    public static void main(final String[] args) {
        run(args, System.out);
    }

    static void run(final String[] args, final PrintStream out) {
        if (args.length > 1) {
            throw new IllegalArgumentException("usage: PlatformExample [root]");
        }
        final PlatformReport r = PlatformDetector.detect(Path.of(args.length == 0 ? "/" : args[0]));
        out.println(r.summary());
        out.printf("  hypervisor %s, guest type %s, version %s, control domain %s, CPU hypervisor flag %s%n",
            r.hypervisor(), r.guestType(), r.version(), r.controlDomain(), r.cpuHypervisorFlag());
        if (!r.uuid().isEmpty()) {
            out.printf("  domain uuid %s%n", r.uuid());
        }
        for (final Map.Entry<String, String> p : new java.util.TreeMap<>(r.properties()).entrySet()) {
            out.printf("  property %s = %s%n", p.getKey(), printable(p.getValue()));
        }
        for (final DevXenNode n : DevXenNode.values()) {
            out.printf("  /dev/xen/%-14s %s%n", n.fileName(), r.has(n) ? "present" : "absent");
        }
        for (final String e : r.evidence()) {
            out.printf("  evidence: %s%n", e);
        }
    }

    /** A value as text, or in hex when it holds bytes that are not printable (Xen's build id is binary). */
    static String printable(final String value) {
        if (value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return value;
        }
        return "hex " + java.util.HexFormat.of().formatHex(value.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }
}
