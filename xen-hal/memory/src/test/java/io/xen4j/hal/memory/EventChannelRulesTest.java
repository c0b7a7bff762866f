package io.xen4j.hal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.Xen;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.contract.CountingHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@code xen/event_channel.h} and of the Linux evtchn device, one named test each,
 * checked on the port states and the pending and mask bits the simulated host keeps.
 */
final class EventChannelRulesTest {
    private final SimulatedXen xen = SimulatedXen.create();
    private final SimulatedDomain dom0 = xen.dom0();
    private final SimulatedDomain guest = xen.createDomain("guest");

    @AfterEach
    void close() {
        xen.close();
    }

    @Test
    void anAllocatedPortIsUnboundUntilTheNamedDomainBindsIt() {
        try (EventChannel f = guest.host().eventChannels().allocateUnbound(0, new CountingHandler())) {
            assertEquals("unbound", guest.portState(f.localPort()));
            try (EventChannel b = dom0.host().eventChannels().bindInterdomain(guest.domid(), f.localPort(), new CountingHandler())) {
                assertEquals("interdomain", guest.portState(f.localPort()));
                assertEquals("interdomain", dom0.portState(b.localPort()));
            }
            assertEquals("unbound", guest.portState(f.localPort()), "closing the peer's end leaves ours unbound");
        }
        assertEquals("closed", guest.portState(1));
    }

    @Test
    void bindingSetsTheBindersPortPendingAndDeliveryMasksIt() {
        final CountingHandler h = new CountingHandler();
        try (EventChannel f = guest.host().eventChannels().allocateUnbound(0, new CountingHandler());
             EventChannel b = dom0.host().eventChannels().bindInterdomain(guest.domid(), f.localPort(), h)) {
            // Delivered at once: not pending any more, masked until unmask.
            assertFalse(dom0.portPending(b.localPort()));
            assertTrue(dom0.portMasked(b.localPort()));
            f.notifyPeer();
            assertTrue(dom0.portPending(b.localPort()), "a send while masked sets pending only");
            assertEquals(1, dom0.host().eventChannels().poll(8));
            b.unmask();
            assertFalse(dom0.portPending(b.localPort()), "unmask delivered the pending event");
            assertTrue(dom0.portMasked(b.localPort()));
            assertEquals(1, dom0.host().eventChannels().poll(8));
            b.unmask();
            assertFalse(dom0.portMasked(b.localPort()));
            assertEquals(2, h.calls());
        }
    }

    @Test
    void dom0HearsOfADomainDeathThroughVirqDomExc() {
        final CountingHandler h = new CountingHandler();
        try (EventChannel v = dom0.host().eventChannels().bindVirq(Xen.VIRQ_DOM_EXC, h)) {
            guest.destroy();
            assertEquals(1, dom0.host().eventChannels().poll(8));
            assertEquals(Xen.VIRQ_DOM_EXC, v.virq());
        }
    }

    @Test
    void aVirqNobodyBoundIsNotDelivered() {
        assertFalse(xen.raiseVirq(guest.domid(), Xen.VIRQ_DEBUG));
        try (EventChannel v = guest.host().eventChannels().bindVirq(Xen.VIRQ_DEBUG, new CountingHandler())) {
            assertTrue(xen.raiseVirq(guest.domid(), Xen.VIRQ_DEBUG));
            assertEquals(1, guest.host().eventChannels().poll(8));
            assertEquals("virq", guest.portState(v.localPort()));
        }
    }

    @Test
    void theDomainsOwnIdIsAcceptedAsDomidSelf() {
        try (EventChannel u = guest.host().eventChannels().allocateUnbound(Xen.DOMID_SELF, new CountingHandler())) {
            assertEquals(guest.domid(), u.remoteDomid());
            assertEquals("unbound", guest.portState(u.localPort()));
        }
    }

    @Test
    void outOfPortsFailsWithEnospc() {
        try (SimulatedXen small = SimulatedXen.builder().eventPorts(4).build()) {
            final var h = small.dom0().host().eventChannels();
            h.bindVirq(Xen.VIRQ_DEBUG, new CountingHandler());
            h.bindVirq(Xen.VIRQ_CONSOLE, new CountingHandler());
            h.bindVirq(Xen.VIRQ_DOM_EXC, new CountingHandler());
            final XenHalException e = org.junit.jupiter.api.Assertions.assertThrows(XenHalException.class,
                () -> h.bindVirq(Xen.VIRQ_TBUF, new CountingHandler()));
            assertEquals(Errno.ENOSPC, e.errno());
        }
    }

    @Test
    void eachDeviceGetsOnlyItsOwnPorts() {
        final var second = guest.openHost();
        final CountingHandler first = new CountingHandler();
        final CountingHandler mine = new CountingHandler();
        try (EventChannel a = guest.host().eventChannels().bindVirq(Xen.VIRQ_DEBUG, first);
             EventChannel b = second.eventChannels().allocateUnbound(guest.domid(), mine);
             EventChannel c = guest.host().eventChannels().bindInterdomain(guest.domid(), b.localPort(), new CountingHandler())) {
            c.notifyPeer();
            assertEquals(0, guest.host().eventChannels().poll(8) - 1, "only the binder's initial event here");
            assertEquals(1, second.eventChannels().poll(8));
            assertEquals(1, mine.calls());
            assertTrue(a.localPort() > 0);
        } finally {
            second.close();
        }
    }
}
