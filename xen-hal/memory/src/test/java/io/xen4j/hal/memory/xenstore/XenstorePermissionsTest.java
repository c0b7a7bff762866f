package io.xen4j.hal.memory.xenstore;

import static io.xen4j.abi.xenstore.XsdErrors.EACCES;
import static io.xen4j.abi.xenstore.XsdErrors.EINVAL;
import static io.xen4j.abi.xenstore.XsdErrors.ENOENT;
import static io.xen4j.abi.xenstore.XsdErrors.EPERM;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xen4j.abi.xenstore.XsWire;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Permissions: owner, default access, per-domain entries, dom0, targets, and what errors reveal. */
final class XenstorePermissionsTest {
    private final XenstoreCore core = new XenstoreCore();
    private final XsTester dom0 = XsTester.dom0(core);
    private final XsTester guest1 = XsTester.guest(core, 1);
    private final XsTester guest2 = XsTester.guest(core, 2);

    @Test
    void defaultAccessAppliesToDomainsWithoutAnEntry() {
        dom0.write("/pub/x", "1");
        dom0.setPerms("/pub/x", "r0");
        assertEquals("1", guest1.read("/pub/x"));
        assertEquals(EACCES, guest1.writeError("/pub/x", "2"));
        dom0.setPerms("/pub/x", "b0");
        guest1.write("/pub/x", "2");
        assertEquals("2", dom0.read("/pub/x"));
    }

    @Test
    void anEntryForTheDomainWinsOverTheDefault() {
        dom0.write("/acl/x", "1");
        dom0.setPerms("/acl/x", "b0", "n1", "r2");
        assertEquals(EACCES, guest1.readError("/acl/x"));
        assertEquals("1", guest2.read("/acl/x"));
        assertEquals(EACCES, guest2.writeError("/acl/x", "2"));
    }

    @Test
    void theOwnerMayDoEverythingWhateverTheEntriesSay() {
        dom0.write("/own/x", "1");
        dom0.setPerms("/own/x", "n1", "n1");
        assertEquals("1", guest1.read("/own/x"));
        guest1.write("/own/x", "2");
        guest1.setPerms("/own/x", "n1", "r2");
        assertEquals(List.of("n1", "r2"), dom0.perms("/own/x"));
    }

    @Test
    void dom0MayDoEverything() {
        dom0.write("/d/x", "1");
        dom0.setPerms("/d/x", "n5");
        assertEquals("1", dom0.read("/d/x"));
        dom0.write("/d/x", "2");
        dom0.rm("/d/x");
    }

    @Test
    void newNodesCopyTheParentsPermissionsAndBelongToTheirUnprivilegedCreator() {
        guest1.write("data/a/b", "v");
        assertEquals(List.of("n1"), dom0.perms("/local/domain/1/data/a"));
        assertEquals(List.of("n1"), dom0.perms("/local/domain/1/data/a/b"));
        dom0.write("/shared", "");
        dom0.setPerms("/shared", "b0", "r3");
        guest1.write("/shared/mine/leaf", "v");
        assertEquals(List.of("b1", "r3"), dom0.perms("/shared/mine/leaf"));
        dom0.write("/shared/dom0s", "v");
        assertEquals(List.of("b0", "r3"), dom0.perms("/shared/dom0s"));
    }

    @Test
    void aMissingNodeIsEaccesUnlessTheNearestAncestorGrantsTheAccess() {
        // The guest may read its home, so a missing node there is ENOENT.
        assertEquals(ENOENT, guest1.readError("/local/domain/1/nothing/here"));
        // It may not read /tool, so whether /tool/x exists must stay hidden.
        assertEquals(EACCES, guest1.readError("/tool/nothing"));
        dom0.write("/tool/secret", "s");
        assertEquals(EACCES, guest1.readError("/tool/secret"));
        // A node it may not read, below one it may: the node exists, and that is all it learns.
        dom0.write("/local/domain/1/hidden", "h");
        dom0.setPerms("/local/domain/1/hidden", "n0");
        assertEquals(EACCES, guest1.readError("/local/domain/1/hidden"));
    }

    @Test
    void creatingANodeNeedsWriteAccessToTheNearestExistingAncestor() {
        assertEquals(EACCES, guest1.writeError("/tool/new", "v"));
        assertEquals(EACCES, guest1.writeError("/local/domain/1/new", "v"));
        guest1.write("/local/domain/1/data/new", "v");
        assertEquals(EACCES, guest2.writeError("/local/domain/1/data/x", "v"));
    }

    @Test
    void onlyTheOwnerChangesPermissionsAndOnlyDom0ChangesTheOwner() {
        dom0.write("/p/x", "1");
        dom0.setPerms("/p/x", "b0");
        assertEquals(EACCES, guest1.setPermsError("/p/x", "b1"));
        dom0.setPerms("/p/x", "n1");
        assertEquals(EPERM, guest1.setPermsError("/p/x", "n2"));
        guest1.setPerms("/p/x", "r1", "b2");
        assertEquals(List.of("r1", "b2"), dom0.perms("/p/x"));
        assertEquals(EACCES, guest2.setPermsError("/p/x", "n1"));
    }

    @Test
    void malformedPermissionsAreEinval() {
        dom0.write("/m", "");
        for (final String bad : new String[] {"x0", "r", "r-1", "r70000", "rx", "r1x", "", "b1234567"}) {
            assertEquals(EINVAL, dom0.setPermsError("/m", bad), bad);
        }
        dom0.fails(EINVAL, XsWire.XS_SET_PERMS, 0, "/m");
        assertEquals(List.of("n0"), dom0.perms("/m"));
    }

    @Test
    void permissionsPrintAsTheyWereGiven() {
        dom0.write("/pp", "");
        dom0.setPerms("/pp", "w7", "b65535", "n0", "r12");
        assertEquals(List.of("w7", "b65535", "n0", "r12"), dom0.perms("/pp"));
    }

    @Test
    void aTargetDomainActsForTheDomainItTargets() {
        dom0.write("/local/domain/1/device-model", "dm");
        dom0.setPerms("/local/domain/1/device-model", "n1");
        dom0.write("/granted", "g");
        dom0.setPerms("/granted", "n0", "r1");
        assertEquals(EACCES, guest2.readError("/local/domain/1/device-model"));
        assertEquals(EACCES, guest2.readError("/granted"));
        dom0.ok(XsWire.XS_SET_TARGET, 0, "2", "1");
        assertEquals("dm", guest2.read("/local/domain/1/device-model"));
        guest2.write("/local/domain/1/device-model", "dm2");
        assertEquals("g", guest2.read("/granted"));
    }

    @Test
    void specialPathsHaveTheirOwnPermissionsThatOnlyTheirOwnerChanges() {
        assertEquals(EACCES, guest1.setPermsError("@releaseDomain", "r1"));
        dom0.setPerms("@releaseDomain", "n0", "r1");
        assertEquals(EINVAL, dom0.setPermsError("@other", "n0"));
    }
}
