package io.xen4j.hal.memory.xenstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.store.wire.XsMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The xenstored of the simulated host follows its domains. */
final class SimulatedXenstoreTest {
    private static String read(final XenstoreService s, final String path) {
        return s.call(core -> {
            final XsConnection c = core.connect(0);
            core.handle(c, XsMessage.ofStrings(XsWire.XS_READ, 1, 0, path));
            final XsMessage m = java.util.Objects.requireNonNull(c.pollOutput());
            core.disconnect(c, "done");
            return m.isError() ? m.errorName() : m.payloadAsString();
        });
    }

    @Test
    void everySimulatedDomainGetsItsHomeAndLosesItWhenDestroyed() {
        try (SimulatedXen xen = SimulatedXen.create()) {
            final SimulatedDomain before = xen.createDomain("early");
            final SimulatedXenstore xs = SimulatedXenstore.attach(xen);
            final List<XsMessage> dom0Events = new CopyOnWriteArrayList<>();
            final XenstoreService.InProcessConnection dom0 = xs.service().connect(0, dom0Events::add);
            dom0.send(XsMessage.ofStrings(XsWire.XS_WATCH, 1, 0, "@introduceDomain", "in"));
            dom0.send(XsMessage.ofStrings(XsWire.XS_WATCH, 2, 0, "@releaseDomain", "out"));
            final SimulatedDomain guest = xen.createDomain("late");
            assertEquals("early", read(xs.service(), "/local/domain/" + before.domid() + "/name"));
            assertEquals("late", read(xs.service(), "/local/domain/" + guest.domid() + "/name"));
            assertEquals(xen.dom0().name(), read(xs.service(), "/local/domain/0/name"));
            final boolean introduced = xs.service().call(core -> core.isIntroduced(guest.domid()));
            assertTrue(introduced);
            xen.destroyDomain(guest.domid());
            final boolean still = xs.service().call(core -> core.isIntroduced(guest.domid()));
            assertTrue(!still);
            assertEquals("ENOENT", read(xs.service(), "/local/domain/" + guest.domid() + "/device"));
            final List<String> specials = dom0Events.stream().filter(m -> m.type() == XsWire.XS_WATCH_EVENT)
                .map(m -> m.strings().get(1)).toList();
            assertEquals(List.of("in", "out", "in", "out"), specials);
        }
    }
}
