package io.xen4j.e2e;

import io.xen4j.abi.xenbus.XenbusState;
import io.xen4j.hal.api.XenHostOptions;
import io.xen4j.hal.linux.LinuxXenHost;
import io.xen4j.net.NetBack;
import io.xen4j.net.NetBackConfig;
import io.xen4j.net.spi.TapPort;
import io.xen4j.store.XenStoreClient;
import io.xen4j.store.transport.UnixSocketTransport;
import io.xen4j.xenbus.DevicePaths;
import io.xen4j.xenbus.XenbusStates;
import io.xen4j.xenbus.XenbusToolstack;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;

/**
 * xen4j's netback in dom0 serving the Linux kernel's xen-netfront in the harness's domU, on the
 * real hypervisor: as a toolstack (libxl's vif nodes, through {@link XenbusToolstack}) it gives
 * the running domU a vif whose backend is a {@link NetBack} over the Linux HAL, with its frames
 * on a TAP device in dom0's bridge {@code xenbr0} (10.99.0.1/24, made by
 * {@code live-xen/domu-smoke.sh}). The guest's {@code /init} ({@code live-xen/domu-init.sh})
 * sees the late {@code eth0}, takes 10.99.0.2, pings 10.99.0.1, sends {@code seq 1 150000} to
 * 10.99.0.1:5001 and reads the same bytes back from :5002, printing lengths and SHA-256 on its
 * console, which xenconsoled logs in dom0. dom0 pings the guest and checks the bytes it got.
 *
 * <p>The backend directory is {@code backend/xen4j-vif/<domid>/0} ({@link NetBack#USERSPACE_KIND}),
 * which the frontend's {@code backend} node names: the dom0 kernel's xen-netback, which serves
 * every device under {@code backend/vif}, stays loaded and leaves it alone, and Linux's
 * netfront follows the node whatever its kind. Everything is bounded in time; traffic stays on
 * the bridge inside the emulated machine.
 */
final class LinuxNetfrontOnXen4jNetback {
    /** The number of lines of the guest's {@code seq} (domu-init.sh {@code TCP_LINES}). */
    static final int TCP_LINES = 150_000;
    static final String BRIDGE_ADDRESS = "10.99.0.1";
    static final String GUEST_ADDRESS = "10.99.0.2";
    static final String MAC = "00:16:3e:58:34:10";
    static final String TAP = "xen4jvif0";
    static final Path CONSOLE_DIR = Path.of("/mnt/shared/dom0/console");
    private static final Duration CONNECT = Duration.ofSeconds(180);
    private static final Duration GUEST = Duration.ofSeconds(300);

    /**
     * What the run saw.
     *
     * @param backendState   the backend's state node after the handshake
     * @param frontendNodes  the nodes Linux's netfront wrote, {@code name=value}
     * @param guestMarks     the guest's XEN4J-DOMU lines about eth0
     * @param dom0Ping       dom0's ping of the guest: exit code and summary
     * @param warmPing       dom0's second ping, after the transfers
     * @param uploadLength   bytes dom0 read on :5001
     * @param uploadSha256   their hash
     * @param expectedSha256 the hash of {@code seq 1 150000}
     * @param expectedLength its length
     * @param uploadMillis   accept to the last byte on :5001
     * @param downloadMillis accept to close on :5002
     * @param backendSummary the backend's counters
     */
    record Result(int backendState, List<String> frontendNodes, List<String> guestMarks, String dom0Ping,
                  String warmPing, long uploadLength, String uploadSha256, String expectedSha256, long expectedLength,
                  long uploadMillis, long downloadMillis, String backendSummary) {
    }

    /** The guest's vif is served by the kernel's netback already: the scenario does not apply. */
    static final class VifTaken extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        VifTaken(final String message) {
            super(message);
        }
    }

    /** A value and the milliseconds it took. */
    record Timed<T>(T value, long millis) {
    }

    private LinuxNetfrontOnXen4jNetback() {
    }

    /** The bytes of {@code seq 1 n}. */
    static byte[] seq(final int n) {
        final StringBuilder b = new StringBuilder(n * 7);
        for (int i = 1; i <= n; i++) {
            b.append(i).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static String sha256(final byte[] bytes, final int length) {
        try {
            final MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(bytes, 0, length);
            return HexFormat.of().formatHex(d.digest());
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256", e);
        }
    }

    /** The domid of the domain named {@code name}, from xenstore. */
    static int domid(final XenStoreClient xs, final String name) {
        for (final String id : xs.directory("/local/domain")) {
            if (!"0".equals(id) && xs.exists("/local/domain/" + id + "/name") && name.equals(xs.read("/local/domain/" + id + "/name"))) {
                return Integer.parseInt(id);
            }
        }
        throw new IllegalStateException("no domain named " + name + " under /local/domain");
    }

    static String sh(final PrintStream out, final String... command) throws IOException, InterruptedException {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final boolean done = p.waitFor(60, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        final String text = new String(p.getInputStream().readNBytes(1 << 16), StandardCharsets.UTF_8).trim();
        final String line = String.join(" ", command) + " -> " + (done ? "rc " + p.exitValue() : "timed out") + (text.isEmpty() ? "" : ": " + text);
        out.println("dom0$ " + line);
        return done ? "rc " + p.exitValue() + " " + text : "timed out " + text;
    }

    /** The first marked line that matches, or empty after {@code limit}. */
    private static Optional<String> awaitMark(final GuestConsoleLog log, final Predicate<String> match, final Duration limit)
        throws InterruptedException {
        try {
            return Optional.of(log.await(match, limit, "a line"));
        } catch (final IOException timedOut) {
            // The caller reports what is missing, with the lines seen.
            return Optional.empty();
        }
    }

    /**
     * Runs the scenario against the domU named {@code domuName}.
     *
     * @param domuName the guest ({@code $XEN4J_DOMU_NAME})
     * @param out      where the steps are printed
     * @return what was seen
     * @throws Exception on a failure of a step (the message names it)
     */
    static Result run(final String domuName, final PrintStream out) throws Exception {
        final byte[] expected = seq(TCP_LINES);
        final String expectedSha = sha256(expected, expected.length);
        final GuestConsoleLog console = GuestConsoleLog.ofXenconsoled(CONSOLE_DIR, domuName);
        // The kernel's netback stays: it serves backend/vif, this backend lives under backend/xen4j-vif.
        out.println("dom0: kernel xen-netback loaded: " + Files.exists(Path.of("/sys/module/xen_netback")));
        sh(out, "ip", "-br", "addr", "show", "dev", "xenbr0");
        try (XenStoreClient xs = XenStoreClient.connect(UnixSocketTransport.connect(UnixSocketTransport.DEFAULT_SOCKET),
                 XenStoreClient.Options.DEFAULTS.withRequestTimeout(Duration.ofSeconds(30)));
             LinuxXenHost host = LinuxXenHost.open(XenHostOptions.NONE);
             ServerSocket up = new ServerSocket();
             ServerSocket down = new ServerSocket();
             TapPort tap = TapPort.open(TAP, true)) {
            final InetAddress bridge = InetAddress.getByName(BRIDGE_ADDRESS);
            up.bind(new InetSocketAddress(bridge, 5001));
            down.bind(new InetSocketAddress(bridge, 5002));
            up.setSoTimeout((int) GUEST.toMillis());
            down.setSoTimeout((int) GUEST.toMillis());
            final CompletableFuture<Timed<byte[]>> upload = CompletableFuture.supplyAsync(() -> receive(up, expected.length));
            final CompletableFuture<Timed<Long>> download = CompletableFuture.supplyAsync(() -> send(down, expected));
            sh(out, "ip", "link", "set", tap.name(), "master", "xenbr0", "up");

            final int domU = domid(xs, domuName);
            final DevicePaths device = new DevicePaths("vif", domU, 0, 0).withBackendKind(NetBack.USERSPACE_KIND);
            if (xs.exists(device.frontend()) || xs.exists(device.backend())) {
                // The harness gave the guest a vif of its own (run.sh without --domu-vif none).
                throw new VifTaken(device.frontend() + " or " + device.backend() + " exists already: the domU has a vif"
                    + " (live-xen/run.sh --domu-vif none leaves it out)");
            }
            out.println("dom0: domU " + domuName + " is domain " + domU + "; creating " + device.frontend() + " -> " + device.backend());
            // libxl's vif nodes (libxl__device_nic_add): mac and handle on both sides; the frontend's
            // backend node points at backend/xen4j-vif.
            new XenbusToolstack(xs).createDevice(device, Map.of("mac", MAC, "handle", "0"),
                Map.of("mac", MAC, "handle", "0", "bridge", "xenbr0", "type", "vif"));
            final NetBack back = new NetBack(host, xs, device, tap, NetBackConfig.full());
            back.start();
            // Sleeps when idle (up to 1 ms): dom0 has one emulated vCPU, which the guest's
            // backend work and the kernel share with this loop.
            final AgentRunner runner = new AgentRunner(new BackoffIdleStrategy(1, 1, 10_000, 1_000_000),
                e -> out.println("netback agent: " + e), null, back);
            AgentRunner.startOnThread(runner);
            try {
                final long deadline = System.nanoTime() + CONNECT.toNanos();
                int state = XenbusStates.read(xs, device.backend());
                while (state != XenbusState.XENBUS_STATE_CONNECTED && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                    state = XenbusStates.read(xs, device.backend());
                }
                out.println("dom0: backend state " + state + ", frontend state " + XenbusStates.read(xs, device.frontend()));
                final List<String> nodes = new ArrayList<>();
                collect(xs, device.frontend(), "", nodes);
                nodes.forEach(n -> out.println("frontend node (Linux wrote): " + n));

                final Optional<String> ping = awaitMark(console, m -> m.startsWith("net eth0 ping") || m.startsWith("net eth0 FAIL ping"), GUEST);
                out.println("guest: " + ping.orElse("(no ping line in " + GUEST + ")"));
                final String dom0Ping = sh(out, "ping", "-c", "3", "-W", "5", GUEST_ADDRESS);
                final Optional<String> got = awaitMark(console,
                    m -> m.startsWith("net eth0 tcp received") || m.startsWith("net eth0 FAIL tcp") || m.startsWith("net eth0 tcp: no"), GUEST);
                out.println("guest: " + got.orElse("(no tcp line in " + GUEST + ")"));
                awaitMark(console, m -> m.startsWith("net eth0 stats"), Duration.ofSeconds(30));
                final Timed<byte[]> upTimed = upload.get(30, TimeUnit.SECONDS);
                final Timed<Long> downTimed = download.get(30, TimeUnit.SECONDS);
                final byte[] upBytes = upTimed.value();
                final String upSha = sha256(upBytes, upBytes.length);
                out.println("dom0: read " + upBytes.length + " bytes on :5001 in " + upTimed.millis() + " ms, sha256 " + upSha
                    + " (expected " + expected.length + " bytes, " + expectedSha + "); sent " + downTimed.value()
                    + " bytes on :5002 in " + downTimed.millis() + " ms");
                // Again, with everything warm (classes loaded, the ARP entry known): the latency of the path itself.
                final String warmPing = sh(out, "ping", "-c", "5", "-i", "0.5", "-W", "5", GUEST_ADDRESS);
                final List<String> guestMarks = console.marks().stream().filter(m -> m.startsWith("net eth0")).toList();
                guestMarks.forEach(m -> out.println("guest says: " + m));
                runner.close();
                final String summary = "queues=" + back.queueCount() + " connected=" + back.isConnected() + " tx(guest->tap)="
                    + back.txPackets() + "/" + back.txBytes() + "B rx(tap->guest)=" + back.rxPackets() + "/" + back.rxBytes()
                    + "B rxDropped=" + back.rxDropped() + " portDropped=" + back.portDropped() + " rejected=" + back.rejectedByRule()
                    + " broken=" + back.brokenReason() + "; tap sent=" + tap.sent() + " received=" + tap.received()
                    + " gsoSent=" + tap.gsoSent() + " gsoReceived=" + tap.gsoReceived() + " dropped=" + tap.dropped();
                out.println("dom0: netback " + summary);
                return new Result(state, nodes, guestMarks, dom0Ping, warmPing, upBytes.length, upSha, expectedSha, expected.length,
                    upTimed.millis(), downTimed.millis(), summary);
            } finally {
                runner.close();
                back.close();
            }
        }
    }

    private static void collect(final XenStoreClient xs, final String dir, final String prefix, final List<String> out) {
        for (final String child : xs.directory(dir)) {
            final String path = dir + "/" + child;
            final String value = xs.read(path);
            if (!value.isEmpty()) {
                out.add(prefix + child + "=" + value);
            }
            collect(xs, path, prefix + child + "/", out);
        }
    }

    /** Accepts one connection and reads at most {@code max + 1} bytes, until EOF or {@code max}. */
    private static Timed<byte[]> receive(final ServerSocket server, final int max) {
        try (Socket s = server.accept()) {
            final long t0 = System.nanoTime();
            s.setSoTimeout(120_000);
            final InputStream in = s.getInputStream();
            final byte[] buf = new byte[max + 1];
            int n = 0;
            while (n < buf.length) {
                final int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
                if (n == max) {
                    // All of it: closing ends the guest's nc, which may not half-close on EOF.
                    break;
                }
            }
            return new Timed<>(java.util.Arrays.copyOf(buf, n), (System.nanoTime() - t0) / 1_000_000);
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException("dom0 :5001: " + e, e);
        }
    }

    /** Accepts one connection, writes {@code bytes} and closes. */
    private static Timed<Long> send(final ServerSocket server, final byte[] bytes) {
        try (Socket s = server.accept()) {
            final long t0 = System.nanoTime();
            final OutputStream o = s.getOutputStream();
            o.write(bytes);
            o.flush();
            s.shutdownOutput();
            // Until the guest closes its side: all bytes were taken.
            s.setSoTimeout(120_000);
            final int eof = s.getInputStream().read();
            return new Timed<>(eof < 0 ? (long) bytes.length : -1L, (System.nanoTime() - t0) / 1_000_000);
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException("dom0 :5002: " + e, e);
        }
    }

    /**
     * Runs the scenario from a shell in dom0 (development).
     *
     * @param args the domU's name, else {@code $XEN4J_DOMU_NAME}
     * @throws Exception on failure
     */
    public static void main(final String[] args) throws Exception {
        final String name = args.length > 0 ? args[0] : System.getenv("XEN4J_DOMU_NAME");
        final Result r = run(name == null ? "xen4j-domu" : name, System.out);
        System.out.println(r);
    }
}
