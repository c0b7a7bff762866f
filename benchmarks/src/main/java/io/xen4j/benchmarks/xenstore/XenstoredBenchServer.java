package io.xen4j.benchmarks.xenstore;

import io.xen4j.hal.memory.xenstore.XenstoreService;
import io.xen4j.hal.memory.xenstore.XenstoredSocketServer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The server of the xenstore benchmark: the in-memory xenstored on a Unix socket, in its own
 * process, so that the C program and the Java client measure against the same daemon over the
 * same socket. Stops on SIGINT/SIGTERM.
 *
 * <pre>{@code java -cp benchmarks.jar io.xen4j.benchmarks.xenstore.XenstoredBenchServer /tmp/xs/socket}</pre>
 */
public final class XenstoredBenchServer {
    private XenstoredBenchServer() {
    }

    /**
     * Serves until the process is stopped.
     *
     * @param args the socket path
     * @throws Exception if the socket cannot be bound
     */
    public static void main(final String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: XenstoredBenchServer <socket-path>");
            System.exit(2);
        }
        final XenstoredSocketServer server = XenstoredSocketServer.start(new XenstoreService(), Path.of(args[0]));
        final CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stop.countDown();
        }));
        System.out.println("xenstored (in-memory) serving " + server.path());
        stop.await();
    }
}
