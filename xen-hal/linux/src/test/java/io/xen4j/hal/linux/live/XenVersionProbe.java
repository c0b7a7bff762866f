package io.xen4j.hal.linux.live;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.xen4j.abi.JvmFlags;
import io.xen4j.abi.Xen;
import io.xen4j.abi.linux.Privcmd;
import io.xen4j.abi.linux.PrivcmdHypercall;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Smoke test of the path the Linux HAL takes, run inside dom0 by the live-Xen harness
 * ({@code live-xen/run.sh}, {@code io.xen4j.e2e.LiveXenTest}): libc's {@code open}, {@code ioctl} and
 * {@code mmap} through the Foreign Function and Memory API, {@code /dev/xen/privcmd}'s
 * {@code IOCTL_PRIVCMD_HYPERCALL} with its argument laid out by xen-abi's
 * {@link PrivcmdHypercall} flyweight over the native segment, and a hypercall buffer from
 * {@code /dev/xen/hypercall} for the calls whose argument is a pointer.
 *
 * <p>It issues {@code xen_version(XENVER_version)} (prints {@code xen_version: 4.17}) and
 * {@code xen_version(XENVER_extraversion)} and {@code XENVER_capabilities} (a pointer argument:
 * once through a {@code /dev/xen/hypercall} page, once through plain process memory, to show
 * which the kernel accepts). Exit status 0 when the version hypercall worked, 1 when it failed,
 * 2 when the JVM lacks {@code --enable-native-access}.
 *
 * <pre>{@code
 * java --enable-native-access=ALL-UNNAMED --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
 *      -cp <xen-abi, agrona, these test classes> io.xen4j.hal.linux.live.XenVersionProbe
 * }</pre>
 */
// Calls libc through FFM and reinterprets the memory it returns: restricted methods by design.
@SuppressWarnings("restricted")
public final class XenVersionProbe {
    /** {@code XENVER_version}: the result is {@code major << 16 | minor}. */
    static final int XENVER_VERSION = 0;
    /** {@code XENVER_extraversion}: fills a {@code char[16]}. */
    static final int XENVER_EXTRAVERSION = 1;
    /** {@code XENVER_capabilities}: fills a {@code char[1024]}. */
    static final int XENVER_CAPABILITIES = 3;

    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_SHARED = 1;
    private static final long PAGE = 4096;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");

    private static final MethodHandle OPEN = downcall("open",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), ERRNO_OPTION);
    private static final MethodHandle IOCTL = downcall("ioctl",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), ERRNO_OPTION, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle MMAP = downcall("mmap",
        FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), ERRNO_OPTION);
    private static final MethodHandle MUNMAP = downcall("munmap",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), ERRNO_OPTION);
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle STRERROR = downcall("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private XenVersionProbe() {
    }

    private static MethodHandle downcall(final String name, final FunctionDescriptor descriptor,
                                         final Linker.Option... options) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(
            () -> new IllegalStateException("libc has no " + name)), descriptor, options);
    }

    /**
     * Runs the probe.
     *
     * @param args none
     */
    public static void main(final String[] args) {
        try {
            JvmFlags.requireNativeAccess(XenVersionProbe.class.getModule());
        } catch (IllegalStateException e) {
            System.out.println("FAIL " + e.getMessage());
            System.exit(2);
        }
        System.out.println("native access: enabled for " + XenVersionProbe.class.getModule());
        int status;
        try {
            status = run();
        } catch (Throwable t) {
            System.out.println("FAIL " + t);
            status = 1;
        }
        System.exit(status);
    }

    /**
     * Issues {@code xen_version(XENVER_version)} through {@code /dev/xen/privcmd}.
     *
     * @return {@code major << 16 | minor}
     * @throws Throwable when the device cannot be opened or the ioctl fails (the message names
     *                   the device, the ioctl and the errno)
     */
    static int xenVersion() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment errno = arena.allocate(CAPTURE);
            final int privcmd = open(arena, errno, "/dev/xen/privcmd");
            try {
                final MemorySegment call = arena.allocate(PrivcmdHypercall.LENGTH, 8);
                new PrivcmdHypercall().wrap(new UnsafeBuffer(call.address(), PrivcmdHypercall.LENGTH), 0)
                    .op(Xen.HYPERVISOR_XEN_VERSION).arg(0, XENVER_VERSION).arg(1, 0);
                return ioctl(errno, privcmd, call, "XENVER_version");
            } finally {
                final int closed = (int) CLOSE.invokeExact(privcmd);
                assert closed == 0;
            }
        }
    }

    private static int run() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment errno = arena.allocate(CAPTURE);
            final int privcmd = open(arena, errno, "/dev/xen/privcmd");
            try {
                // The hypercall argument: a privcmd_hypercall in native memory, written through
                // xen-abi's flyweight over an Agrona buffer at the segment's address.
                final MemorySegment call = arena.allocate(PrivcmdHypercall.LENGTH, 8);
                final PrivcmdHypercall hypercall = new PrivcmdHypercall()
                    .wrap(new UnsafeBuffer(call.address(), PrivcmdHypercall.LENGTH), 0);

                hypercall.op(Xen.HYPERVISOR_XEN_VERSION).arg(0, XENVER_VERSION).arg(1, 0);
                final int version = ioctl(errno, privcmd, call, "XENVER_version");
                System.out.printf("xen_version: %d.%d (0x%x)%n", version >>> 16, version & 0xffff, version);

                // Pointer arguments through a /dev/xen/hypercall page (what libxencall uses).
                final int hcall = open(arena, errno, "/dev/xen/hypercall");
                try {
                    final MemorySegment page = ((MemorySegment) MMAP.invokeExact(errno, MemorySegment.NULL, PAGE,
                        PROT_READ | PROT_WRITE, MAP_SHARED, hcall, 0L)).reinterpret(PAGE);
                    if (page.address() == -1L) {
                        System.out.println("mmap(/dev/xen/hypercall) failed: " + errnoText(errno));
                    } else {
                        try {
                            printStrings(errno, privcmd, hypercall, call, page, "hypercall buffer");
                        } finally {
                            final int unmapped = (int) MUNMAP.invokeExact(errno, page, PAGE);
                            if (unmapped != 0) {
                                System.out.println("munmap failed: " + errnoText(errno));
                            }
                        }
                    }
                } finally {
                    final int closed = (int) CLOSE.invokeExact(hcall);
                    assert closed == 0;
                }
                // The same through ordinary process memory: a PV dom0's kernel passes user
                // pointers through; other kernels (PVH, HVM) need the hypercall buffer above.
                final MemorySegment plain = arena.allocate(PAGE, PAGE);
                try {
                    printStrings(errno, privcmd, hypercall, call, plain, "process memory");
                } catch (IllegalStateException e) {
                    System.out.println("pointer argument in process memory: " + e.getMessage());
                }
                return (version >>> 16) >= 4 ? 0 : 1;
            } finally {
                final int closed = (int) CLOSE.invokeExact(privcmd);
                assert closed == 0;
            }
        }
    }

    private static void printStrings(final MemorySegment errno, final int privcmd, final PrivcmdHypercall hypercall,
                                     final MemorySegment call, final MemorySegment buffer, final String where)
        throws Throwable {
        buffer.fill((byte) 0);
        hypercall.op(Xen.HYPERVISOR_XEN_VERSION).arg(0, XENVER_EXTRAVERSION).arg(1, buffer.address());
        ioctl(errno, privcmd, call, "XENVER_extraversion");
        System.out.println("extraversion (" + where + "): " + buffer.getString(0, StandardCharsets.US_ASCII));
        buffer.fill((byte) 0);
        hypercall.op(Xen.HYPERVISOR_XEN_VERSION).arg(0, XENVER_CAPABILITIES).arg(1, buffer.address());
        ioctl(errno, privcmd, call, "XENVER_capabilities");
        System.out.println("capabilities (" + where + "): " + buffer.getString(0, StandardCharsets.US_ASCII));
    }

    private static int open(final Arena arena, final MemorySegment errno, final String path) throws Throwable {
        final int fd = (int) OPEN.invokeExact(errno, arena.allocateFrom(path), O_RDWR | O_CLOEXEC);
        if (fd < 0) {
            throw new IllegalStateException("open(" + path + ") failed: " + errnoText(errno));
        }
        return fd;
    }

    private static int ioctl(final MemorySegment errno, final int fd, final MemorySegment arg, final String what)
        throws Throwable {
        final int result = (int) IOCTL.invokeExact(errno, fd, Privcmd.IOCTL_PRIVCMD_HYPERCALL, arg);
        if (result < 0) {
            throw new IllegalStateException("ioctl(/dev/xen/privcmd, IOCTL_PRIVCMD_HYPERCALL, xen_version "
                + what + ") failed: " + errnoText(errno));
        }
        return result;
    }

    private static String errnoText(final MemorySegment capture) throws Throwable {
        final int errno = (int) ERRNO.get(capture, 0L);
        final MemorySegment text = ((MemorySegment) STRERROR.invokeExact(errno)).reinterpret(256);
        return "errno " + errno + " (" + text.getString(0) + ")";
    }
}
