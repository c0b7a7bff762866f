package io.xen4j.benchmarks.blk;

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

/**
 * A file opened with libc's {@code open} and read and written with {@code pread64}/{@code pwrite64}
 * through FFM and {@code syscall}: the calls the file store makes for native memory, for the
 * benchmarks' direct rows that compare the drivers against an equal store call.
 */
final class Pread implements AutoCloseable {
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;

    /** The libc functions, static so that the JIT takes them as constants. */
    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    /**
     * syscall(number, fd, address, count, offset, memory), as the file store calls pread64 and
     * pwrite64 (not glibc's cancellation points, no errno captured): the address as a number, the
     * segment after it only to be kept alive (a fifth argument of the system call, which these two ignore).
     */
    private static final MethodHandle SYSCALL = downcall("syscall", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
        Linker.Option.firstVariadicArg(1));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    /** {@code __NR_pread64} on x86_64 and aarch64; {@code __NR_pwrite64} is the next one. */
    private static final long NR_PREAD64 = System.getProperty("os.arch", "").equals("aarch64") ? 67 : 17;

    private final int fd;

    @SuppressWarnings("restricted")
    private static MethodHandle downcall(final String name, final FunctionDescriptor descriptor, final Linker.Option... options) {
        if (!Pread.class.getModule().isNativeAccessEnabled()) {
            throw new IllegalStateException("the benchmarks need --enable-native-access=ALL-UNNAMED (the file store's pread, and the direct pread rows)");
        }
        return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), descriptor, options);
    }

    /** Opens a file read-write; needs native access for the class path ({@code --enable-native-access=ALL-UNNAMED}). */
    @SuppressWarnings("restricted")
    Pread(final Path file) throws IOException {
        final MethodHandle open = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("open"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            CAPTURE, Linker.Option.firstVariadicArg(2));
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment state = arena.allocate(STATE);
            fd = (int) open.invokeExact(state, arena.allocateFrom(file.toString()), O_RDWR | O_CLOEXEC, 0);
            if (fd < 0) {
                throw new IOException("open(" + file + ") failed: errno=" + (int) ERRNO.get(state, 0L));
            }
        } catch (final IOException e) {
            throw e;
        } catch (final Throwable t) {
            throw new IOException("open(" + file + "): " + t, t);
        }
    }

    /** Reads the whole of a native segment at a position, in one call. */
    void read(final MemorySegment dst, final long position) throws IOException {
        final long r;
        try {
            r = (long) SYSCALL.invokeExact(NR_PREAD64, (long) fd, dst.address(), dst.byteSize(), position, dst);
        } catch (final Throwable t) {
            throw new IOException("pread: " + t, t);
        }
        if (r != dst.byteSize()) {
            throw new IOException("pread at " + position + " returned " + r);
        }
    }

    /** Writes the whole of a native segment at a position, in one call. */
    void write(final MemorySegment src, final long position) throws IOException {
        final long r;
        try {
            r = (long) SYSCALL.invokeExact(NR_PREAD64 + 1, (long) fd, src.address(), src.byteSize(), position, src);
        } catch (final Throwable t) {
            throw new IOException("pwrite: " + t, t);
        }
        if (r != src.byteSize()) {
            throw new IOException("pwrite at " + position + " returned " + r);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            final int ignored = (int) CLOSE.invokeExact(fd);
        } catch (final Throwable t) {
            throw new IOException("close: " + t, t);
        }
    }
}
