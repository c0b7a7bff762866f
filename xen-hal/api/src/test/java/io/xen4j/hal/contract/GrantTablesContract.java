package io.xen4j.hal.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.grant.GrantTable;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.GrantCopyBatch;
import io.xen4j.hal.api.GrantStatusException;
import io.xen4j.hal.api.GrantTables;
import io.xen4j.hal.api.HandleClosedException;
import io.xen4j.hal.api.MappedGrants;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.api.UnsupportedServiceException;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenHost;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link GrantTables}: the rules of {@code xen/grant_table.h} as a guest (the
 * granter, through gntalloc) and a privileged domain (the grantee, through gntdev) see them.
 */
public abstract class GrantTablesContract extends HalContract {
    private static final int PAGE = GrantTables.PAGE_SIZE;

    private XenHost granter() {
        return bed().guest();
    }

    private XenHost grantee() {
        return bed().privileged();
    }

    private SharedPages share(final int pages, final boolean writable) {
        return granter().grantTables().share(grantee().domid(), pages, writable);
    }

    @Test
    void shareGivesOneReferencePerPageAndABufferOverAllPages() {
        try (SharedPages s = share(3, true)) {
            assertEquals(3, s.pageCount());
            assertEquals(grantee().domid(), s.remoteDomid());
            assertTrue(s.writable());
            final Set<Integer> refs = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                refs.add(s.grantRef(i));
                assertTrue(Integer.compareUnsigned(s.grantRef(i), GrantTable.GNTTAB_NR_RESERVED_ENTRIES) >= 0,
                    "references below " + GrantTable.GNTTAB_NR_RESERVED_ENTRIES + " are reserved for the toolstack");
            }
            assertEquals(3, refs.size());
            assertEquals(3 * PAGE, s.buffer().capacity());
            assertThrows(IndexOutOfBoundsException.class, () -> s.grantRef(3));
        }
    }

    @Test
    void sharedPagesStartZeroed() {
        // SECURITY-RULES R7: a granted page carries no stale data.
        try (SharedPages s = share(2, true)) {
            final AtomicBuffer b = s.buffer();
            for (int i = 0; i < b.capacity(); i += 8) {
                assertEquals(0, b.getLong(i), "byte " + i);
            }
        }
    }

    @Test
    void aWritableShareIsSharedMemoryBothWays() {
        try (SharedPages s = share(1, true);
             MappedGrants m = grantee().grantTables().map(granter().domid(), s.grantRef(0), true)) {
            assertTrue(m.writable());
            assertEquals(PAGE, m.buffer().capacity());
            s.buffer().putLongRelease(0, 0x1122_3344_5566_7788L);
            assertEquals(0x1122_3344_5566_7788L, m.buffer().getLongAcquire(0));
            m.buffer().putIntRelease(PAGE - 4, 42);
            assertEquals(42, s.buffer().getIntAcquire(PAGE - 4));
            assertTrue(m.buffer().compareAndSetInt(8, 0, 7));
            assertEquals(7, s.buffer().getIntVolatile(8));
        }
    }

    @Test
    void aMapOfSeveralReferencesIsOneBufferInTheirOrder() {
        try (SharedPages s = share(3, true)) {
            for (int i = 0; i < 3; i++) {
                s.buffer().putInt(i * PAGE, 100 + i, ByteOrder.LITTLE_ENDIAN);
            }
            final int[] reversed = {s.grantRef(2), s.grantRef(1), s.grantRef(0)};
            try (MappedGrants m = grantee().grantTables().map(granter().domid(), reversed, false)) {
                assertEquals(3, m.pageCount());
                assertEquals(3 * PAGE, m.buffer().capacity());
                for (int i = 0; i < 3; i++) {
                    assertEquals(reversed[i], m.grantRef(i));
                    assertEquals(102 - i, m.buffer().getInt(i * PAGE, ByteOrder.LITTLE_ENDIAN));
                }
                // A value that straddles two mapped pages reads as in contiguous memory: the last
                // byte of the share's page 2, then the first byte of its page 1.
                s.buffer().putByte(3 * PAGE - 1, (byte) 0x02);
                s.buffer().putByte(PAGE, (byte) 0x01);
                assertEquals(0x0102, m.buffer().getShort(PAGE - 1, ByteOrder.LITTLE_ENDIAN));
            }
        }
    }

    @Test
    void aReadOnlyGrantCannotBeMappedWritable() {
        // grant_table.h: GTF_readonly restricts the grantee to read-only mappings.
        try (SharedPages s = share(1, false)) {
            assertFalse(s.writable());
            final GrantStatusException e = assertThrows(GrantStatusException.class,
                () -> grantee().grantTables().map(granter().domid(), s.grantRef(0), true));
            assertEquals(granter().domid(), e.domid());
            assertEquals(s.grantRef(0), e.ref());
            assertNotEquals(GrantTable.GNTST_OKAY, e.status());
            assertMentions(e, "dom" + granter().domid(), "ref " + s.grantRef(0));
            assertTrue(s.tryEndAccess(), "the refused map left nothing mapped");
        }
    }

    @Test
    void aReadOnlyMappingReadsTheGrantAndRejectsWrites() {
        try (SharedPages s = share(1, false);
             MappedGrants m = grantee().grantTables().map(granter().domid(), s.grantRef(0), false)) {
            assertFalse(m.writable());
            s.buffer().putInt(16, 0xCAFE);
            assertEquals(0xCAFE, m.buffer().getInt(16));
            assertThrows(XenHalException.class, () -> m.buffer().putInt(16, 1));
            assertThrows(XenHalException.class, () -> m.buffer().putIntRelease(16, 1));
            assertThrows(XenHalException.class, () -> m.buffer().compareAndSetInt(16, 0xCAFE, 1));
            assertThrows(XenHalException.class, () -> m.buffer().setMemory(0, 8, (byte) 1));
            assertEquals(0xCAFE, s.buffer().getInt(16));
        }
    }

    @Test
    void onlyTheNamedDomainMayMapAGrant() {
        // grant_table.h: @domid is the one domain granted the frame.
        try (SharedPages s = share(1, true)) {
            final XenHost intruder = bed().other();
            final GrantStatusException e = assertThrows(GrantStatusException.class,
                () -> intruder.grantTables().map(granter().domid(), s.grantRef(0), false));
            assertEquals(s.grantRef(0), e.ref());
            assertMentions(e, "dom" + granter().domid());
        }
    }

    @Test
    void aReferenceOutsideTheTableIsBadGntref() {
        final GrantStatusException e = assertThrows(GrantStatusException.class,
            () -> grantee().grantTables().map(granter().domid(), Integer.MAX_VALUE, false));
        assertEquals(GrantTable.GNTST_BAD_GNTREF, e.status());
    }

    @Test
    void aReferenceThatGrantsNothingCannotBeMapped() {
        final int ref;
        try (SharedPages s = share(1, true)) {
            assertTrue(s.tryEndAccess());
            ref = s.grantRef(0);
        }
        assertThrows(GrantStatusException.class, () -> grantee().grantTables().map(granter().domid(), ref, false));
    }

    @Test
    void aBatchWithOneBadReferenceMapsNothing() {
        try (SharedPages good = share(2, true); SharedPages readOnly = share(1, false)) {
            final int[] refs = {good.grantRef(0), good.grantRef(1), readOnly.grantRef(0)};
            final GrantStatusException e = assertThrows(GrantStatusException.class,
                () -> grantee().grantTables().map(granter().domid(), refs, true));
            assertEquals(readOnly.grantRef(0), e.ref());
            assertTrue(good.tryEndAccess(), "the references mapped before the failure were unmapped");
        }
    }

    @Test
    void endAccessFailsWhileMappedAndSucceedsAfterUnmap() {
        // grant_table.h: an in-use entry (GTF_reading/GTF_writing) cannot be invalidated.
        try (SharedPages s = share(2, true)) {
            final MappedGrants m = grantee().grantTables().map(granter().domid(), s.grantRef(1), false);
            assertFalse(s.tryEndAccess());
            assertFalse(s.tryEndAccess(), "still mapped");
            m.close();
            assertTrue(s.tryEndAccess());
            assertTrue(s.tryEndAccess(), "idempotent");
        }
    }

    @Test
    void closingAShareWhileMappedDefersItsReleaseUntilUnmap() {
        final Map<String, Long> before = bed().resources();
        final SharedPages s = share(1, true);
        s.buffer().putLong(0, 99L);
        final MappedGrants m = grantee().grantTables().map(granter().domid(), s.grantRef(0), false);
        s.close();
        assertEquals(99L, m.buffer().getLong(0), "the peer keeps the page until it unmaps");
        m.close();
        assertEquals(before, bed().resources());
    }

    @Test
    void unmapNotificationOfAMappingClearsTheByteAndNotifies() {
        // gntdev's UNMAP_NOTIFY_CLEAR_BYTE | UNMAP_NOTIFY_SEND_EVENT: the granter learns that the
        // mapper went away, even if it crashed.
        final CountingHandler granterEvents = new CountingHandler();
        final CountingHandler granteeEvents = new CountingHandler();
        try (SharedPages s = share(1, true);
             EventChannel f = granter().eventChannels().allocateUnbound(grantee().domid(), granterEvents);
             EventChannel b = grantee().eventChannels().bindInterdomain(granter().domid(), f.localPort(), granteeEvents)) {
            settle(grantee().eventChannels(), b);
            s.buffer().putByte(100, (byte) 1);
            final MappedGrants m = grantee().grantTables().map(granter().domid(), s.grantRef(0), true);
            m.setUnmapNotify(100, b.localPort());
            assertEquals(1, s.buffer().getByte(100));
            m.close();
            assertEquals(0, s.buffer().getByteVolatile(100));
            pollFor(granter().eventChannels(), 1);
            assertEquals(1, granterEvents.calls());
        }
    }

    @Test
    void unmapNotificationOfAShareClearsTheByteAndNotifies() {
        final CountingHandler granteeEvents = new CountingHandler();
        try (EventChannel f = granter().eventChannels().allocateUnbound(grantee().domid(), new CountingHandler());
             EventChannel b = grantee().eventChannels().bindInterdomain(granter().domid(), f.localPort(), granteeEvents)) {
            settle(grantee().eventChannels(), b);
            granteeEvents.reset();
            final SharedPages s = share(1, true);
            s.buffer().putByte(7, (byte) 1);
            try (MappedGrants m = grantee().grantTables().map(granter().domid(), s.grantRef(0), false)) {
                s.setUnmapNotify(7, f.localPort());
                s.close();
                assertEquals(0, m.buffer().getByteVolatile(7), "the peer sees the cleared byte");
                pollFor(grantee().eventChannels(), 1);
                assertEquals(1, granteeEvents.calls());
            }
        }
    }

    @Test
    void unmapNotificationArgumentsAreChecked() {
        try (SharedPages s = share(1, false);
             MappedGrants m = grantee().grantTables().map(granter().domid(), s.grantRef(0), false)) {
            assertErrno(Errno.EINVAL, () -> m.setUnmapNotify(0, -1));
            assertErrno(Errno.EINVAL, () -> s.setUnmapNotify(PAGE, -1));
            assertErrno(Errno.EINVAL, () -> s.setUnmapNotify(-2, -1));
            final XenHalException e = assertErrno(Errno.EINVAL, () -> m.setUnmapNotify(-1, 999));
            assertMentions(e, "port 999");
            m.setUnmapNotify(-1, -1);
            s.setUnmapNotify(PAGE - 1, -1);
        }
    }

    @Test
    void copyMovesBytesBetweenGrantsAndLocalBuffersWithAStatusPerSegment() {
        try (SharedPages s = share(2, true)) {
            final UnsafeBuffer local = new UnsafeBuffer(new byte[PAGE]);
            local.putStringWithoutLengthAscii(0, "request");
            s.buffer().putStringWithoutLengthAscii(PAGE + 10, "response");
            final GrantCopyBatch batch = new GrantCopyBatch(4);
            final int toGrant = batch.addLocalToGrant(local, 0, granter().domid(), s.grantRef(0), 20, 7);
            final int fromGrant = batch.addGrantToLocal(granter().domid(), s.grantRef(1), 10, local, 100, 8);
            final int within = batch.addGrantToGrant(granter().domid(), s.grantRef(0), 20, granter().domid(), s.grantRef(1), 0, 7);
            assertEquals(GrantCopyBatch.NOT_RUN, batch.status(toGrant));
            grantee().grantTables().copy(batch);
            assertTrue(batch.allOkay());
            assertEquals(GrantTable.GNTST_OKAY, batch.status(within));
            assertEquals("request", s.buffer().getStringWithoutLengthAscii(20, 7));
            assertEquals("response", local.getStringWithoutLengthAscii(100, 8));
            assertEquals("request", s.buffer().getStringWithoutLengthAscii(PAGE, 7));
            assertEquals(1, fromGrant);
            assertTrue(s.tryEndAccess(), "a copy leaves nothing mapped");
        }
    }

    @Test
    void copyIntoAReadOnlyGrantFailsForThatSegmentOnly() {
        try (SharedPages ro = share(1, false); SharedPages rw = share(1, true)) {
            final UnsafeBuffer local = new UnsafeBuffer(new byte[16]);
            final GrantCopyBatch batch = new GrantCopyBatch(2);
            batch.addLocalToGrant(local, 0, granter().domid(), ro.grantRef(0), 0, 16);
            batch.addLocalToGrant(local, 0, granter().domid(), rw.grantRef(0), 0, 16);
            grantee().grantTables().copy(batch);
            assertNotEquals(GrantTable.GNTST_OKAY, batch.status(0));
            assertEquals(GrantTable.GNTST_OKAY, batch.status(1));
            assertFalse(batch.allOkay());
        }
    }

    @Test
    void copySegmentsThatCrossThePageAreBadCopyArg() {
        try (SharedPages s = share(1, true)) {
            final UnsafeBuffer local = new UnsafeBuffer(new byte[PAGE]);
            final GrantCopyBatch batch = new GrantCopyBatch(3);
            batch.addGrantToLocal(granter().domid(), s.grantRef(0), PAGE - 10, local, 0, 11);
            batch.addLocalToGrant(local, 0, granter().domid(), s.grantRef(0), -1, 4);
            batch.addGrantToLocal(granter().domid(), s.grantRef(0), PAGE - 10, local, 0, 10);
            grantee().grantTables().copy(batch);
            assertEquals(GrantTable.GNTST_BAD_COPY_ARG, batch.status(0));
            assertEquals(GrantTable.GNTST_BAD_COPY_ARG, batch.status(1));
            assertEquals(GrantTable.GNTST_OKAY, batch.status(2));
        }
    }

    @Test
    void copyByADomainTheGrantDoesNotNameFails() {
        try (SharedPages s = share(1, true)) {
            final GrantCopyBatch batch = new GrantCopyBatch(1);
            batch.addGrantToLocal(granter().domid(), s.grantRef(0), 0, new UnsafeBuffer(new byte[8]), 0, 8);
            bed().other().grantTables().copy(batch);
            assertNotEquals(GrantTable.GNTST_OKAY, batch.status(0));
        }
    }

    @Test
    void aCopyBatchIsReusable() {
        try (SharedPages s = share(1, true)) {
            final UnsafeBuffer local = new UnsafeBuffer(new byte[8]);
            final GrantCopyBatch batch = new GrantCopyBatch(1);
            for (int i = 0; i < 100; i++) {
                batch.clear();
                local.putLong(0, i);
                batch.addLocalToGrant(local, 0, granter().domid(), s.grantRef(0), 0, 8);
                grantee().grantTables().copy(batch);
                assertEquals(GrantTable.GNTST_OKAY, batch.status(0));
                assertEquals(i, s.buffer().getLong(0));
            }
            assertThrows(IllegalStateException.class,
                () -> batch.addLocalToGrant(local, 0, granter().domid(), s.grantRef(0), 0, 8));
        }
    }

    @Test
    void useAfterCloseOfAMappingThrowsHandleClosedNamingIt() {
        try (SharedPages s = share(2, true)) {
            final MappedGrants m = grantee().grantTables().map(granter().domid(), new int[] {s.grantRef(0), s.grantRef(1)}, true);
            final AtomicBuffer stale = m.buffer();
            m.close();
            assertTrue(m.isClosed());
            assertThrows(HandleClosedException.class, m::buffer);
            assertThrows(HandleClosedException.class, () -> stale.getInt(0), "a stale buffer must not reach the page");
            final HandleClosedException e = assertThrows(HandleClosedException.class, m::close);
            assertMentions(e, "grant mapping", "dom" + granter().domid(), "refs [" + s.grantRef(0) + "," + s.grantRef(1) + "]",
                "(closed)");
        }
    }

    @Test
    void useAfterCloseOfAShareThrowsHandleClosed() {
        final SharedPages s = share(1, true);
        final AtomicBuffer stale = s.buffer();
        s.close();
        assertThrows(HandleClosedException.class, s::buffer);
        assertThrows(HandleClosedException.class, s::tryEndAccess);
        assertThrows(HandleClosedException.class, () -> stale.putInt(0, 1));
        final HandleClosedException e = assertThrows(HandleClosedException.class, s::close);
        assertMentions(e, "refs [" + s.grantRef(0) + "]");
    }

    @Test
    void thePlainBuffersAreTheSamePagesAndFailAfterClose() {
        // plainBuffer() is buffer() on a backend that has no plain buffer, an UnsafeBuffer on
        // one that has: either way the same shared memory, and nothing reaches it after close.
        final SharedPages s = share(1, true);
        final MappedGrants m = grantee().grantTables().map(granter().domid(), s.grantRef(0), true);
        final AtomicBuffer front = s.plainBuffer();
        final AtomicBuffer back = m.plainBuffer();
        assertEquals(PAGE, front.capacity());
        assertEquals(PAGE, back.capacity());
        front.putIntRelease(64, 0x5A5A_0001);
        assertEquals(0x5A5A_0001, back.getIntAcquire(64));
        assertEquals(0x5A5A_0001, m.buffer().getIntAcquire(64));
        back.putLongRelease(PAGE - 8, -2L);
        assertEquals(-2L, s.buffer().getLongAcquire(PAGE - 8));
        assertThrows(IndexOutOfBoundsException.class, () -> back.getInt(PAGE - 2));
        m.close();
        assertThrows(HandleClosedException.class, m::plainBuffer);
        // HandleClosedException from a checked view, IndexOutOfBoundsException from a plain one.
        final RuntimeException late = assertThrows(RuntimeException.class, () -> back.getIntAcquire(64),
            "a stale plain buffer must not reach the page");
        // Whichever it was, explained it names the mapping (its references) and that it is closed.
        final RuntimeException explained = m.explainAccessFailure(late);
        assertInstanceOf(HandleClosedException.class, explained);
        assertMentions(explained, m.describe());
        assertMentions(explained, "refs [" + s.grantRef(0) + "]");
        s.close();
        assertThrows(HandleClosedException.class, s::plainBuffer);
        final RuntimeException lateFront = assertThrows(RuntimeException.class, () -> front.putInt(0, 1),
            "a stale plain buffer must not reach the page");
        assertMentions(assertInstanceOf(HandleClosedException.class, s.explainAccessFailure(lateFront)), s.describe());
    }

    @Test
    void aFailureOfAnOpenHandlesPlainBufferIsNotExplainedAway() {
        try (SharedPages s = share(1, true)) {
            final AtomicBuffer b = s.plainBuffer();
            final IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> b.getInt(PAGE));
            assertSame(e, s.explainAccessFailure(e), "an access out of bounds of a live share is the caller's own bug");
        }
    }

    @Test
    void aReadOnlyMappingsPlainBufferStillRefusesWrites() {
        try (SharedPages s = share(1, false);
             MappedGrants m = grantee().grantTables().map(granter().domid(), s.grantRef(0), false)) {
            final AtomicBuffer b = m.plainBuffer();
            assertThrows(XenHalException.class, () -> b.putInt(0, 1));
        }
    }

    @Test
    void shareArgumentsAreChecked() {
        assertErrno(Errno.EINVAL, () -> granter().grantTables().share(grantee().domid(), 0, true));
        assertErrno(Errno.EINVAL, () -> granter().grantTables().share(-1, 1, true));
        assertThrows(XenHalException.class, () -> grantee().grantTables().map(granter().domid(), new int[0], true));
    }

    @Test
    void tenThousandShareMapUnmapCloseCyclesLeaveNothingHeld() {
        // SECURITY-RULES: 10^4 map/unmap cycles leak nothing.
        final Map<String, Long> before = bed().resources();
        final GrantTables g = granter().grantTables();
        final GrantTables e = grantee().grantTables();
        for (int i = 0; i < 10_000; i++) {
            final SharedPages s = g.share(grantee().domid(), 1 + (i & 1), (i & 2) == 0);
            s.buffer().putInt(0, i);
            final MappedGrants m = e.map(granter().domid(), s.grantRef(0), false);
            assertEquals(i, m.buffer().getInt(0));
            if ((i & 4) == 0) {
                m.close();
                assertTrue(s.tryEndAccess());
                s.close();
            } else {
                s.close();
                m.close();
            }
        }
        assertEquals(before, bed().resources());
    }

    // ---------------------------------------------------------------------------------------------
    // Ending one page and granting it again (persistent pages: netfront's receive buffers)

    /** A copy by the grantee into one page of the share, as a backend fills a receive buffer. */
    private int copyInto(final XenHost copier, final SharedPages s, final int page, final long value) {
        final UnsafeBuffer local = new UnsafeBuffer(new byte[8]);
        local.putLong(0, value);
        final GrantCopyBatch batch = new GrantCopyBatch(1);
        batch.addLocalToGrant(local, 0, granter().domid(), s.grantRef(page), 0, 8);
        copier.grantTables().copy(batch);
        return batch.status(0);
    }

    @Test
    void endingOnePageLeavesTheOthersGranted() {
        try (SharedPages s = share(2, true)) {
            assertTrue(s.tryEndAccess(0));
            assertTrue(s.tryEndAccess(0), "idempotent");
            assertThrows(GrantStatusException.class, () -> grantee().grantTables().map(granter().domid(), s.grantRef(0), false),
                "an ended grant cannot be mapped");
            assertNotEquals(GrantTable.GNTST_OKAY, copyInto(grantee(), s, 0, 1L), "an ended grant cannot be copied into");
            assertEquals(0L, s.buffer().getLong(0), "the refused copy wrote nothing");
            try (MappedGrants m = grantee().grantTables().map(granter().domid(), s.grantRef(1), false)) {
                assertFalse(s.tryEndAccess(1), "page 1 is mapped");
                assertFalse(s.tryEndAccess(), "page 1 is mapped");
                assertEquals(PAGE, m.buffer().capacity());
            }
            assertTrue(s.tryEndAccess(1));
            assertTrue(s.tryEndAccess());
            assertThrows(IndexOutOfBoundsException.class, () -> s.tryEndAccess(2));
        }
    }

    @Test
    void aPageGrantedAgainIsTheSamePageForTheSamePeerOnly() {
        try (SharedPages s = share(2, true)) {
            assertTrue(s.tryEndAccess(0));
            if (!s.canGrantAgain()) {
                // The backend cannot: it says so, and the share is still usable as it was.
                assertThrows(UnsupportedServiceException.class, () -> s.grantAgain(0));
                assertEquals(GrantTable.GNTST_OKAY, copyInto(grantee(), s, 1, 5L));
                assertEquals(5L, s.buffer().getLong(PAGE));
                return;
            }
            assertEquals(GrantTable.GNTST_OKAY, copyInto(grantee(), s, 1, 5L), "page 1 was never ended");
            s.buffer().putLong(8, 42L);
            final int ref = s.grantAgain(0);
            assertEquals(ref, s.grantRef(0));
            assertEquals(GrantTable.GNTST_OKAY, copyInto(grantee(), s, 0, 7L), "the peer may write the page again");
            assertEquals(7L, s.buffer().getLong(0), "the same page: this domain sees the peer's copy");
            try (MappedGrants m = grantee().grantTables().map(granter().domid(), ref, true)) {
                assertEquals(42L, m.buffer().getLong(8), "the contents are left as they were");
                assertFalse(s.tryEndAccess(0), "mapped again");
                assertErrno(Errno.EBUSY, () -> s.grantAgain(0));
            }
            // Hostile: a third domain gets nothing of the page granted again.
            final XenHost intruder = bed().other();
            assertThrows(GrantStatusException.class, () -> intruder.grantTables().map(granter().domid(), ref, false));
            assertNotEquals(GrantTable.GNTST_OKAY, copyInto(intruder, s, 0, 9L));
            assertEquals(7L, s.buffer().getLong(0));
            // Ended again: the peer's old reference is refused again.
            assertTrue(s.tryEndAccess(0));
            assertNotEquals(GrantTable.GNTST_OKAY, copyInto(grantee(), s, 0, 8L));
            assertEquals(7L, s.buffer().getLong(0));
        }
    }

    @Test
    void aPageIsNeverGrantedTwiceAtOnce() {
        try (SharedPages s = share(1, true)) {
            if (!s.canGrantAgain()) {
                assertThrows(UnsupportedServiceException.class, () -> s.grantAgain(0));
                return;
            }
            final XenHalException e = assertErrno(Errno.EBUSY, () -> s.grantAgain(0));
            assertMentions(e, "ref " + s.grantRef(0), "dom" + grantee().domid());
            assertTrue(s.tryEndAccess(0));
            s.grantAgain(0);
            assertErrno(Errno.EBUSY, () -> s.grantAgain(0));
            assertThrows(IndexOutOfBoundsException.class, () -> s.grantAgain(1));
        }
    }

    @Test
    void aReadOnlyPageGrantedAgainStaysReadOnly() {
        try (SharedPages s = share(1, false)) {
            assertTrue(s.tryEndAccess(0));
            if (!s.canGrantAgain()) {
                return;
            }
            s.grantAgain(0);
            assertThrows(GrantStatusException.class, () -> grantee().grantTables().map(granter().domid(), s.grantRef(0), true));
            assertNotEquals(GrantTable.GNTST_OKAY, copyInto(grantee(), s, 0, 3L));
            try (MappedGrants m = grantee().grantTables().map(granter().domid(), s.grantRef(0), false)) {
                assertEquals(0L, m.buffer().getLong(0));
            }
        }
    }

    @Test
    void pagesGrantedAgainManyTimesLeaveNothingHeld() {
        final Map<String, Long> before = bed().resources();
        try (SharedPages s = share(4, true)) {
            if (!s.canGrantAgain()) {
                return;
            }
            for (int i = 0; i < 10_000; i++) {
                final int page = i & 3;
                assertEquals(GrantTable.GNTST_OKAY, copyInto(grantee(), s, page, i));
                assertTrue(s.tryEndAccess(page));
                assertEquals(i, s.buffer().getLong(page * PAGE));
                s.grantAgain(page);
            }
        }
        assertEquals(before, bed().resources());
    }

    @Test
    void grantAgainOnAClosedShareThrows() {
        final SharedPages s = share(1, true);
        assertTrue(s.tryEndAccess(0));
        s.close();
        assertThrows(HandleClosedException.class, () -> s.tryEndAccess(0));
        assertThrows(HandleClosedException.class, () -> s.grantAgain(0));
    }
}
