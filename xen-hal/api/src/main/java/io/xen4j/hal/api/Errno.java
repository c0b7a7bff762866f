package io.xen4j.hal.api;

import org.jspecify.annotations.Nullable;

/**
 * The error numbers the hypervisor and the Linux {@code /dev/xen} drivers report, with the values
 * of Xen's {@code xen/errno.h}, which are those of Linux on x86 and Arm.
 *
 * <p>Only the numbers a HAL call can produce are listed; {@link #of(int)} returns {@code null} for
 * the others, and {@link XenHalException#errnoNumber()} still carries the number.
 */
public enum Errno {
    /** Operation not permitted: the domain lacks the privilege. */
    EPERM(1),
    /** No such entry: for foreign mappings, a frame paged out or absent. */
    ENOENT(2),
    /** No such domain (or process). */
    ESRCH(3),
    /** Interrupted system call. */
    EINTR(4),
    /** I/O error. */
    EIO(5),
    /** No such device or address. */
    ENXIO(6),
    /** Argument list too long. */
    E2BIG(7),
    /** Bad file descriptor: the device handle is closed. */
    EBADF(9),
    /** Try again: a transient condition. */
    EAGAIN(11),
    /** Out of memory, or out of a per-domain quota. */
    ENOMEM(12),
    /** Permission denied. */
    EACCES(13),
    /** Bad address. */
    EFAULT(14),
    /** Device or resource busy: for grants, still mapped by the peer. */
    EBUSY(16),
    /** Already exists: for VIRQs, already bound. */
    EEXIST(17),
    /** No such device. */
    ENODEV(19),
    /** Invalid argument: for event channels, a port in the wrong state. */
    EINVAL(22),
    /** No space left: for grants, the grant table is full. */
    ENOSPC(28),
    /** Function not implemented: a hypercall the hypervisor or the backend does not know. */
    ENOSYS(38),
    /** Operation not supported. */
    EOPNOTSUPP(95),
    /** Already connected. */
    EISCONN(106),
    /** Not connected. */
    ENOTCONN(107),
    /** Timed out. */
    ETIMEDOUT(110);

    private static final Errno[] BY_NUMBER = new Errno[128];

    static {
        for (final Errno e : values()) {
            BY_NUMBER[e.number] = e;
        }
    }

    private final int number;

    Errno(final int number) {
        this.number = number;
    }

    /**
     * The positive error number, as in {@code errno} after a failed system call.
     *
     * @return the number
     */
    public int number() {
        return number;
    }

    /**
     * Looks an error number up.
     *
     * @param number the number, positive ({@code errno}) or negative (a hypercall's return value)
     * @return the constant, or {@code null} if the number is not one listed here
     */
    public static @Nullable Errno of(final int number) {
        final int n = Math.abs(number);
        return n < BY_NUMBER.length ? BY_NUMBER[n] : null;
    }

    /**
     * Names an error number for a message: {@code "EINVAL (22)"}, or {@code "errno 77"} when the
     * number is not listed here.
     *
     * @param number the number, positive or negative
     * @return the name and number
     */
    public static String describe(final int number) {
        final Errno e = of(number);
        return e == null ? "errno " + Math.abs(number) : e.name() + " (" + e.number + ")";
    }
}
