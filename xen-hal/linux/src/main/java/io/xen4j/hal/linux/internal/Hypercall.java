package io.xen4j.hal.linux.internal;

import io.xen4j.abi.Xen;
import io.xen4j.abi.linux.PrivcmdHypercall;
import io.xen4j.hal.linux.LinuxXenException;
import io.xen4j.hal.linux.internal.LinuxPaths.Device;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * {@code IOCTL_PRIVCMD_HYPERCALL}: the argument written with xen-abi's {@link PrivcmdHypercall}
 * flyweight into native memory, the 64-bit result read through {@code syscall(SYS_ioctl)}.
 */
public final class Hypercall {
    /** Entries in the hypercall page: the hypercall numbers that exist at all. */
    public static final int MAX_HYPERCALLS = 128;

    private Hypercall() {
    }

    /**
     * The C name of a hypercall, for messages.
     *
     * @param op the number
     * @return e.g. {@code "hypercall 17 (xen_version)"}
     */
    public static String describe(final int op) {
        final String name = switch (op) {
            case Xen.HYPERVISOR_PLATFORM_OP -> "platform_op";
            case Xen.HYPERVISOR_MEMORY_OP -> "memory_op";
            case Xen.HYPERVISOR_XEN_VERSION -> "xen_version";
            case Xen.HYPERVISOR_CONSOLE_IO -> "console_io";
            case Xen.HYPERVISOR_GRANT_TABLE_OP -> "grant_table_op";
            case Xen.HYPERVISOR_EVENT_CHANNEL_OP -> "event_channel_op";
            case Xen.HYPERVISOR_SYSCTL -> "sysctl";
            default -> "";
        };
        return "hypercall " + op + (name.isEmpty() ? "" : " (" + name + ")");
    }

    /**
     * Writes the ioctl argument.
     *
     * @param segment at least {@link PrivcmdHypercall#LENGTH} bytes
     * @param op      the hypercall number
     * @param args    up to five arguments; the others are zero
     */
    public static void encode(final MemorySegment segment, final int op, final long... args) {
        check(op, args);
        final PrivcmdHypercall call = new PrivcmdHypercall().wrap(Native.buffer(segment), 0);
        call.clear();
        call.op(op);
        for (int i = 0; i < args.length; i++) {
            call.arg(i, args[i]);
        }
    }

    static void check(final int op, final long[] args) {
        if (args.length > PrivcmdHypercall.ARG_COUNT) {
            throw new IllegalArgumentException(describe(op) + ": " + args.length + " arguments, at most "
                + PrivcmdHypercall.ARG_COUNT);
        }
        if (op < 0 || op >= MAX_HYPERCALLS) {
            throw new IllegalArgumentException("hypercall " + op + ": not in [0, " + MAX_HYPERCALLS + ")");
        }
    }

    static long call(final HostCore host, final String operation, final int op, final long... args) {
        check(op, args);
        final DeviceFile privcmd = host.device(Device.PRIVCMD, operation);
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment arg = arena.allocate(PrivcmdHypercall.LENGTH, 8);
            encode(arg, op, args);
            final long r = privcmd.ioctlLong(Ioctl.PRIVCMD_HYPERCALL, arg);
            if (r < 0 && r >= -4095) {
                throw new LinuxXenException(operation, privcmd.path(), Ioctl.PRIVCMD_HYPERCALL.call(), (int) -r,
                    hint(privcmd, (int) -r));
            }
            return r;
        }
    }

    private static String hint(final DeviceFile privcmd, final int errno) {
        return switch (errno) {
            case LinuxErrno.ENOSYS -> "the hypervisor does not implement it";
            case LinuxErrno.EFAULT -> "a pointer argument is not readable by the hypervisor: pass a hypercall buffer";
            default -> privcmd.hint(errno);
        };
    }
}
