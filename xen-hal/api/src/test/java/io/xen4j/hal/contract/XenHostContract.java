package io.xen4j.hal.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.api.UnsupportedServiceException;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.api.XenService;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link XenHost}: services, what is missing, and closing.
 */
public abstract class XenHostContract extends HalContract {
    /**
     * Opens a second host for the guest domain that the test may close, as a second process.
     *
     * @return a new host
     */
    protected abstract XenHost openGuestHost();

    private static Supplier<?> accessor(final XenHost h, final XenService s) {
        return switch (s) {
            case EVENT_CHANNELS -> h::eventChannels;
            case GRANT_TABLES -> h::grantTables;
            case FOREIGN_MEMORY -> h::foreignMemory;
            case HYPERCALLS -> h::hypercalls;
            case MEMORY_RESERVATION -> h::memoryReservation;
            case TIMERS -> h::timers;
            case CLOCK -> h::clock;
            case PLATFORM_OPS -> h::platformOps;
            case PLATFORM -> h::platform;
        };
    }

    @Test
    void everyListedServiceIsThereAndEveryOtherSaysWhy() {
        for (final XenHost h : new XenHost[] {bed().privileged(), bed().guest()}) {
            assertTrue(h.supports(XenService.PLATFORM), "every backend has the platform information");
            for (final XenService s : XenService.values()) {
                if (h.supports(s)) {
                    assertNotNull(accessor(h, s).get(), s::name);
                } else {
                    final UnsupportedServiceException e = assertThrows(UnsupportedServiceException.class,
                        () -> accessor(h, s).get(), s::name);
                    assertEquals(s, e.service());
                    assertEquals(h.backendName(), e.backend());
                    assertFalse(e.reason().isEmpty());
                    assertMentions(e, s.description(), h.backendName(), "dom" + h.domid());
                }
            }
        }
    }

    @Test
    void servicesAreTheSameObjectEachTime() {
        final XenHost h = bed().guest();
        assertSame(h.eventChannels(), h.eventChannels());
        assertSame(h.grantTables(), h.grantTables());
        assertEquals(h.domid(), h.platform().domid());
    }

    @Test
    void closingAHostClosesEveryHandleItOpened() {
        final XenHost host = openGuestHost();
        final XenHost peer = bed().privileged();
        final EventChannel f = host.eventChannels().allocateUnbound(peer.domid(), new CountingHandler());
        final CountingHandler peerEvents = new CountingHandler();
        try (EventChannel b = peer.eventChannels().bindInterdomain(host.domid(), f.localPort(), peerEvents)) {
            settle(peer.eventChannels(), b);
            final SharedPages s = host.grantTables().share(peer.domid(), 1, true);
            host.close();
            assertTrue(host.isClosed());
            assertTrue(f.isClosed());
            assertTrue(s.isClosed());
            // The peer's end is unbound now: its sends are dropped without error.
            b.notifyPeer();
            host.close();
        }
    }

    @Test
    void aClosedHostRefusesNewWork() {
        final XenHost host = openGuestHost();
        host.close();
        assertThrows(XenHalException.class,
            () -> host.eventChannels().allocateUnbound(bed().privileged().domid(), new CountingHandler()));
        assertThrows(XenHalException.class, () -> host.grantTables().share(bed().privileged().domid(), 1, true));
    }
}
