package io.xen4j.benchmarks.rings;

import io.xen4j.abi.blkif.Blkif;
import io.xen4j.abi.blkif.BlkifRequest;
import io.xen4j.abi.blkif.BlkifRequestSegment;
import io.xen4j.abi.blkif.BlkifResponse;
import io.xen4j.rings.BackRing;
import io.xen4j.rings.FrontRing;
import io.xen4j.rings.SlotCopy;
import io.xen4j.rings.SlotCopyHandler;
import io.xen4j.rings.SlotHandler;
import io.xen4j.rings.SlotView;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Round trips of blkif requests through a one-page {@link FrontRing}/{@link BackRing} pair: the
 * benchmark thread is the frontend, a second thread the backend, both unpinned. The C benchmark
 * {@code ring_bench.c} runs the same loops with the ring.h macros; {@code run-ring-bench.sh} runs
 * both and prints them side by side.
 *
 * <ul>
 *   <li>{@code busy}: both sides poll the indices; no event index is armed, nobody sleeps.</li>
 *   <li>{@code event}: the Xen event-suppression protocol with a real wake-up: a side that finds
 *       no work arms its event index ({@code finalCheckFor*}) and blocks in {@code read} on an
 *       eventfd; a push whose {@code *AndCheckNotify} says so writes the peer's eventfd (FFM).</li>
 * </ul>
 * Depth 1 is one request in flight; depth 32 fills the ring with 32 requests and waits for all
 * 32 responses (one operation is one round trip). {@code inline} runs the same three steps (send,
 * serve, receive) on the benchmark thread alone, with no second thread and no cache-line transfer
 * between CPUs: the CPU cost of the ring code per round trip, which a loaded machine disturbs far
 * less than two busy-polling threads that must both be on a CPU at once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 3, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RingRoundTripBenchmark {
    /** {@code busy} polling, {@code event}-driven, or {@code inline}: both sides on the benchmark thread. */
    @Param({"busy", "event", "inline"})
    public String mode;

    /**
     * How the backend copies a request out: {@code segments} (the default), the 24-byte header and
     * the first segment (32 bytes), then the rest of the {@code nr_segments} segments the header
     * names, if any ({@code SlotCopy}); {@code whole}, all
     * 112 bytes ({@code SlotHandler}, {@code RING_COPY_REQUEST} as written). Both read each shared
     * byte once; {@code run-ring-bench.sh} passes {@code COPY}.
     */
    @Param({"segments"})
    public String copy;

    private UnsafeBuffer ring;
    private FrontRing front;
    private BackRing back;
    private EventFd toBack;
    private EventFd toFront;
    private boolean event;
    private boolean inline;
    private Backend loop;
    private @Nullable Thread backend;
    private long nextId;
    private long expectedId;
    private long failures;
    private final SlotHandler onResponse = this::onResponse;

    /** Maps the ring and starts the backend thread. */
    @Setup(Level.Trial)
    public void setUp() {
        ring = new UnsafeBuffer(BufferUtil.allocateDirectAligned(4096, 4096));
        front = new FrontRing("bench.front", BlkifRequest.LENGTH, BlkifResponse.LENGTH).init(ring);
        back = new BackRing("bench.back", BlkifRequest.LENGTH, BlkifResponse.LENGTH).init(ring);
        event = mode.equals("event");
        inline = mode.equals("inline");
        toBack = new EventFd();
        toFront = new EventFd();
        if (!copy.equals("segments") && !copy.equals("whole")) {
            throw new IllegalArgumentException("copy=" + copy + ": segments or whole");
        }
        loop = new Backend(back, toBack, toFront, event, copy.equals("whole"));
        if (!inline) {
            backend = Thread.ofPlatform().name("ring-backend").daemon().start(loop::run);
        }
    }

    /** Stops the backend thread, if any, and checks that every response was the right one. */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        loop.running = false;
        final Thread thread = backend;
        if (thread != null) {
            toBack.signal();
            thread.join(10_000);
        }
        toBack.close();
        toFront.close();
        if (failures != 0 || front.isBroken() || back.isBroken()) {
            throw new IllegalStateException("failures=" + failures + " " + front.brokenReason() + back.brokenReason());
        }
    }

    /** The backend thread, for {@link RingAllocationCheck}; null in {@code inline} mode. */
    @Nullable Thread backendThread() {
        return backend;
    }

    private void onResponse(final DirectBuffer copy, final int index) {
        if (BlkifResponse.id(copy, 0) != expectedId++ || BlkifResponse.status(copy, 0) != Blkif.BLKIF_RSP_OKAY) {
            failures++;
        }
    }

    private void send(final int count) {
        for (int i = 0; i < count; i++) {
            final SlotView slot = Objects.requireNonNull(front.claimRequestSlot(), "ring full");
            slot.putByte(BlkifRequest.OPERATION_OFFSET, (byte) Blkif.BLKIF_OP_READ);
            slot.putByte(BlkifRequest.NR_SEGMENTS_OFFSET, (byte) 1);
            slot.putLong(BlkifRequest.ID_OFFSET, nextId);
            slot.putLong(BlkifRequest.SECTOR_NUMBER_OFFSET, nextId << 3);
            slot.putInt(BlkifRequest.SEG_OFFSET, (int) nextId);
            slot.putByte(BlkifRequest.SEG_OFFSET + 5, (byte) 7);
            nextId++;
        }
        if (event) {
            if (front.pushRequestsAndCheckNotify()) {
                toBack.signal();
            }
        } else {
            front.pushRequests();
        }
    }

    private void receive(final int count) {
        int received = 0;
        while (received < count) {
            final int got = front.pollResponses(onResponse, Integer.MAX_VALUE);
            received += got;
            if (got > 0) {
                continue;
            }
            if (event) {
                if (!front.finalCheckForResponses()) {
                    toFront.await();
                }
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * One request in flight.
     *
     * @return the next request id, so that nothing is dead code
     */
    @Benchmark
    public long depth1() {
        send(1);
        if (inline) {
            loop.serveAvailable();
        }
        receive(1);
        return nextId;
    }

    /**
     * 32 requests in flight: the whole one-page blkif ring.
     *
     * @return the next request id
     */
    @Benchmark
    @OperationsPerInvocation(32)
    public long depth32() {
        send(32);
        if (inline) {
            loop.serveAvailable();
        }
        receive(32);
        return nextId;
    }

    /**
     * The backend thread's loop: copy the header of each request and the segments it names (each
     * byte once), answer it, push. Its own object, so that
     * the flag it polls shares no cache line with the fields the frontend thread writes.
     */
    private static final class Backend {
        volatile boolean running = true;
        private final BackRing back;
        private final EventFd wakeMe;
        private final EventFd wakePeer;
        private final boolean event;
        private final boolean whole;
        /**
         * Bytes the ring copies before {@link #serve} runs: the header and one segment, the part
         * every valid request has (1 to 11 segments). With the header alone (24 bytes) every
         * request took a second, dependent copy of 8 bytes, and {@code RingCpuProbe} measured
         * about 3.5 ns more per round trip at depth 32 (round 7). A request with 0 segments, which
         * is answered with an error, has 8 bytes read that it does not use; each byte is still read
         * once (R2), and the C backend's {@code RING_COPY_REQUEST} copies all 112.
         */
        static final int PREFIX = BlkifRequest.SEG_OFFSET + BlkifRequestSegment.LENGTH;
        private final SlotCopyHandler serve = this::serve;
        private final SlotHandler serveWhole = this::serveWhole;

        Backend(final BackRing back, final EventFd wakeMe, final EventFd wakePeer,
            final boolean event, final boolean whole) {
            this.back = back;
            this.whole = whole;
            this.wakeMe = wakeMe;
            this.wakePeer = wakePeer;
            this.event = event;
        }

        /**
         * What blkback does with a request, on its private copy: the ring has copied the 24-byte
         * header and the first segment ({@link #PREFIX}); {@code nr_segments} is read from that copy
         * and checked (0 or more than 11 is answered with an error, as Linux's blkback does), then
         * the segments it names beyond the first are copied (none for a one-segment request). The
         * answer uses {@code id} and {@code operation} of the copy.
         */
        private void serve(final SlotCopy request) {
            final DirectBuffer copy = request.buffer();
            final int segments = BlkifRequest.nrSegments(copy, 0);
            final boolean valid = segments != 0 && segments <= Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST;
            if (valid) {
                request.copyUpTo(BlkifRequest.SEG_OFFSET + segments * BlkifRequestSegment.LENGTH);
            }
            final SlotView slot = Objects.requireNonNull(back.claimResponseSlot(), "no request to answer");
            slot.putLong(BlkifResponse.ID_OFFSET, BlkifRequest.id(copy, 0));
            slot.putByte(BlkifResponse.OPERATION_OFFSET, copy.getByte(BlkifRequest.OPERATION_OFFSET));
            slot.putShort(BlkifResponse.STATUS_OFFSET, (short) (valid ? Blkif.BLKIF_RSP_OKAY : Blkif.BLKIF_RSP_ERROR));
        }

        /** The whole request was copied; only {@code id} and {@code operation} are used. */
        private void serveWhole(final DirectBuffer request, final int index) {
            final SlotView slot = Objects.requireNonNull(back.claimResponseSlot(), "no request to answer");
            slot.putLong(BlkifResponse.ID_OFFSET, BlkifRequest.id(request, 0));
            slot.putByte(BlkifResponse.OPERATION_OFFSET, request.getByte(BlkifRequest.OPERATION_OFFSET));
            slot.putShort(BlkifResponse.STATUS_OFFSET, (short) Blkif.BLKIF_RSP_OKAY);
        }

        /** Answers every waiting request and pushes the responses; returns how many. */
        int serveAvailable() {
            final int served = whole
                ? back.pollRequests(serveWhole, Integer.MAX_VALUE)
                : back.pollRequests(serve, PREFIX, Integer.MAX_VALUE);
            if (served > 0) {
                if (event) {
                    if (back.pushResponsesAndCheckNotify()) {
                        wakePeer.signal();
                    }
                } else {
                    back.pushResponses();
                }
            }
            return served;
        }

        void run() {
            while (running) {
                if (serveAvailable() > 0) {
                    continue;
                }
                if (event) {
                    if (!back.finalCheckForRequests()) {
                        wakeMe.await();
                    }
                } else {
                    Thread.onSpinWait();
                }
            }
        }
    }
}
