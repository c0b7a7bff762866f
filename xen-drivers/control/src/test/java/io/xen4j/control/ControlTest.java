package io.xen4j.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.hal.memory.xenstore.SimulatedXenstore;
import io.xen4j.store.XenStoreClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Both sides of the control protocol against each other on the simulated host. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class ControlTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration SHORT = Duration.ofMillis(300);

    private SimulatedXen xen;
    private SimulatedXenstore xenstore;
    private XenStoreClient dom0;
    private ControlToolstack toolstack;
    private final List<AutoCloseable> closing = new ArrayList<>();

    /** What a guest's handler saw. */
    private static final class Recorder implements ControlHandler {
        final List<Object> seen = new CopyOnWriteArrayList<>();

        @Override
        public void onShutdown(final ShutdownAction action) {
            seen.add(action);
        }

        @Override
        public void onSysrq(final char key) {
            seen.add(key);
        }
    }

    /** One guest with its store connection and control driver. */
    private record Guest(int domid, XenStoreClient store, ControlGuest control, Recorder recorder) {
    }

    @BeforeEach
    void setUp() {
        xen = SimulatedXen.create();
        xenstore = SimulatedXenstore.attach(xen);
        dom0 = XenStoreClient.connect(xenstore.connect(xen.dom0()));
        toolstack = new ControlToolstack(dom0);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        dom0.close();
        xen.close();
    }

    private Guest guest(final Set<ShutdownAction> supported, final boolean sysrq) {
        final SimulatedDomain d = xen.createDomain("guest" + xen.domains().size());
        toolstack.prepareDomain(d.domid());
        final XenStoreClient store = XenStoreClient.connect(xenstore.connect(d));
        final Recorder r = new Recorder();
        final ControlGuest c = new ControlGuest(store, d.domid(), supported, sysrq, r).start();
        closing.add(store);
        closing.add(c);
        return new Guest(d.domid(), store, c, r);
    }

    private String node(final int domid, final String node) {
        return dom0.read(ControlNodes.path(domid, node));
    }

    @ParameterizedTest
    @EnumSource(ShutdownAction.class)
    void theGuestAcknowledgesEachActionAndItsHandlerRuns(final ShutdownAction action) {
        final Guest g = guest(EnumSet.allOf(ShutdownAction.class), true);
        assertTrue(toolstack.advertises(g.domid(), action));
        toolstack.requestShutdown(g.domid(), action, WAIT);
        assertEquals("", node(g.domid(), ControlNodes.SHUTDOWN));
        awaitSeen(g, 1);
        assertEquals(List.of(action), g.recorder().seen);
        awaitTrue(() -> g.control().acknowledged() == 1);
    }

    @Test
    void sysrqIsAcknowledgedAndDelivered() {
        final Guest g = guest(EnumSet.of(ShutdownAction.POWEROFF), true);
        assertTrue(toolstack.advertisesSysrq(g.domid()));
        toolstack.requestSysrq(g.domid(), 'h', WAIT);
        toolstack.requestSysrq(g.domid(), 's', WAIT);
        awaitSeen(g, 2);
        assertEquals(List.of('h', 's'), g.recorder().seen);
        assertEquals("", node(g.domid(), ControlNodes.SYSRQ));
    }

    @Test
    void aGuestWithoutADriverTimesOutWithAClearMessageAndTheRequestIsWithdrawn() {
        final SimulatedDomain d = xen.createDomain("silent");
        toolstack.prepareDomain(d.domid());
        final long t0 = System.nanoTime();
        final ControlTimeoutException e = assertThrows(ControlTimeoutException.class,
            () -> toolstack.requestShutdown(d.domid(), ShutdownAction.POWEROFF, SHORT));
        assertTrue(System.nanoTime() - t0 >= SHORT.toNanos());
        assertEquals(d.domid(), e.domid());
        assertEquals("/local/domain/" + d.domid() + "/control/shutdown", e.path());
        assertEquals(SHORT, e.waited());
        final String m = String.valueOf(e.getMessage());
        assertTrue(m.contains("control dom" + d.domid() + ": /local/domain/" + d.domid() + "/control/shutdown=poweroff"
            + " not acknowledged within 300 ms"), m);
        assertTrue(m.contains("did not advertise feature-poweroff"), m);
        assertTrue(m.contains("request withdrawn"), m);
        assertEquals("", node(d.domid(), ControlNodes.SHUTDOWN), "withdrawn");
    }

    @Test
    void anActionTheGuestDidNotAdvertiseIsNotAcknowledged() {
        final Guest g = guest(EnumSet.of(ShutdownAction.POWEROFF), false);
        assertFalse(toolstack.advertises(g.domid(), ShutdownAction.SUSPEND));
        final ControlTimeoutException e = assertThrows(ControlTimeoutException.class,
            () -> toolstack.requestShutdown(g.domid(), ShutdownAction.SUSPEND, SHORT));
        assertTrue(String.valueOf(e.getMessage()).contains("did not advertise feature-suspend"), e.getMessage());
        assertTrue(g.recorder().seen.isEmpty());
        assertTrue(g.control().ignored() >= 1);
        // Still serves what it supports.
        toolstack.requestShutdown(g.domid(), ShutdownAction.POWEROFF, WAIT);
        awaitSeen(g, 1);
        assertEquals(List.of(ShutdownAction.POWEROFF), g.recorder().seen);
    }

    @ParameterizedTest
    @ValueSource(strings = {"POWEROFF", "poweroff ", " reboot", "reboot\n", "halt\u0000", "-1", "4294967296", "shutdown",
        "suspend;reboot", "\u00e9teindre"})
    void hostileShutdownWordsAreIgnoredAndLeftInPlace(final String word) {
        final Guest g = guest(EnumSet.allOf(ShutdownAction.class), true);
        final String path = ControlNodes.path(g.domid(), ControlNodes.SHUTDOWN);
        dom0.write(path, word);
        awaitIgnored(g, 1);
        assertEquals(word, dom0.read(path), "not acknowledged");
        assertTrue(g.recorder().seen.isEmpty());
        // A valid request afterwards still works.
        toolstack.requestShutdown(g.domid(), ShutdownAction.REBOOT, WAIT);
        awaitSeen(g, 1);
        assertEquals(List.of(ShutdownAction.REBOOT), g.recorder().seen);
    }

    @Test
    void anOversizedShutdownValueIsIgnored() {
        final Guest g = guest(EnumSet.allOf(ShutdownAction.class), true);
        final String path = ControlNodes.path(g.domid(), ControlNodes.SHUTDOWN);
        final String big = "poweroff".repeat(500);
        dom0.write(path, big);
        awaitIgnored(g, 1);
        assertEquals(big, dom0.read(path));
        assertTrue(g.recorder().seen.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", " ", "\u0001", "\u007f", "hh"})
    void hostileSysrqValuesAreIgnored(final String value) {
        final Guest g = guest(EnumSet.allOf(ShutdownAction.class), true);
        final String path = ControlNodes.path(g.domid(), ControlNodes.SYSRQ);
        dom0.write(path, value);
        awaitIgnored(g, 1);
        assertEquals(value, dom0.read(path));
        assertTrue(g.recorder().seen.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "-1", "01", "1 ", "18446744073709551617", "true", ""})
    void garbledFeatureNodesReadAsNotAdvertised(final String value) throws Exception {
        final SimulatedDomain d = xen.createDomain("garbled");
        toolstack.prepareDomain(d.domid());
        try (XenStoreClient store = XenStoreClient.connect(xenstore.connect(d))) {
            // The guest owns its feature nodes and may write anything there.
            store.write(ControlNodes.path(d.domid(), ShutdownAction.POWEROFF.featureNode()), value);
            store.write(ControlNodes.path(d.domid(), ControlNodes.FEATURE_SYSRQ), value.repeat(100));
            assertFalse(toolstack.advertises(d.domid(), ShutdownAction.POWEROFF));
            assertFalse(toolstack.advertisesSysrq(d.domid()));
        }
    }

    @Test
    void theToolstackRefusesANonPrintableSysrqKey() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> toolstack.requestSysrq(5, '\n', SHORT));
        assertTrue(String.valueOf(e.getMessage()).contains("dom5"), e.getMessage());
    }

    @Test
    void aGuestThatWritesGarbageInsteadOfClearingTimesOutAndIsNamed() throws Exception {
        final SimulatedDomain d = xen.createDomain("liar");
        toolstack.prepareDomain(d.domid());
        final String path = ControlNodes.path(d.domid(), ControlNodes.SHUTDOWN);
        try (XenStoreClient liar = XenStoreClient.connect(xenstore.connect(d))) {
            liar.watch(path, ev -> {
                if ("poweroff".equals(liar.read(path))) {
                    liar.write(path, "nope");
                }
            });
            final ControlTimeoutException e = assertThrows(ControlTimeoutException.class,
                () -> toolstack.requestShutdown(d.domid(), ShutdownAction.POWEROFF, SHORT));
            assertTrue(String.valueOf(e.getMessage()).contains("\"nope\""), e.getMessage());
            assertEquals("nope", dom0.read(path), "not ours any more: left alone");
        }
    }

    @Test
    void aFailingHandlerDoesNotStopLaterRequests() {
        final SimulatedDomain d = xen.createDomain("flaky");
        toolstack.prepareDomain(d.domid());
        final List<ShutdownAction> seen = new CopyOnWriteArrayList<>();
        try (XenStoreClient store = XenStoreClient.connect(xenstore.connect(d));
             ControlGuest c = new ControlGuest(store, d.domid(), EnumSet.allOf(ShutdownAction.class), false, a -> {
                 seen.add(a);
                 throw new IllegalStateException("handler bug");
             }).start()) {
            toolstack.requestShutdown(d.domid(), ShutdownAction.SUSPEND, WAIT);
            toolstack.requestShutdown(d.domid(), ShutdownAction.REBOOT, WAIT);
            awaitTrue(() -> seen.size() == 2 && c.acknowledged() == 2);
            assertEquals(List.of(ShutdownAction.SUSPEND, ShutdownAction.REBOOT), seen);
        }
    }

    @Test
    void manyDomainsAtOnce() throws Exception {
        final int count = 24;
        final List<Guest> guests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            guests.add(guest(EnumSet.allOf(ShutdownAction.class), true));
        }
        final ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            final List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                final Guest g = guests.get(i);
                final ShutdownAction a = ShutdownAction.values()[i % ShutdownAction.values().length];
                done.add(pool.submit(() -> {
                    toolstack.requestShutdown(g.domid(), a, WAIT);
                    toolstack.requestSysrq(g.domid(), (char) ('a' + g.domid() % 26), WAIT);
                }));
            }
            for (final Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < count; i++) {
            final Guest g = guests.get(i);
            awaitSeen(g, 2);
            assertEquals(List.of(ShutdownAction.values()[i % ShutdownAction.values().length], (char) ('a' + g.domid() % 26)),
                g.recorder().seen, "dom" + g.domid());
        }
    }

    @Test
    void aRequestWrittenBeforeTheGuestStartedIsHandledAtStart() {
        final SimulatedDomain d = xen.createDomain("late");
        toolstack.prepareDomain(d.domid());
        dom0.write(ControlNodes.path(d.domid(), ControlNodes.SHUTDOWN), "halt");
        final Recorder r = new Recorder();
        try (XenStoreClient store = XenStoreClient.connect(xenstore.connect(d));
             ControlGuest c = new ControlGuest(store, d.domid(), EnumSet.allOf(ShutdownAction.class), false, r).start()) {
            awaitTrue(() -> r.seen.size() == 1);
            assertEquals(List.of(ShutdownAction.HALT), r.seen);
            assertEquals("", node(d.domid(), ControlNodes.SHUTDOWN));
            awaitTrue(() -> c.acknowledged() == 1);
        }
    }

    private static void awaitSeen(final Guest g, final int n) {
        awaitTrue(() -> g.recorder().seen.size() >= n);
    }

    private static void awaitIgnored(final Guest g, final int n) {
        awaitTrue(() -> g.control().ignored() >= n);
    }

    private static void awaitTrue(final java.util.function.BooleanSupplier condition) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            try {
                Thread.sleep(2);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
