package io.xen4j.examples;

import io.xen4j.abi.JvmFlags;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.hal.memory.xenstore.SimulatedXenstore;
import io.xen4j.store.WatchEvent;
import io.xen4j.store.XenStoreClient;
import io.xen4j.store.XenStoreException;
import io.xen4j.store.XsWatch;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A xenstore browser: {@code xenstore-ls}, {@code xenstore-read}, {@code xenstore-write} and
 * {@code xenstore-watch} in one program, on the xen4j client.
 *
 * <pre>{@code
 * XenstoreBrowser [--live] ls [path]
 * XenstoreBrowser [--live] read <path>
 * XenstoreBrowser [--live] write <path> <value>
 * XenstoreBrowser [--live] watch <path> [events] [seconds]
 * }</pre>
 *
 * <p>By default it runs on a simulated host with dom0 and one guest ({@code guest1}, domain 1),
 * whose homes hold what the xl toolstack writes; for {@code watch}, the simulated guest writes
 * {@code data/step1}, {@code data/step2} and {@code data/step3} in its home, so watching {@code /local/domain/1} (or a parent)
 * shows events. With {@code --live} it opens the real xenstore as libxenstore does (the
 * xenstored socket, else {@code /dev/xen/xenbus}; {@code XENSTORED_PATH} overrides).
 */
public final class XenstoreBrowser {
    /** Most nodes {@code ls} prints: a tree larger than this is cut, with a line saying so. */
    static final int MAX_NODES = 5000;
    /** Longest value {@code ls} prints in full; longer ones are cut with their length. */
    static final int MAX_SHOWN_VALUE = 120;
    private static final String USAGE = "usage: XenstoreBrowser [--live] ls [path] | read <path> | write <path> <value>"
        + " | watch <path> [events, default 5] [seconds, default 30]";

    private XenstoreBrowser() {
    }

    /**
     * Runs the browser.
     *
     * @param args {@code [--live]} and a subcommand with its arguments
     * @throws IOException if the live xenstore cannot be opened
     */
    public static void main(final String[] args) throws IOException {
        JvmFlags.requireAgronaAccess();
        System.exit(run(args, System.out));
    }

    /**
     * Runs one subcommand.
     *
     * @param args the command line
     * @param out  where to print
     * @return the exit status: 0 done, 1 a xenstore error, 2 bad usage
     * @throws IOException if the live xenstore cannot be opened
     */
    static int run(final String[] args, final PrintStream out) throws IOException {
        final List<String> a = new ArrayList<>(List.of(args));
        final boolean live = a.remove("--live");
        if (a.isEmpty() || !valid(a)) {
            out.println(USAGE);
            return 2;
        }
        if (live) {
            try (XenStoreClient store = XenStoreClient.open()) {
                out.println("xenstore: " + store.connection());
                return command(store, a, out, null);
            }
        }
        try (SimulatedXen xen = SimulatedXen.create();
             SimulatedXenstore xenstore = SimulatedXenstore.attach(xen)) {
            final SimulatedDomain guest = xen.createDomain("guest1");
            try (XenStoreClient dom0 = XenStoreClient.connect(xenstore.connect(xen.dom0()));
                 XenStoreClient domU = XenStoreClient.connect(xenstore.connect(guest))) {
                out.println("xenstore: simulated host, dom0 and dom" + guest.domid() + " (" + guest.name() + ")");
                final String home = domU.getDomainPath(guest.domid());
                return command(dom0, a, out, () -> {
                    // The simulated guest reports a status in its home, as a guest agent would.
                    for (int i = 1; i <= 3; i++) {
                        domU.write(home + "/data/step" + i, "done");
                    }
                });
            }
        }
    }

    private static boolean valid(final List<String> a) {
        return switch (a.get(0)) {
            case "ls" -> a.size() <= 2;
            case "read" -> a.size() == 2;
            case "write" -> a.size() == 3;
            case "watch" -> a.size() >= 2 && a.size() <= 4 && a.subList(2, a.size()).stream().allMatch(XenstoreBrowser::number);
            default -> false;
        };
    }

    private static boolean number(final String s) {
        return !s.isEmpty() && s.length() <= 6 && s.chars().allMatch(Character::isDigit);
    }

    private static int command(final XenStoreClient store, final List<String> a, final PrintStream out,
        final @Nullable Runnable simulatedWriter) {
        try {
            switch (a.get(0)) {
                case "ls" -> ls(store, a.size() > 1 ? a.get(1) : "/", out);
                case "read" -> out.println(store.read(a.get(1)));
                case "write" -> {
                    store.write(a.get(1), a.get(2));
                    out.println(a.get(1) + " = \"" + store.read(a.get(1)) + "\"");
                }
                default -> watch(store, a.get(1), a.size() > 2 ? Integer.parseInt(a.get(2)) : 5,
                    a.size() > 3 ? Integer.parseInt(a.get(3)) : 30, out, simulatedWriter);
            }
            return 0;
        } catch (final XenStoreException e) {
            out.println(a.get(0) + " failed: " + e.getMessage());
            return 1;
        }
    }

    /** Prints the tree under {@code path} as {@code xenstore-ls} does: indented names and values. */
    static void ls(final XenStoreClient store, final String path, final PrintStream out) {
        final int[] budget = {MAX_NODES};
        for (final String child : store.directory(path)) {
            if (!lsNode(store, join(path, child), child, 0, budget, out)) {
                out.println("... cut after " + MAX_NODES + " nodes");
                return;
            }
        }
    }

    private static boolean lsNode(final XenStoreClient store, final String path, final String name, final int depth,
        final int[] budget, final PrintStream out) {
        if (budget[0]-- <= 0) {
            return false;
        }
        String value;
        try {
            value = store.read(path);
        } catch (final XenStoreException e) {
            // A node removed meanwhile, or one this connection may not read: say so and go on.
            value = "<" + e.errorName() + ">";
        }
        out.println("  ".repeat(depth) + name + " = \"" + shown(value) + "\"");
        final List<String> children;
        try {
            children = store.directory(path);
        } catch (final XenStoreException e) {
            return true;
        }
        for (final String child : children) {
            if (!lsNode(store, join(path, child), child, depth + 1, budget, out)) {
                return false;
            }
        }
        return true;
    }

    private static String shown(final String value) {
        final StringBuilder b = new StringBuilder();
        final int n = Math.min(value.length(), MAX_SHOWN_VALUE);
        for (int i = 0; i < n; i++) {
            final char c = value.charAt(i);
            // Values are bytes a guest chose: escape what would garble the terminal.
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (value.length() > n) {
            b.append("...(").append(value.length()).append(" chars)");
        }
        return b.toString();
    }

    private static String join(final String parent, final String child) {
        return parent.endsWith("/") ? parent + child : parent + "/" + child;
    }

    private static void watch(final XenStoreClient store, final String path, final int events, final int seconds,
        final PrintStream out, final @Nullable Runnable simulatedWriter) {
        final LinkedBlockingQueue<WatchEvent> queue = new LinkedBlockingQueue<>();
        try (XsWatch w = store.watch(path, "xen4j-browser", queue::add)) {
            out.println("watching " + w.path() + " for " + events + " event(s) or " + seconds + " s");
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            int seen = 0;
            boolean wrote = false;
            while (seen < events) {
                final long left = deadline - System.nanoTime();
                if (left <= 0) {
                    out.println("timed out after " + seen + " event(s)");
                    return;
                }
                final WatchEvent e = queue.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
                if (e == null) {
                    continue;
                }
                seen += Math.max(1, e.count());
                out.println("event " + seen + ": " + e.path() + (e.coalesced() ? " (" + e.count() + " coalesced)" : "")
                    + " = " + valueOf(store, e.path()));
                if (seen == 1 && !wrote && simulatedWriter != null) {
                    // The first event is the watch's own; the simulated guest writes only then, so
                    // that every one of its writes is seen.
                    wrote = true;
                    simulatedWriter.run();
                }
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("interrupted");
        }
    }

    private static String valueOf(final XenStoreClient store, final String path) {
        try {
            return "\"" + shown(store.read(path)) + "\"";
        } catch (final XenStoreException e) {
            return "<" + e.errorName() + ">";
        }
    }
}
