package io.xen4j.hal.memory.xenstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.store.wire.XsMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The {@code xenstore-*} commands of Debian's xenstore-utils (Xen's C tools over libxenstore)
 * against the in-memory xenstored on a Unix socket, pointed at it with {@code XENSTORED_PATH}.
 * Each command runs as a process; its exit code and output are checked, and what it did is
 * checked from the Java side too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class XenstoreCToolsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private Path dir;
    private XenstoreService service;
    private XenstoredSocketServer server;
    private Path socket;

    @BeforeAll
    void start() throws Exception {
        NativeTools.require(NativeTools.XENSTORE_UTILS, "xenstore-read", "xenstore-write", "xenstore-ls",
            "xenstore-rm", "xenstore-chmod", "xenstore-list", "xenstore-exists", "xenstore-watch");
        service = new XenstoreService();
        service.run(core -> {
            core.createDomainHome(0, "Domain-0");
            for (int d = 1; d <= 2; d++) {
                core.introduceDomain(d);
                core.createDomainHome(d, "guest" + d);
            }
        });
        dir = java.nio.file.Files.createTempDirectory("xen4j-xs");
        socket = dir.resolve("socket");
        server = XenstoredSocketServer.start(service, socket);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
            assertEquals(0L, service.call(XenstoreCore::internalErrors));
            assertFalse(java.nio.file.Files.exists(socket), "the socket file is removed");
        }
        if (dir != null) {
            assertTrue(dir.toFile().delete());
        }
    }

    @BeforeEach
    void clean() {
        service.run(core -> {
            final XsConnection c = core.connect(0);
            core.handle(c, XsMessage.ofStrings(XsWire.XS_RM, 1, 0, "/ctools"));
            core.disconnect(c, "cleanup");
        });
    }

    private NativeTools.Result run(final String... command) throws Exception {
        return NativeTools.run(socket, TIMEOUT, command);
    }

    private NativeTools.Result ok(final String... command) throws Exception {
        final NativeTools.Result r = run(command);
        assertEquals(0, r.exit(), () -> String.join(" ", command) + ": " + r);
        return r;
    }

    private String javaRead(final String path) {
        return service.call(core -> {
            final XsConnection c = core.connect(0);
            core.handle(c, XsMessage.ofStrings(XsWire.XS_READ, 1, 0, path));
            final XsMessage m = java.util.Objects.requireNonNull(c.pollOutput());
            core.disconnect(c, "done");
            return m.isError() ? "ERROR " + m.errorName() : m.payloadAsString();
        });
    }

    private List<String> javaPerms(final String path) {
        return service.call(core -> {
            final XsConnection c = core.connect(0);
            core.handle(c, XsMessage.ofStrings(XsWire.XS_GET_PERMS, 1, 0, path));
            final XsMessage m = java.util.Objects.requireNonNull(c.pollOutput());
            core.disconnect(c, "done");
            return m.strings();
        });
    }

    @Test
    void xenstoreWriteThenXenstoreRead() throws Exception {
        ok("xenstore-write", "/ctools/a", "hello", "/ctools/b", "two words");
        assertEquals("hello", javaRead("/ctools/a"));
        assertEquals("hello\ntwo words\n", ok("xenstore-read", "/ctools/a", "/ctools/b").out());
    }

    @Test
    void xenstoreReadOfAMissingNodeFails() throws Exception {
        final NativeTools.Result r = run("xenstore-read", "/ctools/missing");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("couldn't read path /ctools/missing"), r::toString);
    }

    @Test
    void relativePathsOfTheSocketAreDom0s() throws Exception {
        assertEquals("Domain-0\n", ok("xenstore-read", "name").out());
        ok("xenstore-write", "ctools-rel", "r");
        assertEquals("r", javaRead("/local/domain/0/ctools-rel"));
        ok("xenstore-rm", "ctools-rel");
    }

    @Test
    void xenstoreExistsAnswersWithItsExitCode() throws Exception {
        ok("xenstore-write", "/ctools/e", "1");
        assertEquals(0, run("xenstore-exists", "/ctools/e").exit());
        assertEquals(1, run("xenstore-exists", "/ctools/nope").exit());
    }

    @Test
    void xenstoreListAndLsShowChildrenValuesAndPermissions() throws Exception {
        ok("xenstore-write", "/ctools/l/x", "1", "/ctools/l/y", "2", "/ctools/l/y/z", "3");
        assertEquals("x\ny\n", ok("xenstore-list", "/ctools/l").out());
        final String ls = ok("xenstore-ls", "/ctools/l").out();
        assertEquals("x = \"1\"\ny = \"2\"\n z = \"3\"\n", ls);
        final String full = ok("xenstore-ls", "-fp", "/local/domain/1").out();
        assertTrue(full.matches("(?s).*/local/domain/1/name = \"guest1\"\\s+\\(n0,r1\\)\n.*"), full);
        assertTrue(full.matches("(?s).*/local/domain/1/device = \"\"\\s+\\(n1\\)\n.*"), full);
    }

    @Test
    void xenstoreRmRemovesSubtreesAndWithTTheEmptyParents() throws Exception {
        ok("xenstore-write", "/ctools/r/a/b", "1", "/ctools/r/c", "2");
        ok("xenstore-rm", "/ctools/r/c");
        assertEquals(1, run("xenstore-exists", "/ctools/r/c").exit());
        ok("xenstore-rm", "-t", "/ctools/r/a/b");
        assertEquals(1, run("xenstore-exists", "/ctools/r").exit(), "tidy removes the parents left empty");
        ok("xenstore-write", "/ctools/r/a/b", "1");
        ok("xenstore-rm", "/ctools/r");
        assertEquals("ERROR ENOENT", javaRead("/ctools/r/a/b"));
    }

    @Test
    void xenstoreChmodSetsPermissionsThatAGuestThenLivesWith() throws Exception {
        ok("xenstore-write", "/ctools/c/x", "secret", "/ctools/c/y/z", "deep");
        ok("xenstore-chmod", "/ctools/c/x", "n0", "r1");
        assertEquals(List.of("n0", "r1"), javaPerms("/ctools/c/x"));
        ok("xenstore-chmod", "-r", "/ctools/c/y", "b2");
        assertEquals(List.of("b2"), javaPerms("/ctools/c/y/z"));
        assertTrue(ok("xenstore-ls", "-p", "/ctools/c").out().contains("(n0,r1)"));
        final List<XsMessage> guest1 = new CopyOnWriteArrayList<>();
        try (XenstoreService.InProcessConnection g = service.connect(1, guest1::add)) {
            g.send(XsMessage.ofStrings(XsWire.XS_READ, 1, 0, "/ctools/c/x"));
            g.send(XsMessage.ofStringAndBytes(XsWire.XS_WRITE, 2, 0, "/ctools/c/x", "no".getBytes()));
        }
        assertEquals("secret", guest1.get(0).payloadAsString());
        assertEquals("EACCES", guest1.get(1).errorName());
    }

    @Test
    void aDirectoryLargerThanAPayloadIsListedWholeThroughDirectoryPart() throws Exception {
        final List<String> names = new ArrayList<>();
        service.run(core -> {
            final XsConnection c = core.connect(0);
            for (int i = 0; i < 300; i++) {
                final String name = "child-" + i + "-" + "x".repeat(24);
                names.add(name);
                core.handle(c, XsMessage.ofStrings(XsWire.XS_MKDIR, i, 0, "/ctools/big/" + name));
            }
            core.disconnect(c, "done");
        });
        assertEquals(String.join("\n", names) + "\n", ok("xenstore-list", "/ctools/big").out());
    }

    @Test
    void xenstoreWatchSeesTheFirstEventAndChangesFromAnotherClient() throws Exception {
        ok("xenstore-write", "/ctools/w", "");
        final ProcessBuilder pb = new ProcessBuilder("xenstore-watch", "-n", "3", "/ctools/w");
        pb.environment().put("XENSTORED_PATH", socket.toString());
        final Process watch = pb.start();
        // The watch is registered when its first event is printed.
        final var lines = new java.io.BufferedReader(new java.io.InputStreamReader(watch.getInputStream(),
            java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("/ctools/w", lines.readLine());
        ok("xenstore-write", "/ctools/w/one", "1");
        ok("xenstore-rm", "/ctools/w/one");
        assertEquals("/ctools/w/one", lines.readLine());
        assertEquals("/ctools/w/one", lines.readLine());
        assertTrue(watch.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "xenstore-watch -n 3 did not end");
        assertEquals(0, watch.exitValue());
    }
}
