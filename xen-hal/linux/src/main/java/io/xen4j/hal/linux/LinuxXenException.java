package io.xen4j.hal.linux;

import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.linux.internal.LinuxErrno;
import io.xen4j.hal.linux.internal.Libc;
import java.io.Serial;

/**
 * A system call on a Linux Xen device failed. Besides what was attempted (the domain, port or
 * grant reference), the message names the device path, the call (for an ioctl, the request by
 * its C name), the errno by name and number, and what it usually means:
 *
 * <pre>
 * hypercall 17 (xen_version) failed: EPERM (1): ioctl IOCTL_PRIVCMD_HYPERCALL on /dev/xen/privcmd: EPERM (1, Operation not permitted): this domain or process is not privileged ...
 * </pre>
 */
public final class LinuxXenException extends XenHalException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The device or file path. */
    private final String device;
    /** The system call, with the ioctl's name: {@code "ioctl IOCTL_GNTDEV_MAP_GRANT_REF"}. */
    private final String call;

    /**
     * Creates the exception.
     *
     * @param operation what was attempted, naming domain, port or reference
     * @param device    the device or file path
     * @param call      the system call: {@code "open"}, {@code "mmap"}, or
     *                  {@code "ioctl IOCTL_EVTCHN_NOTIFY"}
     * @param errno     the error number, positive or negative
     * @param hint      what it means or what to do; may be empty
     */
    public LinuxXenException(
        final String operation, final String device, final String call, final int errno, final String hint) {
        super(operation, errno, detail(device, call, errno, hint));
        this.device = device;
        this.call = call;
    }

    private static String detail(final String device, final String call, final int errno, final String hint) {
        final int n = Math.abs(errno);
        return call + " on " + device + ": " + LinuxErrno.name(n) + " (" + n + ", " + Libc.strerror(n) + ")"
            + (hint.isEmpty() ? "" : ": " + hint);
    }

    /**
     * The device or file the call was made on.
     *
     * @return e.g. {@code "/dev/xen/gntdev"}
     */
    public String device() {
        return device;
    }

    /**
     * The system call that failed.
     *
     * @return e.g. {@code "ioctl IOCTL_GNTDEV_MAP_GRANT_REF"} or {@code "open"}
     */
    public String call() {
        return call;
    }

    /**
     * The C name of the errno.
     *
     * @return e.g. {@code "ENOTTY"}
     */
    public String errnoName() {
        return LinuxErrno.name(errnoNumber());
    }
}
