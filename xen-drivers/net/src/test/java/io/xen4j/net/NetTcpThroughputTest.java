package io.xen4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.net.spi.TapPort;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TCP throughput from one network namespace to another through the Java path (TAP, netback,
 * netfront, a Java bridge in a simulated guest, and back) beside the same transfer over a plain
 * veth pair (as root, with {@code ip}, {@code nc} and {@code ss}). In every build it is a check:
 * 32 MiB cross each path and the receiver counts every byte; the rates it prints are those of a
 * short run on whatever else the machine does. With {@code -Dxen4j.netBench=true} it is the
 * measurement of benchmarks/README-net.md: 256 MiB; with {@code -Dxen4j.netBenchWarm=true} the
 * Java path carries one transfer before the measured one.
 */
@Tag("netns")
final class NetTcpThroughputTest {
    private static final long BYTES = Boolean.getBoolean("xen4j.netBench") ? 256L << 20 : 32L << 20;

    private static void must(final String... command) throws Exception {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), String.join(" ", command));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** Seconds to move {@link #BYTES} with nc from {@code nsA} to {@code addrB} in {@code nsB}. */
    private static double transfer(final String nsA, final String nsB, final String addrB,
        final java.util.function.Supplier<String> state) throws Exception {
        final Process server = new ProcessBuilder("ip", "netns", "exec", nsB, "sh", "-c", "nc -l " + addrB + " 15008 | wc -c")
            .redirectErrorStream(true).start();
        try {
            // The server listens before the client connects (a fixed pause was not always enough on
            // a loaded machine: a refused client left the server waiting for ever).
            awaitListener(nsB, server);
            final long start = System.nanoTime();
            final Process client = new ProcessBuilder("ip", "netns", "exec", nsA, "sh", "-c",
                "head -c " + BYTES + " /dev/zero | nc -N " + addrB + " 15008").redirectErrorStream(true).start();
            if (!client.waitFor(60, TimeUnit.SECONDS)) {
                // What the path holds, twice a second apart: whether anything still moves.
                final String first = state.get();
                Thread.sleep(1000);
                throw new AssertionError("client did not finish in 60 s; path state " + first + "; a second later "
                    + state.get());
            }
            // The client's exit first: when it failed (refused, no route), its message says why.
            assertEquals(0, client.exitValue(), () -> "client: " + output(client));
            assertTrue(server.waitFor(120, TimeUnit.SECONDS), "server finished");
            final double seconds = (System.nanoTime() - start) / 1e9;
            final String counted = output(server).strip();
            assertEquals(Long.toString(BYTES), counted.substring(counted.lastIndexOf('\n') + 1).strip(),
                () -> "bytes the receiver in " + nsB + " counted: " + counted);
            return seconds;
        } finally {
            server.destroyForcibly();
        }
    }

    private static String output(final Process p) {
        try {
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (final java.io.IOException e) {
            return e.toString();
        }
    }

    /** Waits (at most 20 s) until a socket listens on port 15008 in {@code ns}. */
    private static void awaitListener(final String ns, final Process server) throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            assertTrue(server.isAlive(), () -> "server: " + output(server));
            final Process ss = new ProcessBuilder("ip", "netns", "exec", ns, "ss", "-Hltn", "sport = :15008")
                .redirectErrorStream(true).start();
            assertTrue(ss.waitFor(20, TimeUnit.SECONDS), "ss finished");
            if (!output(ss).isBlank()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("nothing listens on port 15008 in " + ns + " after 20 s");
    }

    private static String state(final NetWorld.Nic a, final NetWorld.Nic b, final TapPort tapA, final TapPort tapB) {
        final StringBuilder out = new StringBuilder();
        for (final NetWorld.Nic n : List.of(a, b)) {
            out.append(String.format("[%s: front tx %d (err %d, dropped %d) rx %d (err %d) broken %s; back tx %d rx %d"
                    + " rxDropped %d portDropped %d pendingRx %d broken %s] ", n.device.name(), n.front.txPackets(),
                n.front.txErrors(), n.front.txDropped(), n.front.rxPackets(), n.front.rxErrors(), n.front.brokenReason(),
                n.back.txPackets(), n.back.rxPackets(), n.back.rxDropped(), n.back.portDropped(), n.back.pendingRxFrames(),
                n.back.brokenReason()));
        }
        for (final TapPort t : List.of(tapA, tapB)) {
            out.append(String.format("[%s: read %d written %d dropped %d] ", t.name(), t.received(), t.sent(), t.dropped()));
        }
        return out.toString();
    }

    private static long processCpuNanos() {
        // java.base only (the tests run inside the module, which reads no java.management).
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    @Test
    @Timeout(600)
    void tcpThroughputThroughTheJavaPathBesideAVethPair() throws Exception {
        final String tag = Long.toString(ProcessHandle.current().pid() % 1_000_000, 36);
        final List<String> namespaces = new ArrayList<>();
        final List<TapPort> taps = new ArrayList<>();
        NetWorld world = null;
        try {
            for (final String ns : new String[] {"xj7va-" + tag, "xj7vb-" + tag, "xj7ta-" + tag, "xj7tb-" + tag}) {
                must("ip", "netns", "add", ns);
                namespaces.add(ns);
            }
            must("ip", "link", "add", "xj7v" + tag, "netns", namespaces.get(0), "type", "veth", "peer", "name", "xj7w" + tag, "netns",
                namespaces.get(1));
            must("ip", "-n", namespaces.get(0), "addr", "add", "10.231.8.1/24", "dev", "xj7v" + tag);
            must("ip", "-n", namespaces.get(1), "addr", "add", "10.231.8.2/24", "dev", "xj7w" + tag);
            must("ip", "-n", namespaces.get(0), "link", "set", "xj7v" + tag, "up");
            must("ip", "-n", namespaces.get(1), "link", "set", "xj7w" + tag, "up");
            final double veth = transfer(namespaces.get(0), namespaces.get(1), "10.231.8.2", () -> "veth");

            final TapPort tapA = TapPort.open("xj7p" + tag, true);
            taps.add(tapA);
            final TapPort tapB = TapPort.open("xj7q" + tag, true);
            taps.add(tapB);
            final String[][] sides = {{namespaces.get(2), tapA.name(), "10.231.9.1"}, {namespaces.get(3), tapB.name(), "10.231.9.2"}};
            for (final String[] side : sides) {
                must("ip", "link", "set", side[1], "netns", side[0]);
                must("ip", "-n", side[0], "addr", "add", side[2] + "/24", "dev", side[1]);
                must("ip", "-n", side[0], "link", "set", side[1], "up");
            }
            world = new NetWorld();
            final SimulatedDomain bridge = world.guest("bridge");
            final AtomicReference<NetFront> toB = new AtomicReference<>();
            final AtomicReference<NetFront> toA = new AtomicReference<>();
            final NetWorld.Nic a = world.add(bridge, 0, 0x00163E0008A1L, tapA, NetBackConfig.full(), NetFrontConfig.defaults(),
                (f, o) -> toB.get().send(f, o));
            final NetWorld.Nic b = world.add(bridge, 1, 0x00163E0008B1L, tapB, NetBackConfig.full(), NetFrontConfig.defaults(),
                (f, o) -> toA.get().send(f, o));
            toB.set(b.front);
            toA.set(a.front);
            world.start();
            a.awaitConnected();
            b.awaitConnected();
            // The CPU the JVM (the Java path, including the kernel work of its TAP system calls)
            // spends on the transfer: on a shared machine a steadier figure than the rate.
            if (Boolean.getBoolean("xen4j.netBenchWarm")) {
                // Optional: one transfer first, so that the measured one runs compiled code (the
                // default measures a JVM's first transfer, JIT compilation included).
                System.out.printf("warm-up transfer through the Java path: %.2f s%n",
                    transfer(namespaces.get(2), namespaces.get(3), "10.231.9.2", () -> state(a, b, tapA, tapB)));
            }
            final long cpuBefore = processCpuNanos();
            final double java = transfer(namespaces.get(2), namespaces.get(3), "10.231.9.2", () -> state(a, b, tapA, tapB));
            final long cpu = processCpuNanos() - cpuBefore;
            final double mbVeth = BYTES / veth / 1e6;
            final double mbJava = BYTES / java / 1e6;
            System.out.printf("TCP %d MiB namespace to namespace: veth %.1f MB/s (%.2f s), Java path (TAP offloads, 4 rings) %.1f MB/s"
                + " (%.2f s), ratio %.2fx; GSO frames from the TAP %d%n", BYTES >> 20, mbVeth, veth, mbJava, java, mbJava / mbVeth,
                tapA.gsoReceived());
            System.out.printf("Java path CPU: %.2f s of the JVM process for %.2f s of transfer (%.2f ns per byte)%n", cpu / 1e9, java,
                (double) cpu / BYTES);
            // System calls on the TAPs per frame that crossed them (reads that found nothing included).
            final long frames = tapA.received() + tapA.sent() + tapB.received() + tapB.sent();
            final long calls = tapA.readCalls() + tapA.writeCalls() + tapB.readCalls() + tapB.writeCalls();
            System.out.printf("TAP frames %d (A read %d, written %d; B read %d, written %d), read+write calls %d, %.2f per frame%n",
                frames, tapA.received(), tapA.sent(), tapB.received(), tapB.sent(), calls, (double) calls / Math.max(1, frames));
            // Fresh shares the two netfronts made: with receive pages granted again and transmit
            // shares reused, about a ring's worth each, not one per frame.
            System.out.printf("netfront shares made: transmit %d and %d, receive %d and %d%n", a.front.txSharesMade(),
                b.front.txSharesMade(), a.front.rxSharesMade(), b.front.rxSharesMade());
            assertTrue(tapB.sent() > 0 && tapA.received() > 0, "frames crossed the Java path");
        } finally {
            if (world != null) {
                world.close();
            }
            taps.forEach(TapPort::close);
            for (final String ns : namespaces) {
                new ProcessBuilder("ip", "netns", "del", ns).start().waitFor(20, TimeUnit.SECONDS);
            }
        }
    }
}
