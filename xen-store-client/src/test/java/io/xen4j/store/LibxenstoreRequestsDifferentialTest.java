package io.xen4j.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.xen4j.store.wire.XsEncoder;
import io.xen4j.store.wire.XsMessage;
import io.xen4j.store.wire.XsRequests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Differential check of the request encoding against libxenstore itself: Xen's C tools
 * ({@code xenstore-read}, {@code -write}, {@code -rm}, {@code -chmod}, {@code -list},
 * {@code -exists}: Debian package {@code xenstore-utils}; {@code xenstore-control}: {@code xen-utils-4.17}) talk to a recording
 * daemon over {@code XENSTORED_PATH}, and every request they sent must be, byte for byte, what
 * {@link XsRequests} builds for the same operation (libxenstore always sends {@code req_id} 0).
 * Skipped where the tools are missing, except with {@code -Dxen4j.requireNativeChecks=true} (CI).
 */
final class LibxenstoreRequestsDifferentialTest {
    private static final Path TOOLS = Path.of("/usr/bin");
    /** The real xenstore-control of xen-utils-4.17; /usr/bin/xenstore-control is a wrapper that needs a hypervisor. */
    private static final Path CONTROL = Path.of("/usr/lib/xen-4.17/bin/xenstore-control");
    private static Path dir;
    private static FakeServers servers;
    private final List<XsMessage> seen = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        final List<String> missing = new ArrayList<>();
        for (final String tool : List.of("xenstore-read", "xenstore-write", "xenstore-rm", "xenstore-chmod",
            "xenstore-list", "xenstore-exists")) {
            if (!Files.isExecutable(TOOLS.resolve(tool))) {
                missing.add(tool);
            }
        }
        if (!Files.isExecutable(CONTROL)) {
            missing.add(CONTROL + " (xen-utils-4.17)");
        }
        if (!missing.isEmpty()) {
            final String reason = "Xen's C tools missing: " + missing + " (apt-get install xenstore-utils; apt-get"
                + " install --no-install-recommends xen-utils-4.17)";
            if (Boolean.getBoolean("xen4j.requireNativeChecks")) {
                fail("xen4j.requireNativeChecks is set but " + reason);
            }
            Assumptions.abort(reason);
        }
        dir = Files.createTempDirectory("xs-libxenstore");
        servers = new FakeServers(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (servers != null) {
            servers.close();
        }
    }

    @BeforeEach
    void tap() {
        servers.store.requestTap = seen::add;
    }

    private List<XsMessage> run(final String... command) throws IOException, InterruptedException {
        seen.clear();
        final ProcessBuilder pb = new ProcessBuilder(command);
        pb.command().set(0, command[0].startsWith("/") ? command[0] : TOOLS.resolve(command[0]).toString());
        pb.environment().put("XENSTORED_PATH", servers.socket(0).toString());
        pb.redirectErrorStream(true);
        final Process p = pb.start();
        final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish");
        }
        if (p.exitValue() != 0 && !command[0].equals("xenstore-exists")) {
            fail(String.join(" ", command) + " exited " + p.exitValue() + ": " + output);
        }
        // The daemon records a request before it answers, so all are in once the tool exited.
        return List.copyOf(seen);
    }

    private static void assertSameBytes(final List<XsMessage> expected, final List<XsMessage> actual) {
        assertEquals(hex(expected), hex(actual));
    }

    private static List<String> hex(final List<XsMessage> messages) {
        return messages.stream().map(m -> m.toString() + " " + HexFormat.of().formatHex(XsEncoder.toBytes(m))).toList();
    }

    /** The transaction id the fake daemon gave the tool, from its TRANSACTION_START reply's follow-ups. */
    private static int txOf(final List<XsMessage> requests) {
        return requests.size() > 1 ? requests.get(1).txId() : 0;
    }

    @Test
    void xenstoreWriteSendsWhatXsRequestsBuilds() throws Exception {
        final List<XsMessage> got = run("xenstore-write", "/diff/a", "hello", "/diff/b", "");
        final int tx = txOf(got);
        assertSameBytes(List.of(
            XsRequests.transactionStart(0),
            XsRequests.write(0, tx, "/diff/a", "hello".getBytes(StandardCharsets.US_ASCII)),
            XsRequests.write(0, tx, "/diff/b", new byte[0]),
            XsRequests.transactionEnd(0, tx, true)), got);
    }

    @Test
    void xenstoreReadSendsWhatXsRequestsBuilds() throws Exception {
        run("xenstore-write", "/diff/r", "v");
        // xenstore-read alone runs outside a transaction.
        assertSameBytes(List.of(XsRequests.read(0, 0, "/diff/r")), run("xenstore-read", "/diff/r"));
    }

    @Test
    void xenstoreRmListExistsChmodSendWhatXsRequestsBuilds() throws Exception {
        run("xenstore-write", "/diff/d/x", "1");
        List<XsMessage> got = run("xenstore-list", "/diff/d");
        int tx = txOf(got);
        assertSameBytes(List.of(XsRequests.transactionStart(0), XsRequests.directory(0, tx, "/diff/d"),
            XsRequests.transactionEnd(0, tx, true)), got);

        got = run("xenstore-exists", "/diff/d/x");
        tx = txOf(got);
        assertSameBytes(List.of(XsRequests.transactionStart(0), XsRequests.read(0, tx, "/diff/d/x"),
            XsRequests.transactionEnd(0, tx, true)), got);

        got = run("xenstore-chmod", "/diff/d/x", "n0", "r1", "w2", "b3");
        tx = txOf(got);
        assertSameBytes(List.of(XsRequests.transactionStart(0),
            XsRequests.setPerms(0, tx, "/diff/d/x", List.of("n0", "r1", "w2", "b3")),
            XsRequests.transactionEnd(0, tx, true)), got);

        got = run("xenstore-rm", "/diff/d/x");
        tx = txOf(got);
        final List<XsMessage> expected = new ArrayList<>();
        expected.add(XsRequests.transactionStart(0));
        // xenstore-rm reads the node first to tell "missing" from other errors, then removes it.
        for (final XsMessage m : got.subList(1, got.size() - 2)) {
            expected.add(XsRequests.read(0, tx, m.firstString()));
        }
        expected.add(XsRequests.rm(0, tx, "/diff/d/x"));
        expected.add(XsRequests.transactionEnd(0, tx, true));
        assertSameBytes(expected, got);
    }

    @Test
    void xenstoreControlSendsWhatXsRequestsBuilds() throws Exception {
        final List<XsMessage> got = run(CONTROL.toString(), "print", "hello");
        assertSameBytes(List.of(XsRequests.control(0, "print", "hello")), got);
    }
}
