package io.xen4j.hal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.ForeignMapping;
import io.xen4j.hal.api.GrantStatusException;
import io.xen4j.hal.api.HandleClosedException;
import io.xen4j.hal.api.MappedGrants;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.api.Timer;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.contract.CountingHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Destroying a domain releases everything it held and tells its peers as Xen does.
 */
final class DestroyDomainTest {
    private final SimulatedXen xen = SimulatedXen.create();
    private final SimulatedDomain dom0 = xen.dom0();
    private final SimulatedDomain guest = xen.createDomain("guest");

    @AfterEach
    void close() {
        xen.close();
    }

    @Test
    void thePeersInterdomainPortGoesBackToUnbound() {
        final CountingHandler h = new CountingHandler();
        final EventChannel f = guest.host().eventChannels().allocateUnbound(0, new CountingHandler());
        try (EventChannel b = dom0.host().eventChannels().bindInterdomain(guest.domid(), f.localPort(), h)) {
            dom0.host().eventChannels().poll(8);
            b.unmask();
            guest.destroy();
            assertEquals("unbound", dom0.portState(b.localPort()));
            b.notifyPeer();
            assertEquals(1, h.calls(), "the peer's sends are dropped without error");
        }
    }

    @Test
    void theDestroyedDomainsHandlesFailWithEsrchAndCloseOnce() {
        final EventChannel f = guest.host().eventChannels().allocateUnbound(0, new CountingHandler());
        final SharedPages s = guest.host().grantTables().share(0, 1, true);
        final AtomicBuffer page = s.buffer();
        guest.destroy();
        assertEquals(DomainState.DEAD, guest.state());
        final XenHalException e = assertThrows(XenHalException.class, f::notifyPeer);
        assertEquals(Errno.ESRCH, e.errno());
        assertTrue(String.valueOf(e.getMessage()).contains("dom" + guest.domid() + " was destroyed"), e.getMessage());
        assertThrows(HandleClosedException.class, () -> page.getInt(0), "its memory is gone");
        f.close();
        s.close();
        assertThrows(HandleClosedException.class, f::close);
        assertEquals(Errno.ESRCH, assertThrows(XenHalException.class,
            () -> guest.host().grantTables().share(0, 1, true)).errno());
        assertThrows(XenHalException.class, guest::openHost);
    }

    @Test
    void aDestroyedMappersMappingsAreReleasedWithoutNotification() {
        try (SharedPages s = dom0.host().grantTables().share(guest.domid(), 1, true)) {
            s.buffer().putByte(5, (byte) 1);
            final MappedGrants m = guest.host().grantTables().map(0, s.grantRef(0), true);
            final AtomicBuffer view = m.buffer();
            m.setUnmapNotify(5, -1);
            assertFalse(s.tryEndAccess());
            guest.destroy();
            assertTrue(s.tryEndAccess(), "Xen released the dying mapper's pins");
            assertEquals(1, s.buffer().getByte(5), "no unmap notification: the guest's kernel did not run");
            assertThrows(HandleClosedException.class, () -> view.getByte(0), "the mapping is gone");
            assertEquals(Errno.ESRCH, assertThrows(XenHalException.class, m::buffer).errno());
        }
    }

    @Test
    void aDestroyedGranterStaysDyingWhileItsPagesAreMapped() {
        final long freeBefore = xen.freeHostPages();
        final SimulatedDomain g2 = xen.createDomain("g2");
        final SharedPages s = g2.host().grantTables().share(0, 1, true);
        s.buffer().putLong(0, 77L);
        final MappedGrants m = dom0.host().grantTables().map(g2.domid(), s.grantRef(0), false);
        g2.destroy();
        assertEquals(DomainState.DYING, g2.state());
        assertEquals(77L, m.buffer().getLong(0), "Xen keeps the page until the peer unmaps it");
        assertThrows(GrantStatusException.class, () -> dom0.host().grantTables().map(g2.domid(), s.grantRef(0), false),
            "no new mappings of a dying domain");
        m.close();
        assertEquals(DomainState.DEAD, g2.state());
        assertEquals(freeBefore, xen.freeHostPages());
        s.close();
    }

    @Test
    void aForeignMappingKeepsTheDomainDyingUntilUnmapped() {
        final ForeignMapping f = dom0.host().foreignMemory().mapFrames(guest.domid(), new long[] {3}, true);
        guest.destroy();
        assertEquals(DomainState.DYING, guest.state());
        f.buffer().putInt(0, 1);
        f.close();
        assertEquals(DomainState.DEAD, guest.state());
    }

    @Test
    void destroyingReleasesMemoryTimersAndEverythingCounted() {
        final long free = xen.freeHostPages();
        final SimulatedDomain g2 = xen.createDomain("g2");
        assertEquals(free - g2.config().initialPages(), xen.freeHostPages());
        final AtomicInteger fired = new AtomicInteger();
        final Timer t = g2.host().timers().schedule(0, xen.nanoTime() + 10, (timer, now) -> fired.incrementAndGet());
        g2.host().eventChannels().bindVirq(1, new CountingHandler());
        g2.host().grantTables().share(0, 3, true);
        assertNotEquals(ResourceCounts.ZERO, g2.resources());
        g2.destroy();
        xen.advanceTime(1_000);
        assertEquals(0, fired.get());
        assertFalse(t.isPending());
        assertEquals(ResourceCounts.ZERO, g2.resources());
        assertEquals(free, xen.freeHostPages());
    }

    @Test
    void listenersHearOfCreationAndDestruction() {
        final List<String> heard = new ArrayList<>();
        xen.addDomainListener(new DomainListener() {
            @Override
            public void domainCreated(final SimulatedDomain domain) {
                heard.add("created " + domain.name());
            }

            @Override
            public void domainDestroyed(final SimulatedDomain domain) {
                heard.add("destroyed " + domain.name() + " " + domain.state());
            }
        });
        final SimulatedDomain g2 = xen.createDomain("g2");
        xen.destroyDomain(g2.domid());
        xen.destroyDomain(g2.domid());
        assertEquals(List.of("created g2", "destroyed g2 DEAD"), heard);
    }

    @Test
    void domainIdsAreNeverReusedAndDom0CannotBeDestroyed() {
        final int id = guest.domid();
        guest.destroy();
        assertTrue(xen.createDomain("next").domid() > id);
        assertThrows(IllegalArgumentException.class, () -> xen.destroyDomain(0));
        assertThrows(IllegalArgumentException.class, () -> xen.destroyDomain(4242));
    }

    @Test
    void closingTheHostDestroysEveryGuest() {
        final SimulatedDomain g2 = xen.createDomain("g2");
        xen.close();
        assertEquals(DomainState.DEAD, guest.state());
        assertEquals(DomainState.DEAD, g2.state());
        assertTrue(dom0.host().isClosed());
        assertEquals(ResourceCounts.ZERO, xen.resources());
    }
}
