package io.xen4j.benchmarks.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.xen4j.benchmarks.SimulatedGuest;
import io.xen4j.net.FrameHandler;
import io.xen4j.net.Macs;
import io.xen4j.net.NetBack;
import io.xen4j.net.NetBackConfig;
import io.xen4j.net.NetFront;
import io.xen4j.net.NetFrontConfig;
import io.xen4j.net.Offload;
import io.xen4j.net.spi.PacketPort;
import io.xen4j.xenbus.DevicePaths;
import io.xen4j.xenbus.XenbusToolstack;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * Frames per second through netfront -> simulated host -> netback -> an in-memory port that
 * counts them, beside the copy limit: a {@code memcpy}-class copy of the same frames in the same
 * JVM. Each invocation sends a burst of 64 frames and polls both agents on the benchmark thread
 * until the port has them all, so the figure is frames per second of one queue pair with no
 * thread hand-off. Each iteration also prints the benchmark thread's CPU time per frame
 * ({@code cpu-ns-per-frame}), which a loaded machine moves much less than the rate.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class NetBenchmark {
    private static final int BURST = 64;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Frame size in bytes. */
    @Param({"64", "1500"})
    public int size;

    private SimulatedGuest sim;
    private NetBack back;
    private NetFront front;
    private ByteBuf frame;
    private ByteBuf copyTarget;
    private final CountingPort port = new CountingPort();
    private long iterationCpu;
    private long iterationFrames;

    /** A port that counts what the guest sends. */
    static final class CountingPort implements PacketPort {
        long frames;
        long bytes;

        @Override
        public boolean transmit(final ByteBuf f, final Offload offload) {
            frames++;
            bytes += f.readableBytes();
            return true;
        }

        @Override
        public int receive(final FrameHandler handler, final int limit) {
            return 0;
        }

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public void close() {
        }
    }

    /**
     * Creates the host, both drivers, and connects them.
     *
     * @throws Exception on failure
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        sim = new SimulatedGuest();
        final DevicePaths device = new DevicePaths("vif", sim.guest.domid(), 0, 0);
        new XenbusToolstack(sim.dom0).createDevice(device, Map.of("mac", Macs.format(0x00163E000001L)), Map.of());
        back = new NetBack(sim.xen.dom0().host(), sim.dom0, device, port, NetBackConfig.full());
        front = new NetFront(sim.guest.host(), sim.domU, device, new NetFrontConfig(1, true, true, true, true, true, false, false, 4096),
            (f, o) -> { });
        back.start();
        front.start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!front.isConnected() && System.nanoTime() < deadline) {
            back.doWork();
            front.doWork();
        }
        if (!front.isConnected()) {
            throw new IllegalStateException("netfront did not connect: " + front.brokenReason());
        }
        frame = Unpooled.directBuffer(size).writeZero(size);
        frame.setShort(12, 0x88B5);
        copyTarget = Unpooled.directBuffer(size * BURST);
    }

    /** Notes the benchmark thread's CPU time at the start of an iteration. */
    @Setup(Level.Iteration)
    public void startIteration() {
        iterationFrames = port.frames;
        iterationCpu = THREADS.getCurrentThreadCpuTime();
    }

    /**
     * Prints the benchmark thread's CPU time per frame over the iteration (both agents run on
     * it): on a shared machine this moves far less with the load than frames per second do.
     */
    @TearDown(Level.Iteration)
    public void endIteration() {
        final long frames = port.frames - iterationFrames;
        if (frames > 0) {
            final long cpu = THREADS.getCurrentThreadCpuTime() - iterationCpu;
            System.out.printf("cpu-ns-per-frame size=%d %.1f (%d frames)%n", size, (double) cpu / frames, frames);
        }
    }

    /** Closes both drivers and the host. */
    @TearDown(Level.Trial)
    public void tearDown() {
        front.close();
        back.close();
        sim.close();
    }

    /**
     * A burst of frames through the whole path.
     *
     * @return frames the port counted (kept live)
     */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public long netfrontToPort() {
        final long target = port.frames + BURST;
        for (int i = 0; i < BURST; i++) {
            front.send(frame, Offload.NONE);
        }
        while (port.frames < target) {
            front.doWork();
            back.doWork();
        }
        return port.frames;
    }

    /**
     * The copy limit: the same frames copied once each.
     *
     * @return the target's writer index (kept live)
     */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public int memcpy() {
        copyTarget.clear();
        for (int i = 0; i < BURST; i++) {
            copyTarget.writeBytes(frame, 0, size);
        }
        return copyTarget.writerIndex();
    }
}
