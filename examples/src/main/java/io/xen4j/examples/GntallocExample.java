package io.xen4j.examples;

import io.xen4j.abi.JvmFlags;
import io.xen4j.hal.api.MappedGrants;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.memory.GrantEntrySnapshot;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.platform.PlatformHosts;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.AtomicBuffer;

/**
 * Sharing this domain's pages with another ({@code /dev/xen/gntalloc}) used directly: grant two
 * pages, write into them, show the grant references a peer would map, and end access once the
 * peer let go. On the simulated host dom0 maps the pages meanwhile, so ending access is refused
 * until it unmaps; with {@code --live} the pages are granted to {@code --peer} (default dom0) and
 * the references printed for a program there to map.
 */
public final class GntallocExample {
    private GntallocExample() {
    }

    /**
     * Runs the example.
     *
     * @param args {@code [--live] [--peer N]}
     */
    public static void main(final String[] args) {
        JvmFlags.requireAgronaAccess();
        run(args, System.out);
    }

    static void run(final String[] args, final PrintStream out) {
        final ExampleArgs a = ExampleArgs.parse(args);
        if (a.live()) {
            try (XenHost host = PlatformHosts.open()) {
                final int peer = (int) a.get("peer", 0);
                out.printf("gntalloc on the live host (%s backend): dom%d grants 2 pages to dom%d%n", host.backendName(),
                    host.domid(), peer);
                try (SharedPages pages = host.grantTables().share(peer, 2, true)) {
                    fill(pages, host.domid(), out);
                    out.printf("  access ended: %s%n", pages.tryEndAccess());
                }
            }
            return;
        }
        try (SimulatedXen xen = SimulatedXen.create()) {
            final SimulatedDomain guest = xen.createDomain("guest");
            final XenHost g = guest.host();
            final XenHost dom0 = xen.dom0().host();
            out.printf("gntalloc on the simulated host: dom%d grants 2 pages to dom%d%n", g.domid(), dom0.domid());
            try (SharedPages pages = g.grantTables().share(dom0.domid(), 2, true)) {
                fill(pages, g.domid(), out);
                for (int i = 0; i < 2; i++) {
                    final GrantEntrySnapshot e = guest.grantEntry(pages.grantRef(i));
                    out.printf("  grant entry %d: flags 0x%04x, domid %d, frame 0x%x%n", e.ref(), e.flags(), e.domid(), e.frame());
                }
                try (MappedGrants mapped = dom0.grantTables().map(g.domid(), new int[] {pages.grantRef(0), pages.grantRef(1)}, false)) {
                    out.printf("  dom%d maps them and reads \"%s\" and \"%s\"%n", dom0.domid(), text(mapped.buffer(), 0),
                        text(mapped.buffer(), 4096));
                    out.printf("  end access while mapped: %s%n", pages.tryEndAccess() ? "ended" : "refused (still mapped)");
                }
                out.printf("  end access after the unmap: %s%n", pages.tryEndAccess() ? "ended" : "refused");
            }
            out.printf("  grant refs still held: %d%n", xen.resources().grantRefs());
        }
    }

    private static void fill(final SharedPages pages, final int domid, final PrintStream out) {
        final AtomicBuffer b = pages.buffer();
        for (int i = 0; i < pages.pageCount(); i++) {
            final byte[] msg = ("page " + i + " of dom" + domid).getBytes(StandardCharsets.US_ASCII);
            b.putInt(i * 4096, msg.length);
            b.putBytes(i * 4096 + 4, msg);
            out.printf("  page %d: grant ref %d, wrote \"%s\"%n", i, pages.grantRef(i), new String(msg, StandardCharsets.US_ASCII));
        }
    }

    static String text(final AtomicBuffer b, final int offset) {
        final int len = b.getInt(offset);
        if (len < 0 || len > 256) {
            return "<bad length " + len + ">";
        }
        final byte[] bytes = new byte[len];
        b.getBytes(offset + 4, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
