package io.xen4j.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.net.spi.TapPort;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Linux networking through the Java path: two network namespaces made by the test, a TAP
 * device in each (created in the root namespace through FFM and moved), each TAP behind a netback
 * whose netfront is in one simulated guest that bridges its two interfaces in Java. {@code ping}
 * and a TCP transfer ({@code nc}, checked by SHA-256) from one namespace to the other cross four
 * rings. Needs root, {@code /dev/net/tun}, {@code ip}, {@code ping} and {@code nc}; skipped with
 * the reason otherwise, except with {@code -Dxen4j.requireNativeChecks=true} (CI), where it fails.
 */
@Tag("netns")
final class NetTapNamespaceTest {
    private static final String A_ADDR = "10.231.7.1";
    private static final String B_ADDR = "10.231.7.2";

    private static @org.jspecify.annotations.Nullable String missing() {
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            return "/dev/net/tun does not exist";
        }
        try {
            final String status = Files.readString(Path.of("/proc/self/status"));
            if (!status.lines().anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[2].equals("0"))) {
                return "not running as root (network namespaces and TAP devices need it)";
            }
        } catch (final IOException e) {
            return "cannot read /proc/self/status: " + e;
        }
        for (final String tool : new String[] {"ip", "ping", "nc"}) {
            if (!onPath(tool)) {
                return tool + " is not installed (apt-get install iproute2 iputils-ping netcat-openbsd)";
            }
        }
        return null;
    }

    private static boolean onPath(final String tool) {
        for (final String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    record Result(int exit, String output) {
    }

    private static Result run(final long timeoutSeconds, final String... command) throws Exception {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static void must(final String... command) throws Exception {
        final Result r = run(20, command);
        if (r.exit() != 0) {
            fail(String.join(" ", command) + " exited " + r.exit() + ": " + r.output());
        }
    }

    @ParameterizedTest(name = "offloads={0}")
    @ValueSource(booleans = {false, true})
    @Timeout(120)
    void pingAndTcpCrossTwoNamespacesThroughTapNetbackNetfrontAndAJavaBridge(final boolean offloads, @TempDir final Path tmp)
        throws Exception {
        final String why = missing();
        if (why != null) {
            if (Boolean.getBoolean("xen4j.requireNativeChecks")) {
                fail("xen4j.requireNativeChecks is set but the namespace test cannot run: " + why);
            }
            Assumptions.abort("namespace test skipped: " + why);
        }
        final String tag = Long.toString(ProcessHandle.current().pid() % 1_000_000, 36) + Integer.toString(new Random().nextInt(1296), 36);
        final String nsA = "xj7a-" + tag;
        final String nsB = "xj7b-" + tag;
        final List<String> namespaces = new ArrayList<>();
        TapPort tapA = null;
        TapPort tapB = null;
        NetWorld world = null;
        try {
            tapA = TapPort.open("xj7a" + tag, offloads);
            tapB = TapPort.open("xj7b" + tag, offloads);
            for (final String[] side : new String[][] {{nsA, tapA.name(), A_ADDR}, {nsB, tapB.name(), B_ADDR}}) {
                must("ip", "netns", "add", side[0]);
                namespaces.add(side[0]);
                // The open descriptor keeps working after the device moves.
                must("ip", "link", "set", side[1], "netns", side[0]);
                must("ip", "-n", side[0], "addr", "add", side[2] + "/24", "dev", side[1]);
                must("ip", "-n", side[0], "link", "set", side[1], "up");
                must("ip", "-n", side[0], "link", "set", "lo", "up");
            }
            world = new NetWorld();
            final SimulatedDomain bridge = world.guest("bridge");
            final AtomicReference<NetFront> toB = new AtomicReference<>();
            final AtomicReference<NetFront> toA = new AtomicReference<>();
            // The guest bridges its two interfaces: whatever one receives, the other sends.
            final NetWorld.Nic a = world.add(bridge, 0, 0x00163E0007A1L, tapA, NetBackConfig.full(), NetFrontConfig.defaults(),
                (f, o) -> toB.get().send(f, o));
            final NetWorld.Nic b = world.add(bridge, 1, 0x00163E0007B1L, tapB, NetBackConfig.full(), NetFrontConfig.defaults(),
                (f, o) -> toA.get().send(f, o));
            toB.set(b.front);
            toA.set(a.front);
            world.start();
            a.awaitConnected();
            b.awaitConnected();

            final Result ping = run(30, "ip", "netns", "exec", nsA, "ping", "-c", "3", "-W", "2", B_ADDR);
            System.out.println("netns ping " + nsA + " -> " + nsB + ":\n" + ping.output());
            assertEquals(0, ping.exit(), ping.output());
            assertTrue(ping.output().contains("3 received"), ping.output());

            final byte[] data = new byte[4 << 20];
            new Random(7).nextBytes(data);
            final Path in = tmp.resolve("in.bin");
            final Path out = tmp.resolve("out.bin");
            Files.write(in, data);
            final Process server = new ProcessBuilder("ip", "netns", "exec", nsB, "nc", "-l", B_ADDR, "15007")
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                Result client = null;
                final long started = System.nanoTime();
                for (int attempt = 0; attempt < 20; attempt++) {
                    Thread.sleep(200);
                    client = run(60, "ip", "netns", "exec", nsA, "sh", "-c", "nc -N " + B_ADDR + " 15007 < " + in);
                    if (client.exit() == 0) {
                        break;
                    }
                }
                assertTrue(client != null && client.exit() == 0, "nc client: " + (client == null ? "" : client.output()));
                assertTrue(server.waitFor(60, TimeUnit.SECONDS), "nc server did not finish");
                final double seconds = (System.nanoTime() - started) / 1e9;
                final byte[] got = Files.readAllBytes(out);
                final String sent = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
                final String recv = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(got));
                System.out.printf("netns TCP %s -> %s: %d bytes in %.2f s, sha256 sent %s received %s%n", nsA, nsB, got.length,
                    seconds, sent, recv);
                assertEquals(data.length, got.length);
                assertEquals(sent, recv);
                assertArrayEquals(data, got);
            } finally {
                server.destroyForcibly();
            }
            for (final NetWorld.Nic n : world.nics) {
                assertNull(n.front.brokenReason());
                assertNull(n.back.brokenReason());
            }
            System.out.println("netns frames (offloads=" + offloads + "): tap " + tapA.name() + " read " + tapA.received() + " (GSO "
                + tapA.gsoReceived() + ") wrote " + tapA.sent() + ", tap " + tapB.name() + " read " + tapB.received() + " wrote "
                + tapB.sent() + " (GSO " + tapB.gsoSent() + ")");
            if (offloads) {
                // The kernel's TCP sent super-segments into tap A; they crossed the four rings whole.
                assertTrue(tapA.gsoReceived() > 0, "GSO frames read from " + tapA.name());
                assertTrue(tapB.gsoSent() > 0, "GSO frames written to " + tapB.name());
            }
        } finally {
            if (world != null) {
                world.close();
            }
            if (tapA != null) {
                tapA.close();
            }
            if (tapB != null) {
                tapB.close();
            }
            for (final String ns : namespaces) {
                run(20, "ip", "netns", "del", ns);
            }
        }
    }
}
