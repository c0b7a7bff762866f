package io.xen4j.hal.linux.internal;

import io.xen4j.abi.linux.Gntdev;
import io.xen4j.abi.linux.IoctlGntdevUnmapNotify;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.MappedGrants;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.linux.LinuxXenException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.agrona.concurrent.AtomicBuffer;

/**
 * A peer's grants mapped through {@code /dev/xen/gntdev}. Closing detaches the buffer, unmaps
 * (the kernel unmaps the grants and runs the unmap notification) and releases the index.
 */
final class LinuxMappedGrants extends HalHandle implements MappedGrants {
    private final DeviceFile gntdev;
    private final int remoteDomid;
    private final int[] refs;
    private final boolean writable;
    private final long index;
    private final long address;
    private final String description;
    private final MappedView mapping;

    LinuxMappedGrants(
        final HostCore host, final DeviceFile gntdev, final int remoteDomid, final int[] refs, final boolean writable,
        final long index, final long address) {
        super(host);
        this.gntdev = gntdev;
        this.remoteDomid = remoteDomid;
        this.refs = refs;
        this.writable = writable;
        this.index = index;
        this.address = address;
        this.description = "grant mapping dom" + remoteDomid + " refs " + Native.list(refs)
            + (writable ? "" : " (read-only)") + " in dom" + host.domid();
        this.mapping = MappedView.of(description, writable, address, refs.length, null);
    }

    @Override
    int closeRank() {
        return CLOSE_FIRST;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public int remoteDomid() {
        return remoteDomid;
    }

    @Override
    public int pageCount() {
        return refs.length;
    }

    @Override
    public int grantRef(final int page) {
        if (page < 0 || page >= refs.length) {
            throw new IndexOutOfBoundsException("page=" + page + " pageCount=" + refs.length + " of " + description);
        }
        return refs[page];
    }

    @Override
    public boolean writable() {
        return writable;
    }

    @Override
    public AtomicBuffer buffer() {
        ensureOpen("buffer");
        return mapping.view();
    }

    @Override
    public void setUnmapNotify(final int byteOffset, final int port) {
        ensureOpen("setUnmapNotify");
        final String op = "set unmap notify of " + description + " (byte " + byteOffset + ", port " + port + ")";
        final int capacity = refs.length * Native.PAGE_SIZE;
        if (byteOffset < -1 || byteOffset >= capacity) {
            throw new XenHalException(op, Errno.EINVAL, "byte offset " + byteOffset + " is outside [0, " + capacity
                + ") and not -1");
        }
        if (byteOffset >= 0 && !writable) {
            throw new XenHalException(op, Errno.EINVAL, "a read-only mapping cannot clear a byte");
        }
        if (port < -1) {
            throw new XenHalException(op, Errno.EINVAL, "port " + port + " is not a port and not -1");
        }
        final int action = (byteOffset >= 0 ? Gntdev.UNMAP_NOTIFY_CLEAR_BYTE : 0)
            | (port >= 0 ? Gntdev.UNMAP_NOTIFY_SEND_EVENT : 0);
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment arg = arena.allocate(IoctlGntdevUnmapNotify.LENGTH, 8);
            new IoctlGntdevUnmapNotify().wrap(Native.buffer(arg), 0)
                .index(index + Math.max(0, byteOffset)).action(action).eventChannelPort(Math.max(0, port));
            final int r = gntdev.ioctl(Ioctl.GNTDEV_SET_UNMAP_NOTIFY, arg, 0);
            if (r < 0) {
                throw new LinuxXenException(op, gntdev.path(), Ioctl.GNTDEV_SET_UNMAP_NOTIFY.call(), -r,
                    -r == LinuxErrno.EINVAL ? "port " + port + " is not bound by this domain's event channels"
                        : gntdev.hint(-r));
            }
        }
    }

    @Override
    protected void releaseResource() {
        XenHalException busy = null;
        try {
            mapping.unmap("unmapped");
        } catch (final XenHalException e) {
            busy = e;
        }
        // Also when the pages stay mapped (a ByteBuffer in use): the kernel then frees them
        // with the mapping, at exit.
        if (!gntdev.isClosed()) {
            final int r = LinuxGrantTables.unmapGrantRef(gntdev, index, refs.length);
            if (r < 0 && !gntdev.isClosed()) {
                throw gntdev.failure("unmap " + description, Ioctl.GNTDEV_UNMAP_GRANT_REF.call(), -r);
            }
        }
        if (busy != null) {
            throw busy;
        }
    }
}
