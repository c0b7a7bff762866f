package io.xen4j.examples;

import io.xen4j.abi.JvmFlags;
import io.xen4j.control.ControlGuest;
import io.xen4j.control.ControlTimeoutException;
import io.xen4j.control.ControlToolstack;
import io.xen4j.control.ShutdownAction;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.hal.memory.xenstore.SimulatedXenstore;
import io.xen4j.store.XenStoreClient;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;

/**
 * {@code xl shutdown}, {@code xl reboot} and {@code xl sysrq} in a few lines: writes the request to
 * the guest's {@code control} node and waits for the guest to acknowledge it.
 *
 * <pre>{@code
 * ShutdownTool poweroff|reboot|suspend|crash|halt|sysrq:<key> [domid] [timeout-seconds] [--live]
 * }</pre>
 *
 * <p>By default it runs on the simulated host, against a simulated guest that runs
 * {@link ControlGuest}; with {@code --live} it talks to the real xenstored of a dom0
 * ({@code XENSTORED_PATH} or {@code /run/xenstored/socket}) and needs the domain id.
 */
public final class ShutdownTool {
    private ShutdownTool() {
    }

    /**
     * Runs the tool.
     *
     * @param args the action, then optionally the domain id, the timeout and {@code --live}
     * @throws IOException if the live xenstored cannot be reached
     */
    public static void main(final String[] args) throws IOException {
        JvmFlags.requireAgronaAccess();
        System.exit(run(args, System.out));
    }

    static int run(final String[] args, final PrintStream out) throws IOException {
        final boolean live = java.util.Arrays.asList(args).contains("--live");
        final String[] a = java.util.Arrays.stream(args).filter(s -> !s.equals("--live")).toArray(String[]::new);
        if (a.length < 1 || live && a.length < 2) {
            out.println("usage: ShutdownTool poweroff|reboot|suspend|crash|halt|sysrq:<key> [domid] [timeout-seconds] [--live]");
            return 2;
        }
        final Duration timeout = Duration.ofSeconds(a.length > 2 ? Long.parseLong(a[2]) : 10);
        if (live) {
            try (XenStoreClient dom0 = XenStoreClient.open()) {
                return request(new ControlToolstack(dom0), Integer.parseInt(a[1]), a[0], timeout, out);
            }
        }
        try (SimulatedXen xen = SimulatedXen.create()) {
            final SimulatedXenstore xenstore = SimulatedXenstore.attach(xen);
            final SimulatedDomain guest = xen.createDomain("guest");
            try (XenStoreClient dom0 = XenStoreClient.connect(xenstore.connect(xen.dom0()));
                 XenStoreClient domU = XenStoreClient.connect(xenstore.connect(guest))) {
                final ControlToolstack toolstack = new ControlToolstack(dom0);
                toolstack.prepareDomain(guest.domid());
                try (ControlGuest g = new ControlGuest(domU, guest.domid(), EnumSet.allOf(ShutdownAction.class), true,
                    new io.xen4j.control.ControlHandler() {
                        @Override
                        public void onShutdown(final ShutdownAction action) {
                            out.println("simulated guest dom" + guest.domid() + ": " + action.word() + " requested");
                        }

                        @Override
                        public void onSysrq(final char key) {
                            out.println("simulated guest dom" + guest.domid() + ": sysrq " + key);
                        }
                    }).start()) {
                    final int rc = request(toolstack, a.length > 1 ? Integer.parseInt(a[1]) : guest.domid(), a[0], timeout, out);
                    // The handler runs on the guest's watch thread; give its line time to appear.
                    final long deadline = System.nanoTime() + 2_000_000_000L;
                    while (rc == 0 && g.acknowledged() == 0 && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                    return rc;
                }
            }
        }
    }

    private static int request(final ControlToolstack toolstack, final int domid, final String what, final Duration timeout,
        final PrintStream out) {
        try {
            if (what.startsWith("sysrq:") && what.length() == 7) {
                toolstack.requestSysrq(domid, what.charAt(6), timeout);
            } else {
                final ShutdownAction action = ShutdownAction.ofWord(what.toLowerCase(Locale.ROOT));
                if (action == null) {
                    out.println("unknown action " + what);
                    return 2;
                }
                toolstack.requestShutdown(domid, action, timeout);
            }
            out.println("dom" + domid + " acknowledged " + what);
            return 0;
        } catch (final ControlTimeoutException e) {
            out.println(e.getMessage());
            return 1;
        }
    }
}
