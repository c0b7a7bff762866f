package io.xen4j.examples;

import io.xen4j.abi.JvmFlags;
import io.xen4j.console.ConsoleBackend;
import io.xen4j.console.ConsoleBackendConfig;
import io.xen4j.console.ConsoleId;
import io.xen4j.console.ConsoleSinks;
import io.xen4j.console.ConsoleStatus;
import io.xen4j.console.ConsoleToolstack;
import io.xen4j.console.ConsoleWakeup;
import io.xen4j.console.GuestConsole;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.api.XenHosts;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.hal.memory.xenstore.SimulatedXenstore;
import io.xen4j.store.XenStoreClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;

/**
 * A small xenconsoled: logs every guest's console to {@code <dir>/guest-dom<N>.log} with a
 * timestamp per line.
 *
 * <pre>{@code
 * ConsoleLogger <dir> [--live]
 * }</pre>
 *
 * <p>By default it runs on the simulated host: three guests print a few lines each, and the logs
 * are printed. With {@code --live} it serves the consoles of a real dom0 (through the HAL and the
 * xenstored socket) until interrupted; do not run it next to xenconsoled.
 */
public final class ConsoleLogger {
    private ConsoleLogger() {
    }

    /**
     * Runs the logger.
     *
     * @param args the log directory, then optionally {@code --live}
     * @throws Exception if the logs cannot be written or the host reached
     */
    public static void main(final String[] args) throws Exception {
        JvmFlags.requireAgronaAccess();
        if (args.length < 1) {
            System.out.println("usage: ConsoleLogger <dir> [--live]");
            System.exit(2);
        }
        final Path dir = Path.of(args[0]);
        if (args.length > 1 && args[1].equals("--live")) {
            try (XenHost host = XenHosts.open();
                 XenStoreClient store = XenStoreClient.open();
                 ConsoleBackend backend = new ConsoleBackend(host, store, ConsoleSinks.logFiles(dir, Clock.systemDefaultZone()),
                     ConsoleBackendConfig.DEFAULTS)) {
                backend.watchDomains().serveSecondaryConsoles();
                final CountDownLatch stop = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
                try (AgentRunner runner = new AgentRunner(new BackoffIdleStrategy(), Throwable::printStackTrace, null, backend)) {
                    AgentRunner.startOnThread(runner);
                    System.out.println("logging every console to " + dir + "; Ctrl-C stops");
                    stop.await();
                }
            }
            return;
        }
        simulated(dir, System.out);
    }

    static void simulated(final Path dir, final PrintStream out) throws IOException {
        try (SimulatedXen xen = SimulatedXen.create()) {
            final SimulatedXenstore xenstore = SimulatedXenstore.attach(xen);
            try (XenStoreClient dom0 = XenStoreClient.connect(xenstore.connect(xen.dom0()));
                 ConsoleBackend backend = new ConsoleBackend(xen.dom0().host(), dom0,
                     ConsoleSinks.logFiles(dir, Clock.systemDefaultZone()), ConsoleBackendConfig.DEFAULTS)) {
                backend.watchDomains();
                try (AgentRunner runner = new AgentRunner(new BackoffIdleStrategy(), Throwable::printStackTrace, null, backend)) {
                    AgentRunner.startOnThread(runner);
                    for (int i = 1; i <= 3; i++) {
                        final SimulatedDomain d = xen.createDomain("guest" + i);
                        // The domain builder's part: a page, a port, the nodes, the seeded grant.
                        final SharedPages page = d.host().grantTables().share(0, 1, true);
                        final ConsoleWakeup wakeup = new ConsoleWakeup();
                        final EventChannel port = d.host().eventChannels().allocateUnbound(0, wakeup);
                        final long gfn = d.grantEntry(page.grantRef(0)).frame();
                        ConsoleToolstack.seedGrant(xen.dom0().host().foreignMemory(), d.domid(), gfn, 0);
                        new ConsoleToolstack(dom0).publishPrimary(d.domid(), 0, gfn, port.localPort(), 0);
                        final GuestConsole console = new GuestConsole("hvc0", page.buffer(), port, wakeup);
                        final String text = "guest" + i + " booting\nguest" + i + " ready\n";
                        console.outputStream(Duration.ofSeconds(10)).write(text.getBytes(StandardCharsets.US_ASCII));
                        final ConsoleId id = ConsoleId.primary(d.domid());
                        final long deadline = System.nanoTime() + 10_000_000_000L;
                        while (System.nanoTime() < deadline) {
                            final ConsoleStatus s = backend.console(id);
                            if (s != null && s.bytesOut() == text.length()) {
                                break;
                            }
                            Thread.onSpinWait();
                        }
                    }
                }
            }
        }
        try (var files = Files.list(dir)) {
            for (final Path log : files.sorted().toList()) {
                out.println(log.getFileName() + ":");
                for (final String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    out.println("  " + line);
                }
            }
        }
    }
}
