package io.xen4j.hal.memory.xenstore;

import static io.xen4j.abi.xenstore.XsdErrors.EACCES;
import static io.xen4j.abi.xenstore.XsdErrors.EINVAL;
import static io.xen4j.abi.xenstore.XsdErrors.ENOENT;
import static io.xen4j.abi.xenstore.XsdErrors.ENOMEM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.xenstore.XsWire;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The domain-management requests of dom0 and the toolstack's view of domains. */
final class XenstoreDomainTest {
    private final XenstoreCore core = new XenstoreCore();
    private final XsTester dom0 = XsTester.dom0(core);

    @Test
    void introduceReleaseAndTheQuestionInBetween() {
        assertEquals("F", dom0.ok(XsWire.XS_IS_DOMAIN_INTRODUCED, 0, "5").firstString());
        dom0.ok(XsWire.XS_INTRODUCE, 0, "5", "4096", "7");
        assertEquals("T", dom0.ok(XsWire.XS_IS_DOMAIN_INTRODUCED, 0, "5").firstString());
        assertEquals("T", dom0.ok(XsWire.XS_IS_DOMAIN_INTRODUCED, 0, "0").firstString());
        dom0.ok(XsWire.XS_INTRODUCE, 0, "5", "4096", "7");
        dom0.ok(XsWire.XS_RESUME, 0, "5");
        dom0.ok(XsWire.XS_RELEASE, 0, "5");
        assertEquals("F", dom0.ok(XsWire.XS_IS_DOMAIN_INTRODUCED, 0, "5").firstString());
        dom0.fails(ENOENT, XsWire.XS_RELEASE, 0, "5");
        dom0.fails(ENOENT, XsWire.XS_RESUME, 0, "5");
    }

    @Test
    void malformedDomainRequestsAreEinval() {
        dom0.fails(EINVAL, XsWire.XS_INTRODUCE, 0, "5", "4096");
        dom0.fails(EINVAL, XsWire.XS_INTRODUCE, 0, "5", "4096", "0");
        dom0.fails(EINVAL, XsWire.XS_INTRODUCE, 0, "0", "4096", "3");
        dom0.fails(EINVAL, XsWire.XS_INTRODUCE, 0, "32752", "4096", "3");
        dom0.fails(EINVAL, XsWire.XS_RELEASE, 0, "0");
        dom0.fails(EINVAL, XsWire.XS_RELEASE, 0, "1", "2");
        dom0.fails(EINVAL, XsWire.XS_SET_TARGET, 0, "1");
        dom0.fails(EINVAL, XsWire.XS_IS_DOMAIN_INTRODUCED, 0, "1", "2");
    }

    @Test
    void guestsMayNotManageDomains() {
        final XsTester guest = XsTester.guest(core, 3);
        guest.fails(EACCES, XsWire.XS_INTRODUCE, 0, "4", "1", "1");
        guest.fails(EACCES, XsWire.XS_RELEASE, 0, "3");
        guest.fails(EACCES, XsWire.XS_IS_DOMAIN_INTRODUCED, 0, "3");
        guest.fails(EACCES, XsWire.XS_RESUME, 0, "3");
        guest.fails(EACCES, XsWire.XS_SET_TARGET, 0, "3", "0");
        guest.fails(EACCES, XsWire.XS_CONTROL, 0, "help");
        assertEquals("/local/domain/3", guest.ok(XsWire.XS_GET_DOMAIN_PATH, 0, "3").firstString());
    }

    @Test
    void releaseClosesTheDomainsConnectionsAndKeepsItsNodesUntilItIsDestroyed() {
        final XsTester guest = XsTester.guest(core, 3);
        guest.watch("data", "w");
        guest.write("data/x", "1");
        dom0.ok(XsWire.XS_RELEASE, 0, "3");
        assertTrue(guest.conn.isClosed());
        assertTrue(String.valueOf(guest.conn.closeReason()).contains("released"));
        assertEquals(0, core.usage(3).watches());
        assertEquals("1", dom0.read("/local/domain/3/data/x"));
        core.destroyDomain(3);
        assertEquals(ENOENT, dom0.readError("/local/domain/3/data/x"));
    }

    @Test
    void destroyingADomainFiresTheWatchesOfItsRemovedNodes() {
        final XsTester guest = XsTester.guest(core, 3);
        guest.write("data/x", "1");
        dom0.watch("/local/domain/3", "home");
        dom0.takeEvents();
        core.destroyDomain(3);
        final List<String> events = dom0.takeEvents();
        assertTrue(events.contains("/local/domain/3/data home"), events.toString());
    }

    @Test
    void theIntroduceHandlerSeesTheArgumentsAndMayRefuse() {
        final List<String> seen = new ArrayList<>();
        core.introduceHandler((domid, gfn, port) -> {
            seen.add(domid + "/" + gfn + "/" + port);
            return domid == 9 ? ENOMEM : null;
        });
        dom0.ok(XsWire.XS_INTRODUCE, 0, "8", "-2", "11");
        dom0.fails(ENOMEM, XsWire.XS_INTRODUCE, 0, "9", "5", "12");
        assertEquals(List.of("8/-2/11", "9/5/12"), seen);
        assertTrue(core.isIntroduced(8));
        assertFalse(core.isIntroduced(9));
    }

    @Test
    void setTargetNeedsBothDomainsIntroduced() {
        core.introduceDomain(1);
        dom0.fails(ENOENT, XsWire.XS_SET_TARGET, 0, "1", "2");
        dom0.fails(ENOENT, XsWire.XS_SET_TARGET, 0, "2", "1");
        core.introduceDomain(2);
        dom0.ok(XsWire.XS_SET_TARGET, 0, "2", "1");
    }

    @Test
    void theHostApiRejectsDomainIdsThatCannotBeIntroduced() {
        assertThrows(IllegalArgumentException.class, () -> core.introduceDomain(0));
        assertThrows(IllegalArgumentException.class, () -> core.introduceDomain(0x7FF0));
        assertThrows(IllegalArgumentException.class, () -> core.destroyDomain(-1));
        assertFalse(core.releaseDomain(4));
        assertTrue(core.introduceDomain(4));
        assertFalse(core.introduceDomain(4));
    }

    @Test
    void aDomainHomeLooksLikeTheOneOfXl() {
        core.introduceDomain(2);
        core.createDomainHome(2, "vm2");
        assertEquals(List.of("n0", "r2"), dom0.perms("/local/domain/2"));
        assertEquals("vm2", dom0.read("/local/domain/2/name"));
        assertEquals("2", dom0.read("/local/domain/2/domid"));
        assertEquals(List.of("n2"), dom0.perms("/local/domain/2/device"));
        assertEquals(List.of("n2"), dom0.perms("/local/domain/2/control/shutdown"));
        assertEquals(List.of("n0", "r2"), dom0.perms("/local/domain/2/control"));
    }
}
