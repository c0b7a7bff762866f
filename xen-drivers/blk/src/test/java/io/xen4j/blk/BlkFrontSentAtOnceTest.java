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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * blkfront puts a read or write of its agent's own thread in one of its granted buffers on the
 * ring as it is submitted (when nothing waits before it; one longer than a ring request's direct
 * segments as consecutive requests, split as the general path splits it), and pushes it at the
 * agent's next turn: such a request is on the ring before that turn, completes as on the general
 * path (once, when its last part is answered), and is issued again when its backend restarts. A hostile backend's answers
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

    /**
     * A read submitted from the callback of the one before (an application whose completion
     * handler issues its next request) goes onto the ring while the turn that answered the first
     * runs, and out with that turn's push: one turn completes one read and sends the next.
     */
    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void aReadSubmittedFromACallbackIsPushedByTheTurnThatRanTheCallback(final BlkifAbi abi) {
        try (RawBackend b = new RawBackend(abi)) {
            final ByteBuf first = b.front.allocateBuffer(4096);
            final ByteBuf next = b.front.allocateBuffer(4096);
            final List<String> completions = new java.util.ArrayList<>();
            b.front.read(0, 4096, first, f -> {
                completions.add("first " + f);
                b.front.read(8192, 4096, next, g -> completions.add("next " + g));
            });
            final List<Request> reqs = b.requests();
            assertEquals(1, reqs.size());
            final int pushed = b.ringPage.buffer().getIntVolatile(SringHeader.REQ_PROD_OFFSET);
            b.answer(reqs.get(0).id(), Blkif.BLKIF_OP_READ, Blkif.BLKIF_RSP_OKAY);
            b.front.doWork();
            assertEquals(List.of("first null"), completions);
            assertEquals(pushed + 1, b.ringPage.buffer().getIntVolatile(SringHeader.REQ_PROD_OFFSET), "pushed by the same turn");
            assertEquals(Blkif.BLKIF_OP_READ, b.ringPage.buffer().getByte(slot(b, pushed)) & 0xFF);
            assertEquals(16, b.ringPage.buffer().getLong(slot(b, pushed) + abi.sectorOffset, ByteOrder.LITTLE_ENDIAN));
            final List<Request> second = b.requests();
            assertEquals(1, second.size());
            b.respond(second.get(0).id(), Blkif.BLKIF_OP_READ, Blkif.BLKIF_RSP_OKAY);
            assertEquals(List.of("first null", "next null"), completions);
            assertEquals(4096, first.writerIndex());
            assertEquals(4096, next.writerIndex());
            assertNull(b.front.brokenReason());
            first.release();
            next.release();
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
     * the disk's data; nothing is lost, nothing completes twice. 64 KiB is two ring requests.
     */
    @ParameterizedTest
    @ValueSource(ints = {4096, 65536})
    void aRequestSentAtSubmissionIsIssuedAgainAfterTheBackendRestarts(final int size) throws Exception {
        final MemoryBlockStore disk = new MemoryBlockStore(1L << 20);
        final byte[] content = new byte[4096 + size];
        new java.util.Random(11).nextBytes(content);
        disk.write(0, java.nio.ByteBuffer.wrap(content));
        try (BlkWorld w = new BlkWorld(disk, BlkBackConfig.full(), new BlkFrontConfig("x86_64-abi", 0, 0, true, 1))) {
            w.awaitConnected();
            w.stopAgents();
            // This thread drives the agents from now on: it is the frontend's agent thread.
            w.front.doWork();
            final ByteBuf buf = w.front.allocateBuffer(size);
            // Each completion, as its failure or "null".
            final List<String> completions = new java.util.concurrent.CopyOnWriteArrayList<>();
            w.front.read(4096, size, buf, f -> completions.add(String.valueOf(f)));
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
            final byte[] got = new byte[size];
            buf.getBytes(0, got);
            assertArrayEquals(java.util.Arrays.copyOfRange(content, 4096, 4096 + size), got);
            assertEquals(size, buf.writerIndex());
            buf.release();
        }
    }

    /** Segment {@code i} of the request at ring index {@code index}: gref, first_sect, last_sect. */
    private static int[] segment(final RawBackend b, final int index, final int i) {
        final int at = slot(b, index) + b.abi.segOffset + i * 8;
        final org.agrona.concurrent.AtomicBuffer ring = b.ringPage.buffer();
        return new int[] {ring.getInt(at, ByteOrder.LITTLE_ENDIAN), ring.getByte(at + 4) & 0xFF, ring.getByte(at + 5) & 0xFF};
    }

    /** Submits {@code count} 4 KiB reads, page {@code i} of the disk into a granted buffer each; their completions go to {@code completions}. */
    private static ByteBuf[] readPages(final RawBackend b, final int count, final List<String> completions) {
        final ByteBuf[] bufs = new ByteBuf[count];
        for (int i = 0; i < count; i++) {
            bufs[i] = b.front.allocateBuffer(4096);
            b.front.read(4096L * i, 4096, bufs[i], f -> completions.add(String.valueOf(f)));
        }
        return bufs;
    }

    /** Answers each read OKAY, in order. */
    private static void answerReads(final RawBackend b, final List<Request> reads) {
        for (final Request r : reads) {
            b.respond(r.id(), Blkif.BLKIF_OP_READ, Blkif.BLKIF_RSP_OKAY);
        }
    }

    private static void release(final ByteBuf[] bufs) {
        for (final ByteBuf buf : bufs) {
            buf.release();
        }
    }

    /**
     * 64 KiB in a granted buffer is two ring requests at submission, 11 pages and 5, on
     * consecutive sectors (as the general path splits it); the read completes once both are
     * answered, in either order, and not before.
     */
    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void aLongerRequestGoesAsPartsAndCompletesWithTheLastAnswer(final BlkifAbi abi) {
        try (RawBackend b = new RawBackend(abi)) {
            final ByteBuf buf = b.front.allocateBuffer(65536);
            final int pushed = b.ringPage.buffer().getIntVolatile(SringHeader.REQ_PROD_OFFSET);
            final List<String> completions = new java.util.ArrayList<>();
            b.front.read(8192, 65536, buf, f -> completions.add(String.valueOf(f)));
            final int first = slot(b, pushed);
            final int second = slot(b, pushed + 1);
            assertEquals(Blkif.BLKIF_OP_READ, b.ringPage.buffer().getByte(first) & 0xFF);
            assertEquals(Blkif.BLKIF_OP_READ, b.ringPage.buffer().getByte(second) & 0xFF);
            assertEquals(11, b.ringPage.buffer().getByte(first + 1), "the first part: 11 pages");
            assertEquals(5, b.ringPage.buffer().getByte(second + 1), "the second: the 5 left");
            assertEquals(16, b.ringPage.buffer().getLong(first + abi.sectorOffset, ByteOrder.LITTLE_ENDIAN));
            assertEquals(16 + 11 * 8, b.ringPage.buffer().getLong(second + abi.sectorOffset, ByteOrder.LITTLE_ENDIAN));
            final java.util.Set<Integer> grefs = new java.util.HashSet<>();
            for (int i = 0; i < 16; i++) {
                final int[] seg = i < 11 ? segment(b, pushed, i) : segment(b, pushed + 1, i - 11);
                assertEquals(0, seg[1], "whole pages: first_sect");
                assertEquals(7, seg[2], "whole pages: last_sect");
                grefs.add(seg[0]);
            }
            assertEquals(16, grefs.size(), "each page of the buffer once");
            final List<Request> reqs = b.requests();
            assertEquals(2, reqs.size());
            b.respond(reqs.get(1).id(), Blkif.BLKIF_OP_READ, Blkif.BLKIF_RSP_OKAY);
            assertEquals(List.of(), completions, "not complete with one part answered");
            assertEquals(0, buf.writerIndex());
            b.respond(reqs.get(0).id(), Blkif.BLKIF_OP_READ, Blkif.BLKIF_RSP_OKAY);
            assertEquals(List.of("null"), completions);
            assertEquals(65536, buf.writerIndex());
            assertNull(b.front.brokenReason());
            buf.release();
        }
    }

    /**
     * A start inside a page costs one more segment, as on the general path: the first part's
     * first segment starts at the sector the bytes do, the last part's last one ends where they end.
     */
    @Test
    void aLongerRequestStartingInsideAPageSpansOneMorePage() {
        try (RawBackend b = new RawBackend(BlkifAbi.X86_64)) {
            final ByteBuf buf = b.front.allocateBuffer(69632);
            buf.writerIndex(512);
            final int pushed = b.ringPage.buffer().getIntVolatile(SringHeader.REQ_PROD_OFFSET);
            final CompletableFuture<Void> f = b.front.read(0, 65536, buf);
            assertEquals(11, b.ringPage.buffer().getByte(slot(b, pushed) + 1));
            assertEquals(6, b.ringPage.buffer().getByte(slot(b, pushed + 1) + 1), "17 pages in all");
            assertEquals(1, segment(b, pushed, 0)[1], "starts at the second sector of its page");
            assertEquals(7, segment(b, pushed, 10)[2]);
            assertEquals(0, segment(b, pushed + 1, 0)[1]);
            assertEquals(0, segment(b, pushed + 1, 5)[2], "ends after the first sector of the 17th page");
            assertEquals((4096 - 512) / 512 + 10 * 8, b.ringPage.buffer().getLong(slot(b, pushed + 1) + b.abi.sectorOffset, ByteOrder.LITTLE_ENDIAN));
            final List<Request> reqs = b.requests();
            b.respond(reqs.get(0).id(), Blkif.BLKIF_OP_READ, Blkif.BLKIF_RSP_OKAY);
            b.respond(reqs.get(1).id(), Blkif.BLKIF_OP_READ, Blkif.BLKIF_RSP_OKAY);
            assertTrue(f.isDone() && !f.isCompletedExceptionally());
            assertEquals(512 + 65536, buf.writerIndex());
            buf.release();
        }
    }

    /**
     * A part answered ERROR fails the request, once, when the last part is answered; every id is
     * free again afterwards: a ring's worth of requests goes on the ring at once.
     */
    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void aFailedPartFailsTheRequestOnceAndFreesEveryId(final BlkifAbi abi) {
        try (RawBackend b = new RawBackend(abi)) {
            final ByteBuf buf = b.front.allocateBuffer(65536);
            buf.writeZero(65536);
            final List<String> completions = new java.util.ArrayList<>();
            b.front.write(0, buf, f -> completions.add(String.valueOf(f)));
            final List<Request> reqs = b.requests();
            assertEquals(2, reqs.size());
            b.respond(reqs.get(0).id(), Blkif.BLKIF_OP_WRITE, Blkif.BLKIF_RSP_ERROR);
            assertEquals(List.of(), completions, "told with the last answer");
            b.respond(reqs.get(1).id(), Blkif.BLKIF_OP_WRITE, Blkif.BLKIF_RSP_OKAY);
            assertEquals(1, completions.size());
            assertTrue(completions.get(0).contains("backend answered ERROR") && completions.get(0).contains("length=65536"), completions.get(0));
            assertNull(b.front.brokenReason());
            final int size = b.ring.size();
            final ByteBuf[] small = readPages(b, size, completions);
            final List<Request> all = b.requests();
            assertEquals(size, all.size(), "every id and slot free again");
            answerReads(b, all);
            assertEquals(1 + size, completions.size());
            release(small);
            buf.release();
        }
    }

    /**
     * A second answer under the first part's id, which holds the request until the last part is
     * answered, is not an outstanding request: the device breaks and the caller is told once.
     */
    @ParameterizedTest
    @EnumSource(BlkifAbi.class)
    void aSecondAnswerToAnAnsweredPartBreaksTheDeviceAndTellsTheCallerOnce(final BlkifAbi abi) {
        try (RawBackend b = new RawBackend(abi)) {
            final ByteBuf buf = b.front.allocateBuffer(65536);
            final List<String> completions = new java.util.ArrayList<>();
            b.front.read(0, 65536, buf, f -> completions.add(String.valueOf(f)));
            final List<Request> reqs = b.requests();
            b.respond(reqs.get(0).id(), Blkif.BLKIF_OP_READ, Blkif.BLKIF_RSP_OKAY);
            b.respond(reqs.get(0).id(), Blkif.BLKIF_OP_READ, Blkif.BLKIF_RSP_OKAY);
            final String broken = b.front.brokenReason();
            assertTrue(broken != null && broken.contains("is not an outstanding request"), String.valueOf(broken));
            assertEquals(1, completions.size());
            assertTrue(completions.get(0).contains("the device is broken"), completions.get(0));
            for (int i = 0; i < 4; i++) {
                b.front.doWork();
            }
            assertEquals(1, completions.size(), "once");
            assertEquals(0, buf.writerIndex(), "a failed read leaves the buffer as it was");
            buf.release();
        }
    }

    /**
     * A request whose parts do not all fit on the ring now takes the general path: it waits for
     * room and still completes once, after the requests before it.
     */
    @Test
    void aLongerRequestWithoutRoomOnTheRingTakesTheGeneralPath() {
        try (RawBackend b = new RawBackend(BlkifAbi.X86_64)) {
            final int size = b.ring.size();
            final List<String> completions = new java.util.ArrayList<>();
            final ByteBuf[] small = readPages(b, size - 1, completions);
            final ByteBuf big = b.front.allocateBuffer(65536);
            b.front.read(0, 65536, big, f -> completions.add("big " + f));
            final List<Request> reqs = b.requests();
            assertEquals(size, reqs.size(), "the small ones and the first fragment of the big one");
            answerReads(b, reqs);
            assertEquals(size - 1, completions.size(), "the big one waits for its second fragment");
            final List<Request> second = b.requests();
            assertEquals(1, second.size());
            answerReads(b, second);
            assertEquals("big null", completions.get(size - 1));
            assertEquals(65536, big.writerIndex());
            release(small);
            big.release();
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
