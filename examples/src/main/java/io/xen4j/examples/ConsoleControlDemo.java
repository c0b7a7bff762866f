package io.xen4j.examples;

import io.xen4j.console.ConsoleBackend;
import io.xen4j.console.ConsoleBackendConfig;
import io.xen4j.console.ConsoleId;
import io.xen4j.console.ConsoleSinks;
import io.xen4j.console.ConsoleStatus;
import io.xen4j.console.ConsoleToolstack;
import io.xen4j.console.ConsoleWakeup;
import io.xen4j.console.GuestConsole;
import io.xen4j.control.ControlGuest;
import io.xen4j.control.ControlTimeoutException;
import io.xen4j.control.ControlToolstack;
import io.xen4j.control.ShutdownAction;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.hal.memory.xenstore.SimulatedXenstore;
import io.xen4j.store.XenStoreClient;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The demo's console and control part: a guest writes console lines that dom0's xenconsoled-like
 * backend logs with timestamps, then dom0 asks the guest to power off and the guest acknowledges;
 * a second guest without a control driver makes the request time out with a clear message. The
 * backend is polled on this thread and the log's clock is fixed, so the run is the same every time.
 */
final class ConsoleControlDemo {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T12:00:00Z"), ZoneOffset.UTC);
    private static final List<String> BOOT = List.of("Booting web (xen4j demo guest)", "eth0: link up",
        "web login: ");

    private ConsoleControlDemo() {
    }

    static void run(final PrintStream out) {
        out.println();
        final Path logs;
        try {
            logs = Files.createTempDirectory("xen4j-demo-console");
        } catch (final IOException e) {
            throw new UncheckedIOException("console demo: cannot create a log directory", e);
        }
        try (SimulatedXen xen = SimulatedXen.create()) {
            final SimulatedXenstore xenstore = SimulatedXenstore.attach(xen);
            final SimulatedDomain web = xen.createDomain("web");
            final SimulatedDomain legacy = xen.createDomain("legacy");
            try (XenStoreClient dom0 = XenStoreClient.connect(xenstore.connect(xen.dom0()));
                 XenStoreClient webStore = XenStoreClient.connect(xenstore.connect(web));
                 ConsoleBackend backend = new ConsoleBackend(xen.dom0().host(), dom0, ConsoleSinks.logFiles(logs, CLOCK),
                     ConsoleBackendConfig.DEFAULTS)) {
                out.println("Console and control: dom0 runs a xenconsoled-like backend and the toolstack; dom"
                    + web.domid() + " (web) and dom" + legacy.domid() + " (legacy) are guests.");
                // The domain builder's part: a console page of the guest, a port for dom0, both in xenstore.
                final SharedPages page = web.host().grantTables().share(0, 1, true);
                final ConsoleWakeup wakeup = new ConsoleWakeup();
                final EventChannel port = web.host().eventChannels().allocateUnbound(0, wakeup);
                final long gfn = web.grantEntry(page.grantRef(0)).frame();
                ConsoleToolstack.seedGrant(xen.dom0().host().foreignMemory(), web.domid(), gfn, 0);
                new ConsoleToolstack(dom0).publishPrimary(web.domid(), 0, gfn, port.localPort(), 0);
                out.println("  builder: console/ring-ref=" + gfn + " console/port=" + port.localPort()
                    + ", the page granted to dom0 in grant 0 (GNTTAB_RESERVED_CONSOLE)");
                backend.servePrimary(web.domid());
                final ConsoleId id = ConsoleId.primary(web.domid());
                final GuestConsole console = new GuestConsole("hvc0", page.buffer(), port, wakeup);
                int written = 0;
                for (final String line : BOOT) {
                    final byte[] b = (line + "\n").getBytes(StandardCharsets.US_ASCII);
                    written += b.length;
                    int done = 0;
                    while (done < b.length) {
                        done += console.tryWrite(b, done, b.length - done);
                        backend.doWork();
                    }
                }
                final int expected = written;
                pump(backend, () -> {
                    final ConsoleStatus s = backend.console(id);
                    return s != null && s.bytesOut() == expected;
                });
                final ConsoleStatus status = backend.console(id);
                out.println("  guest dom" + web.domid() + " wrote " + BOOT.size() + " lines (" + written + " bytes) on hvc0; backend: "
                    + (status == null ? "not serving" : status.state() + ", " + status.bytesOut() + " bytes read, "
                    + status.discarded() + " discarded"));
                backend.stopServing(web.domid());
                pump(backend, () -> backend.console(id) == null);
                final Path log = logs.resolve("guest-" + id.name() + ".log");
                out.println("  " + log.getFileName() + ":");
                for (final String line : Files.readAllLines(log, StandardCharsets.US_ASCII)) {
                    out.println("    " + line);
                }

                final ControlToolstack toolstack = new ControlToolstack(dom0);
                toolstack.prepareDomain(web.domid());
                toolstack.prepareDomain(legacy.domid());
                final CompletableFuture<ShutdownAction> asked = new CompletableFuture<>();
                try (ControlGuest control = new ControlGuest(webStore, web.domid(), EnumSet.of(ShutdownAction.POWEROFF,
                    ShutdownAction.REBOOT, ShutdownAction.SUSPEND), true, asked::complete).start()) {
                    out.println("  guest dom" + web.domid() + " advertises feature-poweroff=" + toolstack.advertises(web.domid(),
                        ShutdownAction.POWEROFF) + " feature-crash=" + toolstack.advertises(web.domid(), ShutdownAction.CRASH));
                    toolstack.requestShutdown(web.domid(), ShutdownAction.POWEROFF, Duration.ofSeconds(10));
                    final ShutdownAction action = asked.get(10, TimeUnit.SECONDS);
                    out.println("  toolstack: control/shutdown=poweroff for dom" + web.domid()
                        + " acknowledged (node cleared); the guest's handler got " + action);
                }
                try {
                    toolstack.requestShutdown(legacy.domid(), ShutdownAction.POWEROFF, Duration.ofMillis(200));
                    out.println("  toolstack: dom" + legacy.domid() + " acknowledged (unexpected)");
                } catch (final ControlTimeoutException e) {
                    out.println("  toolstack: " + e.getMessage());
                }
                page.close();
                port.close();
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("console demo: " + e.getMessage(), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("console demo interrupted", e);
        } catch (final java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("console demo: the guest's handler was not called: " + e, e);
        } finally {
            deleteTree(logs);
        }
    }

    /** Polls the backend on this thread until the condition holds (at most 30 s). */
    private static void pump(final ConsoleBackend backend, final java.util.function.BooleanSupplier done) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            if (backend.doWork() == 0) {
                Thread.onSpinWait();
            }
        }
    }

    private static void deleteTree(final Path dir) {
        try (var files = Files.list(dir)) {
            for (final Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (final IOException ignored) {
            // A temporary directory: the OS cleans it up.
        }
    }
}
