package io.xen4j.hal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.grant.GrantEntryV1;
import io.xen4j.abi.grant.GrantTable;
import io.xen4j.abi.memory.XenMem;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.ForeignMapping;
import io.xen4j.hal.api.GrantCopyBatch;
import io.xen4j.hal.api.GrantStatusException;
import io.xen4j.hal.api.GrantTables;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenHostOptions;
import io.xen4j.store.XenStoreClient;
import io.xen4j.store.transport.UnixSocketTransport;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract cases that need a second domain, with a real one: the PV domU that
 * {@code live-xen/run.sh --domu} starts next to dom0 ({@code $XEN4J_DOMU_NAME}). The contract
 * suites cannot run these cases on the live bed as written, because they put the other domain's
 * side (the intruder, the guest whose grant table is mapped) in the calling process; here dom0
 * keeps its side and the domU is the other party, named in the grant or the unbound port, or
 * owning the frames and the grant table that dom0 maps. Each test names the contract case it
 * stands for. Without a domU (run.sh without {@code --domu}) the class skips.
 *
 * <p>What the domU's nodes say is read from the real xenstored: {@code store/ring-ref} is the
 * machine frame of its xenstore page (a PV guest), {@code device/vbd/51712/ring-ref} the grant
 * of its blkfront ring.
 */
@LiveXen
class LinuxSecondDomainTest {
    private static int domU = -1;
    private static long storeFrame;
    private static String domUPath = "";
    private static LinuxXenHost dom0;
    private static LinuxXenHost dom0Other;
    private static XenStoreClient xs;

    @BeforeAll
    static void findTheDomU() throws Exception {
        final String name = System.getenv("XEN4J_DOMU_NAME");
        Assumptions.assumeTrue(name != null && !name.isEmpty(),
            "no second domain: live-xen/run.sh --domu starts one and names it in XEN4J_DOMU_NAME");
        xs = XenStoreClient.connect(UnixSocketTransport.connect(LiveXenstoreSocketContractTest.SOCKET),
            XenStoreClient.Options.DEFAULTS.withRequestTimeout(java.time.Duration.ofSeconds(30)));
        for (final String id : xs.directory("/local/domain")) {
            if (!id.equals("0") && xs.exists("/local/domain/" + id + "/name")
                && name.equals(xs.read("/local/domain/" + id + "/name"))) {
                domU = Integer.parseInt(id);
            }
        }
        assertTrue(domU > 0, () -> "no domain named " + name + " under /local/domain: " + xs.directory("/local/domain"));
        domUPath = "/local/domain/" + domU;
        storeFrame = Long.parseLong(xs.read(domUPath + "/store/ring-ref"));
        dom0 = LinuxXenHost.open(XenHostOptions.NONE);
        dom0Other = LinuxXenHost.open(XenHostOptions.NONE);
    }

    @AfterAll
    static void close() {
        for (final AutoCloseable c : new AutoCloseable[] {dom0, dom0Other, xs}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (final Exception e) {
                throw new IllegalStateException("closing " + c, e);
            }
        }
    }

    /** EventChannelsContract.bindingAPortUnboundForAnotherDomainFailsWithEinval, the domU named. */
    @Test
    void aPortUnboundForTheDomUCannotBeBoundByDom0() {
        try (EventChannel port = dom0.eventChannels().allocateUnbound(domU, c -> { })) {
            final XenHalException e = assertThrows(XenHalException.class,
                () -> dom0Other.eventChannels().bindInterdomain(0, port.localPort(), c -> { }));
            assertEquals(Errno.EINVAL, e.errno(), e::getMessage);
            assertMentions(e, "dom0", "port " + port.localPort());
        }
    }

    /** GrantTablesContract.onlyTheNamedDomainMayMapAGrant, the domU named in the grant. */
    @Test
    void aGrantForTheDomUCannotBeMappedByDom0() {
        try (SharedPages s = dom0.grantTables().share(domU, 1, true)) {
            final GrantStatusException e = assertThrows(GrantStatusException.class,
                () -> dom0Other.grantTables().map(0, s.grantRef(0), false));
            assertEquals(s.grantRef(0), e.ref());
            assertMentions(e, "dom0");
        }
    }

    /** GrantTablesContract.copyByADomainTheGrantDoesNotNameFails, the domU named in the grant. */
    @Test
    void aGrantForTheDomUCannotBeCopiedByDom0() {
        try (SharedPages s = dom0.grantTables().share(domU, 1, true)) {
            s.buffer().putLong(0, 0x5EC2E7L);
            final UnsafeBuffer local = new UnsafeBuffer(new byte[8]);
            final GrantCopyBatch batch = new GrantCopyBatch(1);
            batch.addGrantToLocal(0, s.grantRef(0), 0, local, 0, 8);
            dom0Other.grantTables().copy(batch);
            assertNotEquals(GrantTable.GNTST_OKAY, batch.status(0));
            assertEquals(0, local.getLong(0), "nothing copied");
        }
    }

    /**
     * ForeignMemoryContract.theGuestsGrantTableCanBeMappedAsAResource: dom0 maps the domU's grant
     * table with {@code XENMEM_acquire_resource} and finds the grants the toolstack and the
     * guest's kernel made for dom0.
     */
    @Test
    void theDomUsGrantTableCanBeMappedAsAResource() {
        try (ForeignMapping table = dom0.foreignMemory().mapResource(domU, XenMem.XENMEM_RESOURCE_GRANT_TABLE,
            XenMem.XENMEM_RESOURCE_GRANT_TABLE_ID_SHARED, 0, 1, false)) {
            // The toolstack seeds the reserved xenstore entry: the store page, for dom0's xenstored.
            final int store = GrantTable.GNTTAB_RESERVED_XENSTORE * GrantEntryV1.LENGTH;
            assertEquals(GrantTable.GTF_PERMIT_ACCESS, GrantEntryV1.flags(table.buffer(), store) & GrantTable.GTF_TYPE_MASK);
            assertEquals(0, GrantEntryV1.domid(table.buffer(), store));
            assertEquals(storeFrame, GrantEntryV1.frame(table.buffer(), store) & 0xFFFF_FFFFL);
            // blkfront's ring, granted writable to its backend in dom0, when the domU has a disk.
            final String ringRef = domUPath + "/device/vbd/51712/ring-ref";
            if (xs.exists(ringRef)) {
                final int ref = Integer.parseInt(xs.read(ringRef));
                assertTrue(ref < GrantEntryV1.PER_PAGE, "ring-ref " + ref + " is in the first frame");
                final int at = ref * GrantEntryV1.LENGTH;
                final int flags = GrantEntryV1.flags(table.buffer(), at);
                assertEquals(GrantTable.GTF_PERMIT_ACCESS, flags & GrantTable.GTF_TYPE_MASK);
                assertEquals(0, flags & GrantTable.GTF_READONLY);
                assertEquals(0, GrantEntryV1.domid(table.buffer(), at));
            }
        }
    }

    /**
     * ForeignMemoryContract.aFrameThatCannotBeMappedHasItsOwnErrorAndFailsOnAccess: a frame the
     * domU has (its xenstore page) next to one it does not have.
     */
    @Test
    void aFrameTheDomUDoesNotHaveHasItsOwnErrorAndFailsOnAccess() {
        final long absent = 1L << 40;
        try (ForeignMapping m = dom0.foreignMemory().mapFrames(domU, new long[] {storeFrame, absent}, false)) {
            assertFalse(m.allMapped());
            assertEquals(0, m.error(0));
            assertNotEquals(0, m.error(1));
            m.buffer().getLong(0);
            final XenHalException e = assertThrows(XenHalException.class, () -> m.buffer().getLong(GrantTables.PAGE_SIZE));
            assertMentions(e, "frame 1");
        }
    }

    /** The domU found by name is a domain xenstored introduced, with its home where the client says. */
    @Test
    void theDomUIsIntroducedWithItsHome() {
        assertTrue(xs.isDomainIntroduced(domU), "xenstored knows dom" + domU);
        assertEquals(domUPath, xs.getDomainPath(domU));
        assertEquals(System.getenv("XEN4J_DOMU_NAME"), xs.read(domUPath + "/name"));
    }

    private static void assertMentions(final Throwable e, final String... fragments) {
        final String m = String.valueOf(e.getMessage());
        for (final String f : fragments) {
            assertTrue(m.contains(f), () -> "message lacks '" + f + "': " + m);
        }
    }
}
