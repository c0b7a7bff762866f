package io.xen4j.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.xenbus.XenbusState;
import io.xen4j.hal.api.XenHostOptions;
import io.xen4j.hal.linux.LinuxXenHost;
import io.xen4j.hal.linux.LiveXen;
import io.xen4j.net.NetFront;
import io.xen4j.net.NetFrontConfig;
import io.xen4j.net.NetInfo;
import io.xen4j.net.spi.TapPort;
import io.xen4j.store.XenStoreClient;
import io.xen4j.store.XenStoreException;
import io.xen4j.store.transport.UnixSocketTransport;
import io.xen4j.xenbus.DevicePaths;
import io.xen4j.xenbus.XenbusStates;
import io.xen4j.xenbus.XenbusToolstack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.CompositeAgent;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * xen4j's netfront against the Linux kernel's netback, in dom0 (issue 7): as a toolstack, dom0
 * gives itself a vif ({@code device/vif/7} in dom0, {@code backend/vif/0/7}) that the dom0 kernel's
 * {@code xen-netback} serves, with the nodes it needs ({@code handle}, {@code mac},
 * {@code script}) and {@code hotplug-status=connected} (this test is the hotplug script: it
 * configures the kernel's {@code vif0.7} itself). xen4j's {@link NetFront} over the Linux HAL is
 * the frontend; it goes Connected with its rings on the kernel's InitWait, as Linux's netfront
 * does, since the kernel's netback ignores Initialised.
 *
 * <p>Frames cross real network stacks on both sides, in two network namespaces this test makes:
 * the kernel's {@code vif0.7} (10.77.7.1) in one, a TAP device (10.77.7.2) in the other, and a
 * Java bridge between the TAP and the netfront. {@code ping} both ways and a TCP transfer each
 * way ({@code nc}, SHA-256 of 256 KiB compared) go namespace, kernel netback, netfront rings,
 * TAP, namespace. Then the device is detached as {@code xl network-detach} does ({@code online=0},
 * backend Closing): the netfront closes, the kernel's netback goes Closed.
 *
 * <p>Runs inside the live-xen dom0 only ({@link LiveXen}); the dom0 kernel's xen-netfront must
 * not be loaded (it is not in the harness's dom0), else it would claim the device too.
 */
@LiveXen
@Tag("e2e-netfront-linux")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class NetfrontOnLinuxNetbackTest {
    /** The vif's devid and handle: the kernel names its interface {@code vif0.7}. */
    private static final int DEVID = 7;
    private static final String VIF = "vif0." + DEVID;
    private static final String MAC = "00:16:3e:77:00:07";
    private static final String VIF_ADDR = "10.77.7.1";
    private static final String TAP_ADDR = "10.77.7.2";
    private static final String TAP = "xj7ntap";
    private static final String NS_VIF = "xj7n-vif";
    private static final String NS_TAP = "xj7n-tap";
    private static final int TCP_BYTES = 256 << 10;

    /** A command's exit code and output. */
    private record Run(int rc, String out) {
        boolean ok() {
            return rc == 0;
        }
    }

    private static Run sh(final long seconds, final String... command) throws IOException, InterruptedException {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final boolean done = p.waitFor(seconds, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        final String text = new String(p.getInputStream().readNBytes(1 << 16), StandardCharsets.UTF_8).trim();
        final Run r = new Run(done ? p.exitValue() : -1, text);
        System.out.println("[e2e-netfront] dom0$ " + String.join(" ", command) + " -> " + (done ? "rc " + r.rc() : "timed out")
            + (text.isEmpty() ? "" : ": " + text));
        return r;
    }

    private static void must(final String... command) throws IOException, InterruptedException {
        final Run r = sh(30, command);
        assertTrue(r.ok(), () -> String.join(" ", command) + ": rc " + r.rc() + ": " + r.out());
    }

    private static String readOrDash(final XenStoreClient xs, final String path) {
        try {
            return xs.read(path);
        } catch (final XenStoreException e) {
            return "-";
        }
    }

    /** The nodes of a directory, {@code name=value}, one level. */
    private static Map<String, String> nodes(final XenStoreClient xs, final String dir) {
        final Map<String, String> m = new LinkedHashMap<>();
        try {
            for (final String child : xs.directory(dir)) {
                m.put(child, readOrDash(xs, dir + "/" + child));
            }
        } catch (final XenStoreException e) {
            m.put("(error)", e.toString());
        }
        return m;
    }

    private static String sha256(final byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** The TAP's frames into the netfront (the netfront's receive handler writes the other way, into the TAP). */
    private record TapToFront(TapPort tap, NetFront front) implements Agent {
        @Override
        public int doWork() {
            return tap.receive(front::send, 64);
        }

        @Override
        public String roleName() {
            return "tap-to-netfront";
        }
    }

    @Test
    void pingAndTcpCrossTheKernelsNetbackAndXen4jNetfrontBetweenTwoNamespaces() throws Exception {
        assertTrue(Files.isDirectory(Path.of("/sys/bus/xen-backend/drivers/vif")),
            "the dom0 kernel's xen-netback is not loaded (/sys/bus/xen-backend/drivers/vif): nothing serves backend/vif");
        assertFalse(Files.exists(Path.of("/sys/bus/xen/drivers/vif")),
            "dom0's kernel xen-netfront is loaded: it would claim device/vif/" + DEVID + " too");
        final List<String> namespaces = new ArrayList<>();
        final Path dir = Files.createTempDirectory("xen4j-e2e-net");
        try (XenStoreClient xs = XenStoreClient.connect(UnixSocketTransport.connect(UnixSocketTransport.DEFAULT_SOCKET),
                 XenStoreClient.Options.DEFAULTS.withRequestTimeout(Duration.ofSeconds(30)));
             LinuxXenHost host = LinuxXenHost.open(XenHostOptions.NONE);
             TapPort tap = TapPort.open(TAP, true)) {
            assertEquals(0, host.domid(), "runs in dom0");
            for (final String ns : List.of(NS_VIF, NS_TAP)) {
                sh(10, "ip", "netns", "del", ns);
                must("ip", "netns", "add", ns);
                namespaces.add(ns);
                must("ip", "-n", ns, "link", "set", "lo", "up");
            }
            // The open descriptor keeps working after the device moves.
            must("ip", "link", "set", TAP, "netns", NS_TAP);
            must("ip", "-n", NS_TAP, "addr", "add", TAP_ADDR + "/24", "dev", TAP);
            must("ip", "-n", NS_TAP, "link", "set", TAP, "up");

            // The kernel's netback gives its reasons for a non-fatal error response ("Bad packet size",
            // "Too many slots", "Invalid tx request") only as dynamic debug lines: turn them on for
            // this test (best effort: a kernel without dynamic debug just prints nothing more).
            sh(10, "sh", "-c", "grep -qs ' /sys/kernel/debug ' /proc/mounts || mount -t debugfs none /sys/kernel/debug;"
                + " echo 'module xen_netback +p' > /sys/kernel/debug/dynamic_debug/control");
            final DevicePaths device = new DevicePaths("vif", 0, 0, DEVID);
            final XenbusToolstack toolstack = new XenbusToolstack(xs);
            toolstack.destroyDevice(device);
            // libxl's vif nodes (libxl__device_nic_add); netback fails its probe without script
            // and handle, and its connect without mac. hotplug-status: netback defers its Connected
            // until the hotplug script says so, and this test does the script's work itself.
            toolstack.createDevice(device, Map.of("mac", MAC, "handle", Integer.toString(DEVID)),
                Map.of("mac", MAC, "handle", Integer.toString(DEVID), "script", "/bin/true", "type", "vif",
                    "hotplug-status", "connected"));
            final NetFront front = new NetFront(host, xs, device, NetFrontConfig.defaults(), tap::transmit);
            final long started = System.nanoTime();
            try {
                front.start();
                try (Agents running = Agents.start(host, new CompositeAgent(front, new TapToFront(tap, front)))) {
                    final NetInfo info;
                    try {
                        info = front.connected().get(150, TimeUnit.SECONDS);
                    } finally {
                        System.out.println("[e2e-netfront] backend " + device.backend() + " (Linux's netback wrote): "
                            + nodes(xs, device.backend()));
                        System.out.println("[e2e-netfront] frontend " + device.frontend() + " (xen4j netfront wrote): "
                            + nodes(xs, device.frontend()));
                    }
                    System.out.printf("[e2e-netfront] connected %.1f s after the device was created: %s%n",
                        (System.nanoTime() - started) / 1e9, info);
                    assertEquals(XenbusState.XENBUS_STATE_CONNECTED, XenbusStates.read(xs, device.backend()), "netback state");
                    assertTrue(Files.exists(Path.of("/sys/class/net", VIF)), "the kernel made no " + VIF);
                    final boolean moved = sh(30, "ip", "link", "set", VIF, "netns", NS_VIF).ok();
                    // Without the move (a kernel whose vif may not change namespace) it stays in dom0's own.
                    final String[] in = moved ? new String[] {"ip", "netns", "exec", NS_VIF} : new String[0];
                    must(cat(in, "ip", "addr", "add", VIF_ADDR + "/24", "dev", VIF));
                    must(cat(in, "ip", "link", "set", VIF, "up"));
                    System.out.println("[e2e-netfront] " + VIF + (moved ? " in namespace " + NS_VIF : " in dom0's own namespace"
                        + " (the move was refused)"));

                    final Run ping = sh(60, cat(in, "ping", "-c", "5", "-i", "0.5", "-W", "5", TAP_ADDR));
                    assertTrue(ping.ok(), "ping " + VIF + " -> " + TAP + ": " + ping.out());
                    final Run back = sh(60, "ip", "netns", "exec", NS_TAP, "ping", "-c", "3", "-i", "0.5", "-W", "5", VIF_ADDR);
                    assertTrue(back.ok(), "ping " + TAP + " -> " + VIF + ": " + back.out());

                    tcp(dir, in, "ip netns exec " + NS_TAP + " ", VIF_ADDR, 15077, 1, "tap -> vif (netfront tx, kernel netback rx)");
                    tcp(dir, new String[] {"ip", "netns", "exec", NS_TAP}, String.join(" ", in) + (in.length > 0 ? " " : ""),
                        TAP_ADDR, 15078, 2, "vif -> tap (kernel netback tx, netfront rx)");

                    sh(10, cat(in, "ip", "-s", "link", "show", "dev", VIF));
                    // What the kernel's netback said about this vif (its reasons for an error response).
                    sh(10, "sh", "-c", "dmesg | grep -i -e " + VIF + " -e netback | tail -n 40");
                    System.out.printf("[e2e-netfront] xen4j netfront: tx %d packets (%d errors, %d dropped), rx %d packets (%d errors);"
                            + " tap %s: read %d (GSO %d), wrote %d (GSO %d), dropped %d%n", front.txPackets(), front.txErrors(),
                        front.txDropped(), front.rxPackets(), front.rxErrors(), tap.name(), tap.received(), tap.gsoReceived(),
                        tap.sent(), tap.gsoSent(), tap.dropped());
                    assertNull(front.brokenReason(), () -> "netfront broke: " + front.brokenReason());
                    assertNull(running.error(), () -> "the agent threw: " + running.error());
                    assertTrue(front.txPackets() > 0 && front.rxPackets() > 0, "frames both ways through the netfront");
                    assertTrue(tap.received() > 0 && tap.sent() > 0, "frames both ways through the TAP");
                    assertEquals(0, front.rxErrors(), "frames the netfront dropped as malformed");

                    // Detach as xl network-detach: the backend asks to close; the frontend closes; the kernel's netback follows.
                    toolstack.requestClose(device);
                    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (XenbusStates.read(xs, device.backend()) != XenbusState.XENBUS_STATE_CLOSED
                        && System.nanoTime() - deadline < 0) {
                        Thread.sleep(50);
                    }
                    // The kernel's netback unmaps the rings at its disconnect, after the frontend's
                    // Closed; the netfront ends their grants then (it tries again every 10 ms).
                    final long released = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (front.leakedGrants() > 0 && System.nanoTime() - released < 0) {
                        Thread.sleep(20);
                    }
                    final int fe = XenbusStates.read(xs, device.frontend());
                    final int be = XenbusStates.read(xs, device.backend());
                    System.out.println("[e2e-netfront] after the detach request: frontend state " + fe + ", backend state " + be
                        + ", " + VIF + " present " + Files.exists(Path.of("/sys/class/net", VIF)) + " (dom0's namespace), netfront pages"
                        + " whose grants the backend still holds: " + front.leakedGrants());
                    assertEquals(XenbusState.XENBUS_STATE_CLOSED, fe, "xen4j's netfront did not close");
                    assertEquals(XenbusState.XENBUS_STATE_CLOSED, be, "the kernel's netback did not close");
                }
            } finally {
                front.close();
                toolstack.destroyDevice(device);
            }
        } finally {
            for (final String ns : namespaces) {
                sh(20, "ip", "netns", "del", ns);
            }
            try (var files = Files.list(dir)) {
                for (final Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /**
     * Sends {@link #TCP_BYTES} random bytes with {@code nc} from the client's namespace to a
     * listener at {@code address:port} in the server's and compares the SHA-256 of what arrived.
     */
    private static void tcp(final Path dir, final String[] serverPrefix, final String clientPrefix, final String address,
                            final int port, final long seed, final String what) throws Exception {
        final byte[] data = new byte[TCP_BYTES];
        new Random(seed).nextBytes(data);
        final Path in = dir.resolve("in-" + port + ".bin");
        final Path out = dir.resolve("out-" + port + ".bin");
        Files.write(in, data);
        final Process server = new ProcessBuilder(cat(serverPrefix, "nc", "-l", address, Integer.toString(port)))
            .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Run client = null;
            final long started = System.nanoTime();
            for (int attempt = 0; attempt < 20; attempt++) {
                Thread.sleep(300);
                client = sh(120, "sh", "-c", clientPrefix + "nc -N " + address + " " + port + " < " + in);
                if (client.ok()) {
                    break;
                }
            }
            final Run c = client;
            assertTrue(c != null && c.ok(), () -> what + ": nc client: " + (c == null ? "" : c.out()));
            assertTrue(server.waitFor(120, TimeUnit.SECONDS), what + ": the nc listener did not finish");
            final double seconds = (System.nanoTime() - started) / 1e9;
            final byte[] got = Files.readAllBytes(out);
            System.out.printf("[e2e-netfront] TCP %s: %d of %d bytes in %.2f s, sha256 sent %s received %s%n", what, got.length,
                data.length, seconds, sha256(data), sha256(got));
            assertEquals(data.length, got.length, what + ": bytes");
            assertArrayEquals(data, got, what + ": the bytes differ");
        } finally {
            server.destroyForcibly();
        }
    }

    private static String[] cat(final String[] prefix, final String... command) {
        final String[] all = new String[prefix.length + command.length];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        System.arraycopy(command, 0, all, prefix.length, command.length);
        return all;
    }
}
