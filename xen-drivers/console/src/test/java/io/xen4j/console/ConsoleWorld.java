package io.xen4j.console;

import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.hal.memory.xenstore.SimulatedXenstore;
import io.xen4j.rings.ConsoleRing;
import io.xen4j.store.XenStoreClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.jspecify.annotations.Nullable;

/**
 * A simulated host with dom0 running a console backend, and guests booted with a primary console
 * the way the domain builder sets one up: a page of the guest (here one it shares with dom0), an
 * unbound port for dom0, the page's frame in {@code console/ring-ref} and, unless asked not to,
 * the reserved grant entry seeded for dom0.
 */
final class ConsoleWorld implements AutoCloseable {
    final SimulatedXen xen = SimulatedXen.create();
    final SimulatedXenstore xenstore = SimulatedXenstore.attach(xen);
    final XenStoreClient dom0 = XenStoreClient.connect(xenstore.connect(xen.dom0()));
    final ConsoleToolstack toolstack = new ConsoleToolstack(dom0);
    final Map<ConsoleId, List<String>> lines = new ConcurrentHashMap<>();
    final ConsoleBackend backend;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private @Nullable AgentRunner runner;

    /** A booted guest and its side of the primary console. */
    record Guest(SimulatedDomain domain, XenStoreClient store, SharedPages page, EventChannel channel, GuestConsole console,
                 long gfn) {
        int domid() {
            return domain.domid();
        }

        AtomicBuffer buffer() {
            return page.buffer();
        }
    }

    ConsoleWorld() {
        this(ConsoleBackendConfig.DEFAULTS, null, System::nanoTime);
    }

    ConsoleWorld(final ConsoleBackendConfig config, final @Nullable ConsoleSinkFactory sinks, final LongSupplier clock) {
        final ConsoleSinkFactory s = sinks != null ? sinks
            : ConsoleSinks.lines((id, line) -> lines.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(line));
        backend = new ConsoleBackend(xen.dom0().host(), dom0, s, config, clock);
    }

    /** Runs the backend on its own thread. */
    ConsoleWorld run() {
        final AgentRunner r = new AgentRunner(new BackoffIdleStrategy(10, 10, 1_000, 200_000), Throwable::printStackTrace, null, backend);
        runner = r;
        AgentRunner.startOnThread(r);
        return this;
    }

    Guest boot(final String name, final boolean seedGrant) {
        return boot(name, seedGrant, 0);
    }

    Guest boot(final String name, final boolean seedGrant, final int startIndex) {
        final SimulatedDomain d = xen.createDomain(name);
        final XenStoreClient store = XenStoreClient.connect(xenstore.connect(d));
        final SharedPages page = d.host().grantTables().share(0, 1, true);
        final AtomicBuffer b = page.buffer();
        b.putInt(ConsoleRing.IN_CONS_OFFSET, startIndex);
        b.putInt(ConsoleRing.IN_PROD_OFFSET, startIndex);
        b.putInt(ConsoleRing.OUT_CONS_OFFSET, startIndex);
        b.putInt(ConsoleRing.OUT_PROD_OFFSET, startIndex);
        final ConsoleWakeup wakeup = new ConsoleWakeup();
        final EventChannel channel = d.host().eventChannels().allocateUnbound(0, wakeup);
        final long gfn = d.grantEntry(page.grantRef(0)).frame();
        if (seedGrant) {
            ConsoleToolstack.seedGrant(xen.dom0().host().foreignMemory(), d.domid(), gfn, 0);
        }
        toolstack.publishPrimary(d.domid(), 0, gfn, channel.localPort(), 0);
        final GuestConsole console = new GuestConsole("console-" + name, b, channel, wakeup);
        closing.add(store);
        return new Guest(d, store, page, channel, console, gfn);
    }

    List<String> lines(final ConsoleId id) {
        return lines.getOrDefault(id, List.of());
    }

    ConsoleStatus status(final ConsoleId id) {
        final ConsoleStatus s = backend.console(id);
        // Not yet taken up by the backend's thread: report it as waiting.
        return s != null ? s : new ConsoleStatus(id, ConsoleStatus.State.WAITING, 0, 0, 0, 0, "not served yet", null);
    }

    static void await(final BooleanSupplier condition, final String what) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            try {
                Thread.sleep(2);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() throws Exception {
        final AgentRunner r = runner;
        if (r != null) {
            r.close();
        }
        backend.close();
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        dom0.close();
        xen.close();
    }
}
