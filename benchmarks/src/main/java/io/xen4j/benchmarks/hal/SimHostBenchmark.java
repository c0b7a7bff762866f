package io.xen4j.benchmarks.hal;

import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.GrantCopyBatch;
import io.xen4j.hal.api.GrantTables;
import io.xen4j.hal.api.MappedGrants;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
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
 * The simulated host's hot calls as the blk and net benchmarks make them, one at a time, in
 * nanoseconds per call:
 *
 * <ul>
 *   <li>{@code copy16SamePage}: netback's transmit batch, 16 grant-to-local segments of 64 bytes
 *   packed into one page the guest granted (frames packed into a persistent grant);</li>
 *   <li>{@code copy16Pages}: 16 segments of 64 bytes, one per granted page of an 8-page share
 *   (two rounds over it), so no two neighbours share a reference;</li>
 *   <li>{@code copyPage}: one 4 KiB grant-to-local segment (blkback's bounce of a write);</li>
 *   <li>{@code mapUnmap1} and {@code mapUnmap11}: blkback's per-request map of a one-segment and
 *   an 11-segment request (without persistent grants), then the unmap;</li>
 *   <li>{@code notifyPoll}: one notification from the guest to dom0 and its delivery by
 *   {@code poll} (with the unmask the handler does), as a driver's event round trip;</li>
 *   <li>{@code pollEmpty}: a poll that finds nothing, as an idle agent makes.</li>
 * </ul>
 *
 * <p>On a loaded machine the wall-clock figures move with everyone else's work; {@link #main}
 * measures the same calls in CPU time of the calling thread instead (as {@code BlkCpuRatio}
 * does), which compares two versions of the simulated host far more steadily.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SimHostBenchmark {
    private static final int SEGMENTS = 16;
    private static final int SMALL = 64;

    private SimulatedXen xen;
    private XenHost dom0;
    private XenHost guest;
    private SharedPages share;
    private GrantCopyBatch samePage;
    private GrantCopyBatch pages;
    private GrantCopyBatch onePage;
    private int[] refs1;
    private int[] refs11;
    private EventChannel guestPort;
    private long events;

    /**
     * Creates dom0 and a guest that shares 11 writable pages with dom0, and an event channel
     * between them.
     */
    @Setup(Level.Trial)
    public void setUp() {
        xen = SimulatedXen.create();
        final SimulatedDomain domU = xen.createDomain("guest");
        dom0 = xen.dom0().host();
        guest = domU.host();
        share = guest.grantTables().share(0, 11, true);
        final UnsafeBuffer staging = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(SEGMENTS * GrantTables.PAGE_SIZE));
        samePage = new GrantCopyBatch(SEGMENTS);
        pages = new GrantCopyBatch(SEGMENTS);
        for (int i = 0; i < SEGMENTS; i++) {
            samePage.addGrantToLocal(domU.domid(), share.grantRef(0), i * SMALL, staging, i * GrantTables.PAGE_SIZE, SMALL);
            pages.addGrantToLocal(domU.domid(), share.grantRef(i % 8), 128, staging, i * GrantTables.PAGE_SIZE, SMALL);
        }
        onePage = new GrantCopyBatch(1);
        onePage.addGrantToLocal(domU.domid(), share.grantRef(9), 0, staging, 0, GrantTables.PAGE_SIZE);
        refs1 = new int[] {share.grantRef(0)};
        refs11 = new int[11];
        for (int i = 0; i < 11; i++) {
            refs11[i] = share.grantRef(i);
        }
        final EventChannel backPort = dom0.eventChannels().allocateUnbound(domU.domid(), ch -> {
            events++;
            ch.unmask();
        });
        guestPort = guest.eventChannels().bindInterdomain(0, backPort.localPort(), ch -> ch.unmask());
        dom0.eventChannels().poll(16);
        guest.eventChannels().poll(16);
    }

    /** Closes the host. */
    @TearDown(Level.Trial)
    public void tearDown() {
        xen.close();
    }

    /**
     * Sixteen 64-byte segments of one granted page.
     *
     * @return the last status (kept live)
     */
    @Benchmark
    public int copy16SamePage() {
        dom0.grantTables().copy(samePage);
        return samePage.status(SEGMENTS - 1);
    }

    /**
     * Sixteen 64-byte segments, each of another granted page than its neighbours.
     *
     * @return the last status (kept live)
     */
    @Benchmark
    public int copy16Pages() {
        dom0.grantTables().copy(pages);
        return pages.status(SEGMENTS - 1);
    }

    /**
     * One whole granted page.
     *
     * @return the status (kept live)
     */
    @Benchmark
    public int copyPage() {
        dom0.grantTables().copy(onePage);
        return onePage.status(0);
    }

    /**
     * Maps one granted page and unmaps it.
     *
     * @return the page count (kept live)
     */
    @Benchmark
    public int mapUnmap1() {
        final MappedGrants m = dom0.grantTables().map(guest.domid(), refs1, true);
        final int n = m.pageCount();
        m.close();
        return n;
    }

    /**
     * Maps eleven granted pages and unmaps them.
     *
     * @return the page count (kept live)
     */
    @Benchmark
    public int mapUnmap11() {
        final MappedGrants m = dom0.grantTables().map(guest.domid(), refs11, true);
        final int n = m.pageCount();
        m.close();
        return n;
    }

    /**
     * A notification and its delivery.
     *
     * @return the events seen (kept live)
     */
    @Benchmark
    public long notifyPoll() {
        guestPort.notifyPeer();
        dom0.eventChannels().poll(16);
        return events;
    }

    /**
     * Nanoseconds of the thread's CPU time per call of each workload: {@code rounds} rounds (after
     * two of warm-up) of {@code sliceMillis} per workload, interleaved; prints the median and the
     * range over the rounds.
     *
     * @param args rounds (default 10) and slice in milliseconds (default 250)
     */
    public static void main(final String[] args) {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        final long slice = TimeUnit.MILLISECONDS.toNanos(args.length > 1 ? Long.parseLong(args[1]) : 250);
        final SimHostBenchmark b = new SimHostBenchmark();
        b.setUp();
        final String[] names = {"copy16SamePage", "copy16Pages", "copyPage", "mapUnmap1", "mapUnmap11", "notifyPoll", "pollEmpty"};
        final java.util.function.LongSupplier[] ops = {
            b::copy16SamePage, b::copy16Pages, b::copyPage, b::mapUnmap1, b::mapUnmap11, b::notifyPoll, b::pollEmpty,
        };
        final java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        final double[][] nsPerOp = new double[names.length][rounds];
        long sink = 0;
        for (int r = -2; r < rounds; r++) {
            for (int w = 0; w < ops.length; w++) {
                final long wallEnd = System.nanoTime() + slice;
                final long cpu0 = cpu.getCurrentThreadCpuTime();
                long n = 0;
                while (System.nanoTime() < wallEnd) {
                    for (int k = 0; k < 64; k++) {
                        sink += ops[w].getAsLong();
                    }
                    n += 64;
                }
                if (r >= 0) {
                    nsPerOp[w][r] = (double) (cpu.getCurrentThreadCpuTime() - cpu0) / n;
                }
            }
        }
        b.tearDown();
        for (int w = 0; w < names.length; w++) {
            final double[] v = nsPerOp[w].clone();
            java.util.Arrays.sort(v);
            final double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
            System.out.printf("%-16s CPU ns/op median %8.1f  range %8.1f .. %8.1f%n", names[w], median, v[0], v[v.length - 1]);
        }
        System.out.println("(sink " + (sink & 1) + ")");
    }

    /**
     * A poll with nothing pending.
     *
     * @return the events delivered (0)
     */
    @Benchmark
    public int pollEmpty() {
        return dom0.eventChannels().poll(16);
    }
}
