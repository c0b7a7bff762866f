package io.xen4j.net.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * The few libc calls a TAP device needs, through the Foreign Function and Memory API, with errno
 * captured by the linker (no other call can overwrite it): {@code open}, {@code ioctl},
 * {@code read}, {@code write}, {@code close}. Each returns {@code -errno} on failure.
 */
public final class TapLibc {
    /** {@code O_RDWR}. */
    public static final int O_RDWR = 2;
    /** {@code O_NONBLOCK} (x86_64). */
    public static final int O_NONBLOCK = 0x800;
    /** {@code O_CLOEXEC} (x86_64). */
    public static final int O_CLOEXEC = 0x80000;
    /** {@code EAGAIN}. */
    public static final int EAGAIN = 11;
    /** {@code EINTR}. */
    public static final int EINTR = 4;
    /** {@code TUNSETIFF}: {@code _IOW('T', 202, int)}. */
    public static final long TUNSETIFF = 0x400454caL;
    /** {@code IFF_TAP}: Ethernet frames. */
    public static final short IFF_TAP = 0x0002;
    /** {@code IFF_NO_PI}: no packet information prefix. */
    public static final short IFF_NO_PI = 0x1000;
    /** {@code IFF_VNET_HDR}: each frame is preceded by a {@code struct virtio_net_hdr} carrying its offloads. */
    public static final short IFF_VNET_HDR = 0x4000;
    /** {@code TUNSETOFFLOAD}: {@code _IOW('T', 208, unsigned int)}, the offloads the reader takes. */
    public static final long TUNSETOFFLOAD = 0x400454d0L;
    /** {@code TUN_F_CSUM}: frames may carry a partial checksum. */
    public static final int TUN_F_CSUM = 0x01;
    /** {@code TUN_F_TSO4}: TCPv4 GSO frames. */
    public static final int TUN_F_TSO4 = 0x02;
    /** {@code TUN_F_TSO6}: TCPv6 GSO frames. */
    public static final int TUN_F_TSO6 = 0x04;
    /** {@code sizeof(struct virtio_net_hdr)}. */
    public static final int VNET_HDR_LEN = 10;
    /** {@code VIRTIO_NET_HDR_F_NEEDS_CSUM}. */
    public static final int VIRTIO_NET_HDR_F_NEEDS_CSUM = 1;
    /** {@code VIRTIO_NET_HDR_F_DATA_VALID}. */
    public static final int VIRTIO_NET_HDR_F_DATA_VALID = 2;
    /** {@code VIRTIO_NET_HDR_GSO_TCPV4}. */
    public static final int VIRTIO_NET_HDR_GSO_TCPV4 = 1;
    /** {@code VIRTIO_NET_HDR_GSO_TCPV6}. */
    public static final int VIRTIO_NET_HDR_GSO_TCPV6 = 4;
    /** {@code VIRTIO_NET_HDR_GSO_ECN}: a flag on the GSO type. */
    public static final int VIRTIO_NET_HDR_GSO_ECN = 0x80;
    /** {@code sizeof(struct ifreq)} on x86_64. */
    public static final int IFREQ_SIZE = 40;
    /** {@code IFNAMSIZ}: the interface name with its NUL. */
    public static final int IFNAMSIZ = 16;
    /** Offset of {@code ifr_flags} in {@code struct ifreq}. */
    public static final int IFR_FLAGS_OFFSET = 16;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");
    private static final MethodHandle OPEN = downcall("open",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), ERRNO_OPTION, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle IOCTL = downcall("ioctl",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), ERRNO_OPTION, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle IOCTL_VALUE = downcall("ioctl",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), ERRNO_OPTION, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle READ = downcall("read",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO_OPTION);
    private static final MethodHandle WRITE = downcall("write",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO_OPTION);
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), ERRNO_OPTION);
    private static final MethodHandle STRERROR = downcall("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    /** Per thread: where errno is captured. */
    private static final ThreadLocal<MemorySegment> STATE = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

    private TapLibc() {
    }

    private static MethodHandle downcall(final String name, final FunctionDescriptor descriptor, final Linker.Option... options) {
        final MemorySegment symbol = LINKER.defaultLookup().find(name)
            .orElseThrow(() -> new IllegalStateException("libc has no symbol " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    private static int errno(final MemorySegment state) {
        final int e = (int) ERRNO.get(state, 0L);
        return e > 0 ? e : 22;
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
     * @return the descriptor, or {@code -errno}
     */
    public static int open(final String path, final int flags) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment c = STATE.get();
            final int fd = (int) OPEN.invokeExact(c, arena.allocateFrom(path, StandardCharsets.UTF_8), flags, 0);
            return fd >= 0 ? fd : -errno(c);
        } catch (final Throwable t) {
            throw unexpected("open(" + path + ")", t);
        }
    }

    /**
     * {@code ioctl(fd, request, arg)}.
     *
     * @param fd      the descriptor
     * @param request the request number
     * @param arg     the argument
     * @return the result, or {@code -errno}
     */
    public static int ioctl(final int fd, final long request, final MemorySegment arg) {
        try {
            final MemorySegment c = STATE.get();
            final int r = (int) IOCTL.invokeExact(c, fd, request, arg);
            return r >= 0 ? r : -errno(c);
        } catch (final Throwable t) {
            throw unexpected("ioctl", t);
        }
    }

    /**
     * {@code ioctl(fd, request, value)} with an integer argument.
     *
     * @param fd      the descriptor
     * @param request the request number
     * @param value   the argument
     * @return the result, or {@code -errno}
     */
    public static int ioctl(final int fd, final long request, final long value) {
        try {
            final MemorySegment c = STATE.get();
            final int r = (int) IOCTL_VALUE.invokeExact(c, fd, request, value);
            return r >= 0 ? r : -errno(c);
        } catch (final Throwable t) {
            throw unexpected("ioctl", t);
        }
    }

    /**
     * {@code read(fd, buffer, count)}.
     *
     * @param fd     the descriptor
     * @param buffer where to read to
     * @param count  bytes at most, at most the buffer's size
     * @return bytes read, or {@code -errno}
     */
    public static long read(final int fd, final MemorySegment buffer, final long count) {
        if (count < 0 || count > buffer.byteSize()) {
            throw new IllegalArgumentException("read: count=" + count + " but the buffer holds " + buffer.byteSize());
        }
        try {
            final MemorySegment c = STATE.get();
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
     * @param count  bytes, at most the buffer's size
     * @return bytes written, or {@code -errno}
     */
    public static long write(final int fd, final MemorySegment buffer, final long count) {
        if (count < 0 || count > buffer.byteSize()) {
            throw new IllegalArgumentException("write: count=" + count + " but the buffer holds " + buffer.byteSize());
        }
        try {
            final MemorySegment c = STATE.get();
            final long r = (long) WRITE.invokeExact(c, fd, buffer, count);
            return r >= 0 ? r : -errno(c);
        } catch (final Throwable t) {
            throw unexpected("write", t);
        }
    }

    /**
     * {@code close(fd)}.
     *
     * @param fd the descriptor
     * @return 0, or {@code -errno}
     */
    public static int close(final int fd) {
        try {
            final MemorySegment c = STATE.get();
            final int r = (int) CLOSE.invokeExact(c, fd);
            return r >= 0 ? r : -errno(c);
        } catch (final Throwable t) {
            throw unexpected("close", t);
        }
    }

    /**
     * The C library's text for an errno.
     *
     * @param errno the number, either sign
     * @return {@code strerror(errno)}
     */
    public static String strerror(final int errno) {
        try {
            final MemorySegment text = ((MemorySegment) STRERROR.invokeExact(Math.abs(errno))).reinterpret(256);
            return text.getString(0, StandardCharsets.UTF_8);
        } catch (final Throwable t) {
            return "errno " + errno;
        }
    }
}
