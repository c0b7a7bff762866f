package io.xen4j.blk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.xen4j.blk.internal.BlkifAbi;
import io.xen4j.hal.memory.GrantEntrySnapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * blkfront's persistent grants against a backend that behaves as Linux's blkback: it writes
 * {@code feature-persistent} only when it connects (or at InitWait, as xen4j's blkback), maps
 * every grant of a persistent connection read-write and keeps it, indirect descriptor pages
 * included, and unmaps only after the frontend is Closed. Data is verified by checksums.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class BlkFrontPersistentGrantsTest {
    private static final int DISK = 8 << 20;
    /** Three 1 MiB requests at once (one indirect request each with 256 segments) and a small one. */
    private static final int[] SIZES = {1 << 20, 1 << 20, 45056, 1 << 20};

    static Stream<Arguments> linuxStyle() {
        final List<Arguments> out = new ArrayList<>();
        for (final BlkifAbi abi : BlkifAbi.values()) {
            for (final int indirect : new int[] {0, 256}) {
                for (final boolean atConnect : new boolean[] {true, false}) {
                    out.add(Arguments.of(abi, indirect, atConnect));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} indirect={1} feature-persistent only at Connected={2}")
    @MethodSource("linuxStyle")
    void persistentGrantsWithPersistentIndirectPages(final BlkifAbi abi, final int indirect, final boolean atConnect) {
        try (LinuxStyleBackend b = new LinuxStyleBackend(new BlkFrontConfig(abi.protocol(), 0, indirect, true), true, atConnect,
            indirect, DISK)) {
            // The frontend offers persistent grants at setup and uses them once the backend says 1.
            assertEquals("1", b.dom0Store.read(b.device.frontend("feature-persistent")));
            assertTrue(b.usePersistent, "the backend saw the frontend's feature-persistent=1");
            final DiskInfo info = b.front.info();
            assertTrue(info.persistentGrants(), "persistent grants not negotiated: " + info);
            assertEquals(indirect, info.maxIndirectSegments());

            final Random rnd = new Random(abi.ordinal() * 31L + indirect + (atConnect ? 7 : 0));
            roundTrip(b, rnd);
            final int firstRoundIndirect = b.indirectRefs.size();
            final Set<Integer> firstIndirectRefs = refs(b.indirectRefs);
            roundTrip(b, rnd);
            assertEquals(0, b.mapFailures, "a grant the backend maps read-write was refused");
            assertNull(b.front.brokenReason());
            assertEquals(0, b.front.leakedGrants(), "nothing set aside while connected");

            final Set<Integer> indirectRefs = refs(b.indirectRefs);
            if (indirect > 0) {
                // 3 x 1 MiB writes and reads per round, each one indirect request of one page.
                assertEquals(12, b.indirectRefs.size());
                assertEquals(6, firstRoundIndirect);
                // Reused: the second round used only pages of the first, granted once.
                assertTrue(firstIndirectRefs.containsAll(indirectRefs), "new indirect grants in the second round: "
                    + indirectRefs + " vs " + firstIndirectRefs);
                assertTrue(indirectRefs.size() <= 3, "at most one page per request in flight: " + indirectRefs);
                for (final int ref : indirectRefs) {
                    final GrantEntrySnapshot e = b.guest.grantEntry(ref);
                    assertTrue(e.permitsAccess(), "indirect page " + ref + " still granted (the backend maps it)");
                    assertFalse(e.readonly(), "indirect page " + ref + " granted read-write, as Linux's blkback maps it");
                    assertTrue(b.persistent.containsKey(ref), "the backend keeps indirect page " + ref);
                }
            } else {
                assertTrue(b.indirectRefs.isEmpty());
            }
            // Data pages: reused from the pool, never ended while the backend keeps them.
            final Set<Integer> dataRefs = refs(b.dataRefs);
            final int segments = b.dataRefs.stream().mapToInt(r -> r.length).sum();
            assertTrue(dataRefs.size() * 2 <= segments, dataRefs.size() + " data grants for " + segments + " segments");
            for (final int ref : dataRefs) {
                assertTrue(b.guest.grantEntry(ref).permitsAccess(), "data page " + ref + " ended under the backend");
                assertTrue(b.persistent.containsKey(ref));
            }

            // Detach: the backend still maps the ring and its persistent grants when the frontend
            // reaches Closed; they are set aside, and ended once the backend is Closed.
            final int setAside = b.detach();
            assertTrue(setAside > 0, "the ring is still mapped when the frontend reaches Closed");
            assertEquals(0, b.front.leakedGrants(), "every grant ended after the backend went Closed");
            assertEquals(0, b.guest.resources().grantRefs(), "the guest grants nothing any more: " + b.guest.resources());
            assertFalse(b.guest.grantEntry(indirect > 0 ? indirectRefs.iterator().next() : dataRefs.iterator().next()).permitsAccess());
        }
    }

    @Test
    void aBackendThatSaysZeroAtConnectedGetsNoPersistentGrants() {
        try (LinuxStyleBackend b = new LinuxStyleBackend(new BlkFrontConfig("x86_64-abi", 0, 256, true), false, true, 256, DISK)) {
            assertEquals("1", b.dom0Store.read(b.device.frontend("feature-persistent")));
            assertFalse(b.front.info().persistentGrants());
            roundTrip(b, new Random(3));
            assertEquals(0, b.mapFailures);
            assertTrue(b.persistent.isEmpty());
            // Without persistent grants every indirect page is a fresh grant, ended after its response.
            assertEquals(6, b.indirectRefs.size());
            for (final int ref : refs(b.indirectRefs)) {
                assertFalse(b.guest.grantEntry(ref).permitsAccess(), "indirect page " + ref + " ended after its response");
            }
            b.detach();
            assertEquals(0, b.front.leakedGrants());
            assertEquals(0, b.guest.resources().grantRefs(), b.guest.resources().toString());
        }
    }

    @Test
    void aFrontendConfiguredWithoutPersistentGrantsSaysZero() {
        try (LinuxStyleBackend b = new LinuxStyleBackend(new BlkFrontConfig("x86_64-abi", 0, 256, false), true, true, 256, DISK)) {
            assertEquals("0", b.dom0Store.read(b.device.frontend("feature-persistent")));
            assertFalse(b.usePersistent);
            assertFalse(b.front.info().persistentGrants());
            roundTrip(b, new Random(4));
            assertEquals(0, b.mapFailures);
            b.detach();
            assertEquals(0, b.front.leakedGrants());
        }
    }

    @Test
    void aPageSetAsideIsEndedOnceTheBackendLetsGoAndNeverReused() {
        try (RawBackend b = new RawBackend(BlkifAbi.X86_64)) {
            final CompletableFuture<Void> f = b.front.read(0, 4096, Unpooled.buffer(4096));
            b.front.doWork();
            final int[] gref = new int[1];
            final long[] id = new long[1];
            b.ring.pollRequests((copy, index) -> {
                gref[0] = copy.getInt(BlkifAbi.X86_64.segOffset, java.nio.ByteOrder.LITTLE_ENDIAN);
                id[0] = copy.getLong(BlkifAbi.X86_64.idOffset, java.nio.ByteOrder.LITTLE_ENDIAN);
            }, 1);
            final var page = b.xen.dom0().host().grantTables().map(b.guest.domid(), new int[] {gref[0]}, true);
            b.respond(id[0], io.xen4j.abi.blkif.Blkif.BLKIF_OP_READ, 0);
            assertTrue(f.isDone());
            assertEquals(1, b.front.leakedGrants(), "still mapped: set aside");
            // Another request meanwhile gets another page, not the one the backend holds.
            b.front.read(4096, 4096, Unpooled.buffer(4096));
            b.front.doWork();
            final int[] next = new int[1];
            b.ring.pollRequests((copy, index) -> next[0] = copy.getInt(BlkifAbi.X86_64.segOffset, java.nio.ByteOrder.LITTLE_ENDIAN), 1);
            assertTrue(next[0] != gref[0], "a page the backend maps was granted again");
            assertTrue(b.guest.grantEntry(gref[0]).permitsAccess(), "not ended under the backend");
            // The backend lets go and changes state: the frontend ends the page then.
            page.close();
            b.dom0Store.write(b.device.backend("state"), "4");
            b.spinUntil(() -> b.front.leakedGrants() == 0);
            assertFalse(b.guest.grantEntry(gref[0]).permitsAccess(), "ended after the backend unmapped it");
            assertNull(b.front.brokenReason());
        }
    }

    /**
     * A reused indirect page holds only the current request's descriptors: after a 256-segment
     * request, shorter ones (16, 12 segments) on the same page find zeros beyond their own, as on a
     * fresh page (the frontend clears what the longer request wrote there, not the whole page).
     */
    @Test
    void aReusedIndirectPageHoldsNoEarlierDescriptors() {
        try (LinuxStyleBackend b = new LinuxStyleBackend(new BlkFrontConfig("x86_64-abi", 0, 256, true), true, true, 256, DISK)) {
            assertTrue(b.front.info().persistentGrants());
            final Random rnd = new Random(11);
            for (final int size : new int[] {1 << 20, 65536, 49152, 65536, 1 << 20, 49152}) {
                final byte[] d = new byte[size];
                rnd.nextBytes(d);
                final CompletableFuture<Void> w = b.front.write(4096, Unpooled.wrappedBuffer(d));
                b.pumpUntil(w::isDone);
                assertFalse(w.isCompletedExceptionally(), "write failed: " + b.front.brokenReason());
                assertEquals(crc(d, 0, size), crc(b.disk, 4096, size), size + " bytes on the disk");
            }
            assertEquals(6, b.indirectRefs.size(), "each write one indirect request");
            assertEquals(1, refs(b.indirectRefs).size(), "one after the other: the same indirect page each time");
            assertEquals(0, b.staleIndirectTails, "descriptors of an earlier request left beyond a later one's");
        }
    }

    @Test
    void grantedBuffersUseThePersistentIndirectPool() {
        try (LinuxStyleBackend b = new LinuxStyleBackend(new BlkFrontConfig("x86_64-abi", 0, 256, true), true, true, 256, DISK)) {
            assertTrue(b.front.info().persistentGrants());
            final Random rnd = new Random(5);
            final byte[] d = new byte[1 << 20];
            for (int round = 0; round < 2; round++) {
                rnd.nextBytes(d);
                // The device's own buffer: its pages are the request's segments (no copy), and the
                // request's indirect page must still come from the persistent pool.
                final ByteBuf buf = b.front.allocateBuffer(d.length);
                try {
                    assertTrue(buf instanceof GrantedBuffer, "a buffer over granted pages: " + buf);
                    buf.writeBytes(d);
                    final CompletableFuture<Void> w = b.front.write(8192, buf);
                    b.pumpUntil(w::isDone);
                    assertFalse(w.isCompletedExceptionally(), "write failed: " + b.front.brokenReason());
                    assertEquals(crc(d, 0, d.length), crc(b.disk, 8192, d.length));
                    buf.setZero(0, d.length);
                    final CompletableFuture<Void> r = b.front.read(8192, d.length, buf.clear());
                    b.pumpUntil(r::isDone);
                    assertFalse(r.isCompletedExceptionally(), "read failed: " + b.front.brokenReason());
                    final byte[] got = new byte[d.length];
                    buf.getBytes(0, got);
                    assertEquals(crc(d, 0, d.length), crc(got, 0, got.length), "read back, round " + round);
                } finally {
                    buf.release();
                }
            }
            assertEquals(0, b.mapFailures, "a grant the backend maps read-write was refused");
            assertNull(b.front.brokenReason());
            final Set<Integer> indirectRefs = refs(b.indirectRefs);
            assertEquals(4, b.indirectRefs.size(), "one indirect page per 1 MiB request");
            assertEquals(1, indirectRefs.size(), "the same pooled indirect page every time: " + indirectRefs);
            final int ref = indirectRefs.iterator().next();
            assertTrue(b.guest.grantEntry(ref).permitsAccess(), "indirect page still granted while the backend keeps it");
            assertFalse(b.guest.grantEntry(ref).readonly(), "indirect page granted read-write, as Linux's blkback maps it");
            b.detach();
            assertEquals(0, b.front.leakedGrants(), "every grant ended after the backend went Closed");
        }
    }

    /** Writes {@link #SIZES} at once, checks the disk, reads them back at once, checks the data. */
    private static void roundTrip(final LinuxStyleBackend b, final Random rnd) {
        final List<byte[]> data = new ArrayList<>();
        final long[] offsets = new long[SIZES.length];
        final List<CompletableFuture<Void>> writes = new ArrayList<>();
        long at = 4096;
        for (int i = 0; i < SIZES.length; i++) {
            final byte[] d = new byte[SIZES[i]];
            rnd.nextBytes(d);
            data.add(d);
            offsets[i] = at;
            writes.add(b.front.write(at, Unpooled.wrappedBuffer(d)));
            at += SIZES[i] + 3 * 4096L;
        }
        final CompletableFuture<Void> allWritten = CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
        b.pumpUntil(allWritten::isDone);
        assertFalse(allWritten.isCompletedExceptionally(), "a write failed: " + b.front.brokenReason());
        for (int i = 0; i < SIZES.length; i++) {
            assertEquals(crc(data.get(i), 0, SIZES[i]), crc(b.disk, (int) offsets[i], SIZES[i]), "write " + i + " on the disk");
        }
        final List<ByteBuf> bufs = new ArrayList<>();
        final List<CompletableFuture<Void>> reads = new ArrayList<>();
        for (int i = 0; i < SIZES.length; i++) {
            final ByteBuf dst = Unpooled.buffer(SIZES[i]);
            bufs.add(dst);
            reads.add(b.front.read(offsets[i], SIZES[i], dst));
        }
        final CompletableFuture<Void> allRead = CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new));
        b.pumpUntil(allRead::isDone);
        assertFalse(allRead.isCompletedExceptionally(), "a read failed: " + b.front.brokenReason());
        for (int i = 0; i < SIZES.length; i++) {
            final byte[] got = new byte[SIZES[i]];
            bufs.get(i).readBytes(got);
            assertEquals(crc(data.get(i), 0, SIZES[i]), crc(got, 0, SIZES[i]), "read back " + i);
        }
    }

    private static Set<Integer> refs(final List<int[]> lists) {
        final Set<Integer> s = new HashSet<>();
        for (final int[] l : lists) {
            for (final int r : l) {
                s.add(r);
            }
        }
        return s;
    }

    private static long crc(final byte[] b, final int offset, final int length) {
        final CRC32C c = new CRC32C();
        c.update(b, offset, length);
        return c.getValue();
    }
}
