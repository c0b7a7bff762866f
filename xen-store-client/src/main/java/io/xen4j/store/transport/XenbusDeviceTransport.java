package io.xen4j.store.transport;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.Map;

/**
 * The xenbus device of a Linux domain ({@code /dev/xen/xenbus}): the kernel relays the messages
 * written to it over the domain's own ring and hands the replies and watch events back to reads,
 * with the caller's request ids. Plain file reads and writes, no ioctl.
 *
 * <p>The kernel takes one message per write, so {@link #send} writes each message whole.
 */
public final class XenbusDeviceTransport implements XsTransport {
    /** The device of current Linux kernels. */
    public static final Path DEFAULT_DEVICE = Path.of("/dev/xen/xenbus");
    /** The device of old Linux kernels, used when {@link #DEFAULT_DEVICE} does not exist. */
    public static final Path LEGACY_DEVICE = Path.of("/proc/xen/xenbus");

    private final ReadableByteChannel in;
    private final WritableByteChannel out;
    private final String description;

    private XenbusDeviceTransport(final ReadableByteChannel in, final WritableByteChannel out, final String description) {
        this.in = in;
        this.out = out;
        this.description = description;
    }

    /**
     * Opens the device at {@code path} for reading and writing.
     *
     * @param path the device, normally {@link #DEFAULT_DEVICE}
     * @return the transport
     * @throws IOException if it cannot be opened; the message names the path
     */
    public static XenbusDeviceTransport open(final Path path) throws IOException {
        final RandomAccessFile file;
        try {
            // "rw" would create a missing path as a plain file.
            if (!java.nio.file.Files.exists(path)) {
                throw new java.nio.file.NoSuchFileException(path.toString());
            }
            file = new RandomAccessFile(path.toFile(), "rw");
        } catch (final IOException e) {
            throw new IOException("cannot open xenbus device " + path + ": " + e + " (is this a Xen domain with"
                + " the xenfs/xen-xenbus driver loaded, and may this user open it?)", e);
        }
        // One open file (the kernel answers on the file that asked), two paths into it: a
        // FileChannel's read and write share one lock, so a reader blocked waiting for a reply
        // would hold every request back (found inside dom0 on real Xen). Reads go through the
        // channel, whose close wakes a blocked reader; writes go through the file itself.
        final FileChannel channel = file.getChannel();
        return new XenbusDeviceTransport(channel, new FileWriter(file, channel), "xenbus device " + path);
    }

    /** Whole-message writes on the file, outside the channel's lock. */
    private static final class FileWriter implements WritableByteChannel {
        private final RandomAccessFile file;
        private final FileChannel channel;

        FileWriter(final RandomAccessFile file, final FileChannel channel) {
            this.file = file;
            this.channel = channel;
        }

        @Override
        public int write(final ByteBuffer src) throws IOException {
            final byte[] bytes = new byte[src.remaining()];
            src.get(bytes);
            // One write(2) for the whole message: the kernel takes one message per write.
            file.write(bytes);
            return bytes.length;
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }

    /**
     * Opens the device libxenstore would use: {@code XENSTORED_PATH}, else {@link #DEFAULT_DEVICE}
     * if it exists, else {@link #LEGACY_DEVICE}.
     *
     * @return the transport
     * @throws IOException if it cannot be opened
     */
    public static XenbusDeviceTransport openDefault() throws IOException {
        return open(devicePath(System.getenv()));
    }

    /**
     * The device path libxenstore would use.
     *
     * @param env the environment
     * @return the path
     */
    public static Path devicePath(final Map<String, String> env) {
        final String direct = env.get(UnixSocketTransport.ENV_XENSTORED_PATH);
        if (direct != null && !direct.isEmpty()) {
            return Path.of(direct);
        }
        return java.nio.file.Files.exists(DEFAULT_DEVICE) ? DEFAULT_DEVICE : LEGACY_DEVICE;
    }

    /**
     * A transport over two channels that behave as the device does, for emulators and tests:
     * replies are read from {@code in}, requests written to {@code out} (for example two named
     * pipes).
     *
     * @param in          where replies and watch events come from
     * @param out         where requests go, one whole message per write
     * @param description what it is, for messages
     * @return the transport
     */
    public static XenbusDeviceTransport of(final ReadableByteChannel in, final WritableByteChannel out,
        final String description) {
        return new XenbusDeviceTransport(in, out, description);
    }

    @Override
    public void send(final ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }

    @Override
    public int receive(final ByteBuffer dst) throws IOException {
        int n;
        do {
            n = in.read(dst);
        } while (n == 0);
        return n;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() throws IOException {
        try {
            in.close();
        } finally {
            out.close();
        }
    }
}
