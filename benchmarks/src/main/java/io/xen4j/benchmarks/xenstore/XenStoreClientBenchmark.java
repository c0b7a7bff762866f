package io.xen4j.benchmarks.xenstore;

import io.xen4j.hal.memory.xenstore.XenstoreService;
import io.xen4j.hal.memory.xenstore.XenstoredSocketServer;
import io.xen4j.store.XenStoreClient;
import io.xen4j.store.transport.UnixSocketTransport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Round trips per second of the Java xenstore client over a Unix socket: blocking read and write
 * (one request at a time, as libxenstore's {@code xs_read}/{@code xs_write}), 64 requests in flight
 * on one connection, and 4 threads sharing one client. {@code -p socket=<path>} measures against
 * a running daemon (the one {@code run-xenstore-bench.sh} starts for both this and the C program);
 * with no socket the in-memory xenstored is started in the benchmark's JVM.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class XenStoreClientBenchmark {
    private static final byte[] VALUE = "value-0123456789".getBytes(StandardCharsets.US_ASCII);
    private static final int IN_FLIGHT = 64;

    /** Socket of a running xenstored; empty to start the in-memory one in this JVM. */
    @Param("")
    public String socket;

    private XenstoredSocketServer server;
    private XenStoreClient client;
    private String path;
    private final CompletableFuture<?>[] batch = new CompletableFuture<?>[IN_FLIGHT];

    /**
     * Connects and creates the node the loop reads and writes.
     *
     * @throws Exception if the daemon cannot be reached
     */
    @Setup(Level.Trial)
    public void connect() throws Exception {
        Path target;
        if (socket.isEmpty()) {
            final Path dir = Files.createTempDirectory("xs-bench");
            server = XenstoredSocketServer.start(new XenstoreService(), dir.resolve("socket"));
            target = server.path();
        } else {
            target = Path.of(socket);
        }
        client = XenStoreClient.connect(UnixSocketTransport.connect(target));
        path = "/xen4j-bench/java/" + ProcessHandle.current().pid();
        client.write(path, VALUE);
    }

    /** Closes the client and any server this JVM started. */
    @TearDown(Level.Trial)
    public void close() {
        client.rm(path);
        client.close();
        if (server != null) {
            server.close();
        }
    }

    /**
     * One blocking {@code XS_READ} round trip.
     *
     * @return the value
     */
    @Benchmark
    public byte[] read() {
        return client.readBytes(path);
    }

    /** One blocking {@code XS_WRITE} round trip. */
    @Benchmark
    public void write() {
        client.write(path, VALUE);
    }

    /** 64 {@code XS_READ} in flight on one connection, then all replies. */
    @Benchmark
    @OperationsPerInvocation(IN_FLIGHT)
    public void readInFlight64() {
        for (int i = 0; i < IN_FLIGHT; i++) {
            batch[i] = client.readBytesAsync(path);
        }
        CompletableFuture.allOf(batch).join();
    }

    /** 64 {@code XS_WRITE} in flight on one connection, then all replies. */
    @Benchmark
    @OperationsPerInvocation(IN_FLIGHT)
    public void writeInFlight64() {
        for (int i = 0; i < IN_FLIGHT; i++) {
            batch[i] = client.writeAsync(path, VALUE);
        }
        CompletableFuture.allOf(batch).join();
    }

    /**
     * Blocking reads from 4 threads sharing one client.
     *
     * @return the value
     */
    @Benchmark
    @Threads(4)
    public byte[] readThreads4() {
        return client.readBytes(path);
    }
}
