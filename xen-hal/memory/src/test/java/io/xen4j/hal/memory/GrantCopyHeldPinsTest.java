package io.xen4j.hal.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.grant.GrantTable;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.GrantCopyBatch;
import io.xen4j.hal.api.GrantTables;
import io.xen4j.hal.api.MappedGrants;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.api.XenHalException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The grant copy's data path (a pin held across the segments of one grant, as Xen's
 * {@code gnttab_copy}) against the per-segment path (a pin per segment), which the simulated host
 * uses when a fault plan is set: the same statuses, bytes, grant entries and resources for the
 * same batch, hostile segments included (bad references, wrong and missing domains, read-only
 * destinations, offsets outside the page, grants ended while the batch runs).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class GrantCopyHeldPinsTest {
    private static final int PAGE = GrantTables.PAGE_SIZE;
    private static final int LOCAL_BYTES = 2 * PAGE;

    /** A local buffer whose copy-in runs an action first: code that runs in the middle of a batch. */
    static final class HookedBuffer extends UnsafeBuffer {
        private final Runnable hook;

        HookedBuffer(final ByteBuffer memory, final Runnable hook) {
            super(memory);
            this.hook = hook;
        }

        @Override
        public void putBytes(final int index, final DirectBuffer srcBuffer, final int srcIndex, final int length) {
            hook.run();
            super.putBytes(index, srcBuffer, srcIndex, length);
        }
    }

    /** One simulated host with every kind of grant a hostile batch can name; built alike for a seed. */
    static final class World implements AutoCloseable {
        final SimulatedXen xen = SimulatedXen.builder().seed(1).grantEntries(64).build();
        final SimulatedDomain guest = xen.createDomain("guest");
        final SimulatedDomain other = xen.createDomain("other");
        final SimulatedDomain victim = xen.createDomain("victim");
        final SharedPages writable = guest.host().grantTables().share(0, 4, true);
        final SharedPages readOnly = guest.host().grantTables().share(0, 2, false);
        final SharedPages toOther = guest.host().grantTables().share(other.domid(), 1, true);
        final SharedPages ended = guest.host().grantTables().share(0, 1, true);
        final SharedPages closedWhileMapped = guest.host().grantTables().share(0, 1, true);
        final SharedPages ofOther = other.host().grantTables().share(0, 2, true);
        final int victimRef;
        final MappedGrants mapping;
        final List<SharedPages> shares = List.of(writable, readOnly, toOther, ended, closedWhileMapped, ofOther);
        final UnsafeBuffer[] locals = {
            new UnsafeBuffer(ByteBuffer.allocateDirect(LOCAL_BYTES)), new UnsafeBuffer(ByteBuffer.allocateDirect(LOCAL_BYTES)),
        };
        final List<String> log = new ArrayList<>();

        World(final long seed) {
            assertTrue(ended.tryEndAccess());
            mapping = xen.dom0().host().grantTables().map(guest.domid(), closedWhileMapped.grantRef(0), true);
            closedWhileMapped.close();
            try (SharedPages v = victim.host().grantTables().share(0, 1, true)) {
                victimRef = v.grantRef(0);
                victim.destroy();
            }
            final SplittableRandom r = new SplittableRandom(seed ^ 0x5EEDL);
            for (final SharedPages s : List.of(writable, readOnly, toOther, ended, ofOther)) {
                final UnsafeBuffer b = new UnsafeBuffer(s.buffer());
                for (int i = 0; i < b.capacity(); i += 8) {
                    b.putLong(i, r.nextLong());
                }
            }
            for (final UnsafeBuffer b : locals) {
                for (int i = 0; i < b.capacity(); i += 8) {
                    b.putLong(i, r.nextLong());
                }
            }
        }

        /** The grants a segment may name: {domid, ref}, the valid ones several times over. */
        int[][] grants() {
            final int g = guest.domid();
            return new int[][] {
                {g, writable.grantRef(0)}, {g, writable.grantRef(0)}, {g, writable.grantRef(1)}, {g, writable.grantRef(2)},
                {g, writable.grantRef(3)}, {g, readOnly.grantRef(0)}, {g, readOnly.grantRef(1)},
                {other.domid(), ofOther.grantRef(0)}, {other.domid(), ofOther.grantRef(1)},
                {g, closedWhileMapped.grantRef(0)},
                {g, toOther.grantRef(0)}, {g, ended.grantRef(0)}, {victim.domid(), victimRef}, {g, 9999}, {g, -5},
                {g, 60}, {500, writable.grantRef(0)}, {other.domid(), writable.grantRef(0)},
            };
        }

        /** What a batch left: statuses, bytes everywhere, the grant tables, the host's resources. */
        String snapshot(final GrantCopyBatch batch) {
            final StringBuilder sb = new StringBuilder();
            for (int i = 0; i < batch.size(); i++) {
                sb.append(batch.status(i)).append(',');
            }
            sb.append("\nlog ").append(log);
            for (final UnsafeBuffer b : locals) {
                sb.append("\nlocal ").append(Arrays.hashCode(bytes(b)));
            }
            for (final SharedPages s : List.of(writable, readOnly, toOther, ended, ofOther)) {
                sb.append("\nshare ").append(Arrays.hashCode(bytes(new UnsafeBuffer(s.buffer()))));
            }
            sb.append("\nmapped ").append(Arrays.hashCode(bytes(new UnsafeBuffer(mapping.buffer()))));
            for (final SimulatedDomain d : List.of(guest, other)) {
                sb.append("\ndom").append(d.domid()).append(" flags");
                for (int ref = 0; ref < d.grantEntries(); ref++) {
                    sb.append(' ').append(d.grantEntry(ref).flags());
                }
            }
            return sb.append("\n").append(xen.resources()).toString();
        }

        @Override
        public void close() {
            xen.close();
        }
    }

    private static byte[] bytes(final UnsafeBuffer b) {
        final byte[] out = new byte[b.capacity()];
        b.getBytes(0, out);
        return out;
    }

    /** A random batch of hostile and valid segments, with hooks that end grants mid-batch. */
    private static GrantCopyBatch batch(final World w, final long seed) {
        final SplittableRandom r = new SplittableRandom(seed);
        final int[][] grants = w.grants();
        final int n = 1 + r.nextInt(32);
        final GrantCopyBatch batch = new GrantCopyBatch(n);
        for (int i = 0; i < n; i++) {
            final int kind = r.nextInt(10);
            // Mostly short frames, some whole pages, a few that cross the end of the page.
            final int len = r.nextInt(4) == 0 ? r.nextInt(PAGE + 1) : r.nextInt(129);
            final int[] src = grants[r.nextInt(grants.length)];
            final int[] dst = grants[r.nextInt(grants.length)];
            final int srcOff = grantOffset(r, len);
            final int dstOff = grantOffset(r, len);
            final UnsafeBuffer local = localFor(w, r);
            final int localOff = r.nextInt(LOCAL_BYTES - len + 1);
            if (kind < 5) {
                batch.addGrantToLocal(src[0], src[1], srcOff, local, localOff, len);
            } else if (kind < 8) {
                batch.addLocalToGrant(local, localOff, dst[0], dst[1], dstOff, len);
            } else {
                batch.addGrantToGrant(src[0], src[1], srcOff, dst[0], dst[1], dstOff, len);
            }
        }
        return batch;
    }

    private static int grantOffset(final SplittableRandom r, final int len) {
        return switch (r.nextInt(12)) {
            case 0 -> -1 - r.nextInt(8);
            case 1 -> PAGE - len + 1 + r.nextInt(8);
            default -> r.nextInt(PAGE - len + 1);
        };
    }

    /** A plain local buffer, or one whose copy-in ends one of the guest's shares first. */
    private static UnsafeBuffer localFor(final World w, final SplittableRandom r) {
        final UnsafeBuffer plain = w.locals[r.nextInt(2)];
        if (r.nextInt(6) != 0) {
            return plain;
        }
        final SharedPages victim = w.shares.get(r.nextInt(3));
        return new HookedBuffer(plain.byteBuffer().duplicate(), () -> {
            if (!victim.isClosed()) {
                w.log.add("end " + victim.grantRef(0) + ": " + victim.tryEndAccess());
            }
        });
    }

    private static String runPerSegment(final World w, final GrantCopyBatch batch) {
        final Hypervisor hv = w.xen.hypervisor();
        hv.lock.lock();
        try {
            hv.grantOps.copyPerSegment(java.util.Objects.requireNonNull(hv.domain(0)), batch);
        } finally {
            hv.lock.unlock();
        }
        return w.snapshot(batch);
    }

    private static String runHeld(final World w, final GrantCopyBatch batch) {
        w.xen.dom0().host().grantTables().copy(batch);
        return w.snapshot(batch);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
        27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54,
        55, 56, 57, 58, 59, 60, 61, 62, 63, 64})
    void heldPinsGiveWhatPerSegmentPinsGive(final long seed) {
        final String slow;
        final String fast;
        try (World a = new World(seed)) {
            slow = runPerSegment(a, batch(a, seed));
        }
        try (World b = new World(seed)) {
            fast = runHeld(b, batch(b, seed));
        }
        assertEquals(slow, fast, "seed " + seed);
    }

    @Test
    void theDifferentialBatchesMeetEveryStatus() {
        // The differential test proves nothing about a status its batches never produce.
        final java.util.Set<Integer> seen = new java.util.TreeSet<>();
        for (long seed = 1; seed <= 64; seed++) {
            try (World w = new World(seed)) {
                final GrantCopyBatch b = batch(w, seed);
                w.xen.dom0().host().grantTables().copy(b);
                for (int i = 0; i < b.size(); i++) {
                    seen.add(b.status(i));
                }
            }
        }
        assertEquals(new java.util.TreeSet<>(List.of(GrantTable.GNTST_OKAY, GrantTable.GNTST_GENERAL_ERROR,
            GrantTable.GNTST_BAD_DOMAIN, GrantTable.GNTST_BAD_GNTREF, GrantTable.GNTST_BAD_COPY_ARG)), seen);
    }

    @Test
    void sixteenFramesOfOnePageAreCopiedAndThePinGoesWithTheBatch() {
        try (World w = new World(7)) {
            final int ref = w.writable.grantRef(1);
            final GrantCopyBatch b = new GrantCopyBatch(16);
            for (int i = 0; i < 16; i++) {
                b.addGrantToLocal(w.guest.domid(), ref, i * 64, w.locals[0], i * 100, 64);
            }
            w.xen.dom0().host().grantTables().copy(b);
            assertTrue(b.allOkay());
            final UnsafeBuffer page = new UnsafeBuffer(w.writable.buffer(), PAGE, PAGE);
            for (int i = 0; i < 16; i++) {
                assertEquals(page.getLong(i * 64), w.locals[0].getLong(i * 100));
            }
            assertFalse(w.guest.grantEntry(ref).reading(), "no pin outlives the batch");
            assertEquals(1, w.guest.resources().pinnedGrantRefs(), "only the mapping's pin is left");
            assertTrue(w.writable.tryEndAccess());
        }
    }

    @Test
    void hostileSegmentsBetweenGoodOnesFailAloneWithTheirStatus() {
        try (World w = new World(8)) {
            final int g = w.guest.domid();
            final int a = w.writable.grantRef(0);
            final UnsafeBuffer l = w.locals[0];
            final GrantCopyBatch b = new GrantCopyBatch(10);
            b.addGrantToLocal(g, a, 0, l, 0, 64);
            b.addGrantToLocal(g, 9999, 0, l, 64, 64);
            b.addGrantToLocal(g, a, 64, l, 128, 64);
            b.addGrantToLocal(g, w.toOther.grantRef(0), 0, l, 192, 64);
            b.addGrantToLocal(g, a, PAGE - 10, l, 256, 64);
            b.addGrantToLocal(500, a, 0, l, 320, 64);
            b.addLocalToGrant(l, 0, g, w.readOnly.grantRef(0), 0, 64);
            b.addGrantToLocal(w.victim.domid(), w.victimRef, 0, l, 384, 64);
            b.addGrantToLocal(g, w.ended.grantRef(0), 0, l, 448, 64);
            b.addGrantToLocal(g, a, 128, l, 512, 64);
            final byte[] before = bytes(l);
            w.xen.dom0().host().grantTables().copy(b);
            assertArrayEquals(new int[] {GrantTable.GNTST_OKAY, GrantTable.GNTST_BAD_GNTREF, GrantTable.GNTST_OKAY,
                GrantTable.GNTST_GENERAL_ERROR, GrantTable.GNTST_BAD_COPY_ARG, GrantTable.GNTST_BAD_DOMAIN,
                GrantTable.GNTST_GENERAL_ERROR, GrantTable.GNTST_BAD_DOMAIN, GrantTable.GNTST_GENERAL_ERROR,
                GrantTable.GNTST_OKAY}, statuses(b));
            final byte[] after = bytes(l);
            for (final int failed : new int[] {64, 192, 256, 320, 384, 448}) {
                assertArrayEquals(Arrays.copyOfRange(before, failed, failed + 64), Arrays.copyOfRange(after, failed, failed + 64),
                    "a failed segment writes nothing at " + failed);
            }
            assertEquals(new UnsafeBuffer(w.writable.buffer()).getLong(128), l.getLong(512));
            assertFalse(w.guest.grantEntry(a).reading());
        }
    }

    @Test
    void aGrantEndedMidBatchFailsItsLaterSegmentsAndAHeldOneCannotBeEnded() {
        for (final boolean held : new boolean[] {false, true}) {
            try (World w = new World(9)) {
                final int g = w.guest.domid();
                final int a = w.writable.grantRef(0);
                final SharedPages other = w.readOnly;
                final boolean[] ends = new boolean[2];
                final HookedBuffer hook = new HookedBuffer(w.locals[1].byteBuffer().duplicate(), () -> {
                    // While a's segment copies: a is pinned, the read-only share is not.
                    ends[0] = w.writable.tryEndAccess();
                    ends[1] = other.tryEndAccess();
                });
                final GrantCopyBatch b = new GrantCopyBatch(3);
                b.addGrantToLocal(g, a, 0, hook, 0, 64);
                b.addGrantToLocal(g, other.grantRef(0), 0, w.locals[0], 0, 64);
                b.addGrantToLocal(g, a, 64, w.locals[0], 64, 64);
                final String snap = held ? runHeld(w, b) : runPerSegment(w, b);
                assertArrayEquals(new int[] {GrantTable.GNTST_OKAY, GrantTable.GNTST_GENERAL_ERROR, GrantTable.GNTST_OKAY},
                    statuses(b), snap);
                assertFalse(ends[0], "a pinned grant cannot be ended (held=" + held + ")");
                assertTrue(ends[1], "an unpinned one can");
            }
        }
    }

    @Test
    void aHeldPinIsDroppedWhenTheNextSegmentNamesAnotherGrantOrALocalBuffer() {
        for (final boolean held : new boolean[] {false, true}) {
            for (final boolean aIsSource : new boolean[] {false, true}) {
                try (World w = new World(10)) {
                    final int g = w.guest.domid();
                    final int a = w.writable.grantRef(0);
                    final boolean[] ended = new boolean[1];
                    // Runs during segment 1, which names neither a nor its share.
                    final HookedBuffer hook = new HookedBuffer(w.locals[1].byteBuffer().duplicate(),
                        () -> ended[0] = w.writable.tryEndAccess());
                    final GrantCopyBatch b = new GrantCopyBatch(3);
                    if (aIsSource) {
                        b.addGrantToLocal(g, a, 0, w.locals[0], 0, 64);
                    } else {
                        b.addLocalToGrant(w.locals[0], 0, g, a, 0, 64);
                    }
                    b.addGrantToLocal(g, w.readOnly.grantRef(0), 0, hook, 0, 64);
                    if (aIsSource) {
                        b.addGrantToLocal(g, a, 64, w.locals[0], 64, 64);
                    } else {
                        b.addLocalToGrant(w.locals[0], 64, g, a, 64, 64);
                    }
                    final String snap = held ? runHeld(w, b) : runPerSegment(w, b);
                    assertTrue(ended[0], "segment 0's pin is gone by segment 1 (held=" + held + ")");
                    assertArrayEquals(new int[] {GrantTable.GNTST_OKAY, GrantTable.GNTST_OKAY, GrantTable.GNTST_GENERAL_ERROR},
                        statuses(b), snap);
                }
            }
        }
    }

    @Test
    void aCopyByAClosedHostFailsWithEbadfAndNamesTheCopy() {
        try (World w = new World(11)) {
            final var host = w.xen.dom0().openHost();
            host.close();
            final GrantCopyBatch b = new GrantCopyBatch(1);
            b.addGrantToLocal(w.guest.domid(), w.writable.grantRef(0), 0, w.locals[0], 0, 8);
            final XenHalException e = assertThrows(XenHalException.class, () -> host.grantTables().copy(b));
            assertEquals(Errno.EBADF, e.errno());
            assertTrue(String.valueOf(e.getMessage()).contains("grant copy of 1 segment(s) by dom0"), e.getMessage());
            assertEquals(GrantCopyBatch.NOT_RUN, b.status(0));
        }
    }

    private static int[] statuses(final GrantCopyBatch b) {
        final int[] s = new int[b.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = b.status(i);
        }
        return s;
    }
}
