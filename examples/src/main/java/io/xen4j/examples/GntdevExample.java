package io.xen4j.examples;

import io.xen4j.abi.JvmFlags;
import io.xen4j.hal.api.MappedGrants;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.platform.PlatformHosts;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.agrona.concurrent.AtomicBuffer;

/**
 * Mapping another domain's grants ({@code /dev/xen/gntdev}) used directly: a guest grants a page
 * and writes a message; dom0 maps the grant read-only, reads the message, and its attempt to
 * write is refused; then it maps it writable and answers. With {@code --live}, {@code --peer D
 * --ref R} maps grant R of domain D read-only and prints its first 32 bytes; without them this
 * domain grants a page to itself and maps it back.
 */
public final class GntdevExample {
    private GntdevExample() {
    }

    /**
     * Runs the example.
     *
     * @param args {@code [--live] [--peer D --ref R]}
     */
    public static void main(final String[] args) {
        JvmFlags.requireAgronaAccess();
        run(args, System.out);
    }

    static void run(final String[] args, final PrintStream out) {
        final ExampleArgs a = ExampleArgs.parse(args);
        if (a.live()) {
            try (XenHost host = PlatformHosts.open()) {
                if (a.has("ref")) {
                    final int peer = (int) a.get("peer", 0);
                    out.printf("gntdev on the live host: dom%d maps grant %d of dom%d read-only%n", host.domid(),
                        a.get("ref", 0), peer);
                    try (MappedGrants m = host.grantTables().map(peer, (int) a.get("ref", 0), false)) {
                        final byte[] head = new byte[32];
                        m.buffer().getBytes(0, head);
                        out.printf("  first 32 bytes: %s%n", HexFormat.ofDelimiter(" ").formatHex(head));
                    }
                } else {
                    out.printf("gntdev on the live host (%s backend): dom%d maps its own grant%n", host.backendName(),
                        host.domid());
                    exchange(host, host, out);
                }
            }
            return;
        }
        try (SimulatedXen xen = SimulatedXen.create()) {
            final XenHost guest = xen.createDomain("guest").host();
            out.printf("gntdev on the simulated host: dom%d maps a grant of dom%d%n", xen.dom0().domid(), guest.domid());
            exchange(guest, xen.dom0().host(), out);
            out.printf("  grant mappings still open: %d%n", xen.resources().grantMappings());
        }
    }

    static void exchange(final XenHost granter, final XenHost mapper, final PrintStream out) {
        try (SharedPages page = granter.grantTables().share(mapper.domid(), 1, true)) {
            final byte[] msg = ("hello from dom" + granter.domid()).getBytes(StandardCharsets.US_ASCII);
            page.buffer().putInt(0, msg.length);
            page.buffer().putBytes(4, msg);
            out.printf("  dom%d granted ref %d and wrote \"%s\"%n", granter.domid(), page.grantRef(0),
                new String(msg, StandardCharsets.US_ASCII));
            try (MappedGrants ro = mapper.grantTables().map(granter.domid(), page.grantRef(0), false)) {
                final AtomicBuffer b = ro.buffer();
                out.printf("  dom%d maps it read-only and reads \"%s\"%n", mapper.domid(), GntallocExample.text(b, 0));
                try {
                    b.putInt(2048, 1);
                    out.println("  a write through the read-only mapping went through (unchecked view)");
                } catch (final XenHalException e) {
                    out.printf("  a write through the read-only mapping is refused: %s%n", e.detail());
                }
            }
            try (MappedGrants rw = mapper.grantTables().map(granter.domid(), page.grantRef(0), true)) {
                final byte[] reply = ("hello back from dom" + mapper.domid()).getBytes(StandardCharsets.US_ASCII);
                rw.buffer().putInt(2048, reply.length);
                rw.buffer().putBytes(2052, reply);
            }
            out.printf("  dom%d maps it writable and answers; dom%d reads \"%s\"%n", mapper.domid(), granter.domid(),
                GntallocExample.text(page.buffer(), 2048));
        }
    }
}
