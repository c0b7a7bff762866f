package io.xen4j.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.xenbus.XenbusState;
import io.xen4j.console.ConsoleBackend;
import io.xen4j.console.ConsoleBackendConfig;
import io.xen4j.console.ConsoleId;
import io.xen4j.console.ConsoleSinks;
import io.xen4j.console.ConsoleStatus;
import io.xen4j.console.ConsoleToolstack;
import io.xen4j.hal.api.XenHostOptions;
import io.xen4j.hal.linux.LinuxXenHost;
import io.xen4j.hal.linux.LiveXen;
import io.xen4j.xenbus.DevicePaths;
import io.xen4j.xenbus.XenbusStates;
import io.xen4j.xenbus.XenbusToolstack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * xen4j's console back end logs a Linux guest's console: dom0 gives the harness's running domU a
 * secondary PV console ({@code device/console/1}, backend {@code backend/console/<domid>/1} in
 * dom0, as libxl's {@code channel} devices) with {@link ConsoleToolstack}, and serves it with
 * {@link ConsoleBackend} over the Linux HAL into a log file in the harness's shared folder
 * ({@code e2e/console/guest-dom<N>-console1.log}). The guest's kernel ({@code hvc_xen}, its
 * xenbus frontend) makes {@code /dev/hvc1}; the guest's {@code /init} writes three
 * {@code XEN4J-HVC:} lines there, which must appear in xen4j's log.
 *
 * <p>Why not the primary console: xenconsoled serves it in this dom0, and a ring has one
 * consumer. A secondary console is a device of its own, served by xen4j alone.
 */
@LiveXen
class LinuxHvcConsoleTest {
    /** The marker of the lines the guest writes to its secondary console. */
    static final String HVC_MARK = "XEN4J-HVC: ";

    @Test
    @Timeout(value = 175, unit = TimeUnit.SECONDS)
    void linuxHvcXenWritesToXen4jsConsoleBackend() throws Exception {
        try (LiveDomU domU = LiveDomU.find();
             LinuxXenHost host = LinuxXenHost.open(XenHostOptions.NONE)) {
            final Path logDir = domU.shared().resolve("e2e/console");
            final DevicePaths device = new DevicePaths("console", domU.domid(), host.domid(), 1);
            final ConsoleId id = new ConsoleId(domU.domid(), 1);
            final XenbusToolstack toolstack = new XenbusToolstack(domU.store());
            // The shared folder outlives a run: a log of an earlier run must not count.
            final Path logFile = logDir.resolve("guest-" + id.name() + ".log");
            Files.deleteIfExists(logFile);
            // Secondary consoles only: watchDomains() would take the primary rings from xenconsoled.
            final ConsoleBackend backend = new ConsoleBackend(host, domU.store(), ConsoleSinks.logFiles(logDir, Clock.systemUTC()),
                ConsoleBackendConfig.DEFAULTS).serveSecondaryConsoles();
            final long started = System.nanoTime();
            try (Agents running = Agents.start(host, backend)) {
                new ConsoleToolstack(domU.store()).addSecondary(device, "org.xen4j.e2e");
                final String guest = domU.console().await(l -> l.startsWith("hvc hvc1 "), Duration.ofSeconds(120),
                    "the guest's write to /dev/hvc1");
                final GuestConsoleLog xen4jLog = new GuestConsoleLog(logFile, HVC_MARK);
                xen4jLog.await(l -> l.contains("line 3 of 3"), Duration.ofSeconds(60), "the third line in xen4j's log");
                final double seconds = (System.nanoTime() - started) / 1e9;
                final List<String> logged = xen4jLog.marks();
                final ConsoleStatus status = backend.console(id);
                System.out.printf("[e2e-console] the guest: XEN4J-DOMU: %s (%.1f s after the device was created)%n", guest, seconds);
                System.out.println("[e2e-console] what Linux's hvc_xen wrote in " + device.frontend() + ": "
                    + LiveDomU.dump(domU.store(), device.frontend()));
                System.out.println("[e2e-console] xen4j's log " + xen4jLog.file() + ":");
                logged.forEach(l -> System.out.println("[e2e-console]   " + HVC_MARK + l));
                System.out.println("[e2e-console] xen4j console backend: " + status);

                assertNull(running.error(), () -> "the agent threw: " + running.error());
                assertTrue(guest.startsWith("hvc hvc1 wrote 3 lines"), () -> "the guest could not write /dev/hvc1: " + guest);
                assertEquals(3, logged.size(), () -> "xen4j's log " + xen4jLog.file() + " holds: " + logged);
                for (int i = 1; i <= 3; i++) {
                    final String prefix = "hvc1 line " + i + " of 3 from the domU";
                    assertTrue(logged.get(i - 1).startsWith(prefix), "line " + i + ": " + logged);
                }
                assertNotNull(status, "the backend does not know console " + id.name());
                assertEquals(ConsoleStatus.State.CONNECTED, status.state(), status::toString);
                assertTrue(status.bytesOut() > 0 && status.discarded() == 0, status::toString);
                assertEquals(XenbusState.XENBUS_STATE_CONNECTED, XenbusStates.read(domU.store(), device.frontend()),
                    "Linux's frontend state");

                // Unplug as libxl does: the backend asks to close, hvc_xen removes /dev/hvc1 and closes.
                toolstack.requestClose(device);
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                int front;
                do {
                    Thread.sleep(100);
                    front = XenbusStates.read(domU.store(), device.frontend());
                } while (front != XenbusState.XENBUS_STATE_CLOSED && System.nanoTime() - deadline < 0);
                System.out.println("[e2e-console] after the close request the frontend is in state " + front);
                assertEquals(XenbusState.XENBUS_STATE_CLOSED, front, "Linux's hvc_xen did not close");
            } finally {
                backend.close();
                toolstack.destroyDevice(device);
            }
        }
    }
}
