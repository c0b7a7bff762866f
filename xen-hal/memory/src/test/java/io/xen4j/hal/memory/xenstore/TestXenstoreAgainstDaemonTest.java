package io.xen4j.hal.memory.xenstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Xen's own xenstore test program, {@code /usr/lib/xen-4.17/bin/test-xenstore} (Debian package
 * xen-utils-4.17), against the in-memory xenstored on a Unix socket: all 12 of its tests, many
 * iterations of them, and its random mode for {@code xen4j.testXenstoreRandomSeconds} seconds
 * (default 60).
 */
final class TestXenstoreAgainstDaemonTest {
    /** The tests test-xenstore 4.17 has, in its order. */
    static final List<String> TESTS = List.of("read 1", "read 2000", "write 1", "write 2000", "dir", "rm node",
        "rm dir", "ta empty", "ta empty x", "ta rmw", "ta rmw x", "ta err");

    @TempDir
    Path dir;
    private XenstoreService service;
    private XenstoredSocketServer server;

    @BeforeEach
    void start() throws Exception {
        NativeTools.require(NativeTools.XEN_UTILS, NativeTools.TEST_XENSTORE.toString());
        service = new XenstoreService();
        service.run(core -> core.createDomainHome(0, "Domain-0"));
        server = XenstoredSocketServer.start(service, dir.resolve("socket"));
    }

    @AfterEach
    void stop() {
        if (server == null) {
            // The C tool is missing: start() aborted the test before anything ran.
            return;
        }
        server.close();
        assertEquals(0L, service.call(XenstoreCore::internalErrors), "internal errors in the daemon");
        // test-xenstore removes what it wrote, and its connection left no watch or transaction behind.
        assertEquals(0, service.call(core -> core.usage(0)).watches());
        assertEquals(0, service.call(core -> core.usage(0)).transactions());
        final int children = service.call(core -> {
            final XsConnection c = core.connect(0);
            core.handle(c, io.xen4j.store.wire.XsMessage.ofStrings(io.xen4j.abi.xenstore.XsWire.XS_DIRECTORY, 1, 0,
                "/local/domain/0"));
            final int n = java.util.Objects.requireNonNull(c.pollOutput()).strings().size();
            core.disconnect(c, "done");
            return n;
        });
        assertEquals(2, children, "only name and domid are left in /local/domain/0");
    }

    private NativeTools.Result testXenstore(final Duration timeout, final String... args) throws Exception {
        final String[] command = new String[args.length + 1];
        command[0] = NativeTools.TEST_XENSTORE.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        return NativeTools.run(server.path(), timeout, command);
    }

    @Test
    void listsTwelveTests() throws Exception {
        final NativeTools.Result r = testXenstore(Duration.ofSeconds(10), "-l");
        assertEquals(0, r.exit(), r::toString);
        final List<String> names = r.out().lines().map(l -> l.substring(0, l.indexOf(':')).strip()).toList();
        assertEquals(TESTS, names);
    }

    @Test
    void allTwelveTestsPass() throws Exception {
        final NativeTools.Result r = testXenstore(Duration.ofSeconds(60));
        assertEquals(0, r.exit(), r::toString);
        for (final String t : TESTS) {
            assertTrue(r.out().lines().anyMatch(l -> l.matches("\\Q" + t + "\\E\\s*: \\d+ ns")), () -> t + ": " + r);
        }
        assertFalse(r.out().contains("failed"), r::toString);
        System.out.println("test-xenstore against the in-memory xenstored:\n" + r.out());
    }

    @Test
    void allTwelveTestsPass200TimesEach() throws Exception {
        final NativeTools.Result r = testXenstore(Duration.ofMinutes(2), "-i", "200");
        assertEquals(0, r.exit(), r::toString);
        assertEquals(12, r.out().lines().filter(l -> l.contains("avg:")).count(), r::toString);
        assertFalse(r.out().contains("Exhaustive transaction retries"), r::toString);
    }

    @Test
    void randomModeRunsWithoutAFailure() throws Exception {
        final int seconds = Integer.getInteger("xen4j.testXenstoreRandomSeconds", 60);
        final NativeTools.Result r = testXenstore(Duration.ofSeconds(seconds + 60), "-r", Integer.toString(seconds));
        assertEquals(0, r.exit(), r::toString);
        assertFalse(r.out().contains("failed"), r::toString);
        assertTrue(r.took().toSeconds() >= seconds - 1, () -> "ran " + r.took());
        final long requests = service.call(XenstoreCore::requestsHandled);
        System.out.println("test-xenstore -r " + seconds + ": exit 0 after " + r.took().toMillis() + " ms, "
            + requests + " requests served");
    }
}
