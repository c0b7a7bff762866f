package io.xen4j.hal.linux.internal;

import io.xen4j.abi.linux.Gntalloc;
import io.xen4j.abi.linux.IoctlGntallocUnmapNotify;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.api.UnsupportedServiceException;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenService;
import io.xen4j.hal.linux.LinuxXenHost;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.agrona.concurrent.AtomicBuffer;

/**
 * Pages shared through {@code /dev/xen/gntalloc}: mapped at the index the allocation returned.
 * Closing detaches the buffer, unmaps and deallocates; the kernel ends the grants, at once when
 * the peer does not map them, else when it lets go.
 */
final class LinuxSharedPages extends HalHandle implements SharedPages {
    private final LinuxGrantTables grants;
    private final DeviceFile gntalloc;
    private final int remoteDomid;
    private final int[] refs;
    private final boolean writable;
    private final long index;
    private final long address;
    private final String description;
    private final MappedView mapping;

    LinuxSharedPages(
        final HostCore host, final LinuxGrantTables grants, final DeviceFile gntalloc, final int remoteDomid,
        final int[] refs, final boolean writable, final long index, final long address) {
        super(host);
        this.grants = grants;
        this.gntalloc = gntalloc;
        this.remoteDomid = remoteDomid;
        this.refs = refs;
        this.writable = writable;
        this.index = index;
        this.address = address;
        this.description = "shared pages of dom" + host.domid() + " for dom" + remoteDomid + " refs "
            + Native.list(refs) + (writable ? "" : " (read-only grants)");
        // This domain always writes its own pages, whatever the peer may do.
        this.mapping = MappedView.of(description, true, address, refs.length, null);
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
    public boolean writable() {
        return writable;
    }

    @Override
    public int grantRef(final int page) {
        if (page < 0 || page >= refs.length) {
            throw new IndexOutOfBoundsException("page=" + page + " pageCount=" + refs.length + " of " + description);
        }
        return refs[page];
    }

    @Override
    public AtomicBuffer buffer() {
        ensureOpen("buffer");
        return mapping.view();
    }

    @Override
    public boolean tryEndAccess() {
        ensureOpen("tryEndAccess");
        return grants.tryEndAccess(refs, "end access to " + description);
    }

    @Override
    public boolean tryEndAccess(final int page) {
        ensureOpen("tryEndAccess");
        return grants.tryEndAccess(grantRef(page), description);
    }

    @Override
    public boolean canGrantAgain() {
        // gntalloc has no ioctl that publishes an ended reference again, and writing the entry
        // behind its back would leave the kernel's bookkeeping of the reference wrong.
        return false;
    }

    @Override
    public int grantAgain(final int page) {
        grantRef(page);
        ensureOpen("grantAgain");
        throw new UnsupportedServiceException(XenService.GRANT_TABLES, LinuxXenHost.BACKEND, host.domid(),
            "/dev/xen/gntalloc cannot grant page " + page + " of " + description
                + " again once its access was ended (share a fresh page instead)");
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
        if (port < -1) {
            throw new XenHalException(op, Errno.EINVAL, "port " + port + " is not a port and not -1");
        }
        final int action = (byteOffset >= 0 ? Gntalloc.UNMAP_NOTIFY_CLEAR_BYTE : 0)
            | (port >= 0 ? Gntalloc.UNMAP_NOTIFY_SEND_EVENT : 0);
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment arg = arena.allocate(IoctlGntallocUnmapNotify.LENGTH, 8);
            new IoctlGntallocUnmapNotify().wrap(Native.buffer(arg), 0)
                .index(index + Math.max(0, byteOffset)).action(action).eventChannelPort(Math.max(0, port));
            final int r = gntalloc.ioctl(Ioctl.GNTALLOC_SET_UNMAP_NOTIFY, arg, 0);
            if (r < 0) {
                throw new io.xen4j.hal.linux.LinuxXenException(op, gntalloc.path(), Ioctl.GNTALLOC_SET_UNMAP_NOTIFY.call(),
                    -r, -r == LinuxErrno.EINVAL ? "port " + port + " is not bound by this domain's event channels"
                        : gntalloc.hint(-r));
            }
        }
    }

    @Override
    protected void releaseResource() {
        XenHalException busy = null;
        try {
            mapping.unmap("unshared");
        } catch (final XenHalException e) {
            busy = e;
        }
        // Also when the pages stay mapped (a ByteBuffer in use): the kernel then frees them
        // with the mapping, at exit.
        if (!gntalloc.isClosed()) {
            final int r = LinuxGrantTables.dealloc(gntalloc, index, refs.length);
            if (r < 0 && !gntalloc.isClosed()) {
                throw gntalloc.failure("unshare " + description, Ioctl.GNTALLOC_DEALLOC_GREF.call(), -r);
            }
        }
        if (busy != null) {
            throw busy;
        }
    }
}
