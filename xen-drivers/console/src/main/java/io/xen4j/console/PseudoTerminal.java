package io.xen4j.console;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A pseudo-terminal opened as xenconsoled opens one per console: {@code posix_openpt},
 * {@code grantpt}, {@code unlockpt}, {@code ptsname_r} through the Foreign Function and Memory
 * API, the slave switched to raw mode ({@code cfmakeraw}: no echo, no line editing, so guest
 * output is never echoed back as input) and kept open by this side, so that the master never reads
 * {@code EIO} while no terminal program is attached. The master is non-blocking: reads and writes
 * return 0 when they would block.
 *
 * <p>Needs Linux with {@code /dev/ptmx} (a container may lack it) and native access for this module
 * ({@code --enable-native-access=io.xen4j.console}, or {@code ALL-UNNAMED} on the class path).
 * {@link #unavailableReason()} says beforehand whether it can work.
 */
public final class PseudoTerminal implements AutoCloseable {
    private static final int O_RDWR = 2;
    private static final int O_NOCTTY = 0x100;
    private static final int O_NONBLOCK = 0x800;
    private static final int O_CLOEXEC = 0x80000;
    private static final int TCSANOW = 0;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    /** Bytes of one native read or write: larger requests are split. */
    private static final int IO_CHUNK = 4096;

    private final int master;
    private final int slave;
    private final String path;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment io = arena.allocate(IO_CHUNK);
    private final MemorySegment capture = arena.allocate(Native.CAPTURE);
    private boolean closed;

    private PseudoTerminal(final int master, final int slave, final String path) {
        this.master = master;
        this.slave = slave;
        this.path = path;
    }

    /**
     * Why pseudo-terminals cannot be opened here, or null when they can.
     *
     * @return a reason naming what is missing, or null
     */
    public static @Nullable String unavailableReason() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return "not Linux (os.name=" + System.getProperty("os.name") + ")";
        }
        final Path ptmx = Path.of("/dev/ptmx");
        if (!Files.exists(ptmx)) {
            return "/dev/ptmx does not exist (no devpts mounted, as in some containers)";
        }
        if (!Files.isReadable(ptmx) || !Files.isWritable(ptmx)) {
            return "/dev/ptmx is not readable and writable by this user";
        }
        return null;
    }

    /**
     * Opens a pseudo-terminal.
     *
     * @return the terminal
     * @throws IOException naming the failed call and errno, or why the machine has none
     */
    public static PseudoTerminal open() throws IOException {
        final @Nullable String why = unavailableReason();
        if (why != null) {
            throw new IOException("pseudo-terminal: " + why);
        }
        try (Arena a = Arena.ofConfined()) {
            final MemorySegment cap = a.allocate(Native.CAPTURE);
            final int m = (int) Native.POSIX_OPENPT.invokeExact(cap, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
            if (m < 0) {
                throw failure("posix_openpt(/dev/ptmx)", cap);
            }
            try {
                if ((int) Native.GRANTPT.invokeExact(cap, m) != 0) {
                    throw failure("grantpt(fd " + m + ")", cap);
                }
                if ((int) Native.UNLOCKPT.invokeExact(cap, m) != 0) {
                    throw failure("unlockpt(fd " + m + ")", cap);
                }
                final MemorySegment name = a.allocate(128);
                final int r = (int) Native.PTSNAME_R.invokeExact(cap, m, name, 128L);
                if (r != 0) {
                    throw new IOException("pseudo-terminal: ptsname_r(fd " + m + ") failed: errno " + r);
                }
                final String path = name.getString(0, StandardCharsets.US_ASCII);
                final int s = (int) Native.OPEN.invokeExact(cap, a.allocateFrom(path), O_RDWR | O_NOCTTY | O_CLOEXEC, 0);
                if (s < 0) {
                    throw failure("open(" + path + ")", cap);
                }
                final MemorySegment termios = a.allocate(256);
                if ((int) Native.TCGETATTR.invokeExact(cap, s, termios) != 0) {
                    final IOException e = failure("tcgetattr(" + path + ")", cap);
                    final int unusedRc = (int) Native.CLOSE.invokeExact(cap, s);
                    throw e;
                }
                Native.CFMAKERAW.invokeExact(termios);
                if ((int) Native.TCSETATTR.invokeExact(cap, s, TCSANOW, termios) != 0) {
                    final IOException e = failure("tcsetattr(" + path + ", raw)", cap);
                    final int unusedRc = (int) Native.CLOSE.invokeExact(cap, s);
                    throw e;
                }
                return new PseudoTerminal(m, s, path);
            } catch (final IOException | RuntimeException e) {
                final int unusedRc = (int) Native.CLOSE.invokeExact(cap, m);
                throw e;
            }
        } catch (final IOException e) {
            throw e;
        } catch (final IllegalCallerException e) {
            throw new IOException("pseudo-terminal: native access is disabled for " + PseudoTerminal.class.getModule()
                + ": run with --enable-native-access=io.xen4j.console (ALL-UNNAMED on the class path)", e);
        } catch (final Throwable t) {
            throw new IOException("pseudo-terminal: native call failed: " + t, t);
        }
    }

    /**
     * The slave's path, for a terminal program ({@code screen /dev/pts/3}) and for the {@code tty} node.
     *
     * @return for example {@code /dev/pts/3}
     */
    public String path() {
        return path;
    }

    /**
     * Writes to the master (what a program on the slave reads), without blocking.
     *
     * @param b   the bytes
     * @param off the first byte
     * @param len how many
     * @return bytes written; 0 when the terminal's buffer is full
     * @throws IOException naming the terminal and errno
     */
    public synchronized int write(final byte[] b, final int off, final int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        checkOpen();
        int done = 0;
        while (done < len) {
            final int n = Math.min(IO_CHUNK, len - done);
            MemorySegment.copy(b, off + done, io, JAVA_BYTE_LAYOUT, 0, n);
            final long w = call(Native.WRITE, n);
            if (w == -EAGAIN) {
                break;
            }
            if (w < 0) {
                throw new IOException("pseudo-terminal " + path + ": write failed: errno " + -w);
            }
            done += (int) w;
            if (w < n) {
                break;
            }
        }
        return done;
    }

    /**
     * Reads from the master (what a program on the slave wrote), without blocking.
     *
     * @param b   where the bytes go
     * @param off the first byte
     * @param len the most bytes
     * @return bytes read; 0 when there are none
     * @throws IOException naming the terminal and errno
     */
    public synchronized int read(final byte[] b, final int off, final int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        checkOpen();
        if (len == 0) {
            return 0;
        }
        final long r = call(Native.READ, Math.min(IO_CHUNK, len));
        if (r == -EAGAIN) {
            return 0;
        }
        if (r < 0) {
            throw new IOException("pseudo-terminal " + path + ": read failed: errno " + -r);
        }
        MemorySegment.copy(io, JAVA_BYTE_LAYOUT, 0, b, off, (int) r);
        return (int) r;
    }

    private long call(final MethodHandle rw, final int n) throws IOException {
        try {
            while (true) {
                final long r = (long) rw.invokeExact(capture, master, io, (long) n);
                if (r >= 0) {
                    return r;
                }
                final int errno = (int) Native.ERRNO.get(capture, 0L);
                if (errno != EINTR) {
                    return -errno;
                }
            }
        } catch (final RuntimeException | Error e) {
            throw e;
        } catch (final Throwable t) {
            throw new IOException("pseudo-terminal " + path + ": native call failed: " + t, t);
        }
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("pseudo-terminal " + path + " is closed");
        }
    }

    /** Closes both ends; a program on the slave sees a hang-up. Closing twice is harmless. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            final int unusedSlave = (int) Native.CLOSE.invokeExact(capture, slave);
            final int unusedMaster = (int) Native.CLOSE.invokeExact(capture, master);
        } catch (final Throwable t) {
            // Nothing useful to do: the descriptors are gone with the process at the latest.
        }
        arena.close();
    }

    private static IOException failure(final String call, final MemorySegment cap) {
        final int errno = (int) Native.ERRNO.get(cap, 0L);
        return new IOException("pseudo-terminal: " + call + " failed: errno " + errno);
    }

    private static final java.lang.foreign.ValueLayout.OfByte JAVA_BYTE_LAYOUT = java.lang.foreign.ValueLayout.JAVA_BYTE;

    /** The libc functions, linked on first use (so that {@link #unavailableReason()} touches nothing native). */
    private static final class Native {
        static final Linker LINKER = Linker.nativeLinker();
        static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");
        static final MethodHandle POSIX_OPENPT = link("posix_openpt", FunctionDescriptor.of(JAVA_INT, JAVA_INT), ERRNO_OPTION);
        static final MethodHandle GRANTPT = link("grantpt", FunctionDescriptor.of(JAVA_INT, JAVA_INT), ERRNO_OPTION);
        static final MethodHandle UNLOCKPT = link("unlockpt", FunctionDescriptor.of(JAVA_INT, JAVA_INT), ERRNO_OPTION);
        static final MethodHandle PTSNAME_R = link("ptsname_r",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO_OPTION);
        static final MethodHandle OPEN = link("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            ERRNO_OPTION, Linker.Option.firstVariadicArg(2));
        static final MethodHandle CLOSE = link("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), ERRNO_OPTION);
        static final MethodHandle TCGETATTR = link("tcgetattr", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), ERRNO_OPTION);
        static final MethodHandle TCSETATTR = link("tcsetattr",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), ERRNO_OPTION);
        static final MethodHandle CFMAKERAW = LINKER.downcallHandle(
            LINKER.defaultLookup().find("cfmakeraw").orElseThrow(), FunctionDescriptor.ofVoid(ADDRESS));
        static final MethodHandle READ = link("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO_OPTION);
        static final MethodHandle WRITE = link("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO_OPTION);

        private Native() {
        }

        private static MethodHandle link(final String name, final FunctionDescriptor d, final Linker.Option... options) {
            final MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("libc has no symbol " + name));
            return LINKER.downcallHandle(symbol, d, options);
        }
    }
}
