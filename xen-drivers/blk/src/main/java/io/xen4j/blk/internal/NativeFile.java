package io.xen4j.blk.internal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * A file descriptor opened through the FFM API, with positional {@code pread}/{@code pwrite} on
 * native memory: buffered (through the page cache, as {@code FileChannel}) or with
 * {@code O_DIRECT} (Java's {@code FileChannel} has no portable way to ask for it).
 *
 * <p>The buffered kind exists for speed: a {@code FileChannel} read does, around the same
 * {@code pread}, the work of an interruptible channel (registering the thread so that an
 * interrupt or a close from another thread can abort it, and closing the whole channel on an
 * interrupt); a 4 KiB read from the page cache measured 100-140 ns cheaper here with the calls
 * below. This class does none of that: an interrupt does not stop a transfer, and a close waits
 * for none.
 *
 * <p>Linux on x86_64 and aarch64 only, and only when this module may call native code
 * ({@code --enable-native-access=io.xen4j.blk}, or {@code ALL-UNNAMED} on the class path);
 * elsewhere the factories return null and the caller stays with its {@code FileChannel}
 * ({@link #unavailableReason()} says why). Calls may come from several threads (no shared
 * position).
 *
 * <p>A close from any thread is safe against transfers in flight on others, and costs them no
 * atomic instruction (two per transfer measured 15-40 ns here): as the JDK's own channels do, the
 * close does not free the descriptor's number but points it, with {@code dup2}, at a pipe whose
 * write end is closed. A transfer already in the kernel finishes on the file (it holds its own
 * reference); any later one fails there ({@code ESPIPE}) and is reported as closed; and the number
 * never names another file while this object can still use it. The number itself is closed when
 * the object is collected, which is when no transfer can be in flight (each keeps the object
 * reachable until its call returns); a file never closed is closed then too.
 */
public final class NativeFile implements AutoCloseable {
    /** Alignment of memory, positions and lengths for every O_DIRECT transfer: a page (covers 4Kn disks). */
    public static final int ALIGN = 4096;
    private static final int O_RDONLY = 0;
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    private static final int EINTR = 4;
    private static final int EINVAL = 22;

    private static final int EBUSY = 16;
    /** Tries of a {@code dup2} that the kernel answered {@code EINTR} or {@code EBUSY} (a race with an open). */
    private static final int DUP2_TRIES = 100;

    private static final String UNAVAILABLE = Natives.unavailableReason();
    private static final @Nullable Natives NATIVES = UNAVAILABLE.isEmpty() ? Natives.load() : null;

    private final Path path;
    private final int fd;
    private final boolean direct;
    /** Set by {@link #close()} before it points {@link #fd} at the dead pipe. */
    private volatile boolean closed;
    /** Where a thread's calls capture errno once a transfer's first call failed: allocated once per thread. */
    private final ThreadLocal<MemorySegment> callState;

    private NativeFile(final Path path, final int fd, final boolean direct, final StructLayout state) {
        this.path = path;
        this.fd = fd;
        this.direct = direct;
        this.callState = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(state));
        Holder.CLEANER.register(this, new CloseDescriptor(fd));
    }

    /** The cleaner that closes descriptors of collected files, made with the first file. */
    private static final class Holder {
        static final Cleaner CLEANER = Cleaner.create();

        private Holder() {
        }
    }

    /** Closes a collected file's descriptor number: no transfer can be using it any more. */
    private record CloseDescriptor(int fd) implements Runnable {
        @Override
        public void run() {
            try {
                final int ignored = (int) java.util.Objects.requireNonNull(NATIVES).close().invokeExact(fd);
            } catch (final Throwable t) {
                // Nothing is waiting for this close; errors of close(2) on a descriptor whose
                // transfers each reported their own failure carry nothing more.
            }
        }
    }

    /**
     * The libc functions, the errno capture, and the dead pipe: the read end of a pipe whose
     * write end is closed, which a closed file's number is pointed at.
     */
    private record Natives(MethodHandle open, MethodHandle pread, MethodHandle pwrite, MethodHandle preadCapturing,
                           MethodHandle pwriteCapturing, MethodHandle close, MethodHandle dup2,
                           StructLayout state, VarHandle errno, int oDirect, int deadPipe) {
        /** O_DIRECT of this architecture (asm-generic 040000, arm64 0200000), or 0 where unsupported here. */
        static int oDirectFlag() {
            final String arch = System.getProperty("os.arch", "");
            if (arch.equals("amd64") || arch.equals("x86_64")) {
                return 0x4000;
            }
            return arch.equals("aarch64") ? 0x10000 : 0;
        }

        /** {@code __NR_pread64} of this architecture; {@code __NR_pwrite64} is the next number on both. */
        static long preadNumber() {
            return oDirectFlag() == 0x4000 ? 17 : 67;
        }

        /** Why the natives cannot be used here, or empty if they can. */
        static String unavailableReason() {
            if (!System.getProperty("os.name", "").equals("Linux") || oDirectFlag() == 0) {
                return "not Linux on x86_64 or aarch64 (os.name=" + System.getProperty("os.name") + ", os.arch="
                    + System.getProperty("os.arch") + ")";
            }
            final Module module = NativeFile.class.getModule();
            if (!module.isNativeAccessEnabled()) {
                return "native access is not enabled for " + (module.isNamed() ? module.getName() : "the class path")
                    + ": run with --enable-native-access=" + (module.isNamed() ? module.getName() : "ALL-UNNAMED");
            }
            return "";
        }

        // The downcalls are restricted methods: callers checked native access first.
        @SuppressWarnings("restricted")
        static @Nullable Natives load() {
            try {
                final Linker linker = Linker.nativeLinker();
                final Linker.Option errno = Linker.Option.captureCallState("errno");
                final StructLayout state = Linker.Option.captureStateLayout();
                final var lookup = linker.defaultLookup();
                final MethodHandle open = linker.downcallHandle(lookup.findOrThrow("open"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                    errno, Linker.Option.firstVariadicArg(2));
                // pread64 and pwrite64 through syscall(2), not glibc's pread and pwrite: those are
                // cancellation points, which enable and disable asynchronous cancellation around
                // the call (about 30 ns of a 4 KiB read here), and Java threads are never
                // cancelled. Not Linker.Option.critical: a read that misses the page cache blocks,
                // and a critical call would hold off every safepoint (and so every GC) meanwhile.
                // The memory goes in as a number (its address plus the offset), so that a transfer
                // into part of a segment makes no slice; the segment itself rides along as a fifth
                // argument of the system call, which pread64 and pwrite64 (four arguments) ignore,
                // only so that the linker keeps its memory alive for the call: a shared arena's
                // close then fails until the kernel is done with the pages.
                final FunctionDescriptor transfer = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS);
                // Two forms: the one each transfer starts with captures no errno, because the JDK
                // slices the capture segment per call (an object the JIT removes only when it
                // compiles the whole path as one piece); a call that fails is made again with the
                // capturing form, which tells why.
                final MethodHandle syscall = linker.downcallHandle(lookup.findOrThrow("syscall"), transfer,
                    Linker.Option.firstVariadicArg(1));
                final MethodHandle syscallCapturing = linker.downcallHandle(lookup.findOrThrow("syscall"), transfer,
                    errno, Linker.Option.firstVariadicArg(1));
                // (fd, address, count, offset, memory kept alive) -> bytes, as pread and pwrite are
                // called; the capturing form takes the state first.
                final java.lang.invoke.MethodType rw = java.lang.invoke.MethodType.methodType(long.class, int.class, long.class,
                    long.class, long.class, MemorySegment.class);
                final MethodHandle pread = MethodHandles.insertArguments(syscall, 0, preadNumber()).asType(rw);
                final MethodHandle pwrite = MethodHandles.insertArguments(syscall, 0, preadNumber() + 1).asType(rw);
                final java.lang.invoke.MethodType rwCapturing = rw.insertParameterTypes(0, MemorySegment.class);
                final MethodHandle preadCapturing = MethodHandles.insertArguments(syscallCapturing, 1, preadNumber()).asType(rwCapturing);
                final MethodHandle pwriteCapturing = MethodHandles.insertArguments(syscallCapturing, 1, preadNumber() + 1)
                    .asType(rwCapturing);
                final MethodHandle close = linker.downcallHandle(lookup.findOrThrow("close"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
                final MethodHandle dup2 = linker.downcallHandle(lookup.findOrThrow("dup2"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), errno);
                final MethodHandle pipe2 = linker.downcallHandle(lookup.findOrThrow("pipe2"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
                final int deadPipe;
                try (Arena arena = Arena.ofConfined()) {
                    final MemorySegment ends = arena.allocate(ValueLayout.JAVA_INT, 2);
                    if ((int) pipe2.invokeExact(ends, O_CLOEXEC) != 0) {
                        return null;
                    }
                    deadPipe = ends.getAtIndex(ValueLayout.JAVA_INT, 0);
                    final int ignored = (int) close.invokeExact(ends.getAtIndex(ValueLayout.JAVA_INT, 1));
                }
                final VarHandle errnoHandle = state.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
                return new Natives(open, pread, pwrite, preadCapturing, pwriteCapturing, close, dup2, state, errnoHandle, oDirectFlag(),
                    deadPipe);
            } catch (final Throwable t) {
                // No libc symbol, or no pipe: FileChannel only.
                return null;
            }
        }
    }

    /**
     * Why no file can be opened here, or empty if files can be.
     *
     * @return the reason, naming the JVM flag to add when native access is what is missing
     */
    public static String unavailableReason() {
        if (NATIVES != null) {
            return "";
        }
        return UNAVAILABLE.isEmpty() ? "libc's open, syscall, close, dup2 or pipe2 could not be linked, or pipe2 failed" : UNAVAILABLE;
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
    public static @Nullable NativeFile openDirect(final Path path, final boolean readOnly) throws IOException {
        return open(path, readOnly, true);
    }

    /**
     * Opens a file for buffered transfers (through the page cache).
     *
     * @param path     the file
     * @param readOnly whether to open it read-only
     * @return the file, or null where native calls are not available (platform, native access)
     * @throws IOException naming the file and errno if {@code open} fails
     */
    public static @Nullable NativeFile openBuffered(final Path path, final boolean readOnly) throws IOException {
        return open(path, readOnly, false);
    }

    private static @Nullable NativeFile open(final Path path, final boolean readOnly, final boolean direct) throws IOException {
        final Natives n = NATIVES;
        if (n == null) {
            return null;
        }
        final String how = direct ? ", O_DIRECT" : "";
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment state = arena.allocate(n.state());
            final MemorySegment name = arena.allocateFrom(path.toString());
            final int flags = (readOnly ? O_RDONLY : O_RDWR) | O_CLOEXEC | (direct ? n.oDirect() : 0);
            final int fd = (int) n.open().invokeExact(state, name, flags, 0);
            if (fd >= 0) {
                return new NativeFile(path, fd, direct, n.state());
            }
            final int errno = (int) n.errno().get(state, 0L);
            if (direct && errno == EINVAL) {
                return null;
            }
            throw new IOException("open(" + path + how + ") failed: errno=" + errno);
        } catch (final IOException | RuntimeException | Error e) {
            throw e;
        } catch (final Throwable t) {
            throw new IOException("open(" + path + how + "): " + t, t);
        }
    }

    /**
     * Whether a transfer can go through O_DIRECT: memory, position and length page-aligned.
     *
     * @param memory   the segment of the transfer
     * @param offset   where the transfer starts in it
     * @param length   bytes
     * @param position byte offset in the file
     * @return true if aligned (and the memory native)
     */
    public static boolean aligned(final MemorySegment memory, final long offset, final long length, final long position) {
        return memory.isNative() && ((memory.address() + offset) | position | length) % ALIGN == 0;
    }

    /**
     * Reads {@code length} bytes at {@code position} into {@code memory} from {@code offset},
     * retrying short reads. Allocates nothing: the memory goes to the kernel as an address, with
     * the segment kept alive for the call (a shared arena's close waits for it to return).
     *
     * @param memory   writable native memory (for an O_DIRECT file, the transfer page-aligned as the position)
     * @param offset   where the transfer starts in {@code memory}
     * @param length   bytes
     * @param position offset in the file
     * @throws IOException               naming the file, position and errno; also at end of file or once closed
     * @throws IndexOutOfBoundsException if the range is outside {@code memory}, before any I/O
     * @throws IllegalArgumentException  if {@code memory} is on the heap or read-only, before any I/O
     * @throws IllegalStateException     if {@code memory}'s arena is closed (or owned by another thread)
     */
    public void read(final MemorySegment memory, final long offset, final long length, final long position) throws IOException {
        checkMemory("pread", memory, offset, length, true);
        if (closed) {
            throw closed("pread");
        }
        try {
            // One call for the whole transfer, which is what a regular file answers.
            final long r = (long) java.util.Objects.requireNonNull(NATIVES).pread()
                .invokeExact(fd, memory.address() + offset, length, position, memory);
            if (r != length) {
                transferRest(false, memory, offset, length, position, r);
            }
        } catch (final IOException | RuntimeException | Error e) {
            throw e;
        } catch (final Throwable t) {
            throw new IOException("pread(" + path + kind() + "): " + t, t);
        } finally {
            // The number stays this file's (or the dead pipe's) until the call has returned.
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Writes {@code length} bytes from {@code memory} at {@code offset} to the file at
     * {@code position}, retrying short writes. Allocates nothing, as {@link #read}.
     *
     * @param memory   native memory (for an O_DIRECT file, the transfer page-aligned as the position)
     * @param offset   where the transfer starts in {@code memory}
     * @param length   bytes
     * @param position offset in the file
     * @throws IOException               naming the file, position and errno; also once closed
     * @throws IndexOutOfBoundsException if the range is outside {@code memory}, before any I/O
     * @throws IllegalArgumentException  if {@code memory} is on the heap, before any I/O
     * @throws IllegalStateException     if {@code memory}'s arena is closed (or owned by another thread)
     */
    public void write(final MemorySegment memory, final long offset, final long length, final long position) throws IOException {
        checkMemory("pwrite", memory, offset, length, false);
        if (closed) {
            throw closed("pwrite");
        }
        try {
            final long r = (long) java.util.Objects.requireNonNull(NATIVES).pwrite()
                .invokeExact(fd, memory.address() + offset, length, position, memory);
            if (r != length) {
                transferRest(true, memory, offset, length, position, r);
            }
        } catch (final IOException | RuntimeException | Error e) {
            throw e;
        } catch (final Throwable t) {
            throw new IOException("pwrite(" + path + kind() + "): " + t, t);
        } finally {
            // The number stays this file's (or the dead pipe's) until the call has returned.
            Reference.reachabilityFence(this);
        }
    }

    /**
     * The checks a segment's own accessors would make, made here because the kernel gets a bare
     * address: the range inside the segment, native memory, writable for a read.
     */
    private void checkMemory(final String call, final MemorySegment memory, final long offset, final long length, final boolean into) {
        java.util.Objects.checkFromIndexSize(offset, length, memory.byteSize());
        if (!memory.isNative() || (into && memory.isReadOnly())) {
            throw new IllegalArgumentException(call + "(" + path + kind() + "): the memory must be native" + (into ? " and writable" : "")
                + ", was " + memory);
        }
    }

    private IOException closed(final String call) {
        return new IOException(call + "(" + path + kind() + "): the file store is closed");
    }

    /**
     * After a first call that did not move everything: errors, {@code EINTR}, short transfers.
     * The first call captured no errno, so a first call that failed is made again, capturing: a
     * transfer may be repeated (it reads or writes the same bytes at the same place), and a
     * failure that was not passing fails again, saying why.
     */
    private void transferRest(final boolean write, final MemorySegment memory, final long offset, final long total, final long position,
                              final long first) throws IOException {
        final Natives n = java.util.Objects.requireNonNull(NATIVES);
        final MemorySegment errnoState = callState.get();
        long done = 0;
        long r = first;
        boolean captured = false;
        try {
            while (true) {
                if (r < 0) {
                    if (closed) {
                        // The close pointed the number at the dead pipe (ESPIPE) during this transfer.
                        throw closed(write ? "pwrite" : "pread");
                    }
                    // The first call's failure has no errno: it is repeated below, capturing.
                    final int errno = captured ? (int) n.errno().get(errnoState, 0L) : EINTR;
                    if (errno != EINTR) {
                        throw new IOException((write ? "pwrite" : "pread") + "(" + path + kind() + ") at " + (position + done)
                            + " length " + (total - done) + " failed: errno=" + errno);
                    }
                } else if (r == 0) {
                    throw new IOException((write ? "pwrite" : "pread") + "(" + path + kind() + ") at " + (position + done)
                        + ": end of file");
                } else {
                    done += r;
                }
                if (done == total) {
                    return;
                }
                final long at = memory.address() + offset + done;
                r = write
                    ? (long) n.pwriteCapturing().invokeExact(errnoState, fd, at, total - done, position + done, memory)
                    : (long) n.preadCapturing().invokeExact(errnoState, fd, at, total - done, position + done, memory);
                captured = true;
            }
        } catch (final IOException | RuntimeException | Error e) {
            throw e;
        } catch (final Throwable t) {
            throw new IOException((write ? "pwrite" : "pread") + "(" + path + kind() + "): " + t, t);
        }
    }

    private String kind() {
        return direct ? ", O_DIRECT" : "";
    }

    /**
     * Closes the file: lets go of it now (a transfer already in the kernel finishes on it), fails
     * every transfer after this; the descriptor's number is freed when this object is collected.
     * Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        // Set before the dup2: a transfer that fails on the dead pipe then says it was closed.
        closed = true;
        final Natives n = java.util.Objects.requireNonNull(NATIVES);
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment errnoState = arena.allocate(n.state());
            for (int i = 0; i < DUP2_TRIES; i++) {
                if ((int) n.dup2().invokeExact(errnoState, n.deadPipe(), fd) >= 0) {
                    return;
                }
                final int errno = (int) n.errno().get(errnoState, 0L);
                if (errno != EINTR && errno != EBUSY) {
                    break;
                }
            }
        } catch (final Throwable t) {
            // Falls through: as a dup2 that keeps failing.
        }
        // The file then stays open until this object is collected; transfers fail already.
    }
}
