package io.xen4j.hal.linux.internal;

/**
 * Names of the Linux x86_64 {@code errno} values ({@code asm-generic/errno-base.h} and
 * {@code errno.h}), for messages: the HAL's {@link io.xen4j.hal.api.Errno} lists only the numbers
 * a HAL request can report, while a failed system call can give any of these.
 */
public final class LinuxErrno {
    /** Operation not permitted. */
    public static final int EPERM = 1;
    /** No such file or directory. */
    public static final int ENOENT = 2;
    /** No such process (for Xen: no such domain). */
    public static final int ESRCH = 3;
    /** Interrupted system call. */
    public static final int EINTR = 4;
    /** Bad file descriptor. */
    public static final int EBADF = 9;
    /** Try again. */
    public static final int EAGAIN = 11;
    /** Out of memory. */
    public static final int ENOMEM = 12;
    /** Permission denied. */
    public static final int EACCES = 13;
    /** Bad address. */
    public static final int EFAULT = 14;
    /** Device or resource busy. */
    public static final int EBUSY = 16;
    /** No such device. */
    public static final int ENODEV = 19;
    /** Invalid argument. */
    public static final int EINVAL = 22;
    /** Not a typewriter: the file does not know the ioctl. */
    public static final int ENOTTY = 25;
    /** File too large: the evtchn device's ring overflowed. */
    public static final int EFBIG = 27;
    /** No space left on device. */
    public static final int ENOSPC = 28;
    /** Function not implemented. */
    public static final int ENOSYS = 38;
    /** Operation not supported. */
    public static final int EOPNOTSUPP = 95;
    /** Transport endpoint is not connected. */
    public static final int ENOTCONN = 107;

    private static final String[] NAMES = new String[134];

    static {
        final String[] names = {
            "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG", "ENOEXEC", "EBADF", "ECHILD",
            "EAGAIN", "ENOMEM", "EACCES", "EFAULT", "ENOTBLK", "EBUSY", "EEXIST", "EXDEV", "ENODEV", "ENOTDIR",
            "EISDIR", "EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG", "ENOSPC", "ESPIPE", "EROFS",
            "EMLINK", "EPIPE", "EDOM", "ERANGE", "EDEADLK", "ENAMETOOLONG", "ENOLCK", "ENOSYS", "ENOTEMPTY", "ELOOP",
        };
        for (int i = 0; i < names.length; i++) {
            NAMES[i + 1] = names[i];
        }
        NAMES[61] = "ENODATA";
        NAMES[62] = "ETIME";
        NAMES[71] = "EPROTO";
        NAMES[75] = "EOVERFLOW";
        NAMES[84] = "EILSEQ";
        NAMES[90] = "EMSGSIZE";
        NAMES[95] = "EOPNOTSUPP";
        NAMES[103] = "ECONNABORTED";
        NAMES[104] = "ECONNRESET";
        NAMES[105] = "ENOBUFS";
        NAMES[106] = "EISCONN";
        NAMES[107] = "ENOTCONN";
        NAMES[110] = "ETIMEDOUT";
        NAMES[111] = "ECONNREFUSED";
        NAMES[113] = "EHOSTUNREACH";
        NAMES[114] = "EALREADY";
        NAMES[115] = "EINPROGRESS";
        NAMES[122] = "EDQUOT";
        NAMES[125] = "ECANCELED";
    }

    private LinuxErrno() {
    }

    /**
     * The C name of an error number.
     *
     * @param errno the number, positive or negative
     * @return e.g. {@code "ENOTTY"}, or {@code "errno 77"} for one without a name here
     */
    public static String name(final int errno) {
        final int n = Math.abs(errno);
        final String name = n < NAMES.length ? NAMES[n] : null;
        return name != null ? name : "errno " + n;
    }

    /**
     * The name and number, as messages print them.
     *
     * @param errno the number, positive or negative
     * @return e.g. {@code "ENOTTY (25)"}
     */
    public static String describe(final int errno) {
        final int n = Math.abs(errno);
        final String name = name(n);
        return name.startsWith("errno ") ? name : name + " (" + n + ")";
    }
}
