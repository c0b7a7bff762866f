package io.xen4j.blk.internal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * A file descriptor opened with {@code O_DIRECT} through the FFM API (Java's {@code FileChannel}
 * has no portable way to ask for it), with positional {@code pread}/{@code pwrite} on
 * page-aligned memory. Linux on x86_64 and aarch64 only; elsewhere, or where the filesystem
 * refuses {@code O_DIRECT} ({@code EINVAL}: tmpfs), {@link #open} returns null and the caller
 * stays with buffered I/O. Calls may come from several threads (no shared position).
 */
public final class DirectFile implements AutoCloseable {
    /** Alignment of memory, positions and lengths for every transfer: a page (covers 4Kn disks). */
    public static final int ALIGN = 4096;
    private static final int O_RDONLY = 0;
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    private static final int EINTR = 4;
    private static final int EINVAL = 22;

    private static final @Nullable Natives NATIVES = Natives.load();

    private final Path path;
    private final int fd;
    private volatile boolean closed;
    /** Where each thread's calls capture errno: allocated once per thread, not per call. */
    private final ThreadLocal<MemorySegment> callState;

    private DirectFile(final Path path, final int fd, final StructLayout state) {
        this.path = path;
        this.fd = fd;
        this.callState = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(state));
    }

    /** The libc functions and the errno capture, or nothing on platforms without O_DIRECT here. */
    private record Natives(MethodHandle open, MethodHandle pread, MethodHandle pwrite, MethodHandle close,
                           StructLayout state, VarHandle errno, int oDirect) {
        // The downcalls are restricted methods: the module needs native access (as the Linux HAL).
        @SuppressWarnings("restricted")
        static @Nullable Natives load() {
            final String os = System.getProperty("os.name", "");
            final String arch = System.getProperty("os.arch", "");
            final int oDirect;
            // O_DIRECT differs by architecture (asm-generic 040000, arm64 0200000).
            if (!os.equals("Linux")) {
                return null;
            } else if (arch.equals("amd64") || arch.equals("x86_64")) {
                oDirect = 0x4000;
            } else if (arch.equals("aarch64")) {
                oDirect = 0x10000;
            } else {
                return null;
            }
            try {
                final Linker linker = Linker.nativeLinker();
                final Linker.Option errno = Linker.Option.captureCallState("errno");
                final StructLayout state = Linker.Option.captureStateLayout();
                final var lookup = linker.defaultLookup();
                final MethodHandle open = linker.downcallHandle(lookup.findOrThrow("open"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                    errno, Linker.Option.firstVariadicArg(2));
                final FunctionDescriptor rw = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
                final MethodHandle pread = linker.downcallHandle(lookup.findOrThrow("pread"), rw, errno);
                final MethodHandle pwrite = linker.downcallHandle(lookup.findOrThrow("pwrite"), rw, errno);
                final MethodHandle close = linker.downcallHandle(lookup.findOrThrow("close"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
                final VarHandle errnoHandle = state.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
                return new Natives(open, pread, pwrite, close, state, errnoHandle, oDirect);
            } catch (final RuntimeException | Error e) {
                // No native access (a restricted-method denial) or no libc symbol: buffered I/O only.
                return null;
            }
        }
    }

    /**
     * Opens a file with {@code O_DIRECT}.
     *
     * @param path     the file
     * @param readOnly whether to open it read-only
     * @return the file, or null where O_DIRECT is not available (platform, native access, or the
     *         filesystem answered {@code EINVAL})
     * @throws IOException naming the file and errno on any other failure
     */
    public static @Nullable DirectFile open(final Path path, final boolean readOnly) throws IOException {
        final Natives n = NATIVES;
        if (n == null) {
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment state = arena.allocate(n.state());
            final MemorySegment name = arena.allocateFrom(path.toString());
            final int flags = (readOnly ? O_RDONLY : O_RDWR) | O_CLOEXEC | n.oDirect();
            final int fd = (int) n.open().invokeExact(state, name, flags, 0);
            if (fd >= 0) {
                return new DirectFile(path, fd, n.state());
            }
            final int errno = (int) n.errno().get(state, 0L);
            if (errno == EINVAL) {
                return null;
            }
            throw new IOException("open(" + path + ", O_DIRECT) failed: errno=" + errno);
        } catch (final IOException | RuntimeException | Error e) {
            throw e;
        } catch (final Throwable t) {
            throw new IOException("open(" + path + ", O_DIRECT): " + t, t);
        }
    }

    /**
     * Whether a transfer can go through O_DIRECT: memory, position and length page-aligned.
     *
     * @param memory   native memory of the transfer
     * @param position byte offset in the file
     * @return true if aligned
     */
    public static boolean aligned(final MemorySegment memory, final long position) {
        return memory.isNative() && (memory.address() | position | memory.byteSize()) % ALIGN == 0;
    }

    /**
     * Reads {@code dst.byteSize()} bytes at {@code position}, retrying short reads.
     *
     * @param dst      aligned native memory
     * @param position aligned offset
     * @throws IOException naming the file, position and errno; also at end of file
     */
    public void read(final MemorySegment dst, final long position) throws IOException {
        transfer(false, dst, position);
    }

    /**
     * Writes {@code src.byteSize()} bytes at {@code position}, retrying short writes.
     *
     * @param src      aligned native memory
     * @param position aligned offset
     * @throws IOException naming the file, position and errno
     */
    public void write(final MemorySegment src, final long position) throws IOException {
        transfer(true, src, position);
    }

    private void transfer(final boolean write, final MemorySegment memory, final long position) throws IOException {
        final Natives n = java.util.Objects.requireNonNull(NATIVES);
        if (closed) {
            throw new IOException("O_DIRECT file " + path + " is closed");
        }
        // Errno is captured into memory of this thread's own.
        final MemorySegment state = callState.get();
        try {
            long done = 0;
            final long total = memory.byteSize();
            while (done < total) {
                final MemorySegment part = done == 0 ? memory : memory.asSlice(done);
                final long r = write
                    ? (long) n.pwrite().invokeExact(state, fd, part, total - done, position + done)
                    : (long) n.pread().invokeExact(state, fd, part, total - done, position + done);
                if (r < 0) {
                    final int errno = (int) n.errno().get(state, 0L);
                    if (errno == EINTR) {
                        continue;
                    }
                    throw new IOException((write ? "pwrite" : "pread") + "(" + path + ", O_DIRECT) at " + (position + done)
                        + " length " + (total - done) + " failed: errno=" + errno);
                }
                if (r == 0) {
                    throw new IOException((write ? "pwrite" : "pread") + "(" + path + ", O_DIRECT) at " + (position + done)
                        + ": end of file");
                }
                done += r;
            }
        } catch (final IOException | RuntimeException | Error e) {
            throw e;
        } catch (final Throwable t) {
            throw new IOException("O_DIRECT I/O on " + path + ": " + t, t);
        }
    }

    /** Closes the descriptor once. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            final int ignored = (int) java.util.Objects.requireNonNull(NATIVES).close().invokeExact(fd);
        } catch (final Throwable t) {
            // close(2) errors on a descriptor used only for reads and writes that each reported
            // their own failure carry nothing more.
        }
    }
}
