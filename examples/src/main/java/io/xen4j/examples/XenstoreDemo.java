package io.xen4j.examples;

import io.xen4j.abi.xenstore.XsdErrors;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.hal.memory.xenstore.SimulatedXenstore;
import io.xen4j.store.WatchEvent;
import io.xen4j.store.XenStoreClient;
import io.xen4j.store.XenStoreException;
import io.xen4j.store.XsTransaction;
import io.xen4j.store.XsWatch;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The demo's xenstore part: a guest and dom0 of the simulated host talking through the host's
 * xenstored, the guest over its own xenstore page and event channel (the ring the host set up when
 * it created the guest), dom0 in-process. It shows a watch firing, a transaction whose first
 * attempt conflicts with dom0 ({@code EAGAIN}) and whose retry commits, and a permission denied
 * ({@code EACCES}) with its message.
 */
final class XenstoreDemo {
    private static final XenStoreClient.Options OPTIONS = XenStoreClient.Options.DEFAULTS
        .withRequestTimeout(Duration.ofSeconds(30));

    private XenstoreDemo() {
    }

    static void run(final PrintStream out) {
        try (SimulatedXen xen = SimulatedXen.builder().seed(7).build();
             SimulatedXenstore xenstore = SimulatedXenstore.attach(xen)) {
            final SimulatedDomain guest = xen.createDomain("guest");
            try (XenStoreClient dom0 = XenStoreClient.connect(xenstore.connect(xen.dom0()), OPTIONS);
                 XenStoreClient domU = xenstore.ringClient(guest.host(), OPTIONS)) {
                final String home = domU.getDomainPath(guest.domid());
                out.println("xenstore: dom" + guest.domid() + " connected over " + domU.connection()
                    + ", its home is " + home + " (name \"" + domU.read("name") + "\")");
                watch(out, dom0, domU, home);
                transaction(out, dom0, domU, home);
                denied(out, domU);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("xenstore demo: the guest could not connect to xenstored", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("xenstore demo interrupted", e);
        }
    }

    private static void watch(final PrintStream out, final XenStoreClient dom0, final XenStoreClient domU,
        final String home) throws InterruptedException {
        final LinkedBlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
        try (XsWatch w = domU.watch("data/request", "req-token", events::add)) {
            // A new watch fires once at once, for its own path: the guest reads the current state then.
            final WatchEvent initial = take(events);
            out.println("  guest watches " + w.path() + ": initial event path=" + initial.path() + " token="
                + initial.token());
            dom0.write(home + "/data/request", "hello from dom0");
            final WatchEvent fired = take(events);
            out.println("  dom0 writes " + home + "/data/request -> watch fired: path=" + fired.path() + " token="
                + fired.token() + ", guest reads \"" + domU.read(fired.path()) + "\"");
        }
    }

    private static WatchEvent take(final LinkedBlockingQueue<WatchEvent> events) throws InterruptedException {
        final WatchEvent e = events.poll(30, TimeUnit.SECONDS);
        if (e == null) {
            throw new IllegalStateException("xenstore demo: no watch event within 30 s");
        }
        return e;
    }

    private static void transaction(final PrintStream out, final XenStoreClient dom0, final XenStoreClient domU,
        final String home) {
        final String counter = home + "/data/counter";
        domU.write(counter, "0");
        // First attempt by hand, to show what the retry helper hides: dom0 changes the node meanwhile.
        try (XsTransaction tx = domU.startTransaction()) {
            final int seen = Integer.parseInt(tx.read(counter));
            dom0.write(counter, "10");
            tx.write(counter, Integer.toString(seen + 1));
            tx.commit();
            out.println("  transaction attempt 1: committed (unexpected: no conflict)");
        } catch (final XenStoreException e) {
            if (!e.is(XsdErrors.EAGAIN)) {
                throw e;
            }
            out.println("  transaction attempt 1: read counter=0, dom0 wrote counter=10 meanwhile, commit -> "
                + e.errorName());
        }
        // The retry helper runs the body again on EAGAIN; here nothing interferes any more.
        final AtomicInteger attempts = new AtomicInteger();
        final int written = domU.transaction(5, tx -> {
            attempts.incrementAndGet();
            final int next = Integer.parseInt(tx.read(counter)) + 1;
            tx.write(counter, Integer.toString(next));
            return next;
        });
        out.println("  attempt 2 (retry helper, at most 5 attempts): committed counter=" + written + ", body ran "
            + attempts.get() + " time(s); dom0 reads " + dom0.read(counter));
    }

    private static void denied(final PrintStream out, final XenStoreClient domU) {
        try {
            domU.write("/local/domain/0/data/secret", "x");
            out.println("  guest wrote into dom0's home (unexpected)");
        } catch (final XenStoreException e) {
            out.println("  guest writes /local/domain/0/data/secret -> " + e.errorName() + ": " + e.getMessage());
        }
    }
}
