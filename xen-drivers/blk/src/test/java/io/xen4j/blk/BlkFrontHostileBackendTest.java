package io.xen4j.blk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.xen4j.abi.blkif.Blkif;
import io.xen4j.blk.RawBackend.Request;
import io.xen4j.blk.internal.BlkifAbi;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * blkfront against a hostile backend, one named test per blkif frontend rule: response ids in
 * range and outstanding, the operation that was sent, a known status, the ring's response index;
 * and no stale data in granted pages. The rules' tests run for requests in ordinary buffers and in
 * the device's granted buffers (which take another path through blkfront).
 */
final class BlkFrontHostileBackendTest {
    /**
     * What a test request reads into or writes from: an ordinary buffer (copied through the
     * persistent-grant pool) or one of the device's granted buffers (its pages are the segments,
     * and blkfront puts the request on the ring as it is submitted, with no op: the test thread
     * drives the frontend, so it is the agent's thread).
     */
    enum Buffer {
        ORDINARY, GRANTED;

        ByteBuf of(final RawBackend b, final int size) {
            return this == ORDINARY ? Unpooled.buffer(size) : b.front.allocateBuffer(size);
        }
    }

    static Stream<Arguments> layoutsAndBuffers() {
        return Stream.of(BlkifAbi.values()).flatMap(abi -> Stream.of(Buffer.values()).map(buffer -> Arguments.of(abi, buffer)));
    }

    private static void assertBroken(final RawBackend b, final CompletableFuture<?> pending, final String part) {
        final String reason = b.front.brokenReason();
        assertNotNull(reason);
        assertTrue(reason.contains("dom" + b.guest.domid()) && reason.contains("vbd-") && reason.contains(part), reason);
        assertTrue(pending.isCompletedExceptionally(), "the pending request failed");
        // Later requests fail at once; nothing hangs.
        assertTrue(b.front.flush().isCompletedExceptionally());
    }

    @ParameterizedTest
    @MethodSource("layoutsAndBuffers")
    void aCorrectResponseCompletesTheRequest(final BlkifAbi abi, final Buffer buffer) {
        try (RawBackend b = new RawBackend(abi)) {
            final CompletableFuture<Void> f = b.front.read(0, 4096, buffer.of(b, 4096));
            final List<Request> reqs = b.requests();
            assertEquals(1, reqs.size());
            b.respond(reqs.get(0).id(), Blkif.BLKIF_OP_READ, Blkif.BLKIF_RSP_OKAY);
            assertTrue(f.isDone() && !f.isCompletedExceptionally());
            assertNull(b.front.brokenReason());
        }
    }

    @ParameterizedTest
    @MethodSource("layoutsAndBuffers")
    void aResponseIdOutOfRangeBreaksTheDevice(final BlkifAbi abi, final Buffer buffer) {
        try (RawBackend b = new RawBackend(abi)) {
            final CompletableFuture<Void> f = b.front.read(0, 4096, buffer.of(b, 4096));
            b.requests();
            b.respond(1L << 40, Blkif.BLKIF_OP_READ, 0);
            assertBroken(b, f, "not an outstanding request");
        }
    }

    @ParameterizedTest
    @MethodSource("layoutsAndBuffers")
    void aResponseForAnIdNotOutstandingBreaksTheDevice(final BlkifAbi abi, final Buffer buffer) {
        try (RawBackend b = new RawBackend(abi)) {
            final CompletableFuture<Void> f = b.front.read(0, 4096, buffer.of(b, 4096));
            final long id = b.requests().get(0).id();
            b.respond(id == 0 ? 1 : 0, Blkif.BLKIF_OP_READ, 0);
            assertBroken(b, f, "not an outstanding request");
        }
    }

    @ParameterizedTest
    @MethodSource("layoutsAndBuffers")
    void aDuplicateResponseBreaksTheDevice(final BlkifAbi abi, final Buffer buffer) {
        try (RawBackend b = new RawBackend(abi)) {
            final CompletableFuture<Void> f1 = b.front.read(0, 4096, buffer.of(b, 4096));
            final CompletableFuture<Void> f2 = b.front.read(4096, 4096, buffer.of(b, 4096));
            final List<Request> reqs = b.requests();
            b.respond(reqs.get(0).id(), Blkif.BLKIF_OP_READ, 0);
            assertTrue(f1.isDone());
            b.respond(reqs.get(0).id(), Blkif.BLKIF_OP_READ, 0);
            assertBroken(b, f2, "not an outstanding request");
        }
    }

    @ParameterizedTest
    @MethodSource("layoutsAndBuffers")
    void aResponseWithAnotherOperationBreaksTheDevice(final BlkifAbi abi, final Buffer buffer) {
        try (RawBackend b = new RawBackend(abi)) {
            final CompletableFuture<Void> f = b.front.read(0, 4096, buffer.of(b, 4096));
            b.respond(b.requests().get(0).id(), Blkif.BLKIF_OP_WRITE, 0);
            assertBroken(b, f, "operation matches");
        }
    }

    @ParameterizedTest
    @MethodSource("layoutsAndBuffers")
    void aStatusOtherThanOkayErrorOrEopnotsuppBreaksTheDevice(final BlkifAbi abi, final Buffer buffer) {
        try (RawBackend b = new RawBackend(abi)) {
            final CompletableFuture<Void> f = b.front.read(0, 4096, buffer.of(b, 4096));
            b.respond(b.requests().get(0).id(), Blkif.BLKIF_OP_READ, -5);
            assertBroken(b, f, "status=-5");
        }
    }

    @ParameterizedTest
    @MethodSource("layoutsAndBuffers")
    void aResponseProducerBeyondTheRingBreaksTheDevice(final BlkifAbi abi, final Buffer buffer) {
        try (RawBackend b = new RawBackend(abi)) {
            final CompletableFuture<Void> f = b.front.read(0, 4096, buffer.of(b, 4096));
            b.requests();
            b.hostileRspProd(b.ring.size() + 5);
            assertBroken(b, f, "R5");
        }
    }

    @ParameterizedTest
    @MethodSource("layoutsAndBuffers")
    void anErrorStatusFailsOnlyThatRequest(final BlkifAbi abi, final Buffer buffer) {
        try (RawBackend b = new RawBackend(abi)) {
            final CompletableFuture<Void> f = b.front.write(0, buffer.of(b, 4096).writeZero(4096));
            b.respond(b.requests().get(0).id(), Blkif.BLKIF_OP_WRITE, Blkif.BLKIF_RSP_ERROR);
            assertTrue(f.isCompletedExceptionally());
            assertNull(b.front.brokenReason());
            assertTrue(b.front.isConnected());
        }
    }

    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void grantedPagesCarryNoStaleData(final BlkifAbi abi) {
        try (RawBackend b = new RawBackend(abi)) {
            // A write of 1 KiB: the rest of the granted page must be zeros, not old memory.
            final byte[] data = new byte[1024];
            java.util.Arrays.fill(data, (byte) 0x77);
            final CompletableFuture<Void> f = b.front.write(0, Unpooled.wrappedBuffer(data));
            b.front.doWork();
            final int[] gref = new int[1];
            b.ring.pollRequests((copy, index) -> gref[0] = copy.getInt(abi.segOffset, java.nio.ByteOrder.LITTLE_ENDIAN), 1);
            try (var page = b.xen.dom0().host().grantTables().map(b.guest.domid(), new int[] {gref[0]}, false)) {
                for (int i = 0; i < 4096; i++) {
                    assertEquals(i < 1024 ? 0x77 : 0, page.buffer().getByte(i) & 0xFF, "byte " + i);
                }
            }
            // No response yet: the request stays pending.
            assertFalse(f.isDone());
        }
    }

    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void aPageTheBackendStillMapsIsLeakedNotReused(final BlkifAbi abi) {
        try (RawBackend b = new RawBackend(abi)) {
            final ByteBuf dst = Unpooled.buffer(4096);
            final CompletableFuture<Void> f = b.front.read(0, 4096, dst);
            b.front.doWork();
            final int[] gref = new int[1];
            final long[] id = new long[1];
            b.ring.pollRequests((copy, index) -> {
                gref[0] = copy.getInt(abi.segOffset, java.nio.ByteOrder.LITTLE_ENDIAN);
                id[0] = copy.getLong(abi.idOffset, java.nio.ByteOrder.LITTLE_ENDIAN);
            }, 1);
            try (var page = b.xen.dom0().host().grantTables().map(b.guest.domid(), new int[] {gref[0]}, true)) {
                b.respond(id[0], Blkif.BLKIF_OP_READ, 0);
                assertTrue(f.isDone());
                assertEquals(1, b.front.leakedGrants());
            }
        }
    }
}
