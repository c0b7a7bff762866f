package io.xen4j.blk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.xen4j.abi.blkif.Blkif;
import io.xen4j.abi.ring.SringHeader;
import io.xen4j.blk.RawBackend.Request;
import io.xen4j.blk.internal.BlkifAbi;
import io.xen4j.blk.spi.MemoryBlockStore;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * blkfront puts a read or write of its agent's own thread in one of its granted buffers on the
 * ring as it is submitted (when it fits one ring request and nothing waits before it), and pushes
 * it at the agent's next turn: such a request is on the ring before that turn, completes as on
 * the general path, and is issued again when its backend restarts. A hostile backend's answers
 * to it are held to every frontend rule in {@link BlkFrontHostileBackendTest} (its granted-buffer
 * cases). The test thread drives the frontend ({@link RawBackend}), so it is the agent's thread.
 */
final class BlkFrontSentAtOnceTest {
    /** The slot of ring index {@code index}, as the frontend wrote it (read through the backend's mapping). */
    private static int slot(final RawBackend b, final int index) {
        return SringHeader.RING_OFFSET + (index & (b.ring.size() - 1)) * b.abi.requestLength;
    }

    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void aWriteInAGrantedBufferIsOnTheRingAtSubmissionAndPushedAtTheNextTurn(final BlkifAbi abi) {
        try (RawBackend b = new RawBackend(abi)) {
            final ByteBuf buf = b.front.allocateBuffer(8192);
            buf.writeZero(4096);
            final int pushed = b.ringPage.buffer().getIntVolatile(SringHeader.REQ_PROD_OFFSET);
            final CompletableFuture<Void> f = b.front.write(4096, buf);
            final int at = slot(b, pushed);
            assertEquals(Blkif.BLKIF_OP_WRITE, b.ringPage.buffer().getByte(at) & 0xFF, "written at submission");
            assertEquals(1, b.ringPage.buffer().getByte(at + 1), "one segment");
            assertEquals(8, b.ringPage.buffer().getLong(at + abi.sectorOffset, ByteOrder.LITTLE_ENDIAN));
            assertEquals(pushed, b.ringPage.buffer().getIntVolatile(SringHeader.REQ_PROD_OFFSET), "not pushed before the turn");
            final List<Request> reqs = b.requests();
            assertEquals(List.of(new Request(reqs.get(0).id(), Blkif.BLKIF_OP_WRITE)), reqs);
            b.respond(reqs.get(0).id(), Blkif.BLKIF_OP_WRITE, Blkif.BLKIF_RSP_OKAY);
            assertTrue(f.isDone() && !f.isCompletedExceptionally());
            buf.release();
        }
    }

    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void aReadCompletesWithTheBufferFilledToItsLength(final BlkifAbi abi) {
        try (RawBackend b = new RawBackend(abi)) {
            final ByteBuf buf = b.front.allocateBuffer(4096);
            // A read that fails leaves the buffer as it was.
            final CompletableFuture<Void> failed = b.front.read(0, 2048, buf);
            b.respond(b.requests().get(0).id(), Blkif.BLKIF_OP_READ, Blkif.BLKIF_RSP_ERROR);
            assertTrue(failed.isCompletedExceptionally());
            assertEquals(0, buf.writerIndex());
            final CompletableFuture<Void> f = b.front.read(0, 2048, buf);
            final List<Request> reqs = b.requests();
            assertEquals(1, reqs.size());
            assertFalse(f.isDone());
            b.respond(reqs.get(0).id(), Blkif.BLKIF_OP_READ, Blkif.BLKIF_RSP_OKAY);
            assertTrue(f.isDone() && !f.isCompletedExceptionally());
            assertEquals(2048, buf.writerIndex());
            buf.release();
        }
    }

    /**
     * A request sent at submission that is in flight when its backend crashes is issued again to
     * the next backend (from the buffer, which is ordinary memory to that one) and completes with
     * the disk's data; nothing is lost, nothing completes twice.
     */
    @Test
    void aRequestSentAtSubmissionIsIssuedAgainAfterTheBackendRestarts() throws Exception {
        final MemoryBlockStore disk = new MemoryBlockStore(1L << 20);
        final byte[] content = new byte[8192];
        new java.util.Random(11).nextBytes(content);
        disk.write(0, java.nio.ByteBuffer.wrap(content));
        try (BlkWorld w = new BlkWorld(disk, BlkBackConfig.full(), new BlkFrontConfig("x86_64-abi", 0, 0, true, 1))) {
            w.awaitConnected();
            w.stopAgents();
            // This thread drives the agents from now on: it is the frontend's agent thread.
            w.front.doWork();
            final ByteBuf buf = w.front.allocateBuffer(4096);
            // Each completion, as its failure or "null".
            final List<String> completions = new java.util.concurrent.CopyOnWriteArrayList<>();
            w.front.read(4096, 4096, buf, f -> completions.add(String.valueOf(f)));
            // Pushed to the backend, which crashes before it answers.
            w.front.doWork();
            w.replaceBackend();
            final long deadline = System.nanoTime() + 20_000_000_000L;
            while (completions.isEmpty() && System.nanoTime() < deadline) {
                w.front.doWork();
                w.back.doWork();
                Thread.onSpinWait();
            }
            for (int i = 0; i < 100; i++) {
                w.front.doWork();
                w.back.doWork();
            }
            assertEquals(List.of("null"), completions, "completed once, without failure");
            assertTrue(w.front.reissuedRequests() >= 1, "issued again");
            final byte[] got = new byte[4096];
            buf.getBytes(0, got);
            assertArrayEquals(java.util.Arrays.copyOfRange(content, 4096, 8192), got);
            assertEquals(4096, buf.writerIndex());
            buf.release();
        }
    }

    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void requestsThatBreakARuleStillFailOnTheGeneralPath(final BlkifAbi abi) {
        try (RawBackend b = new RawBackend(abi)) {
            final ByteBuf buf = b.front.allocateBuffer(4096);
            // Past the end of the 2048-sector disk, and not a multiple of 512: failed at once, nothing on the ring.
            final CompletableFuture<Void> outside = b.front.read(2048L * 512, 4096, buf);
            final CompletableFuture<Void> odd = b.front.read(0, 100, buf);
            assertTrue(odd.isCompletedExceptionally(), "not a multiple of 512");
            assertTrue(b.requests().isEmpty());
            assertTrue(outside.isCompletedExceptionally(), "outside the disk");
            assertNull(b.front.brokenReason());
            buf.release();
        }
    }
}
