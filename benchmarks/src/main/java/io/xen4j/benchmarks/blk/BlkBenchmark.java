package io.xen4j.benchmarks.blk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.xen4j.blk.BlkBack;
import io.xen4j.blk.BlkFront;
import io.xen4j.blk.BlkFrontConfig;
import io.xen4j.blk.spi.FileBlockStore;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import io.xen4j.blk.BlockCallback;
import io.xen4j.blk.BlockIoException;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.CompositeAgent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Block I/O through blkfront -> simulated host -> blkback -> file store, beside positional
 * {@link FileChannel} I/O on the same file in the same JVM (the limit): 4 KiB random reads, 64 KiB
 * sequential reads and writes, one request at a time. The file (64 MiB) is in the page cache
 * after the first pass, so both sides measure the software path, not the disk.
 *
 * <p>Two ways to run the drivers: {@code blkfront*} ("threaded") submits with the
 * {@code CompletableFuture} API and both agents run on their own thread with a backoff idle
 * strategy (a thread hand-off each way per request); {@code invoker*} submits with the callback
 * API and the benchmark thread itself drives both agents until the callback ran, as an
 * application that owns its event loop would (no hand-off): it calls each agent's {@code doWork}
 * in turn, blkfront's first ({@link SimulatedDisk#turn()}). An {@link AgentInvoker} over a
 * {@code CompositeAgent} of the two does the same turns with Agrona's dispatch around them, about
 * 20 ns more per request that is neither driver's; it drives the handshake.
 *
 * <p>The file store reads and writes the pages blkback maps with {@code pread}/{@code pwrite}
 * through FFM when native access is enabled (as in this benchmark's forks), which costs less per
 * call than a {@code FileChannel}; the {@code directPread*} rows make those same calls on the file
 * directly, so that the drivers' own share shows against an equal store call too.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class BlkBenchmark {
    private static final long DISK = 64L << 20;

    private Path file;
    private FileChannel direct;
    private Pread pread;
    private SimulatedDisk disk;
    private FileBlockStore store;
    private BlkifFloor floor;
    private BlkBack back;
    private BlkFront front;
    private AgentRunner runner;
    private final SplittableRandom random = new SplittableRandom(42);
    private final ByteBuf buf4k = Unpooled.directBuffer(4096);
    private final ByteBuf buf64k = Unpooled.directBuffer(65536);
    private final ByteBuffer bb4k = ByteBuffer.allocateDirect(4096);
    private final ByteBuffer bb64k = ByteBuffer.allocateDirect(65536);
    /** {@link #bb4k} and {@link #bb64k} as segments, made once, for the {@code pread} rows (as blkback keeps one per page). */
    private final MemorySegment seg4k = MemorySegment.ofBuffer(bb4k);
    private final MemorySegment seg64k = MemorySegment.ofBuffer(bb64k);
    /**
     * 64 KiB from a page boundary, as a granted buffer's pages and so every transfer blkback makes:
     * {@link #bb64k} starts wherever {@code malloc} put it (16 or 48 bytes past a cache line here),
     * and the kernel's copy of a 64 KiB read into a destination that starts on a cache line, as a
     * page does, measured a few percent slower (see README-blk).
     */
    private final ByteBuffer bb64kAligned = ByteBuffer.allocateDirect(65536 + 4096).alignedSlice(4096).slice(0, 65536);
    private long seqRead;
    private long seqWrite;

    private SimulatedDisk disk2;
    private BlkBack back2;
    private BlkFront front2;
    private AgentInvoker invoker;
    private final ByteBuf ibuf4k = Unpooled.directBuffer(4096);
    private final ByteBuf ibuf64k = Unpooled.directBuffer(65536);
    /** Buffers of the device ({@code allocateBuffer}): pages granted to the backend once, no copy on the front. */
    private ByteBuf gbuf4k;
    private ByteBuf gbuf64k;
    /** The invoker set-up on a third simulated host whose store moves no bytes: the drivers' own work. */
    private SimulatedDisk nullDisk;
    private AgentInvoker nullInvoker;
    private ByteBuf nullBuf4k;
    /** Most reads in flight of the queue-depth workloads: a one-page ring's 32 slots. */
    static final int MAX_DEPTH = 32;
    /** One buffer of the device per read in flight (each read sets its buffer's writer index). */
    private final ByteBuf[] gbufDepth = new ByteBuf[MAX_DEPTH];
    /** Reads of the current batch not completed yet. */
    private int inFlight;
    private BlockIoException batchFailure;
    private final BlockCallback onBatchDone = f -> {
        if (f != null && batchFailure == null) {
            batchFailure = f;
        }
        inFlight--;
    };
    /** Reads one {@link #grantedReadChain} run does, one after another. */
    static final int CHAIN = 16;
    /** Reads of the current chain not submitted yet. */
    private int chainLeft;
    /** Submits the chain's next read from the callback of the one before, until none is left. */
    private final BlockCallback onChainedDone = f -> {
        if (f != null) {
            failure = f;
            done = true;
        } else if (--chainLeft > 0) {
            gbuf4k.clear();
            front2.read(random4k(), 4096, gbuf4k, this.onChainedDone);
        } else {
            done = true;
        }
    };
    private boolean done;
    private BlockIoException failure;
    private final BlockCallback onDone = f -> {
        failure = f;
        done = true;
    };

    /**
     * Creates the file, the simulated host, both drivers, and connects them.
     *
     * @throws Exception on failure
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        file = Files.createTempFile("xen4j-blk-bench", ".img");
        store = FileBlockStore.create(file, DISK, 512);
        floor = new BlkifFloor(store);
        direct = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        pread = new Pread(file);
        final byte[] fill = new byte[1 << 20];
        random.nextBytes(fill);
        for (long at = 0; at < DISK; at += fill.length) {
            direct.write(ByteBuffer.wrap(fill), at);
        }
        disk = new SimulatedDisk(store, new BlkFrontConfig("x86_64-abi", 0, 0, true, 1));
        back = disk.back;
        front = disk.front;
        runner = new AgentRunner(new BackoffIdleStrategy(100, 10, 1_000, 50_000), Throwable::printStackTrace, null,
            new CompositeAgent(front, back));
        AgentRunner.startOnThread(runner);
        front.connected().get(30, TimeUnit.SECONDS);

        // The same on a second simulated host, driven by the benchmark thread.
        disk2 = new SimulatedDisk(store, new BlkFrontConfig("x86_64-abi", 0, indirectSegments(), true, 1));
        back2 = disk2.back;
        front2 = disk2.front;
        invoker = disk2.connectedInvoker();
        gbuf4k = front2.allocateBuffer(4096);
        gbuf64k = front2.allocateBuffer(65536);
        for (int i = 0; i < MAX_DEPTH; i++) {
            gbufDepth[i] = front2.allocateBuffer(4096);
        }
        nullDisk = new SimulatedDisk(new NullStore(DISK), new BlkFrontConfig("x86_64-abi", 0, 0, true, 1));
        nullInvoker = nullDisk.connectedInvoker();
        nullBuf4k = nullDisk.front.allocateBuffer(4096);
    }

    /**
     * The indirect segments the invoker set-ups offer: {@code -Dxen4j.blk.bench.indirect}, 0 (none) by
     * default (Linux's blkfront offers 32).
     *
     * @return the count
     */
    static int indirectSegments() {
        return Integer.getInteger("xen4j.blk.bench.indirect", 0);
    }

    /**
     * Reads and writes the file store made with {@code pread}/{@code pwrite} through FFM; 0 when
     * native access is not enabled (then it used its {@code FileChannel}).
     *
     * @return the count
     */
    long storeNativeTransfers() {
        return store.nativeTransfers();
    }

    /** Drives both agents on this thread until the callback ran. */
    private void awaitInvoker() {
        while (!done) {
            disk2.turn();
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /**
     * Stops everything and removes the file.
     *
     * @throws IOException on failure
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        runner.close();
        gbuf4k.release();
        gbuf64k.release();
        for (final ByteBuf b : gbufDepth) {
            b.release();
        }
        nullBuf4k.release();
        disk.close();
        invoker.close();
        disk2.close();
        nullInvoker.close();
        nullDisk.close();
        store.close();
        direct.close();
        pread.close();
        Files.deleteIfExists(file);
    }

    private long random4k() {
        return random.nextLong(DISK / 4096) * 4096;
    }

    /**
     * 4 KiB random read through blkfront.
     *
     * @return the buffer, so that the read is not eliminated
     */
    @Benchmark
    public ByteBuf blkfrontRead4kRandom() {
        buf4k.clear();
        front.read(random4k(), 4096, buf4k).join();
        return buf4k;
    }

    /**
     * 4 KiB random read through blkfront, callback API, agents driven by this thread.
     *
     * @return the buffer
     */
    @Benchmark
    public ByteBuf invokerRead4kRandom() {
        ibuf4k.clear();
        done = false;
        front2.read(random4k(), 4096, ibuf4k, onDone);
        awaitInvoker();
        return ibuf4k;
    }

    /**
     * 64 KiB sequential read through blkfront, callback API, agents driven by this thread.
     *
     * @return the buffer
     */
    @Benchmark
    public ByteBuf invokerRead64kSequential() {
        ibuf64k.clear();
        done = false;
        front2.read(seqRead, 65536, ibuf64k, onDone);
        awaitInvoker();
        seqRead = (seqRead + 65536) % DISK;
        return ibuf64k;
    }

    /**
     * 64 KiB sequential write through blkfront, callback API, agents driven by this thread.
     */
    @Benchmark
    public void invokerWrite64kSequential() {
        ibuf64k.clear().writerIndex(65536);
        done = false;
        front2.write(seqWrite, ibuf64k, onDone);
        awaitInvoker();
        seqWrite = (seqWrite + 65536) % DISK;
    }

    /**
     * 4 KiB random read through blkfront into a buffer of the device (granted pages, no copy on
     * the front), callback API, agents driven by this thread.
     *
     * @return the buffer
     */
    @Benchmark
    public ByteBuf invokerGrantedRead4kRandom() {
        gbuf4k.clear();
        done = false;
        front2.read(random4k(), 4096, gbuf4k, onDone);
        awaitInvoker();
        return gbuf4k;
    }

    /**
     * As {@link #invokerGrantedRead4kRandom()} on a simulated host whose store moves no bytes: what
     * is left is the drivers' own work per request (for {@link BlkAB}, not a JMH row).
     *
     * @return the buffer
     */
    ByteBuf nullRead4kRandom() {
        nullBuf4k.clear();
        done = false;
        nullDisk.front.read(random4k(), 4096, nullBuf4k, onDone);
        while (!done) {
            nullDisk.turn();
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        return nullBuf4k;
    }

    /**
     * 8 reads of 4 KiB at random places in flight at once, each into its own buffer of the device,
     * callback API, agents driven by this thread until all 8 completed (fio's iodepth=8 in
     * batches): the ring's push, notification checks and agent turns are shared by the batch.
     *
     * @return a buffer
     */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(8)
    public ByteBuf invokerGrantedRead4kRandomDepth8() {
        return grantedReadBatch(8);
    }

    /**
     * As {@link #invokerGrantedRead4kRandomDepth8()} with 32 reads in flight (a full one-page ring).
     *
     * @return a buffer
     */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(32)
    public ByteBuf invokerGrantedRead4kRandomDepth32() {
        return grantedReadBatch(32);
    }

    /**
     * {@value #CHAIN} granted 4 KiB random reads one after another, each submitted from the
     * callback of the one before (an application whose completion handler issues its next
     * request), agents driven by this thread until the last completed. One read is in flight at a
     * time, as in {@link #invokerGrantedRead4kRandom()}, but each goes onto the ring while blkfront's
     * turn completes the one before and is pushed by that same turn: two agent turns per read
     * instead of four.
     *
     * @return the buffer
     */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(CHAIN)
    public ByteBuf invokerGrantedRead4kRandomChained() {
        return grantedReadChain(CHAIN);
    }

    /**
     * Runs a workload by its short name {@code times} times, for {@link BlkAB}, which calls it
     * reflectively on two versions of the driver loaded side by side.
     *
     * @param workload direct4k, pread4k, floor4k, granted4k, invoker4k, qd8, qd32, chain4k, direct64kread,
     *                 pread64kread, granted64kread, direct64kwrite, pwrite64kwrite, granted64kwrite,
     *                 direct64kreadaligned, direct64kwritealigned or
     *                 null4k (granted 4 KiB reads from a store that moves no bytes: the drivers' own work)
     * @param times    how many runs
     * @return operations done (a queue-depth run is that many operations)
     * @throws Exception if a run fails
     */
    public long repeat(final String workload, final int times) throws Exception {
        long ops = times;
        for (int i = 0; i < times; i++) {
            switch (workload) {
                case "direct4k" -> directRead4kRandom();
                case "pread4k" -> directPread4kRandom();
                case "floor4k" -> floorRead4kRandom();
                case "granted4k" -> invokerGrantedRead4kRandom();
                case "null4k" -> nullRead4kRandom();
                case "invoker4k" -> invokerRead4kRandom();
                case "qd8" -> grantedReadBatch(8);
                case "qd32" -> grantedReadBatch(32);
                case "chain4k" -> grantedReadChain(CHAIN);
                case "direct64kread" -> directRead64kSequential();
                case "pread64kread" -> directPread64kSequential();
                case "granted64kread" -> invokerGrantedRead64kSequential();
                case "direct64kwrite" -> directWrite64kSequential();
                case "direct64kreadaligned" -> directRead64kSequentialAligned();
                case "direct64kwritealigned" -> directWrite64kSequentialAligned();
                case "pwrite64kwrite" -> directPwrite64kSequential();
                case "granted64kwrite" -> invokerGrantedWrite64kSequential();
                default -> throw new IllegalArgumentException("workload=" + workload);
            }
        }
        if (workload.startsWith("qd")) {
            ops *= Integer.parseInt(workload.substring(2));
        } else if (workload.equals("chain4k")) {
            ops *= CHAIN;
        }
        return ops;
    }

    /** Granted 4 KiB random reads, {@code length} of them, each submitted from the previous one's callback; drives the agents until the last is done. */
    ByteBuf grantedReadChain(final int length) {
        chainLeft = length;
        done = false;
        gbuf4k.clear();
        front2.read(random4k(), 4096, gbuf4k, onChainedDone);
        awaitInvoker();
        return gbuf4k;
    }

    /** Submits {@code depth} granted 4 KiB random reads, then drives the agents until all are done. */
    ByteBuf grantedReadBatch(final int depth) {
        inFlight = depth;
        for (int i = 0; i < depth; i++) {
            final ByteBuf b = gbufDepth[i];
            b.clear();
            front2.read(random4k(), 4096, b, onBatchDone);
        }
        while (inFlight > 0) {
            disk2.turn();
        }
        if (batchFailure != null) {
            throw new IllegalStateException(batchFailure);
        }
        return gbufDepth[0];
    }

    /**
     * 64 KiB sequential read into a buffer of the device, callback API, agents driven by this thread.
     *
     * @return the buffer
     */
    @Benchmark
    public ByteBuf invokerGrantedRead64kSequential() {
        gbuf64k.clear();
        done = false;
        front2.read(seqRead, 65536, gbuf64k, onDone);
        awaitInvoker();
        seqRead = (seqRead + 65536) % DISK;
        return gbuf64k;
    }

    /**
     * 64 KiB sequential write from a buffer of the device, callback API, agents driven by this thread.
     */
    @Benchmark
    public void invokerGrantedWrite64kSequential() {
        gbuf64k.clear().writerIndex(65536);
        done = false;
        front2.write(seqWrite, gbuf64k, onDone);
        awaitInvoker();
        seqWrite = (seqWrite + 65536) % DISK;
    }

    /**
     * 4 KiB random positional read of the file.
     *
     * @return the buffer
     * @throws IOException on failure
     */
    @Benchmark
    public ByteBuffer directRead4kRandom() throws IOException {
        bb4k.clear();
        direct.read(bb4k, random4k());
        return bb4k;
    }

    /**
     * 4 KiB random {@code pread} of the file through FFM, as the file store makes it.
     *
     * @return the buffer
     * @throws IOException on failure
     */
    @Benchmark
    public ByteBuffer directPread4kRandom() throws IOException {
        pread.read(seg4k, random4k());
        return bb4k;
    }

    /**
     * 4 KiB random read through {@link BlkifFloor} on the same file store: the least a blkif round
     * trip costs in Java (the floor under the granted depth-1 row).
     *
     * @return the page read into
     * @throws IOException on failure
     */
    @Benchmark
    public ByteBuffer floorRead4kRandom() throws IOException {
        return floor.read(random4k());
    }

    /**
     * 64 KiB sequential {@code pread} of the file through FFM, as the file store makes it.
     *
     * @return the buffer
     * @throws IOException on failure
     */
    @Benchmark
    public ByteBuffer directPread64kSequential() throws IOException {
        pread.read(seg64k, seqRead);
        seqRead = (seqRead + 65536) % DISK;
        return bb64k;
    }

    /**
     * 64 KiB sequential {@code pwrite} to the file through FFM, as the file store makes it.
     *
     * @return the buffer
     * @throws IOException on failure
     */
    @Benchmark
    public ByteBuffer directPwrite64kSequential() throws IOException {
        pread.write(seg64k, seqWrite);
        seqWrite = (seqWrite + 65536) % DISK;
        return bb64k;
    }

    /**
     * 64 KiB sequential read through blkfront.
     *
     * @return the buffer
     */
    @Benchmark
    public ByteBuf blkfrontRead64kSequential() {
        buf64k.clear();
        front.read(seqRead, 65536, buf64k).join();
        seqRead = (seqRead + 65536) % DISK;
        return buf64k;
    }

    /**
     * 64 KiB sequential positional read of the file.
     *
     * @return the buffer
     * @throws IOException on failure
     */
    @Benchmark
    public ByteBuffer directRead64kSequential() throws IOException {
        return directRead64k(bb64k);
    }

    /**
     * As {@link #directRead64kSequential()} into memory that starts at a page boundary, as the
     * granted rows' buffers do.
     *
     * @return the buffer
     * @throws IOException on failure
     */
    @Benchmark
    public ByteBuffer directRead64kSequentialAligned() throws IOException {
        return directRead64k(bb64kAligned);
    }

    /** The next 64 KiB of the file into {@code dst} with a positional {@code FileChannel} read. */
    private ByteBuffer directRead64k(final ByteBuffer dst) throws IOException {
        dst.clear();
        direct.read(dst, seqRead);
        seqRead = (seqRead + 65536) % DISK;
        return dst;
    }

    /**
     * As {@link #directWrite64kSequential()} from memory that starts at a page boundary, as the
     * granted rows' buffers do.
     *
     * @throws IOException on failure
     */
    @Benchmark
    public void directWrite64kSequentialAligned() throws IOException {
        directWrite64k(bb64kAligned);
    }

    /** {@code src}'s 64 KiB to the next 64 KiB of the file with a positional {@code FileChannel} write. */
    private void directWrite64k(final ByteBuffer src) throws IOException {
        src.clear();
        direct.write(src, seqWrite);
        seqWrite = (seqWrite + 65536) % DISK;
    }

    /**
     * 64 KiB sequential write through blkfront.
     */
    @Benchmark
    public void blkfrontWrite64kSequential() {
        buf64k.clear().writerIndex(65536);
        front.write(seqWrite, buf64k).join();
        seqWrite = (seqWrite + 65536) % DISK;
    }

    /**
     * 64 KiB sequential positional write of the file.
     *
     * @throws IOException on failure
     */
    @Benchmark
    public void directWrite64kSequential() throws IOException {
        directWrite64k(bb64k);
    }
}
