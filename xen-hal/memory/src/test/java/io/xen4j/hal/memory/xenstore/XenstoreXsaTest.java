package io.xen4j.hal.memory.xenstore;

import static io.xen4j.abi.xenstore.XsdErrors.E2BIG;
import static io.xen4j.abi.xenstore.XsdErrors.EACCES;
import static io.xen4j.abi.xenstore.XsdErrors.EINVAL;
import static io.xen4j.abi.xenstore.XsdErrors.ENOENT;
import static io.xen4j.abi.xenstore.XsdErrors.ENOSPC;
import static io.xen4j.abi.xenstore.XsdErrors.EPERM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.store.wire.XsMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One regression test per Xen Security Advisory that SECURITY-RULES.md lists for xenstore, plus
 * the two of its queue rule (R9) that concern the daemon. Each replays what the advisory's
 * attacker did and checks that the daemon holds.
 */
final class XenstoreXsaTest {
    private final XenstoreCore core = new XenstoreCore();
    private final XsTester dom0 = XsTester.dom0(core);
    private final XsTester guest = XsTester.guest(core, 5);

    @Test
    void xsa323PathLimitsAreCheckedOnTheCanonicalPath() {
        final String rel = "data/" + XsTester.fill('p', 2043);
        assertEquals(2048, rel.length());
        assertEquals(ENOENT, guest.readError(rel));
        assertEquals(EINVAL, guest.readError(rel + "p"));
        // The same limit for the absolute spelling of that path.
        assertEquals(EINVAL, guest.readError("/local/domain/5/" + rel + "p"));
        assertEquals(EINVAL, guest.request(XsWire.XS_WATCH, 0, rel + "p", "t").errorName());
        assertEquals(EINVAL, dom0.readError("/" + XsTester.fill('a', XsWire.XENSTORE_ABS_PATH_MAX)));
    }

    @Test
    void xsa72AReplyOverAPayloadIsE2bigAndNeverSentCut() {
        for (int i = 0; i < 40; i++) {
            dom0.mkdir("/wide/" + i + XsTester.fill('n', 120));
        }
        final XsMessage reply = dom0.request(XsWire.XS_DIRECTORY, 0, "/wide");
        assertEquals(E2BIG, reply.errorName());
        assertTrue(reply.payloadLength() <= XsWire.XENSTORE_PAYLOAD_MAX);
    }

    @Test
    void xsa324AWatchEventOverAPayloadIsNeverSent() {
        final String token = XsTester.fill('t', 3000);
        dom0.watch("/e", token);
        dom0.takeEvents();
        final long dropped = dom0.conn.droppedEvents();
        final XsTester writer = XsTester.dom0(core);
        writer.mkdir("/e/" + XsTester.fill('x', 1500));
        assertEquals(List.of(), dom0.takeEvents());
        assertEquals(dropped + 1, dom0.conn.droppedEvents());
        writer.mkdir("/e/short");
        assertEquals(List.of("/e/short " + token), dom0.takeEvents());
    }

    @Test
    void xsa115WatchEventsReachOnlyWatchersThatMayReadAndSpecialOnesOnlyPrivilegedWatchers() {
        guest.watch("/", "all");
        guest.watch("@releaseDomain", "rel");
        guest.watch("@introduceDomain", "intro");
        guest.takeEvents();
        dom0.write("/secret/key", "s");
        dom0.write("/local/domain/5/readable", "r");
        core.introduceDomain(9);
        core.releaseDomain(9);
        assertEquals(List.of("/local/domain/5/readable all"), guest.takeEvents());
        // Losing the right to read still tells the watcher that something changed.
        dom0.setPerms("/local/domain/5/readable", "n0");
        assertEquals(List.of("/local/domain/5/readable all"), guest.takeEvents());
        dom0.write("/local/domain/5/readable", "again");
        // Its parent, the guest's home, is readable: the node's existence is not secret.
        assertEquals(List.of("/local/domain/5/readable all"), guest.takeEvents());
        dom0.write("/secret/key/deeper", "s");
        assertEquals(List.of(), guest.takeEvents());
    }

    @Test
    void xsa352OnlyTheOwnerChangesPermissionsAndOnlyDom0ChangesTheOwner() {
        dom0.write("/local/domain/5/data/x", "");
        dom0.setPerms("/local/domain/5/data/x", "n0", "b5");
        // Full read and write access is not ownership.
        assertEquals(EACCES, guest.setPermsError("/local/domain/5/data/x", "n0", "b5", "b6"));
        guest.write("data/mine", "");
        assertEquals(EPERM, guest.setPermsError("data/mine", "n0"));
        assertEquals(EPERM, guest.setPermsError("data/mine", "n6", "b5"));
        assertEquals(List.of("n5"), dom0.perms("/local/domain/5/data/mine"));
    }

    @Test
    void xsa353TheRootNodeIsCheckedLikeAnyNode() {
        assertEquals(EACCES, guest.writeError("/", "root"));
        assertEquals(EACCES, guest.setPermsError("/", "b5"));
        assertEquals(EACCES, guest.writeError("/new-top", "v"));
        guest.fails(EACCES, XsWire.XS_MKDIR, 0, "/new-top");
        guest.fails(EACCES, XsWire.XS_RM, 0, "/");
        guest.fails(EACCES, XsWire.XS_RM, 0, "/tool");
        assertEquals(EACCES, guest.readError("/"));
        assertEquals(List.of("n0"), dom0.perms("/"));
    }

    @Test
    void xsa330ResetWatchesRemovesEveryWatchAndTransactionOfTheCallerOnly() {
        guest.watch("data", "a");
        guest.watch("@releaseDomain", "b");
        final int tx = guest.start();
        guest.start();
        dom0.watch("/local/domain/5/data", "dom0");
        final int dom0Tx = dom0.start();
        guest.ok(XsWire.XS_RESET_WATCHES, 0, "");
        assertEquals(new XenstoreUsage(core.usage(5).nodes(), core.usage(5).memory(), 0, 0), core.usage(5));
        guest.fails(ENOENT, XsWire.XS_READ, tx, "name");
        guest.takeEvents();
        dom0.takeEvents();
        dom0.write("/local/domain/5/data/x", "1");
        assertEquals(List.of(), guest.takeEvents());
        assertEquals(List.of("/local/domain/5/data/x dom0"), dom0.takeEvents());
        dom0.commit(dom0Tx);
        guest.fails(ENOENT, XsWire.XS_UNWATCH, 0, "data", "a");
    }

    @Test
    void xsa484ResetWatchesInsideATransactionEndsThatTransactionToo() {
        final int tx = guest.start();
        guest.write(tx, "data/in-tx", "v");
        guest.watch("data", "w");
        final XsMessage reply = guest.ok(XsWire.XS_RESET_WATCHES, tx, "");
        assertEquals(tx, reply.txId());
        assertEquals(0, core.usage(5).transactions());
        assertEquals(0, core.usage(5).watches());
        guest.fails(ENOENT, XsWire.XS_TRANSACTION_END, tx, "T");
        assertEquals(ENOENT, guest.readError("data/in-tx"));
        // The connection goes on as new.
        final int next = guest.start();
        guest.write(next, "data/after", "v");
        guest.commit(next);
        assertEquals("v", guest.read("data/after"));
    }

    @Test
    void xsa414ACreationThatFailsMidwayLeavesNothingBehind() {
        for (int d = 0; d < 40; d++) {
            guest.mkdir("data/d" + d);
        }
        int k = 0;
        while (core.usage(5).nodes() < 998) {
            guest.mkdir("data/d" + (k % 40) + "/n" + (k / 40));
            k++;
        }
        final XenstoreUsage before = core.usage(5);
        final List<String> children = guest.dir("data");
        final int nodes = core.nodeCount();
        // Three nodes would be needed, two fit: none may be created.
        assertEquals(ENOSPC, guest.writeError("/local/domain/5/data/a/b/c", "v"));
        assertEquals(before, core.usage(5));
        assertEquals(children, guest.dir("data"));
        assertEquals(nodes, core.nodeCount());
        assertEquals(ENOENT, guest.readError("data/a"));
        guest.write("data/a/b", "two fit");
    }

    @Test
    void xsa415ACreationRefusedForTheSizeOfAnAncestorLeavesNothingBehind() {
        final int header = XenstoreQuotas.NODE_RECORD_HEADER + XenstoreQuotas.NODE_RECORD_PERMISSION;
        guest.write("data/full", XsTester.fill('v', 2048 - header - 1));
        final XenstoreUsage before = core.usage(5);
        final int nodes = core.nodeCount();
        assertEquals(ENOSPC, guest.writeError("/local/domain/5/data/full/x/y/z", "v"));
        assertEquals(before, core.usage(5));
        assertEquals(nodes, core.nodeCount());
        assertEquals(List.of(), guest.dir("data/full"));
        // The same inside a transaction: nothing of it reaches the tree at commit.
        final int tx = guest.start();
        guest.fails(ENOSPC, XsWire.XS_MKDIR, tx, "data/full/x/y");
        guest.commit(tx);
        assertEquals(nodes, core.nodeCount());
    }

    @Test
    void xsa322NodesAndPermissionsOfADestroyedDomainAreGoneBeforeItsIdIsReused() {
        guest.write("data/private", "old domain's secret");
        dom0.write("/vm/shared", "for domain 5 only");
        dom0.setPerms("/vm/shared", "n0", "r5");
        dom0.setPerms("@releaseDomain", "n0", "r5");
        core.destroyDomain(5);
        assertEquals(List.of("n0"), dom0.perms("/vm/shared"));
        assertEquals(ENOENT, dom0.readError("/local/domain/5/data/private"));
        // A new domain 5: the toolstack builds its home again, and the old grants do not apply to it.
        final XsTester reborn = XsTester.guest(core, 5);
        assertEquals(EACCES, reborn.readError("/vm/shared"));
        assertEquals(ENOENT, reborn.readError("data/private"));
        reborn.watch("@releaseDomain", "r");
        reborn.takeEvents();
        core.introduceDomain(6);
        core.destroyDomain(6);
        assertEquals(List.of(), reborn.takeEvents());
    }

    @Test
    void xsa417TheAccountingOfADestroyedDomainStartsAgainFromNothing() {
        guest.watch("data", "w");
        guest.start();
        for (int i = 0; i < 50; i++) {
            guest.mkdir("data/n" + i);
        }
        assertTrue(core.usage(5).nodes() > 50);
        core.destroyDomain(5);
        assertEquals(XenstoreUsage.NONE, core.usage(5));
        final XsTester reborn = XsTester.guest(core, 5);
        assertEquals(7, core.usage(5).nodes(), "only the nodes of its new home");
        assertEquals(0, core.usage(5).watches());
        assertEquals(0, core.usage(5).transactions());
        for (int i = 0; i < 10; i++) {
            reborn.start();
        }
    }

    @Test
    void xsa326AGuestCannotMakeTheDaemonHoldUnboundedRepliesForIt() {
        final XsByteStream stream = new XsByteStream(core, core.connect(5));
        final byte[] request = io.xen4j.store.wire.XsEncoder.toBytes(
            XsMessage.ofStrings(XsWire.XS_DIRECTORY, 1, 0, "/local/domain/5"));
        for (int i = 0; i < 10_000; i++) {
            stream.receive(request, 0, request.length);
        }
        assertEquals(core.quotas().outstanding(), stream.connection().pendingReplies());
    }

    @Test
    void xsa349AWatcherThatNeverReadsCannotMakeTheDaemonQueueUnboundedEvents() {
        guest.watch("/local/domain/5", "flood");
        for (int i = 0; i < 10_000; i++) {
            dom0.mkdir("/local/domain/5/data/e" + i);
            if (i % 500 == 499) {
                dom0.rm("/local/domain/5/data");
                dom0.mkdir("/local/domain/5/data");
            }
        }
        assertEquals(core.quotas().pendingEvents(), guest.conn.pendingEvents());
        assertTrue(guest.conn.droppedEvents() > 0);
    }
}
