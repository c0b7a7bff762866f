package io.xen4j.hal.linux.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.xen4j.abi.linux.LinuxIoctl;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * The libc calls the Linux HAL makes, through the Foreign Function and Memory API: {@code open},
 * {@code close}, {@code ioctl}, {@code mmap}, {@code munmap}, {@code read}, {@code write} and
 * {@code poll}, each with {@code errno} captured right after the call
 * ({@link Linker.Option#captureCallState(String...)}), so no other libc call can overwrite it.
 *
 * <p>Every method checks its sizes and counts before the native call and throws
 * {@link IllegalArgumentException} naming the call when they are wrong: a bad length never
 * reaches the kernel. Results follow the kernel's convention: a non-negative value on success,
 * {@code -errno} on failure, so that hot paths allocate nothing; {@link DeviceFile} turns a
 * failure into a {@link io.xen4j.hal.linux.LinuxXenException} naming the device and the ioctl.
 *
 * <p>Using this class needs {@code --enable-native-access} for the module (or
 * {@code ALL-UNNAMED} on the class path); the provider checks the flag before it first touches
 * this class.
 */
public final class Libc {
    /** {@code O_RDONLY}. */
    public static final int O_RDONLY = 0;
    /** {@code O_WRONLY}. */
    public static final int O_WRONLY = 1;
    /** {@code O_RDWR}. */
    public static final int O_RDWR = 2;
    /** {@code O_NONBLOCK} (x86_64). */
    public static final int O_NONBLOCK = 0x800;
    /** {@code O_CLOEXEC} (x86_64). */
    public static final int O_CLOEXEC = 0x80000;
    /** {@code PROT_READ}. */
    public static final int PROT_READ = 1;
    /** {@code PROT_WRITE}. */
    public static final int PROT_WRITE = 2;
    /** {@code MAP_SHARED}. */
    public static final int MAP_SHARED = 1;
    /** {@code MAP_PRIVATE}. */
    public static final int MAP_PRIVATE = 2;
    /** {@code MAP_ANONYMOUS} (x86_64). */
    public static final int MAP_ANONYMOUS = 0x20;
    /** {@code POLLIN}. */
    public static final short POLLIN = 0x1;
    /** {@code POLLERR}. */
    public static final short POLLERR = 0x8;
    /** {@code POLLHUP}. */
    public static final short POLLHUP = 0x10;
    /** The page size of x86: mappings are whole pages. */
    public static final int PAGE_SIZE = 4096;
    /** {@code SYS_ioctl} on x86_64, for ioctls whose result is a 64-bit value. */
    private static final long SYS_IOCTL = 16;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
        CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");
    private static final StructLayout POLLFD = MemoryLayout.structLayout(
        JAVA_INT.withName("fd"), JAVA_SHORT.withName("events"), JAVA_SHORT.withName("revents"));

    private static final MethodHandle OPEN = downcall("open",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), ERRNO_OPTION, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = downcall("close",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT), ERRNO_OPTION);
    private static final MethodHandle IOCTL = downcall("ioctl",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), ERRNO_OPTION, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SYSCALL3 = downcall("syscall",
        FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS), ERRNO_OPTION,
        Linker.Option.firstVariadicArg(1));
    private static final MethodHandle MMAP = downcall("mmap",
        FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), ERRNO_OPTION);
    private static final MethodHandle MUNMAP = downcall("munmap",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), ERRNO_OPTION);
    private static final MethodHandle READ = downcall("read",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO_OPTION);
    private static final MethodHandle WRITE = downcall("write",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO_OPTION);
    private static final MethodHandle POLL = downcall("poll",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), ERRNO_OPTION);
    private static final MethodHandle STRERROR = downcall("strerror",
        FunctionDescriptor.of(ADDRESS, JAVA_INT));

    /** Per thread: where errno is captured, and a pollfd. Freed with the thread. */
    private static final ThreadLocal<MemorySegment[]> SCRATCH = ThreadLocal.withInitial(() -> {
        final Arena arena = Arena.ofAuto();
        return new MemorySegment[] {arena.allocate(CAPTURE), arena.allocate(POLLFD)};
    });

    private Libc() {
    }

    private static MethodHandle downcall(
        final String name, final FunctionDescriptor descriptor, final Linker.Option... options) {
        final MemorySegment symbol = LIBC.find(name)
            .orElseThrow(() -> new IllegalStateException("libc has no symbol " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    private static MemorySegment capture() {
        return SCRATCH.get()[0];
    }

    private static int errno(final MemorySegment capture) {
        final int e = (int) ERRNO.get(capture, 0L);
        // A failed call without errno would be a libc bug; never report success for it.
        return e > 0 ? e : LinuxErrno.EINVAL;
    }

    private static RuntimeException unexpected(final String call, final Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call " + call + " failed", t);
    }

    /**
     * {@code open(path, flags)}.
     *
     * @param path  the file
     * @param flags {@code O_*} flags
     * @return the file descriptor, or {@code -errno}
     */
    public static int open(final String path, final int flags) {
        if (path.isEmpty() || path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("open: path=\"" + path + "\" is empty or contains NUL");
        }
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment cpath = arena.allocateFrom(path, StandardCharsets.UTF_8);
            final MemorySegment c = capture();
            final int fd = (int) OPEN.invokeExact(c, cpath, flags, 0);
            return fd >= 0 ? fd : -errno(c);
        } catch (final Throwable t) {
            throw unexpected("open(" + path + ")", t);
        }
    }

    /**
     * {@code close(fd)}.
     *
     * @param fd the descriptor
     * @return 0, or {@code -errno}
     */
    public static int close(final int fd) {
        checkFd("close", fd);
        try {
            final MemorySegment c = capture();
            final int r = (int) CLOSE.invokeExact(c, fd);
            return r == 0 ? 0 : -errno(c);
        } catch (final Throwable t) {
            throw unexpected("close", t);
        }
    }

    /**
     * The argument size a request encodes ({@code _IOC_SIZE}).
     *
     * @param request the ioctl request
     * @return the size in bytes
     */
    public static int ioctlArgumentSize(final long request) {
        return (int) ((request >>> LinuxIoctl.IOC_SIZESHIFT) & ((1 << LinuxIoctl.IOC_SIZEBITS) - 1));
    }

    private static void checkIoctl(final String call, final int fd, final long request, final MemorySegment arg,
                                   final long minBytes) {
        checkFd(call, fd);
        final long need = Math.max(minBytes, ioctlArgumentSize(request));
        if (need > 0 && (arg.equals(MemorySegment.NULL) || arg.byteSize() < need)) {
            throw new IllegalArgumentException(call + ": the argument holds " + arg.byteSize()
                + " bytes, the request needs " + need);
        }
    }

    /**
     * {@code ioctl(fd, request, arg)}. The argument must hold at least the size the request
     * encodes.
     *
     * @param fd      the descriptor
     * @param request the request number
     * @param arg     the argument structure, or {@link MemorySegment#NULL} for a request of size 0
     * @return the ioctl's non-negative result, or {@code -errno}
     */
    public static int ioctl(final int fd, final long request, final MemorySegment arg) {
        return ioctl(fd, request, arg, 0);
    }

    /**
     * {@code ioctl(fd, request, arg)} for a structure that ends in a flexible array: the argument
     * must hold at least {@code minBytes}.
     *
     * @param fd       the descriptor
     * @param request  the request number
     * @param arg      the argument
     * @param minBytes the bytes the argument must hold (the structure with its array)
     * @return the result, or {@code -errno}
     */
    public static int ioctl(final int fd, final long request, final MemorySegment arg, final long minBytes) {
        checkIoctl("ioctl", fd, request, arg, minBytes);
        try {
            final MemorySegment c = capture();
            final int r = (int) IOCTL.invokeExact(c, fd, request, arg);
            return r >= 0 ? r : -errno(c);
        } catch (final Throwable t) {
            throw unexpected("ioctl", t);
        }
    }

    /**
     * {@code ioctl} through {@code syscall(SYS_ioctl, ...)}, which returns the kernel's 64-bit
     * result where glibc's {@code ioctl} truncates it to an {@code int}: for
     * {@code IOCTL_PRIVCMD_HYPERCALL}, whose result is the hypercall's.
     *
     * @param fd      the descriptor
     * @param request the request number
     * @param arg     the argument
     * @return the result, or {@code -errno}
     */
    public static long ioctlLong(final int fd, final long request, final MemorySegment arg) {
        checkIoctl("ioctl", fd, request, arg, 0);
        try {
            final MemorySegment c = capture();
            final long r = (long) SYSCALL3.invokeExact(c, SYS_IOCTL, (long) fd, request, arg);
            return r != -1 ? r : -errno(c);
        } catch (final Throwable t) {
            throw unexpected("ioctl", t);
        }
    }

    private static void checkPages(final String call, final long length) {
        if (length <= 0 || (length & (PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException(call + ": length=" + length + " is not a positive number of pages");
        }
    }

    /**
     * {@code mmap(NULL, length, prot, flags, fd, offset)}.
     *
     * @param length bytes, a positive multiple of the page size
     * @param prot   {@code PROT_*}
     * @param flags  {@code MAP_*}
     * @param fd     the descriptor, or -1 for an anonymous mapping
     * @param offset offset in the file, a multiple of the page size
     * @return the address (non-negative on x86_64), or {@code -errno}
     */
    public static long mmap(final long length, final int prot, final int flags, final int fd, final long offset) {
        checkPages("mmap", length);
        if (offset < 0 || (offset & (PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException("mmap: offset=" + offset + " is not a page boundary");
        }
        if (fd < 0 && (flags & MAP_ANONYMOUS) == 0) {
            throw new IllegalArgumentException("mmap: fd=" + fd + " without MAP_ANONYMOUS");
        }
        try {
            final MemorySegment c = capture();
            final MemorySegment r = (MemorySegment) MMAP.invokeExact(c, MemorySegment.NULL, length, prot, flags, fd, offset);
            final long address = r.address();
            return address != -1L ? address : -errno(c);
        } catch (final Throwable t) {
            throw unexpected("mmap", t);
        }
    }

    /**
     * {@code munmap(address, length)}.
     *
     * @param address the start, a page boundary
     * @param length  bytes, a positive multiple of the page size
     * @return 0, or {@code -errno}
     */
    public static int munmap(final long address, final long length) {
        checkPages("munmap", length);
        if (address <= 0 || (address & (PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException("munmap: address=0x" + Long.toHexString(address) + " is not a page boundary");
        }
        try {
            final MemorySegment c = capture();
            final int r = (int) MUNMAP.invokeExact(c, MemorySegment.ofAddress(address), length);
            return r == 0 ? 0 : -errno(c);
        } catch (final Throwable t) {
            throw unexpected("munmap", t);
        }
    }

    private static void checkBuffer(final String call, final int fd, final MemorySegment buffer, final long count) {
        checkFd(call, fd);
        if (count < 0 || count > buffer.byteSize()) {
            throw new IllegalArgumentException(call + ": count=" + count + " but the buffer holds " + buffer.byteSize());
        }
    }

    /**
     * {@code read(fd, buffer, count)}.
     *
     * @param fd     the descriptor
     * @param buffer where to read to
     * @param count  bytes to read at most, at most the buffer's size
     * @return bytes read, or {@code -errno}
     */
    public static long read(final int fd, final MemorySegment buffer, final long count) {
        checkBuffer("read", fd, buffer, count);
        try {
            final MemorySegment c = capture();
            final long r = (long) READ.invokeExact(c, fd, buffer, count);
            return r >= 0 ? r : -errno(c);
        } catch (final Throwable t) {
            throw unexpected("read", t);
        }
    }

    /**
     * {@code write(fd, buffer, count)}.
     *
     * @param fd     the descriptor
     * @param buffer what to write
     * @param count  bytes to write, at most the buffer's size
     * @return bytes written, or {@code -errno}
     */
    public static long write(final int fd, final MemorySegment buffer, final long count) {
        checkBuffer("write", fd, buffer, count);
        try {
            final MemorySegment c = capture();
            final long r = (long) WRITE.invokeExact(c, fd, buffer, count);
            return r >= 0 ? r : -errno(c);
        } catch (final Throwable t) {
            throw unexpected("write", t);
        }
    }

    /**
     * {@code poll} on one descriptor.
     *
     * @param fd        the descriptor
     * @param events    {@code POLL*} events to wait for
     * @param timeoutMs how long to wait: 0 to only check, -1 for ever
     * @return the returned events ({@code revents}, positive) when ready, 0 on timeout, or
     *         {@code -errno}
     */
    public static int poll(final int fd, final short events, final int timeoutMs) {
        checkFd("poll", fd);
        if (timeoutMs < -1) {
            throw new IllegalArgumentException("poll: timeoutMs=" + timeoutMs + " must be >= -1");
        }
        try {
            final MemorySegment[] scratch = SCRATCH.get();
            final MemorySegment pollfd = scratch[1];
            pollfd.set(JAVA_INT, 0, fd);
            pollfd.set(JAVA_SHORT, 4, events);
            pollfd.set(JAVA_SHORT, 6, (short) 0);
            final int r = (int) POLL.invokeExact(scratch[0], pollfd, 1L, timeoutMs);
            if (r < 0) {
                return -errno(scratch[0]);
            }
            return r == 0 ? 0 : Math.max(1, pollfd.get(JAVA_SHORT, 6) & 0xFFFF);
        } catch (final Throwable t) {
            throw unexpected("poll", t);
        }
    }

    /**
     * The C library's text for an error number.
     *
     * @param errno the number, positive or negative
     * @return e.g. {@code "Inappropriate ioctl for device"}
     */
    public static String strerror(final int errno) {
        try {
            final MemorySegment text = ((MemorySegment) STRERROR.invokeExact(Math.abs(errno))).reinterpret(256);
            return text.getString(0, StandardCharsets.UTF_8);
        } catch (final Throwable t) {
            return "errno " + Math.abs(errno);
        }
    }

    private static void checkFd(final String call, final int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException(call + ": fd=" + fd + " is not a file descriptor");
        }
    }
}
