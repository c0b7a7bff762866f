package io.xen4j.examples;

import io.xen4j.abi.JvmFlags;
import io.xen4j.hal.memory.xenstore.XenstoreService;
import io.xen4j.hal.memory.xenstore.XenstoredSocketServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the in-memory xenstored of the simulated host on a Unix socket, so that the C tools
 * ({@code xenstore-read}, {@code xenstore-ls}, ...), libxenstore programs or the Java client can be
 * pointed at it with {@code XENSTORED_PATH}:
 *
 * <pre>{@code
 * java --add-exports java.base/jdk.internal.misc=org.agrona -p <module path> \
 *     -m io.xen4j.examples/io.xen4j.examples.XenstoredMain /tmp/xenstored.sock 3
 * XENSTORED_PATH=/tmp/xenstored.sock xenstore-ls -fp /local/domain
 * }</pre>
 *
 * <p>The store holds {@code /local/domain/0} and, for each simulated domain 1..N, the home the xl
 * toolstack would create. SIGINT or SIGTERM stops it: clients are disconnected and the socket file
 * is removed before the process exits.
 */
public final class XenstoredMain {
    /** Simulated domains created when the command line does not say. */
    static final int DEFAULT_DOMAINS = 3;

    private XenstoredMain() {
    }

    /**
     * Starts the daemon.
     *
     * @param args the socket path, then optionally the number of simulated domains (default 3)
     * @throws IOException          if the socket cannot be created
     * @throws InterruptedException if interrupted while serving
     */
    public static void main(final String[] args) throws IOException, InterruptedException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: XenstoredMain <socket-path> [number-of-simulated-domains, default "
                + DEFAULT_DOMAINS + "]");
            System.exit(2);
        }
        JvmFlags.requireAgronaAccess();
        final int domains;
        try {
            domains = args.length == 2 ? Integer.parseInt(args[1]) : DEFAULT_DOMAINS;
        } catch (final NumberFormatException e) {
            System.err.println("XenstoredMain: the number of simulated domains must be a number: " + args[1]);
            System.exit(2);
            return;
        }
        final XenstoredSocketServer server = start(Path.of(args[0]), domains, System.out);
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            System.out.println("xenstored: stopped, " + server.path() + " removed");
            stopped.countDown();
        }, "xenstored-shutdown"));
        stopped.await();
    }

    /**
     * Creates the store with dom0 and {@code domains} simulated domains and serves it.
     *
     * @param socket  where to create the socket
     * @param domains simulated domains 1..domains
     * @param out     where to print what runs
     * @return the running server
     * @throws IOException if the socket cannot be created
     */
    static XenstoredSocketServer start(final Path socket, final int domains, final PrintStream out)
        throws IOException {
        if (domains < 0 || domains > 1000) {
            throw new IllegalArgumentException("XenstoredMain: simulated domains must be 0..1000, not " + domains);
        }
        final XenstoreService service = new XenstoreService();
        service.run(core -> {
            core.createDomainHome(0, "Domain-0");
            for (int d = 1; d <= domains; d++) {
                core.introduceDomain(d);
                core.createDomainHome(d, "guest" + d);
            }
        });
        final XenstoredSocketServer server = XenstoredSocketServer.start(service, socket);
        out.println("xenstored: serving " + (domains + 1) + " domains on " + server.path());
        out.println("xenstored: try  XENSTORED_PATH=" + server.path() + " xenstore-ls -fp /local/domain");
        return server;
    }
}
