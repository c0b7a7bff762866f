package io.xen4j.balloon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.memory.SimulatedXen;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The guest's balloon against the toolstack on the simulated host. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class BalloonTest {
    private static final BalloonConfig FAST = BalloonConfig.DEFAULTS.withBatchPages(256);

    @Test
    void theGuestReleasesAndClaimsPagesToReachEachTarget() throws Exception {
        try (BalloonWorld w = new BalloonWorld(FAST)) {
            w.toolstack.setStaticMax(65_536);
            long reads = w.balloon.targetReads();
            w.toolstack.setTarget(16_384);
            BalloonStatus s = w.settle(reads);
            assertEquals(BalloonState.REACHED, s.state());
            assertEquals(4096, w.guest.currentPages());
            assertEquals(4096, s.balloonedPages());
            assertEquals(16_384, w.toolstack.awaitReported(16_384, 0, Duration.ofSeconds(5)));
            assertEquals(16_384, w.toolstack.awaitActual(16_384, 0, Duration.ofSeconds(5), w.guest::currentPages));
            assertEquals(BalloonState.REACHED, w.toolstack.reportedState());
            // Up again: the ballooned frames come back first, then frames never populated.
            reads = w.balloon.targetReads();
            w.toolstack.setTarget(49_152);
            s = w.settle(reads);
            assertEquals(BalloonState.REACHED, s.state());
            assertEquals(12_288, w.guest.currentPages());
            assertEquals(0, s.balloonedPages());
            // 16 batches of 256 down, 32 up, each reported.
            synchronized (w.progress) {
                assertTrue(w.progress.stream().filter(p -> p.state() == BalloonState.RELEASING).count() >= 16, w.progress.toString());
                assertTrue(w.progress.stream().filter(p -> p.state() == BalloonState.CLAIMING).count() >= 32);
            }
            assertEquals(49_152, w.toolstack.awaitReported(49_152, 0, Duration.ofSeconds(5)));
        }
    }

    @Test
    void hostileTargetsAreIgnoredOrClamped() {
        try (BalloonWorld w = new BalloonWorld(FAST)) {
            w.toolstack.setStaticMax(40_960);
            assertEquals(BalloonState.REACHED, w.target("20480").state());
            for (final String bad : new String[] {"abc", "-4096", "", " ", "12x", "0x1000", "+4096", "1e6", "4096.5", "\u0664\u0660"}) {
                final BalloonStatus s = w.target(bad);
                assertTrue(s.reason().startsWith("ignored /local/domain/" + w.guest.domid() + "/memory/target"), s.reason());
                assertEquals(20_480, s.requestedKiB(), bad);
                assertEquals(5120, w.guest.currentPages(), bad);
            }
            // Huge: saturates and is clamped to static-max (10240 pages).
            BalloonStatus s = w.target("999999999999999999999999999999");
            assertEquals(10_240, s.targetPages());
            assertEquals(10_240, w.guest.currentPages());
            assertTrue(s.reason().contains("above static-max 40960 KiB"), s.reason());
            // Above static-max but sane: clamped.
            s = w.target("50000");
            assertEquals(10_240, s.targetPages());
            // Below the floor (2048 pages): raised.
            s = w.target("0");
            assertEquals(2048, s.targetPages());
            assertEquals(2048, w.guest.currentPages());
            assertTrue(s.reason().contains("below the floor"), s.reason());
            // Leading zeros and white space are fine.
            s = w.target(" 0016384\n");
            assertEquals(4096, w.guest.currentPages());
            assertEquals("", s.reason());
        }
    }

    @Test
    void aTargetAboveTheMaximumReservationIsClampedWithoutStaticMax() {
        try (BalloonWorld w = new BalloonWorld(FAST)) {
            final BalloonStatus s = w.target("1048576");
            assertEquals(BalloonWorld.MAX_PAGES, s.targetPages());
            assertEquals(BalloonWorld.MAX_PAGES, w.guest.currentPages());
            assertTrue(s.reason().contains("maximum reservation"), s.reason());
        }
    }

    @Test
    void hypervisorRefusalsBackOffAndStallAfterTheRetryLimit() {
        // The host has only 100 pages free beyond the two domains' initial memory.
        final SimulatedXen xen = SimulatedXen.builder().hostPages(2 * BalloonWorld.INITIAL_PAGES + 100).build();
        final BalloonConfig cfg = FAST.withRetries(3, 1_000_000_000L, 4_000_000_000L);
        try (BalloonWorld w = new BalloonWorld(xen, cfg)) {
            w.dom0Store.write("/local/domain/" + w.guest.domid() + "/memory/target", "65536");
            BalloonStatus s = w.driveUntil(st -> st.state() == BalloonState.BACKING_OFF);
            assertEquals(BalloonWorld.INITIAL_PAGES + 100, w.guest.currentPages());
            assertEquals(1, s.retries());
            // Nothing happens before the backoff expires, however often the balloon runs.
            for (int i = 0; i < 100; i++) {
                w.balloon.doWork();
            }
            assertEquals(1, w.balloon.status().retries());
            // 1 s, 2 s, 4 s (capped at 4 s), then the fourth refusal stalls.
            final long[] waits = {1_000_000_000L, 2_000_000_000L, 4_000_000_000L};
            for (int i = 0; i < waits.length; i++) {
                xen.advanceTime(waits[i] - 1);
                w.balloon.doWork();
                assertEquals(i + 1, w.balloon.status().retries(), "retry fired early");
                xen.advanceTime(1);
                final int expect = i + 2;
                s = w.driveUntil(st -> st.retries() == expect || st.state() == BalloonState.STALLED);
            }
            assertEquals(BalloonState.STALLED, s.state());
            assertTrue(s.reason().contains("refused pages 4 times"), s.reason());
            final BalloonStalledException e = assertThrows(BalloonStalledException.class,
                () -> w.toolstack.awaitReported(65_536, 0, Duration.ofSeconds(5)));
            assertEquals((BalloonWorld.INITIAL_PAGES + 100) * 4, e.reportedKiB());
            // A new target starts over.
            assertEquals(BalloonState.REACHED, w.target("32768").state());
            assertEquals(8192, w.guest.currentPages());
        }
    }

    @Test
    void framesInUseArePinnedAndTheBalloonStopsWhenNothingIsLeft() {
        try (BalloonWorld w = new BalloonWorld(FAST.withMinimumPages(0))) {
            try (SharedPages shared = w.guest.host().grantTables().share(0, 8, true)) {
                final BalloonStatus s = w.target("0");
                assertEquals(BalloonState.STALLED, s.state());
                assertEquals(8, w.guest.currentPages());
                assertEquals(8, s.pinnedFrames());
                assertTrue(s.reason().contains("8 frame(s) in use"), s.reason());
                // The shared pages still work.
                shared.buffer().putInt(0, 0x12345678);
                assertEquals(0x12345678, shared.buffer().getInt(0));
            }
        }
    }

    @Test
    void theToolstackRefusesTargetsOutsideStaticMax() {
        try (BalloonWorld w = new BalloonWorld(FAST)) {
            w.toolstack.setStaticMax(65_536);
            assertEquals(65_536, w.toolstack.staticMaxKiB());
            assertThrows(IllegalArgumentException.class, () -> w.toolstack.setTarget(65_540));
            assertThrows(IllegalArgumentException.class, () -> w.toolstack.setTarget(-1));
            assertThrows(IllegalArgumentException.class, () -> w.toolstack.setStaticMax(3));
            assertThrows(IllegalArgumentException.class, () -> new BalloonToolstack(w.dom0Store, 0));
            w.toolstack.setTarget(65_536);
            assertEquals(65_536, w.toolstack.targetKiB());
        }
    }

    @Test
    void aLyingGuestReportIsParsedAsHostileInput() throws Exception {
        try (BalloonWorld w = new BalloonWorld(FAST)) {
            final String dir = "/local/domain/" + w.guest.domid() + "/data/balloon/";
            w.guestStore.write(dir + "current_kb", "lots");
            w.guestStore.write(dir + "state", "exploded");
            assertEquals(BalloonTargets.INVALID, w.toolstack.reportedCurrentKiB());
            assertEquals(null, w.toolstack.reportedState());
            assertThrows(java.util.concurrent.TimeoutException.class,
                () -> w.toolstack.awaitReported(16_384, 0, Duration.ofMillis(200)));
        }
    }

    @Test
    void closingStopsTheBalloon() {
        try (BalloonWorld w = new BalloonWorld(FAST)) {
            w.balloon.close();
            w.dom0Store.write("/local/domain/" + w.guest.domid() + "/memory/target", "16384");
            assertEquals(0, w.balloon.doWork());
            assertEquals(BalloonState.CLOSED, w.balloon.status().state());
            assertEquals(BalloonWorld.INITIAL_PAGES, w.guest.currentPages());
        }
    }

    @Test
    void aBalloonOnItsOwnAgentThreadReachesWhatTheToolstackAwaits() throws Exception {
        try (BalloonWorld w = new BalloonWorld(FAST)) {
            final org.agrona.concurrent.AgentRunner runner = new org.agrona.concurrent.AgentRunner(
                new org.agrona.concurrent.SleepingMillisIdleStrategy(1), Throwable::printStackTrace, null, w.balloon);
            org.agrona.concurrent.AgentRunner.startOnThread(runner);
            try {
                w.toolstack.setStaticMax(65_536);
                w.toolstack.setTarget(20_000);
                assertEquals(20_000, w.toolstack.awaitActual(20_000, 0, Duration.ofSeconds(20), w.guest::currentPages));
                assertEquals(20_000, w.toolstack.awaitReported(20_000, 0, Duration.ofSeconds(20)));
                // A flood of targets: watch events coalesce into one flag, the balloon ends at the last one.
                for (int i = 0; i < 200; i++) {
                    w.toolstack.setTarget(16_384 + 16L * i);
                }
                final long last = 16_384 + 16L * 199;
                assertEquals(last, w.toolstack.awaitActual(last, 0, Duration.ofSeconds(20), w.guest::currentPages));
            } finally {
                runner.close();
            }
            assertEquals(BalloonState.CLOSED, w.balloon.status().state());
        }
    }

    @Test
    void aHostileStaticMaxIsIgnored() {
        try (BalloonWorld w = new BalloonWorld(FAST)) {
            w.dom0Store.write("/local/domain/" + w.guest.domid() + "/memory/static-max", "-1");
            BalloonStatus s = w.target("60000");
            assertEquals(15_000, s.targetPages());
            w.dom0Store.write("/local/domain/" + w.guest.domid() + "/memory/static-max", "lots");
            s = w.target("-99999999999999999999999");
            assertTrue(s.reason().startsWith("ignored"), s.reason());
            assertEquals(15_000, w.guest.currentPages());
        }
    }
}
