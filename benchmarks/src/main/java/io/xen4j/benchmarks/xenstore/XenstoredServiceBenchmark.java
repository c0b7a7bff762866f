package io.xen4j.benchmarks.xenstore;

import io.xen4j.hal.memory.xenstore.XenstoreService;
import io.xen4j.store.wire.XsMessage;
import io.xen4j.store.wire.XsRequests;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
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
 * The in-memory xenstored's own operations per second, without a socket: requests go to an
 * in-process connection and the reply comes back on the same thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class XenstoredServiceBenchmark {
    private static final byte[] VALUE = "value-0123456789".getBytes(StandardCharsets.US_ASCII);
    private static final String PATH = "/xen4j-bench/server/node";

    private XenstoreService service;
    private XenstoreService.InProcessConnection connection;
    private XsMessage last;
    private int reqId;

    /** Starts the daemon and creates the node. */
    @Setup(Level.Trial)
    public void start() {
        service = new XenstoreService();
        connection = service.connect(0, reply -> last = reply);
        connection.send(XsRequests.write(reqId++, 0, PATH, VALUE));
    }

    /** Disconnects. */
    @TearDown(Level.Trial)
    public void stop() {
        connection.close();
    }

    /**
     * One {@code XS_READ} handled by the daemon.
     *
     * @return the reply
     */
    @Benchmark
    public XsMessage read() {
        connection.send(XsRequests.read(reqId++, 0, PATH));
        return last;
    }

    /**
     * One {@code XS_WRITE} handled by the daemon.
     *
     * @return the reply
     */
    @Benchmark
    public XsMessage write() {
        connection.send(XsRequests.write(reqId++, 0, PATH, VALUE));
        return last;
    }
}
