package io.xen4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.hal.memory.xenstore.XenstoredSocketServer;
import io.xen4j.store.wire.ParseResult;
import io.xen4j.store.wire.XsEncoder;
import io.xen4j.store.wire.XsMessage;
import io.xen4j.store.wire.XsParser;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The xenstored command: what it serves, and that SIGINT and SIGTERM stop it cleanly. */
final class XenstoredMainTest {
    @TempDir
    Path dir;

    private static String read(final Path socket, final String path) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ch.write(ByteBuffer.wrap(XsEncoder.toBytes(XsMessage.ofStrings(XsWire.XS_READ, 1, 0, path))));
            final XsParser parser = new XsParser();
            final ByteBuffer in = ByteBuffer.allocate(8192);
            while (true) {
                if (ch.read(in) < 0) {
                    throw new IOException("closed");
                }
                in.flip();
                final ParseResult r = parser.parse(in);
                in.compact();
                if (r instanceof ParseResult.Packet p) {
                    return p.message().isError() ? p.message().errorName() : p.message().payloadAsString();
                }
            }
        }
    }

    @Test
    void servesDom0AndTheSimulatedDomains() throws Exception {
        final ByteArrayOutputStream log = new ByteArrayOutputStream();
        final Path socket = dir.resolve("xs.sock");
        final XenstoredSocketServer server = XenstoredMain.start(socket, 2, new PrintStream(log, true,
            StandardCharsets.UTF_8));
        try {
            assertEquals("Domain-0", read(socket, "/local/domain/0/name"));
            assertEquals("guest2", read(socket, "/local/domain/2/name"));
            assertEquals("ENOENT", read(socket, "/local/domain/3/name"));
        } finally {
            server.close();
        }
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("XENSTORED_PATH=" + socket.toAbsolutePath()));
        assertFalse(Files.exists(socket));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void aSignalStopsTheProcessAndRemovesTheSocket(final String signal) throws Exception {
        final Path socket = dir.resolve("signal.sock");
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final Process p = new ProcessBuilder(java, "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), XenstoredMain.class.getName(), socket.toString(), "1")
            .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            final String first = out.readLine();
            assertTrue(first != null && first.startsWith("xenstored: serving 2 domains on "), String.valueOf(first));
            assertTrue(Files.exists(socket));
            assertEquals("guest1", read(socket, "/local/domain/1/name"));
            final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
            assertEquals(0, kill.waitFor());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "did not stop on SIG" + signal);
            final List<String> rest = out.lines().toList();
            assertTrue(rest.stream().anyMatch(l -> l.startsWith("xenstored: stopped")), rest.toString());
        } finally {
            p.destroyForcibly();
        }
        assertFalse(Files.exists(socket), "socket file left behind");
    }
}
