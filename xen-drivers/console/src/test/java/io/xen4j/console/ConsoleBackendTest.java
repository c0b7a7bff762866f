package io.xen4j.console;

import static io.xen4j.console.ConsoleWorld.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.console.ConsoleStatus.State;
import io.xen4j.hal.memory.SimulatedDomain;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The guest's primary console against the backend on the simulated host. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class ConsoleBackendTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static byte[] ascii(final String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void guestLinesReachTheBackendThroughTheSeededGrant() throws Exception {
        try (ConsoleWorld w = new ConsoleWorld().run()) {
            final ConsoleWorld.Guest g = w.boot("web", true);
            w.backend.servePrimary(g.domid());
            final OutputStream out = g.console().outputStream(WAIT);
            out.write(ascii("hello\r\nworld\n"));
            final ConsoleId id = ConsoleId.primary(g.domid());
            await(() -> w.lines(id).size() == 2, "two lines");
            assertEquals(List.of("hello", "world"), w.lines(id));
            final ConsoleStatus s = w.status(id);
            assertEquals(State.CONNECTED, s.state());
            assertEquals(13, s.bytesOut());
            assertEquals(0, s.discarded());
            // The page is mapped by the reserved grant, not as a foreign frame.
            assertTrue(g.domain().grantEntry(0).reading() || g.domain().grantEntry(0).writing(), "grant 0 in use");
        }
    }

    @Test
    void withoutASeededGrantThePageIsMappedAsAForeignFrame() throws Exception {
        try (ConsoleWorld w = new ConsoleWorld().run()) {
            final ConsoleWorld.Guest g = w.boot("old-toolstack", false);
            w.backend.servePrimary(g.domid());
            g.console().write(ascii("via privcmd\n"), 0, 12, WAIT);
            await(() -> w.lines(ConsoleId.primary(g.domid())).equals(List.of("via privcmd")), "the line");
        }
    }

    @Test
    void inputTypedOnTheBackendReachesTheGuest() throws Exception {
        try (ConsoleWorld w = new ConsoleWorld().run()) {
            final ConsoleWorld.Guest g = w.boot("shell", true);
            w.backend.servePrimary(g.domid());
            final ConsoleId id = ConsoleId.primary(g.domid());
            await(() -> w.status(id).state() == State.CONNECTED, "connected");
            assertEquals(5, w.backend.sendInput(id, ascii("ls -l")));
            final byte[] got = new byte[5];
            int n = 0;
            while (n < 5) {
                n += g.console().read(got, n, 5 - n, WAIT);
            }
            assertArrayEquals(ascii("ls -l"), got);
            await(() -> w.status(id).bytesIn() == 5, "counted");
        }
    }

    @Test
    void aLargeWriteWaitsForRoomAndArrivesWhole() throws Exception {
        try (ConsoleWorld w = new ConsoleWorld().run()) {
            final ConsoleWorld.Guest g = w.boot("chatty", true);
            w.backend.servePrimary(g.domid());
            final StringBuilder sb = new StringBuilder();
            final List<String> expected = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                final String line = "line " + i + " of a guest that writes much more than one ring holds";
                expected.add(line);
                sb.append(line).append('\n');
            }
            g.console().outputStream(WAIT).write(ascii(sb.toString()));
            final ConsoleId id = ConsoleId.primary(g.domid());
            await(() -> w.lines(id).size() == expected.size(), "all lines");
            assertEquals(expected, w.lines(id));
        }
    }

    @Test
    void aWriteTimesOutWhenNobodyReadsAndSaysHowMuchWentOut() throws Exception {
        try (ConsoleWorld w = new ConsoleWorld()) {
            final ConsoleWorld.Guest g = w.boot("lonely", true);
            final InterruptedIOException e = assertThrows(InterruptedIOException.class,
                () -> g.console().write(new byte[4096], 0, 4096, Duration.ofMillis(100)));
            assertEquals(2048, e.bytesTransferred, "one ring's worth");
            assertTrue(String.valueOf(e.getMessage()).contains("console-lonely: no room in the out ring"), e.getMessage());
            assertEquals(0, g.console().tryWrite(new byte[1], 0, 1), "non-blocking: full");
        }
    }

    @Test
    void aReadTimesOutAndTryReadReturnsNothing() throws Exception {
        try (ConsoleWorld w = new ConsoleWorld()) {
            final ConsoleWorld.Guest g = w.boot("quiet", true);
            assertEquals(0, g.console().tryRead(new byte[8], 0, 8));
            assertEquals(0, g.console().available());
            final long t0 = System.nanoTime();
            assertThrows(InterruptedIOException.class, () -> g.console().read(new byte[8], 0, 8, Duration.ofMillis(50)));
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    @Test
    void aClosedConsoleThrows() throws Exception {
        try (ConsoleWorld w = new ConsoleWorld()) {
            final ConsoleWorld.Guest g = w.boot("closed", true);
            g.console().close();
            final IOException e = assertThrows(IOException.class, () -> g.console().tryWrite(new byte[1], 0, 1));
            assertTrue(String.valueOf(e.getMessage()).contains("console-closed: console closed"), e.getMessage());
        }
    }

    @Test
    void theLogFileStampsEveryLine(@TempDir final Path dir) throws Exception {
        final Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05.006Z"), ZoneOffset.UTC);
        try (ConsoleWorld w = new ConsoleWorld(ConsoleBackendConfig.DEFAULTS, ConsoleSinks.logFiles(dir, clock), System::nanoTime).run()) {
            final ConsoleWorld.Guest g = w.boot("logged", true);
            w.backend.servePrimary(g.domid());
            g.console().write(ascii("boot ok\npartial"), 0, 15, WAIT);
            final Path file = dir.resolve("guest-dom" + g.domid() + ".log");
            await(() -> w.status(ConsoleId.primary(g.domid())).bytesOut() == 15, "read");
            g.console().write(ascii(" line\n"), 0, 6, WAIT);
            await(() -> w.status(ConsoleId.primary(g.domid())).bytesOut() == 21, "read");
            w.backend.stopServing(g.domid());
            await(() -> w.backend.console(ConsoleId.primary(g.domid())) == null, "stopped");
            assertEquals("[2026-01-02 03:04:05.006] boot ok\n[2026-01-02 03:04:05.006] partial line\n",
                Files.readString(file, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void manyDomainsAtOnce() throws Exception {
        try (ConsoleWorld w = new ConsoleWorld().run()) {
            final List<ConsoleWorld.Guest> guests = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                final ConsoleWorld.Guest g = w.boot("g" + i, i % 2 == 0);
                guests.add(g);
                w.backend.servePrimary(g.domid());
            }
            final List<Thread> writers = new ArrayList<>();
            for (final ConsoleWorld.Guest g : guests) {
                writers.add(Thread.ofVirtual().start(() -> {
                    try {
                        for (int j = 0; j < 50; j++) {
                            g.console().outputStream(WAIT).write(ascii("dom" + g.domid() + " line " + j + "\n"));
                        }
                    } catch (final IOException e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (final Thread t : writers) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
            for (final ConsoleWorld.Guest g : guests) {
                final ConsoleId id = ConsoleId.primary(g.domid());
                await(() -> w.lines(id).size() == 50, id.name());
                for (int j = 0; j < 50; j++) {
                    assertEquals("dom" + g.domid() + " line " + j, w.lines(id).get(j));
                }
            }
            assertEquals(32, w.backend.consoles().size());
        }
    }

    @Test
    void watchingDomainsServesNewOnesAndDropsDestroyedOnes() throws Exception {
        try (ConsoleWorld w = new ConsoleWorld()) {
            w.backend.watchDomains();
            w.run();
            final ConsoleWorld.Guest g = w.boot("found", true);
            g.console().write(ascii("found me\n"), 0, 9, WAIT);
            final ConsoleId id = ConsoleId.primary(g.domid());
            await(() -> w.lines(id).equals(List.of("found me")), "discovered and read");
            final SimulatedDomain d = g.domain();
            g.store().close();
            w.xen.destroyDomain(d.domid());
            await(() -> w.backend.console(id) == null, "dropped after @releaseDomain");
        }
    }

    @Test
    void aFailingSinkDiscardsOnlyThatConsolesOutput() throws Exception {
        final ConsoleSinkFactory sinks = id -> new ConsoleSink() {
            @Override
            public int write(final byte[] data, final int offset, final int length) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void close() {
                // Nothing to release.
            }
        };
        try (ConsoleWorld w = new ConsoleWorld(ConsoleBackendConfig.DEFAULTS, sinks, System::nanoTime).run()) {
            final ConsoleWorld.Guest g = w.boot("unlucky", true);
            w.backend.servePrimary(g.domid());
            g.console().write(new byte[5000], 0, 5000, WAIT);
            final ConsoleId id = ConsoleId.primary(g.domid());
            await(() -> w.status(id).discarded() == 5000, "discarded");
            assertEquals(State.CONNECTED, w.status(id).state(), "the guest did nothing wrong");
        }
    }

    @Test
    void aConsoleServedByAnotherDaemonIsLeftAlone() throws Exception {
        try (ConsoleWorld w = new ConsoleWorld().run()) {
            final ConsoleWorld.Guest g = w.boot("hvm", true);
            w.dom0.write(ConsoleNodes.primary(g.domid(), ConsoleNodes.TYPE), "ioemu");
            w.backend.servePrimary(g.domid());
            final ConsoleId id = ConsoleId.primary(g.domid());
            await(() -> w.status(id).detail().contains("served by another daemon"), "skipped");
            assertEquals(State.WAITING, w.status(id).state());
            assertNull(w.status(id).tty());
        }
    }
}
