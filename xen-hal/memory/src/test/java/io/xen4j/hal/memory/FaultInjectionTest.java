package io.xen4j.hal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.grant.GrantTable;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.ForeignMapping;
import io.xen4j.hal.api.GrantCopyBatch;
import io.xen4j.hal.api.GrantStatusException;
import io.xen4j.hal.api.MappedGrants;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.contract.CountingHandler;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Every fault kind, injected by a rule, with its effect and its log entry; and determinism.
 */
final class FaultInjectionTest {
    /** A guest frontend and a dom0 backend joined by a channel, on a host with a fault plan. */
    private static final class World implements AutoCloseable {
        final SimulatedXen xen;
        final SimulatedDomain dom0;
        final SimulatedDomain guest;
        final CountingHandler frontEvents = new CountingHandler();
        final CountingHandler backEvents = new CountingHandler();
        final EventChannel front;
        final EventChannel back;

        World(final long seed, final FaultRule... rules) {
            xen = SimulatedXen.builder().seed(seed).faultPlan(FaultPlan.of(rules)).build();
            dom0 = xen.dom0();
            guest = xen.createDomain("guest");
            front = guest.host().eventChannels().allocateUnbound(0, frontEvents);
            back = dom0.host().eventChannels().bindInterdomain(guest.domid(), front.localPort(), backEvents);
            dom0.host().eventChannels().poll(8);
            back.unmask();
            backEvents.reset();
        }

        int pollBack() {
            return dom0.host().eventChannels().poll(64);
        }

        int pollFront() {
            return guest.host().eventChannels().poll(64);
        }

        @Override
        public void close() {
            xen.close();
        }
    }

    @Test
    void dropNotificationLosesOneNotificationAndLogsIt() {
        try (World w = new World(1, FaultRule.of(FaultKind.DROP_NOTIFICATION).nth(1))) {
            w.front.notifyPeer();
            assertEquals(0, w.pollBack());
            assertFalse(w.dom0.portPending(w.back.localPort()));
            w.front.notifyPeer();
            assertEquals(1, w.pollBack(), "only the first was dropped");
            final InjectedFault f = w.xen.faultLog().entries().get(0);
            assertEquals(FaultKind.DROP_NOTIFICATION, f.kind());
            assertEquals(w.guest.domid(), f.actor());
            assertTrue(f.detail().contains("port " + w.front.localPort()), f.detail());
            assertTrue(f.detail().contains("dropped"), f.detail());
            assertEquals(1, w.xen.faultLog().size());
        }
    }

    @Test
    void delayNotificationDeliversWhenTheClockPassesTheDelay() {
        try (World w = new World(1, FaultRule.of(FaultKind.DELAY_NOTIFICATION).nth(1).parameter(5_000_000))) {
            w.front.notifyPeer();
            assertEquals(0, w.pollBack());
            w.xen.advanceTime(4_000_000);
            assertEquals(0, w.pollBack());
            w.xen.advanceTime(2_000_000);
            assertEquals(1, w.pollBack());
            assertEquals(1, w.xen.faultLog().count(FaultKind.DELAY_NOTIFICATION));
        }
    }

    @Test
    void aDelayedNotificationToAClosedPortIsLost() {
        try (World w = new World(1, FaultRule.of(FaultKind.DELAY_NOTIFICATION).nth(1).parameter(10))) {
            w.front.notifyPeer();
            w.back.close();
            w.xen.advanceTime(100);
            assertEquals(0, w.pollBack());
        }
    }

    @Test
    void duplicateNotificationIsDeliveredAgainAfterUnmask() {
        try (World w = new World(1, FaultRule.of(FaultKind.DUPLICATE_NOTIFICATION).nth(1))) {
            w.front.notifyPeer();
            assertEquals(1, w.pollBack());
            w.back.unmask();
            assertEquals(1, w.pollBack(), "the duplicate");
            w.back.unmask();
            assertEquals(0, w.pollBack());
        }
    }

    @Test
    void spuriousEventArrivesOnAPortOfThePollingDomain() {
        try (World w = new World(3, FaultRule.of(FaultKind.SPURIOUS_EVENT).actor(1).nth(1))) {
            assertEquals(1, w.pollFront(), "an event nobody sent");
            assertEquals(1, w.frontEvents.calls());
            final InjectedFault f = w.xen.faultLog().entries().get(0);
            assertTrue(f.detail().contains("port " + w.front.localPort()), f.detail());
        }
    }

    @Test
    void stallConsumerHoldsEventsForSomePolls() {
        // The first eligible poll is the World's own, which drains the binder's initial event.
        try (World w = new World(1, FaultRule.of(FaultKind.STALL_CONSUMER).nth(2).parameter(3))) {
            w.front.notifyPeer();
            assertEquals(0, w.pollBack());
            assertEquals(0, w.pollBack());
            assertEquals(0, w.pollBack());
            assertEquals(1, w.pollBack());
            assertTrue(w.xen.faultLog().entries().get(0).detail().contains("stalled for 3 polls"));
        }
    }

    @Test
    void revokeGrantMakesTheMapFailAsIfTheGranterEndedAccessFirst() {
        try (World w = new World(1, FaultRule.of(FaultKind.REVOKE_GRANT).actor(0).nth(1));
             SharedPages s = w.guest.host().grantTables().share(0, 1, true)) {
            final GrantStatusException e = assertThrows(GrantStatusException.class,
                () -> w.dom0.host().grantTables().map(w.guest.domid(), s.grantRef(0), true));
            assertEquals(GrantTable.GNTST_GENERAL_ERROR, e.status());
            assertEquals(0, w.guest.grantEntry(s.grantRef(0)).flags(), "the entry was invalidated");
            assertTrue(s.tryEndAccess());
        }
    }

    @Test
    void failMapRefusesOneReferenceAndMapsNothing() {
        try (World w = new World(1, FaultRule.of(FaultKind.FAIL_MAP).nth(1));
             SharedPages s = w.guest.host().grantTables().share(0, 4, true)) {
            final int[] refs = {s.grantRef(0), s.grantRef(1), s.grantRef(2), s.grantRef(3)};
            final GrantStatusException e = assertThrows(GrantStatusException.class,
                () -> w.dom0.host().grantTables().map(w.guest.domid(), refs, true));
            assertEquals(GrantTable.GNTST_NO_SPACE, e.status());
            assertEquals(0, w.xen.resources().pinnedGrantRefs(), "the partial map was undone");
            try (MappedGrants m = w.dom0.host().grantTables().map(w.guest.domid(), refs, true)) {
                assertEquals(4, m.pageCount(), "the fault was transient");
            }
        }
    }

    @Test
    void failMapOfForeignFramesFailsOneFrameWithEnomem() {
        try (World w = new World(1, FaultRule.of(FaultKind.FAIL_MAP).nth(1));
             ForeignMapping m = w.dom0.host().foreignMemory().mapFrames(w.guest.domid(), new long[] {1, 2, 3}, false)) {
            int failed = 0;
            for (int i = 0; i < 3; i++) {
                if (m.error(i) != 0) {
                    assertEquals(Errno.ENOMEM.number(), m.error(i));
                    failed++;
                }
            }
            assertEquals(1, failed);
        }
    }

    @Test
    void destroyDomainInTheMiddleOfAMapUndoesThePartialMap() {
        try (World w = new World(5, FaultRule.of(FaultKind.DESTROY_DOMAIN).actor(0).nth(1))) {
            final SharedPages s = w.guest.host().grantTables().share(0, 8, true);
            final int[] refs = new int[8];
            for (int i = 0; i < 8; i++) {
                refs[i] = s.grantRef(i);
            }
            final GrantStatusException e = assertThrows(GrantStatusException.class,
                () -> w.dom0.host().grantTables().map(w.guest.domid(), refs, false));
            assertEquals(GrantTable.GNTST_BAD_DOMAIN, e.status());
            assertEquals(DomainState.DEAD, w.guest.state(), "no pin left to keep it dying");
            assertEquals("unbound", w.dom0.portState(w.back.localPort()));
            assertEquals(0, w.xen.resources().pinnedGrantRefs());
        }
    }

    @Test
    void destroyDomainInTheMiddleOfACopyFailsTheRemainingSegments() {
        try (World w = new World(2, FaultRule.of(FaultKind.DESTROY_DOMAIN).actor(0).nth(1));
             SharedPages s = w.guest.host().grantTables().share(0, 1, true)) {
            final GrantCopyBatch batch = new GrantCopyBatch(4);
            final UnsafeBuffer local = new UnsafeBuffer(new byte[64]);
            for (int i = 0; i < 4; i++) {
                batch.addGrantToLocal(w.guest.domid(), s.grantRef(0), i * 8, local, i * 8, 8);
            }
            w.dom0.host().grantTables().copy(batch);
            assertEquals(DomainState.DEAD, w.guest.state());
            assertEquals(GrantTable.GNTST_BAD_DOMAIN, batch.status(3));
            assertFalse(batch.allOkay());
        }
    }

    @Test
    void destroyDomainBeforeANotificationIsDelivered() {
        try (World w = new World(1, FaultRule.of(FaultKind.DESTROY_DOMAIN).actor(0).nth(1))) {
            w.back.notifyPeer();
            assertEquals(DomainState.DEAD, w.guest.state());
            assertEquals("unbound", w.dom0.portState(w.back.localPort()));
            w.back.notifyPeer();
        }
    }

    @Test
    void destroyDomainNeverHitsDom0() {
        try (World w = new World(1, FaultRule.of(FaultKind.DESTROY_DOMAIN))) {
            w.front.notifyPeer();
            assertEquals(DomainState.RUNNING, w.dom0.state());
            assertEquals(0, w.xen.faultLog().size());
        }
    }

    @Test
    void actorFilterEveryNthAndLimit() {
        try (World w = new World(1, FaultRule.of(FaultKind.DROP_NOTIFICATION).actor(1).everyNth(2).limit(2))) {
            int delivered = 0;
            for (int i = 0; i < 8; i++) {
                w.front.notifyPeer();
                delivered += w.pollBack();
                w.back.unmask();
                w.back.notifyPeer();
                w.pollFront();
                w.front.unmask();
            }
            assertEquals(6, delivered, "the 2nd and 4th of the guest's sends dropped, then the limit");
            assertEquals(2, w.xen.faultLog().size());
            for (final InjectedFault f : w.xen.faultLog().entries()) {
                assertEquals(1, f.actor());
            }
        }
    }

    @Test
    void theSameSeedAndPlanReplayTheSameFaults() {
        final List<String> a = chaosRun(42);
        final List<String> b = chaosRun(42);
        assertEquals(a, b);
        assertFalse(a.isEmpty());
        assertNotEquals(a, chaosRun(43));
    }

    private static List<String> chaosRun(final long seed) {
        final List<String> out = new ArrayList<>();
        try (SimulatedXen xen = SimulatedXen.builder().seed(seed).faultPlan(FaultPlan.chaos(0.2)).build()) {
            final SimulatedDomain guest = xen.createDomain("guest");
            final EventChannel f = guest.host().eventChannels().allocateUnbound(0, new CountingHandler(true));
            final EventChannel b = xen.dom0().host().eventChannels().bindInterdomain(guest.domid(), f.localPort(),
                new CountingHandler(true));
            for (int i = 0; i < 50 && guest.state() == DomainState.RUNNING; i++) {
                try {
                    f.notifyPeer();
                    b.notifyPeer();
                    xen.dom0().host().eventChannels().poll(8);
                    guest.host().eventChannels().poll(8);
                    final SharedPages s = guest.host().grantTables().share(0, 2, true);
                    try (MappedGrants m = xen.dom0().host().grantTables().map(guest.domid(),
                        new int[] {s.grantRef(0), s.grantRef(1)}, true)) {
                        m.buffer().putInt(0, i);
                    } catch (final XenHalException expected) {
                        out.add("map failed: " + expected.getMessage());
                    }
                    s.close();
                    xen.advanceTime(1_000_000);
                } catch (final XenHalException e) {
                    out.add("op failed: " + e.getMessage());
                }
            }
            for (final InjectedFault fault : xen.faultLog().entries()) {
                out.add(fault.toString());
            }
            assertTrue(xen.faultLog().replayHint().contains("seed(" + seed + "L)"));
        }
        return out;
    }
}
