package io.xen4j.hal.linux.internal;

import io.xen4j.hal.linux.LinuxXenException;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One open Linux device file ({@code /dev/xen/evtchn}, ...): its path for messages and its file
 * descriptor, which no call can use after {@link #close()}. Every call holds a read lock and
 * closing takes the write lock, so a descriptor is never closed under a running call and a
 * number the kernel hands out again is never used by mistake.
 */
public final class DeviceFile implements AutoCloseable {
    private final String path;
    private final int fd;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private DeviceFile(final String path, final int fd) {
        this.path = path;
        this.fd = fd;
    }

    /**
     * Opens a device.
     *
     * @param operation what the device is opened for, for the message
     * @param path      the device path
     * @param flags     {@code O_*} flags; {@code O_CLOEXEC} is added
     * @return the open device
     * @throws LinuxXenException naming the path and the errno
     */
    public static DeviceFile open(final String operation, final String path, final int flags) {
        final int fd = Libc.open(path, flags | Libc.O_CLOEXEC);
        if (fd < 0) {
            throw new LinuxXenException(operation, path, "open", -fd, openHint(path, -fd));
        }
        return new DeviceFile(path, fd);
    }

    static String openHint(final String path, final int errno) {
        return switch (errno) {
            case LinuxErrno.ENOENT -> "the device does not exist: not running on Xen, or its module is not loaded"
                + " (xen-evtchn, xen-gntalloc, xen-gntdev, xen-privcmd; xenfs on /proc/xen)";
            case LinuxErrno.EACCES, LinuxErrno.EPERM -> "no permission to open " + path
                + ": run as root or give this user access to the device";
            case LinuxErrno.ENODEV, 6 -> "the device exists but has no driver behind it: not running on Xen?";
            default -> "";
        };
    }

    /**
     * What an errno usually means for a call on this device.
     *
     * @param errno the error number
     * @return the hint, possibly empty
     */
    public String hint(final int errno) {
        return switch (Math.abs(errno)) {
            case LinuxErrno.EPERM, LinuxErrno.EACCES -> path.endsWith("privcmd")
                ? "not permitted: this domain is not privileged for it (not dom0, or the target is not its to"
                    + " manage), the process is not root, or the privcmd file was restricted"
                : "not permitted: this domain or process lacks the privilege";
            case LinuxErrno.ENOTTY -> "the file does not know this ioctl: it is not the Xen device expected, or"
                + " the kernel is too old for the request";
            case LinuxErrno.EBADF -> "the device file is closed";
            default -> "";
        };
    }

    /**
     * The device path.
     *
     * @return e.g. {@code "/dev/xen/evtchn"}
     */
    public String path() {
        return path;
    }

    /**
     * An exception for a failed call on this device.
     *
     * @param operation what was attempted
     * @param call      the call, e.g. {@link Ioctl#call()}
     * @param errno     the error number
     * @return the exception, to throw
     */
    public LinuxXenException failure(final String operation, final String call, final int errno) {
        return new LinuxXenException(operation, path, call, errno, hint(errno));
    }

    /**
     * {@code ioctl}, returning {@code -errno} on failure.
     *
     * @param request  the request
     * @param arg      the argument
     * @param minBytes bytes the argument must hold beyond what the request encodes (flexible arrays)
     * @return the result, or {@code -errno} ({@code -EBADF} once closed)
     */
    public int ioctl(final Ioctl request, final MemorySegment arg, final long minBytes) {
        final Lock r = lock.readLock();
        r.lock();
        try {
            return closed ? -LinuxErrno.EBADF : Libc.ioctl(fd, request.request(), arg, minBytes);
        } finally {
            r.unlock();
        }
    }

    /**
     * {@code ioctl}, throwing on failure.
     *
     * @param operation what was attempted, for the message
     * @param request   the request
     * @param arg       the argument
     * @param minBytes  bytes the argument must hold
     * @return the non-negative result
     * @throws LinuxXenException naming the device, the ioctl and the errno
     */
    public int ioctlOrThrow(final String operation, final Ioctl request, final MemorySegment arg, final long minBytes) {
        final int r = ioctl(request, arg, minBytes);
        if (r < 0) {
            throw failure(operation, request.call(), -r);
        }
        return r;
    }

    /**
     * {@code ioctl} with a 64-bit result ({@link Libc#ioctlLong}).
     *
     * @param request the request
     * @param arg     the argument
     * @return the result, or {@code -errno}
     */
    public long ioctlLong(final Ioctl request, final MemorySegment arg) {
        final Lock r = lock.readLock();
        r.lock();
        try {
            return closed ? -LinuxErrno.EBADF : Libc.ioctlLong(fd, request.request(), arg);
        } finally {
            r.unlock();
        }
    }

    /**
     * {@code mmap} of this device.
     *
     * @param length bytes, whole pages
     * @param prot   {@code PROT_*}
     * @param offset the offset the device gave for the mapping
     * @return the address, or {@code -errno}
     */
    public long mmap(final long length, final int prot, final long offset) {
        final Lock r = lock.readLock();
        r.lock();
        try {
            return closed ? -LinuxErrno.EBADF : Libc.mmap(length, prot, Libc.MAP_SHARED, fd, offset);
        } finally {
            r.unlock();
        }
    }

    /**
     * {@code read}.
     *
     * @param buffer where to read to
     * @param count  bytes at most
     * @return bytes read, or {@code -errno}
     */
    public long read(final MemorySegment buffer, final long count) {
        final Lock r = lock.readLock();
        r.lock();
        try {
            return closed ? -LinuxErrno.EBADF : Libc.read(fd, buffer, count);
        } finally {
            r.unlock();
        }
    }

    /**
     * {@code write}.
     *
     * @param buffer what to write
     * @param count  bytes
     * @return bytes written, or {@code -errno}
     */
    public long write(final MemorySegment buffer, final long count) {
        final Lock r = lock.readLock();
        r.lock();
        try {
            return closed ? -LinuxErrno.EBADF : Libc.write(fd, buffer, count);
        } finally {
            r.unlock();
        }
    }

    /**
     * {@code poll} for input.
     *
     * @param timeoutMs how long to wait at most, 0 to only check
     * @return the returned events when ready, 0 on timeout, or {@code -errno}
     */
    public int pollIn(final int timeoutMs) {
        final Lock r = lock.readLock();
        r.lock();
        try {
            return closed ? -LinuxErrno.EBADF : Libc.poll(fd, Libc.POLLIN, timeoutMs);
        } finally {
            r.unlock();
        }
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        final Lock r = lock.readLock();
        r.lock();
        try {
            return closed;
        } finally {
            r.unlock();
        }
    }

    /**
     * Closes the descriptor once no call runs on it. Closing twice is harmless. The kernel
     * releases what the file held: ports bound through it, grants mapped through it.
     */
    @Override
    public void close() {
        final Lock w = lock.writeLock();
        w.lock();
        try {
            if (!closed) {
                closed = true;
                Libc.close(fd);
            }
        } finally {
            w.unlock();
        }
    }

    @Override
    public String toString() {
        return path + (closed ? " (closed)" : " (fd " + fd + ")");
    }
}
