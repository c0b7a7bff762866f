package io.xen4j.store.transport;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;

/**
 * The Unix domain socket of xenstored, as dom0 tools use it: {@code /run/xenstored/socket}, or
 * the path in {@code XENSTORED_PATH}, or {@code $XENSTORED_RUNDIR/socket}, the same rules as
 * libxenstore.
 */
public final class UnixSocketTransport implements XsTransport {
    /** Where xenstored listens when nothing else is configured. */
    public static final Path DEFAULT_SOCKET = Path.of("/run/xenstored/socket");
    /** Environment variable that names the socket (or device) directly, as for libxenstore. */
    public static final String ENV_XENSTORED_PATH = "XENSTORED_PATH";
    /** Environment variable that names the directory holding {@code socket}. */
    public static final String ENV_XENSTORED_RUNDIR = "XENSTORED_RUNDIR";

    private final SocketChannel channel;
    private final Path path;
    private final String description;

    private UnixSocketTransport(final SocketChannel channel, final Path path) {
        this.channel = channel;
        this.path = path;
        this.description = "unix socket " + path;
    }

    /**
     * Connects to the socket at {@code path}.
     *
     * @param path the socket
     * @return the connected transport
     * @throws IOException if the connection fails; the message names the path
     */
    public static UnixSocketTransport connect(final Path path) throws IOException {
        final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(path));
        } catch (final IOException e) {
            channel.close();
            throw new IOException("cannot connect to xenstored at unix socket " + path + ": " + e.getMessage()
                + " (is xenstored running? set " + ENV_XENSTORED_PATH + " to its socket)", e);
        }
        return new UnixSocketTransport(channel, path);
    }

    /**
     * Connects to the socket the environment names, see {@link #socketPath(Map)}.
     *
     * @return the connected transport
     * @throws IOException if the connection fails
     */
    public static UnixSocketTransport connectDefault() throws IOException {
        return connect(socketPath(System.getenv()));
    }

    /**
     * The socket path libxenstore would use: {@code XENSTORED_PATH}, else
     * {@code $XENSTORED_RUNDIR/socket}, else {@link #DEFAULT_SOCKET}.
     *
     * @param env the environment
     * @return the path
     */
    public static Path socketPath(final Map<String, String> env) {
        final String direct = env.get(ENV_XENSTORED_PATH);
        if (direct != null && !direct.isEmpty()) {
            return Path.of(direct);
        }
        final String rundir = env.get(ENV_XENSTORED_RUNDIR);
        if (rundir != null && !rundir.isEmpty()) {
            return Path.of(rundir, "socket");
        }
        return DEFAULT_SOCKET;
    }

    /**
     * The socket path.
     *
     * @return the path connected to
     */
    public Path path() {
        return path;
    }

    @Override
    public void send(final ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    @Override
    public int receive(final ByteBuffer dst) throws IOException {
        int n;
        do {
            n = channel.read(dst);
        } while (n == 0);
        return n;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
