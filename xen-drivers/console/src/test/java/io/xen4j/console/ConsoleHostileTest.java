package io.xen4j.console;

import static io.xen4j.console.ConsoleWorld.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.console.ConsoleStatus.State;
import io.xen4j.rings.ConsoleRing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hostile guests and hostile backends: values from xenstore, ring indices, floods. Each case
 * checks that the one console stops (or waits) with a reason and that another console goes on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class ConsoleHostileTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static byte[] ascii(final String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @ParameterizedTest(name = "ring-ref={0} port={1}")
    @CsvSource(delimiter = '|', value = {
        "abc|GOOD", "-1|GOOD", "99999999999999999999|GOOD", "''|GOOD", "' 5'|GOOD", "0x10|GOOD", "1e3|GOOD",
        "1099511627776|GOOD", "GOOD|0", "GOOD|-3", "GOOD|131072", "GOOD|4294967297", "GOOD|port", "GOOD|' 1'",
        "GOOD|18446744073709551617"})
    void hostileConsoleNodesLeaveTheConsoleWaitingAndOthersServed(final String ref, final String port) throws Exception {
        try (ConsoleWorld w = new ConsoleWorld().run()) {
            final ConsoleWorld.Guest bad = w.boot("bad", true);
            final ConsoleWorld.Guest good = w.boot("good", true);
            // Written as dom0 here; a guest owns its console directory and could write the same.
            if (!"GOOD".equals(ref)) {
                w.dom0.write(ConsoleNodes.primary(bad.domid(), ConsoleNodes.RING_REF), ref);
            }
            if (!"GOOD".equals(port)) {
                w.dom0.write(ConsoleNodes.primary(bad.domid(), ConsoleNodes.PORT), port);
            }
            w.backend.servePrimary(bad.domid());
            w.backend.servePrimary(good.domid());
            final ConsoleId badId = ConsoleId.primary(bad.domid());
            await(() -> w.status(badId).detail().contains("unusable nodes"), "rejected");
            assertEquals(State.WAITING, w.status(badId).state());
            good.console().write(ascii("still here\n"), 0, 11, WAIT);
            await(() -> w.lines(ConsoleId.primary(good.domid())).equals(List.of("still here")), "the other console");
            // Corrected values connect it.
            w.dom0.write(ConsoleNodes.primary(bad.domid(), ConsoleNodes.RING_REF), Long.toString(bad.gfn()));
            w.dom0.write(ConsoleNodes.primary(bad.domid(), ConsoleNodes.PORT), Integer.toString(bad.channel().localPort()));
            await(() -> w.status(badId).state() == State.CONNECTED, "connected after the fix");
        }
    }

    @Test
    void oversizedConsoleNodesAreRejectedAndQuotedShort() throws Exception {
        try (ConsoleWorld w = new ConsoleWorld().run()) {
            final ConsoleWorld.Guest g = w.boot("big", true);
            w.dom0.write(ConsoleNodes.primary(g.domid(), ConsoleNodes.RING_REF), "9".repeat(4000));
            w.dom0.write(ConsoleNodes.primary(g.domid(), ConsoleNodes.PORT), "\u0001".repeat(3000));
            w.backend.servePrimary(g.domid());
            final ConsoleId id = ConsoleId.primary(g.domid());
            await(() -> w.status(id).detail().contains("unusable nodes"), "rejected");
            final String detail = w.status(id).detail();
            assertTrue(detail.contains("(4000 chars)") && detail.contains("(3000 chars)"), detail);
            assertTrue(detail.length() < 600, "a hostile value is quoted short: " + detail.length());
        }
    }

    @Test
    void aPortOfAnotherDomainOrUnboundIsRefusedWithTheReason() throws Exception {
        try (ConsoleWorld w = new ConsoleWorld().run()) {
            final ConsoleWorld.Guest g = w.boot("wrongport", true);
            w.dom0.write(ConsoleNodes.primary(g.domid(), ConsoleNodes.PORT), "77");
            w.backend.servePrimary(g.domid());
            final ConsoleId id = ConsoleId.primary(g.domid());
            await(() -> w.status(id).detail().contains("cannot bind port 77 of dom" + g.domid()), "refused");
        }
    }

    @Test
    void aFrameNumberThatIsNotTheGuestsIsRefused() throws Exception {
        try (ConsoleWorld w = new ConsoleWorld().run()) {
            final ConsoleWorld.Guest g = w.boot("wrongframe", false);
            w.dom0.write(ConsoleNodes.primary(g.domid(), ConsoleNodes.RING_REF), Long.toString(ConsoleNodes.GFN_MAX));
            w.backend.servePrimary(g.domid());
            final ConsoleId id = ConsoleId.primary(g.domid());
            await(() -> w.status(id).detail().contains("cannot map the console page"), "refused");
            assertEquals(State.WAITING, w.status(id).state());
        }
    }

    // ------------------------------------------------------------------ ring indices at the backend

    /** Boots a victim and a bystander, lets the victim's page be tampered with, checks the outcome. */
    private static void backendCase(final int start, final IndexTamper tamper, final String expected) throws Exception {
        try (ConsoleWorld w = new ConsoleWorld().run()) {
            final ConsoleWorld.Guest victim = w.boot("victim", true, start);
            final ConsoleWorld.Guest other = w.boot("other", true);
            w.backend.servePrimary(victim.domid());
            w.backend.servePrimary(other.domid());
            final ConsoleId id = ConsoleId.primary(victim.domid());
            await(() -> w.status(id).state() == State.CONNECTED, "connected");
            tamper.apply(victim.buffer());
            victim.channel().notifyPeer();
            // Input makes the backend look at the in ring too.
            w.backend.sendInput(id, ascii("x"));
            await(() -> w.status(id).state() == State.BROKEN, "broken");
            final String detail = w.status(id).detail();
            assertTrue(detail.contains(expected), detail);
            assertTrue(detail.contains("dom" + victim.domid()), detail);
            assertTrue(detail.contains("R6"), detail);
            other.console().write(ascii("unaffected\n"), 0, 11, WAIT);
            await(() -> w.lines(ConsoleId.primary(other.domid())).equals(List.of("unaffected")), "the other console goes on");
            // A broken console stays broken: the backend no longer touches its rings.
            final long out = w.status(id).bytesOut();
            victim.buffer().putIntRelease(ConsoleRing.OUT_PROD_OFFSET, victim.buffer().getInt(ConsoleRing.OUT_CONS_OFFSET) + 5);
            victim.channel().notifyPeer();
            Thread.sleep(50);
            assertEquals(out, w.status(id).bytesOut());
        }
    }

    /** Changes indices of a console page as a hostile guest would. */
    @FunctionalInterface
    private interface IndexTamper {
        void apply(AtomicBuffer page);
    }

    @Test
    void outProdBeyondTheRingSizeBreaksTheConsole() throws Exception {
        backendCase(0, p -> p.putIntRelease(ConsoleRing.OUT_PROD_OFFSET, p.getInt(ConsoleRing.OUT_CONS_OFFSET) + 2049),
            "BYTE_RING_INDEX_OVERFLOW");
    }

    @Test
    void outProdBehindOutConsBreaksTheConsole() throws Exception {
        backendCase(100, p -> p.putIntRelease(ConsoleRing.OUT_PROD_OFFSET, p.getInt(ConsoleRing.OUT_CONS_OFFSET) - 1),
            "BYTE_RING_INDEX_OVERFLOW");
    }

    @Test
    void inConsBeyondInProdBreaksTheConsole() throws Exception {
        backendCase(0, p -> p.putIntRelease(ConsoleRing.IN_CONS_OFFSET, p.getInt(ConsoleRing.IN_PROD_OFFSET) + 1025),
            "BYTE_RING_INDEX_OVERFLOW");
    }

    @Test
    void inConsMovedBackwardsBreaksTheConsole() throws Exception {
        backendCase(5000, p -> p.putIntRelease(ConsoleRing.IN_CONS_OFFSET, p.getInt(ConsoleRing.IN_CONS_OFFSET) - 4000),
            "BYTE_RING_INDEX_OVERFLOW");
    }

    @Test
    void outProdBeyondTheRingSizeAcrossTheWrapNear2pow32BreaksTheConsole() throws Exception {
        backendCase(0xFFFF_FF00, p -> p.putIntRelease(ConsoleRing.OUT_PROD_OFFSET, 0xFFFF_FF00 + 2049),
            "BYTE_RING_INDEX_OVERFLOW");
    }

    @ParameterizedTest(name = "start={0}")
    @CsvSource({"0", "2147483000", "-2147483000", "-1000", "-1"})
    void indicesWrapNear2pow31And2pow32WithoutLoss(final int start) throws Exception {
        try (ConsoleWorld w = new ConsoleWorld().run()) {
            final ConsoleWorld.Guest g = w.boot("wrap", true, start);
            w.backend.servePrimary(g.domid());
            final ConsoleId id = ConsoleId.primary(g.domid());
            final List<String> expected = new ArrayList<>();
            final StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                expected.add("wrap line " + i);
                sb.append("wrap line ").append(i).append('\n');
            }
            g.console().outputStream(WAIT).write(ascii(sb.toString()));
            await(() -> w.lines(id).size() == 200, "all lines");
            assertEquals(expected, w.lines(id));
            assertEquals(State.CONNECTED, w.status(id).state());
            // And input across the wrap of the in ring.
            final byte[] in = new byte[3000];
            for (int i = 0; i < in.length; i++) {
                in[i] = (byte) ('a' + i % 26);
            }
            int sent = 0;
            final byte[] got = new byte[in.length];
            int read = 0;
            while (read < in.length) {
                if (sent < in.length) {
                    sent += w.backend.sendInput(id, java.util.Arrays.copyOfRange(in, sent, in.length));
                }
                read += g.console().read(got, read, in.length - read, WAIT);
            }
            assertTrue(java.util.Arrays.equals(in, got));
        }
    }

    // ------------------------------------------------------------------ ring indices at the guest

    @Test
    void aBackendThatClaimsTooMuchInputBreaksTheGuestConsole() throws Exception {
        try (ConsoleWorld w = new ConsoleWorld()) {
            final ConsoleWorld.Guest g = w.boot("victim", true);
            final AtomicBuffer p = g.buffer();
            p.putIntRelease(ConsoleRing.IN_PROD_OFFSET, p.getInt(ConsoleRing.IN_CONS_OFFSET) + 1025);
            final IOException e = assertThrows(IOException.class, () -> g.console().tryRead(new byte[16], 0, 16));
            assertTrue(String.valueOf(e.getMessage()).contains("broken by the backend"), e.getMessage());
            assertTrue(String.valueOf(e.getMessage()).contains("BYTE_RING_INDEX_OVERFLOW"), e.getMessage());
            assertTrue(g.console().isBroken());
            assertThrows(IOException.class, () -> g.console().tryWrite(new byte[1], 0, 1), "broken for good");
        }
    }

    @Test
    void aBackendThatConsumesUnwrittenOutputBreaksTheGuestConsole() throws Exception {
        try (ConsoleWorld w = new ConsoleWorld()) {
            final ConsoleWorld.Guest g = w.boot("victim", true, -10);
            g.console().tryWrite(new byte[4], 0, 4);
            final AtomicBuffer p = g.buffer();
            p.putIntRelease(ConsoleRing.OUT_CONS_OFFSET, p.getInt(ConsoleRing.OUT_PROD_OFFSET) + 1);
            final IOException e = assertThrows(IOException.class, () -> g.console().tryWrite(new byte[4], 0, 4));
            assertTrue(String.valueOf(e.getMessage()).contains("BYTE_RING_INDEX_OVERFLOW"), e.getMessage());
        }
    }

    // ------------------------------------------------------------------ floods

    @Test
    void theRateLimitLeavesAFloodInTheRingAndRefillsWithTime() throws Exception {
        final AtomicLong clock = new AtomicLong(1_000_000_000L);
        final ConsoleBackendConfig config = ConsoleBackendConfig.DEFAULTS.withRate(1000, 2048);
        try (ConsoleWorld w = new ConsoleWorld(config, null, clock::get)) {
            final ConsoleWorld.Guest g = w.boot("flood", true);
            w.backend.servePrimary(g.domid());
            final ConsoleId id = ConsoleId.primary(g.domid());
            final byte[] chunk = new byte[2048];
            java.util.Arrays.fill(chunk, (byte) 'x');
            assertEquals(2048, g.console().tryWrite(chunk, 0, 2048));
            pump(w, 5);
            assertEquals(2048, w.status(id).bytesOut(), "the burst");
            assertEquals(2048, g.console().tryWrite(chunk, 0, 2048), "room again");
            pump(w, 5);
            assertEquals(2048, w.status(id).bytesOut(), "no budget: left in the ring");
            assertTrue(w.status(id).throttled() > 0);
            assertEquals(0, g.console().tryWrite(chunk, 0, 1), "the guest waits for room");
            clock.addAndGet(500_000_000L);
            pump(w, 5);
            assertEquals(2048 + 500, w.status(id).bytesOut(), "half a second at 1000 B/s");
            clock.addAndGet(10_000_000_000L);
            pump(w, 5);
            assertEquals(4096, w.status(id).bytesOut(), "the rest after a refill");
        }
    }

    @Test
    void aFloodingDomainDoesNotSpendAnotherDomainsBudget() throws Exception {
        final AtomicLong clock = new AtomicLong(1_000_000_000L);
        final ConsoleBackendConfig config = ConsoleBackendConfig.DEFAULTS.withRate(1000, 2048);
        try (ConsoleWorld w = new ConsoleWorld(config, null, clock::get)) {
            final ConsoleWorld.Guest flood = w.boot("flood", true);
            final ConsoleWorld.Guest calm = w.boot("calm", true);
            w.backend.servePrimary(flood.domid());
            w.backend.servePrimary(calm.domid());
            final byte[] chunk = new byte[2048];
            for (int i = 0; i < 3; i++) {
                flood.console().tryWrite(chunk, 0, 2048);
                pump(w, 3);
            }
            assertEquals(2048, w.status(ConsoleId.primary(flood.domid())).bytesOut(), "its burst only");
            calm.console().tryWrite(ascii("calm line\n"), 0, 10);
            pump(w, 3);
            assertEquals(List.of("calm line"), w.lines(ConsoleId.primary(calm.domid())), "served at once");
        }
    }

    @Test
    void aStuckSinkKeepsOnlyTheNewestOutputAndCountsTheRest() throws Exception {
        final ConsoleSinkFactory stuck = id -> new ConsoleSink() {
            @Override
            public int write(final byte[] data, final int offset, final int length) {
                return 0;
            }

            @Override
            public void close() {
                // Nothing to release.
            }
        };
        final ConsoleBackendConfig config = ConsoleBackendConfig.DEFAULTS.withBuffer(ConsoleBackendConfig.MIN_BUFFER);
        try (ConsoleWorld w = new ConsoleWorld(config, stuck, System::nanoTime).run()) {
            final ConsoleWorld.Guest g = w.boot("stuck", true);
            w.backend.servePrimary(g.domid());
            g.console().write(new byte[10_000], 0, 10_000, WAIT);
            final ConsoleId id = ConsoleId.primary(g.domid());
            await(() -> w.status(id).bytesOut() == 10_000, "all read: the guest is never blocked by a stuck sink");
            assertEquals(10_000 - ConsoleBackendConfig.MIN_BUFFER, w.status(id).discarded());
        }
    }

    @Test
    void aConsoleLimitFromTheGuestLowersTheBufferButCannotRaiseIt() throws Exception {
        final ConsoleSinkFactory stuck = id -> new ConsoleSink() {
            @Override
            public int write(final byte[] data, final int offset, final int length) {
                return 0;
            }

            @Override
            public void close() {
                // Nothing to release.
            }
        };
        try (ConsoleWorld w = new ConsoleWorld(ConsoleBackendConfig.DEFAULTS.withBuffer(8192), stuck, System::nanoTime).run()) {
            final ConsoleWorld.Guest low = w.boot("low", true);
            final ConsoleWorld.Guest high = w.boot("high", true);
            w.dom0.write(ConsoleNodes.primary(low.domid(), ConsoleNodes.LIMIT), "4096");
            w.dom0.write(ConsoleNodes.primary(high.domid(), ConsoleNodes.LIMIT), "999999999");
            w.backend.servePrimary(low.domid());
            w.backend.servePrimary(high.domid());
            low.console().write(new byte[20_000], 0, 20_000, WAIT);
            high.console().write(new byte[20_000], 0, 20_000, WAIT);
            await(() -> w.status(ConsoleId.primary(low.domid())).bytesOut() == 20_000, "low read");
            await(() -> w.status(ConsoleId.primary(high.domid())).bytesOut() == 20_000, "high read");
            assertEquals(20_000 - 4096, w.status(ConsoleId.primary(low.domid())).discarded());
            assertEquals(20_000 - 8192, w.status(ConsoleId.primary(high.domid())).discarded());
        }
    }

    @Test
    void anEventFloodCostsBoundedWork() throws Exception {
        try (ConsoleWorld w = new ConsoleWorld()) {
            final ConsoleWorld.Guest g = w.boot("noisy", true);
            w.backend.servePrimary(g.domid());
            // Quiet first: on a loaded machine a watch event of the boot can still be on its way
            // after a fixed number of rounds (work=3 seen once), and would be counted below.
            drain(w);
            for (int i = 0; i < 10_000; i++) {
                g.channel().notifyPeer();
            }
            // Coalesced: one pending event, whatever the count.
            final int work = w.backend.doWork();
            assertTrue(work <= 2, "work=" + work);
            assertEquals(State.CONNECTED, w.status(ConsoleId.primary(g.domid())).state());
        }
    }

    /** Runs the backend until three rounds in a row find nothing to do (at most 5 s). */
    private static void drain(final ConsoleWorld w) throws InterruptedException {
        final long deadline = System.nanoTime() + 5_000_000_000L;
        int idle = 0;
        while (idle < 3 && System.nanoTime() < deadline) {
            if (w.backend.doWork() == 0) {
                idle++;
                Thread.sleep(10);
            } else {
                idle = 0;
            }
        }
        assertEquals(3, idle, "the backend never went quiet");
    }

    private static void pump(final ConsoleWorld w, final int rounds) {
        for (int i = 0; i < rounds; i++) {
            w.backend.doWork();
        }
    }
}
