package io.xen4j.examples;

import io.xen4j.abi.JvmFlags;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.EventChannels;
import io.xen4j.hal.api.MappedGrants;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.hal.memory.xenstore.SimulatedXenstore;
import io.xen4j.platform.PlatformHosts;
import io.xen4j.store.XenStoreClient;
import io.xen4j.store.XenStoreException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.agrona.concurrent.AtomicBuffer;
import org.jspecify.annotations.Nullable;

/**
 * A grant-sharing and event-channel pair, the two halves of every split driver in miniature. The
 * offering side grants a page to a peer domain, allocates an unbound event channel for it, writes
 * a message into the page and publishes the grant reference and the port in its xenstore home
 * ({@code data/xen4j-grant-pair/ref} and {@code port}). The mapping side reads them, maps the
 * grant, binds to the port, reads the message, writes an answer into the same page and notifies;
 * the offering side wakes on the event, reads the answer and ends the grant once the peer has
 * unmapped it.
 *
 * <pre>{@code
 * GrantPair                                           # both roles on the simulated host: dom1 offers, dom0 maps
 * GrantPair --live offer [--peer D] [--timeout S]     # this domain offers to domain D (default 0)
 * GrantPair --live map [--from D] [--timeout S]       # this domain maps what domain D (default 0) offers
 * GrantPair --live both [--timeout S]                 # both roles in this process, two HAL handles
 * }</pre>
 *
 * <p>On a live dom0 the two roles can run as two processes ({@code offer} in one, {@code map} in
 * the other): both are dom0, which Xen lets grant to and map from itself.
 */
public final class GrantPair {
    /** Where the offered page holds the answer: the message is in the first half. */
    static final int ANSWER_OFFSET = 2048;
    /** Longest message either side accepts from the page: the peer writes the length. */
    static final int MAX_TEXT = 1024;
    private static final String USAGE = "usage: GrantPair [--live] [offer|map|both] [--peer D] [--from D] [--timeout S]";

    private GrantPair() {
    }

    /**
     * Runs one role, or both.
     *
     * @param args the command line (see the class description)
     * @throws Exception if a role fails
     */
    public static void main(final String[] args) throws Exception {
        JvmFlags.requireAgronaAccess();
        System.exit(run(args, System.out));
    }

    /** The parsed command line. */
    private record Options(boolean live, String role, int peer, int from, long timeoutSeconds) {
    }

    static int run(final String[] args, final PrintStream out) throws IOException, InterruptedException, ExecutionException,
        TimeoutException {
        final Options o;
        try {
            o = parse(args);
        } catch (final IllegalArgumentException e) {
            out.println(e.getMessage());
            out.println(USAGE);
            return 2;
        }
        if (!o.live()) {
            if (!o.role().equals("both")) {
                out.println("the simulated host runs both roles in one process: drop " + o.role() + " or add --live");
                return 2;
            }
            simulated(o.timeoutSeconds(), out);
            return 0;
        }
        switch (o.role()) {
            case "offer" -> {
                try (XenHost host = PlatformHosts.open(); XenStoreClient store = XenStoreClient.open()) {
                    offer(host, store, o.peer(), o.timeoutSeconds(), out);
                }
            }
            case "map" -> {
                try (XenHost host = PlatformHosts.open(); XenStoreClient store = XenStoreClient.open()) {
                    map(host, store, o.from(), o.timeoutSeconds(), out);
                }
            }
            default -> {
                try (XenHost offering = PlatformHosts.open(); XenHost mapping = PlatformHosts.open();
                     XenStoreClient offerStore = XenStoreClient.open(); XenStoreClient mapStore = XenStoreClient.open()) {
                    out.printf("both roles in one process (%s backend, dom%d)%n", offering.backendName(), offering.domid());
                    both(offering, offerStore, mapping, mapStore, o.timeoutSeconds(), out);
                }
            }
        }
        return 0;
    }

    private static Options parse(final String[] args) {
        final List<String> a = new ArrayList<>(List.of(args));
        final boolean live = a.remove("--live");
        String role = "both";
        int peer = 0;
        int from = 0;
        long timeout = 30;
        for (int i = 0; i < a.size(); i++) {
            final String s = a.get(i);
            switch (s) {
                case "offer", "map", "both" -> role = s;
                case "--peer", "--from", "--timeout" -> {
                    if (i + 1 >= a.size()) {
                        throw new IllegalArgumentException(s + " needs a number");
                    }
                    final long v = number(s, a.get(++i));
                    if (s.equals("--timeout")) {
                        timeout = Math.max(1, v);
                    } else if (v > 0x7FEF) {
                        throw new IllegalArgumentException(s + " " + v + ": not a domain id (0..32751)");
                    } else if (s.equals("--peer")) {
                        peer = (int) v;
                    } else {
                        from = (int) v;
                    }
                }
                default -> throw new IllegalArgumentException("unknown argument " + s);
            }
        }
        return new Options(live, role, peer, from, timeout);
    }

    private static long number(final String option, final String text) {
        try {
            final long v = Long.parseLong(text);
            if (v < 0 || v > 86_400) {
                throw new NumberFormatException("out of range");
            }
            return v;
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException(option + " " + text + ": not a number in 0..86400", e);
        }
    }

    private static void simulated(final long timeoutSeconds, final PrintStream out) throws IOException, InterruptedException,
        ExecutionException, TimeoutException {
        try (SimulatedXen xen = SimulatedXen.create();
             SimulatedXenstore xenstore = SimulatedXenstore.attach(xen)) {
            final SimulatedDomain guest = xen.createDomain("guest1");
            try (XenStoreClient guestStore = XenStoreClient.connect(xenstore.connect(guest));
                 XenStoreClient dom0Store = XenStoreClient.connect(xenstore.connect(xen.dom0()))) {
                out.printf("simulated host: dom%d offers, dom%d maps%n", guest.domid(), xen.dom0().domid());
                // The host's own grants (the guest's xenstore ring) are there before and after.
                final long refs = xen.resources().grantRefs();
                final long maps = xen.resources().grantMappings();
                both(guest.host(), guestStore, xen.dom0().host(), dom0Store, timeoutSeconds, out);
                out.printf("grant refs left by the pair: %d, grant mappings left: %d%n", xen.resources().grantRefs() - refs,
                    xen.resources().grantMappings() - maps);
            }
        }
    }

    /** Runs the offering side on a thread of its own and the mapping side on this one. */
    private static void both(final XenHost offering, final XenStoreClient offerStore, final XenHost mapping,
        final XenStoreClient mapStore, final long timeoutSeconds, final PrintStream out) throws InterruptedException,
        ExecutionException, TimeoutException {
        final CompletableFuture<Void> offered = new CompletableFuture<>();
        final Thread t = Thread.ofPlatform().name("grant-pair-offer").start(() -> {
            try {
                offer(offering, offerStore, mapping.domid(), timeoutSeconds, out);
                offered.complete(null);
            } catch (final RuntimeException | InterruptedException e) {
                offered.completeExceptionally(e);
            }
        });
        try {
            map(mapping, mapStore, offering.domid(), timeoutSeconds, out);
        } finally {
            offered.get(timeoutSeconds + 5, TimeUnit.SECONDS);
            t.join();
        }
    }

    /**
     * The offering side: grants a page and a port to {@code peer}, publishes them, waits for the
     * answer and ends the grant once the peer let go.
     *
     * @param host           this domain's HAL
     * @param store          this domain's xenstore connection
     * @param peer           the domain that maps the page
     * @param timeoutSeconds how long to wait for the peer, each step
     * @param out            where to print
     * @throws InterruptedException if interrupted while waiting
     */
    static void offer(final XenHost host, final XenStoreClient store, final int peer, final long timeoutSeconds,
        final PrintStream out) throws InterruptedException {
        final String dir = store.getDomainPath(host.domid()) + "/data/xen4j-grant-pair";
        removeQuietly(store, dir);
        final AtomicBoolean event = new AtomicBoolean();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        try (SharedPages page = host.grantTables().share(peer, 1, true);
             EventChannel port = host.eventChannels().allocateUnbound(peer, ch -> event.set(true))) {
            final AtomicBuffer b = page.buffer();
            // The page came from gntalloc zeroed; the answer's length is 0 until the peer writes it.
            final String message = "hello from dom" + host.domid();
            put(b, 0, message);
            // The port last: the mapping side waits for it, so the ref is there when it sees it.
            store.write(dir + "/ref", Integer.toString(page.grantRef(0)));
            store.write(dir + "/port", Integer.toString(port.localPort()));
            out.printf("offer: dom%d grants ref %d and unbound port %d to dom%d, wrote \"%s\", published under %s%n",
                host.domid(), page.grantRef(0), port.localPort(), peer, message, dir);
            final EventChannels events = host.eventChannels();
            while (!(event.get() && b.getIntVolatile(ANSWER_OFFSET) != 0)) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("offer: dom" + peer + " did not answer on port " + port.localPort()
                        + " within " + timeoutSeconds + " s");
                }
                if (events.awaitEvent(TimeUnit.MILLISECONDS.toNanos(100))) {
                    events.poll(16);
                    // Linux masks a port when it delivers it: open it for the next event.
                    port.unmask();
                }
            }
            out.printf("offer: event on port %d; dom%d answered \"%s\"%n", port.localPort(), peer,
                text(b, ANSWER_OFFSET));
            removeQuietly(store, dir);
            while (!page.tryEndAccess()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("offer: dom" + peer + " still maps grant " + page.grantRef(0)
                        + " after " + timeoutSeconds + " s; the page stays granted");
                }
                Thread.sleep(10);
            }
            out.printf("offer: dom%d unmapped the page; access to ref %d ended%n", peer, page.grantRef(0));
        }
    }

    /**
     * The mapping side: waits for {@code from} to publish a page and a port, maps the page, reads
     * the message, answers in the page and notifies.
     *
     * @param host           this domain's HAL
     * @param store          this domain's xenstore connection
     * @param from           the offering domain
     * @param timeoutSeconds how long to wait for the offer
     * @param out            where to print
     * @throws InterruptedException if interrupted while waiting
     */
    static void map(final XenHost host, final XenStoreClient store, final int from, final long timeoutSeconds,
        final PrintStream out) throws InterruptedException {
        final String dir = store.getDomainPath(from) + "/data/xen4j-grant-pair";
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        String portText;
        while ((portText = readQuietly(store, dir + "/port")) == null) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("map: nothing published under " + dir + " within " + timeoutSeconds + " s");
            }
            Thread.sleep(20);
        }
        final String refText = readQuietly(store, dir + "/ref");
        // The other domain wrote these: range-check them before use.
        final int ref = parseNode(dir + "/ref", refText, Integer.MAX_VALUE);
        final int remotePort = parseNode(dir + "/port", portText, 1 << 17);
        try (MappedGrants m = host.grantTables().map(from, ref, true);
             EventChannel port = host.eventChannels().bindInterdomain(from, remotePort, ch -> { })) {
            final AtomicBuffer b = m.buffer();
            final String message = text(b, 0);
            out.printf("map: dom%d maps ref %d of dom%d and reads \"%s\"; bound port %d to its port %d%n", host.domid(),
                ref, from, message, port.localPort(), remotePort);
            final String answer = "hello back from dom" + host.domid();
            put(b, ANSWER_OFFSET, answer);
            port.notifyPeer();
            out.printf("map: answered \"%s\" and notified; unmapping%n", answer);
        }
    }

    private static int parseNode(final String path, final @Nullable String text, final int max) {
        if (text == null || text.isEmpty() || text.length() > 10 || !text.chars().allMatch(Character::isDigit)) {
            throw new IllegalStateException("map: " + path + " = \"" + text + "\" is not a number");
        }
        final long v = Long.parseLong(text);
        if (v > max) {
            throw new IllegalStateException("map: " + path + " = " + v + " is over " + max);
        }
        return (int) v;
    }

    /** Writes the bytes first and the length last (release), so a reader that sees the length sees the text. */
    private static void put(final AtomicBuffer b, final int offset, final String text) {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        b.putBytes(offset + 4, bytes);
        b.putIntRelease(offset, bytes.length);
    }

    /** Reads a length-prefixed text the peer wrote, the length once and checked. */
    static String text(final AtomicBuffer b, final int offset) {
        final int len = b.getIntAcquire(offset);
        if (len < 0 || len > MAX_TEXT) {
            return "<bad length " + len + ">";
        }
        final byte[] bytes = new byte[len];
        b.getBytes(offset + 4, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static @Nullable String readQuietly(final XenStoreClient store, final String path) {
        try {
            return store.read(path);
        } catch (final XenStoreException e) {
            if (e.is("ENOENT")) {
                return null;
            }
            throw e;
        }
    }

    private static void removeQuietly(final XenStoreClient store, final String path) {
        try {
            store.rm(path);
        } catch (final XenStoreException e) {
            if (!e.is("ENOENT")) {
                throw e;
            }
        }
    }
}
