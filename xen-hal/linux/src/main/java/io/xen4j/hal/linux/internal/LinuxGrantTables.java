package io.xen4j.hal.linux.internal;

import io.xen4j.abi.Xen;
import io.xen4j.abi.grant.GrantTable;
import io.xen4j.abi.linux.Gntalloc;
import io.xen4j.abi.linux.IoctlGntallocAllocGref;
import io.xen4j.abi.linux.IoctlGntallocDeallocGref;
import io.xen4j.abi.linux.IoctlGntdevGrantCopy;
import io.xen4j.abi.linux.IoctlGntdevGrantCopySegment;
import io.xen4j.abi.linux.IoctlGntdevMapGrantRef;
import io.xen4j.abi.linux.IoctlGntdevUnmapGrantRef;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.GrantCopyBatch;
import io.xen4j.hal.api.GrantStatusException;
import io.xen4j.hal.api.GrantTables;
import io.xen4j.hal.api.MappedGrants;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.linux.LinuxXenException;
import io.xen4j.hal.linux.internal.LinuxPaths.Device;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@link GrantTables} over {@code /dev/xen/gntalloc} (share: {@code IOCTL_GNTALLOC_ALLOC_GREF},
 * then {@code mmap} at the returned index) and {@code /dev/xen/gntdev} (map:
 * {@code IOCTL_GNTDEV_MAP_GRANT_REF}, then {@code mmap}; copy: {@code IOCTL_GNTDEV_GRANT_COPY}).
 *
 * <p>gntdev reports a refused map only as {@code EINVAL} from {@code mmap}, without the
 * hypervisor's {@code GNTST_*} status; to name the refused reference and its status the HAL then
 * maps the references one by one and asks the hypervisor through a one-byte grant copy.
 */
public final class LinuxGrantTables implements GrantTables {
    private final HostCore host;
    private final OwnGrantTable ownTable;
    /** Native memory for grant copies, grown as batches need; guarded by this. */
    private MemorySegment copySegments = MemorySegment.NULL;
    private MemorySegment copyBounce = MemorySegment.NULL;

    /**
     * Creates the service.
     *
     * @param host the host
     */
    public LinuxGrantTables(final HostCore host) {
        this.host = host;
        this.ownTable = new OwnGrantTable(host);
    }

    /**
     * This domain's grant table, as the HAL reads it.
     *
     * @return the table view
     */
    public OwnGrantTable ownTable() {
        return ownTable;
    }

    /**
     * Writes the {@code ioctl_gntalloc_alloc_gref} argument.
     *
     * @param arg      at least {@link IoctlGntallocAllocGref#lengthFor(int)} bytes
     * @param domid    the remote domain
     * @param writable whether it may write
     * @param count    the page count
     */
    public static void encodeAllocGref(final MemorySegment arg, final int domid, final boolean writable, final int count) {
        final IoctlGntallocAllocGref a = new IoctlGntallocAllocGref().wrap(Native.buffer(arg), 0);
        Native.buffer(arg).setMemory(0, (int) arg.byteSize(), (byte) 0);
        a.domid(domid).flags(writable ? Gntalloc.GNTALLOC_FLAG_WRITABLE : 0).count(count);
    }

    /**
     * Writes the {@code ioctl_gntdev_map_grant_ref} argument.
     *
     * @param arg   at least {@link IoctlGntdevMapGrantRef#lengthFor(int)} bytes
     * @param domid the granting domain
     * @param refs  the references
     */
    public static void encodeMapGrantRef(final MemorySegment arg, final int domid, final int[] refs) {
        final UnsafeBuffer b = Native.buffer(arg);
        b.setMemory(0, b.capacity(), (byte) 0);
        final IoctlGntdevMapGrantRef m = new IoctlGntdevMapGrantRef().wrap(b, 0);
        m.count(refs.length);
        for (int i = 0; i < refs.length; i++) {
            m.grantDomid(i, domid).grantRef(i, refs[i]);
        }
    }

    private static void checkDomid(final String op, final int domid) {
        if (domid < 0 || domid >= Xen.DOMID_FIRST_RESERVED) {
            throw new XenHalException(op, Errno.EINVAL, "dom" + domid + " is not a domain id (0.."
                + (Xen.DOMID_FIRST_RESERVED - 1) + ")");
        }
    }

    @Override
    public SharedPages share(final int remoteDomid, final int pageCount, final boolean writable) {
        final String op = "share " + pageCount + " page" + (pageCount == 1 ? "" : "s") + " of dom" + host.domid()
            + " with dom" + remoteDomid + (writable ? " writable" : " read-only");
        checkDomid(op, remoteDomid);
        if (pageCount < 1 || pageCount > Native.MAX_PAGES) {
            throw new XenHalException(op, Errno.EINVAL, "page count " + pageCount + " is not in [1, "
                + Native.MAX_PAGES + "]");
        }
        final DeviceFile gntalloc = host.device(Device.GNTALLOC, op);
        final int[] refs = new int[pageCount];
        final long index;
        try (Arena arena = Arena.ofConfined()) {
            final long size = IoctlGntallocAllocGref.lengthFor(pageCount);
            final MemorySegment arg = arena.allocate(size, 8);
            encodeAllocGref(arg, remoteDomid, writable, pageCount);
            final int r = gntalloc.ioctl(Ioctl.GNTALLOC_ALLOC_GREF, arg, size);
            if (r < 0) {
                throw new LinuxXenException(op, gntalloc.path(), Ioctl.GNTALLOC_ALLOC_GREF.call(), -r,
                    -r == LinuxErrno.ENOSPC ? "the gntalloc limit of grants is reached ("
                        + gntallocLimit() + "), or the grant table is full" : gntalloc.hint(-r));
            }
            final IoctlGntallocAllocGref a = new IoctlGntallocAllocGref().wrap(Native.buffer(arg), 0);
            index = a.index();
            for (int i = 0; i < pageCount; i++) {
                refs[i] = a.grefId(i);
            }
        }
        final long length = (long) pageCount * Native.PAGE_SIZE;
        final long address = gntalloc.mmap(length, Libc.PROT_READ | Libc.PROT_WRITE, index);
        if (address < 0) {
            dealloc(gntalloc, index, pageCount);
            throw gntalloc.failure(op, "mmap", (int) -address);
        }
        final LinuxSharedPages s = new LinuxSharedPages(host, this, gntalloc, remoteDomid, refs, writable, index,
            address);
        host.register(s);
        return s;
    }

    private static String gntallocLimit() {
        try {
            return "/sys/module/xen_gntalloc/parameters/limit = " + Files.readString(
                Path.of("/sys/module/xen_gntalloc/parameters/limit"), StandardCharsets.US_ASCII).trim();
        } catch (final IOException e) {
            return "/sys/module/xen_gntalloc/parameters/limit";
        }
    }

    static int dealloc(final DeviceFile gntalloc, final long index, final int count) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment arg = arena.allocate(IoctlGntallocDeallocGref.LENGTH, 8);
            new IoctlGntallocDeallocGref().wrap(Native.buffer(arg), 0).index(index).count(count);
            return gntalloc.ioctl(Ioctl.GNTALLOC_DEALLOC_GREF, arg, 0);
        }
    }

    static int unmapGrantRef(final DeviceFile gntdev, final long index, final int count) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment arg = arena.allocate(IoctlGntdevUnmapGrantRef.LENGTH, 8);
            new IoctlGntdevUnmapGrantRef().wrap(Native.buffer(arg), 0).index(index).count(count);
            return gntdev.ioctl(Ioctl.GNTDEV_UNMAP_GRANT_REF, arg, 0);
        }
    }

    @Override
    public MappedGrants map(final int remoteDomid, final int ref, final boolean writable) {
        return map(remoteDomid, new int[] {ref}, writable);
    }

    @Override
    public MappedGrants map(final int remoteDomid, final int[] refs, final boolean writable) {
        final int[] copy = refs.clone();
        final String op = "map grant dom" + remoteDomid + " refs " + Native.list(copy)
            + (writable ? " writable" : " read-only") + " into dom" + host.domid();
        checkDomid(op, remoteDomid);
        if (copy.length < 1 || copy.length > Native.MAX_PAGES) {
            throw new XenHalException(op, Errno.EINVAL, "reference count " + copy.length + " is not in [1, "
                + Native.MAX_PAGES + "]");
        }
        final DeviceFile gntdev = host.device(Device.GNTDEV, op);
        final long[] out = new long[2];
        final int errno = tryMap(gntdev, op, remoteDomid, copy, writable, out);
        if (errno != 0) {
            throw refused(gntdev, op, remoteDomid, copy, writable, errno);
        }
        final LinuxMappedGrants m = new LinuxMappedGrants(host, gntdev, remoteDomid, copy, writable, out[0], out[1]);
        host.register(m);
        return m;
    }

    /** Maps; on success out = {index, address} and 0 is returned; on a refused map, the errno. */
    private static int tryMap(
        final DeviceFile gntdev, final String op, final int domid, final int[] refs, final boolean writable,
        final long[] out) {
        final long index;
        try (Arena arena = Arena.ofConfined()) {
            final long size = IoctlGntdevMapGrantRef.lengthFor(refs.length);
            final MemorySegment arg = arena.allocate(size, 8);
            encodeMapGrantRef(arg, domid, refs);
            final int r = gntdev.ioctl(Ioctl.GNTDEV_MAP_GRANT_REF, arg, size);
            if (r < 0) {
                throw gntdev.failure(op, Ioctl.GNTDEV_MAP_GRANT_REF.call(), -r);
            }
            index = new IoctlGntdevMapGrantRef().wrap(Native.buffer(arg), 0).index();
        }
        final long length = (long) refs.length * Native.PAGE_SIZE;
        final long address = gntdev.mmap(length, Libc.PROT_READ | (writable ? Libc.PROT_WRITE : 0), index);
        if (address < 0) {
            unmapGrantRef(gntdev, index, refs.length);
            if (-address == LinuxErrno.EINVAL) {
                return LinuxErrno.EINVAL;
            }
            throw gntdev.failure(op, "mmap", (int) -address);
        }
        out[0] = index;
        out[1] = address;
        return 0;
    }

    /** Finds the reference the hypervisor refused, and why. */
    private XenHalException refused(
        final DeviceFile gntdev, final String op, final int domid, final int[] refs, final boolean writable,
        final int errno) {
        final long[] out = new long[2];
        for (final int ref : refs) {
            if (tryMap(gntdev, op, domid, new int[] {ref}, writable, out) == 0) {
                Libc.munmap(out[1], Native.PAGE_SIZE);
                unmapGrantRef(gntdev, out[0], 1);
                continue;
            }
            int status = probe(domid, ref);
            final String detail;
            if (status == GrantTable.GNTST_OKAY) {
                status = GrantTable.GNTST_GENERAL_ERROR;
                detail = writable ? "the grant can be read but not mapped writable: it is read-only (GTF_readonly)"
                    : "the hypervisor refused the map (" + Ioctl.GNTDEV_MAP_GRANT_REF.name() + " then mmap on "
                        + gntdev.path() + ")";
            } else {
                detail = "mmap on " + gntdev.path() + " failed with EINVAL; a grant copy of the reference says why";
            }
            final String what = "map grant dom" + domid + " ref " + Integer.toUnsignedString(ref)
                + (refs.length > 1 ? " (of refs " + Native.list(refs) + ")" : "")
                + (writable ? " writable" : " read-only") + " into dom" + host.domid();
            return new GrantStatusException(what, errno, status, domid, ref, detail);
        }
        return new LinuxXenException(op, gntdev.path(), "mmap", errno,
            "the batch was refused but each reference maps alone: the grants changed meanwhile");
    }

    /** A one-byte grant copy from the reference: the hypervisor's verdict on it. */
    private int probe(final int domid, final int ref) {
        final GrantCopyBatch b = new GrantCopyBatch(1);
        b.addGrantToLocal(domid, ref, 0, new UnsafeBuffer(new byte[1]), 0, 1);
        try {
            copy(b);
            return b.status(0);
        } catch (final XenHalException e) {
            return GrantTable.GNTST_GENERAL_ERROR;
        }
    }

    @Override
    public synchronized void copy(final GrantCopyBatch batch) {
        final int n = batch.size();
        if (n == 0) {
            return;
        }
        final String op = "grant copy of " + n + " segment" + (n == 1 ? "" : "s") + " by dom" + host.domid();
        final DeviceFile gntdev = host.device(Device.GNTDEV, op);
        final long segBytes = (long) n * IoctlGntdevGrantCopySegment.LENGTH;
        if (copySegments.byteSize() < segBytes) {
            copySegments = Arena.ofAuto().allocate(Math.max(segBytes, 16L * IoctlGntdevGrantCopySegment.LENGTH), 8);
        }
        final long bounceBytes = GrantCopies.bounceBytes(batch);
        if (copyBounce.byteSize() < bounceBytes) {
            copyBounce = Arena.ofAuto().allocate(Math.max(bounceBytes, Native.PAGE_SIZE), Native.PAGE_SIZE);
        }
        final int[] submitted = new int[n];
        final int[] bounceAt = new int[n];
        final int count = GrantCopies.encode(batch, copySegments, copyBounce, submitted, bounceAt);
        if (count == 0) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment arg = arena.allocate(IoctlGntdevGrantCopy.LENGTH, 8);
            new IoctlGntdevGrantCopy().wrap(Native.buffer(arg), 0).count(count).segments(copySegments.address());
            final int r = gntdev.ioctl(Ioctl.GNTDEV_GRANT_COPY, arg, 0);
            if (r < 0) {
                throw gntdev.failure(op, Ioctl.GNTDEV_GRANT_COPY.call(), -r);
            }
        }
        GrantCopies.decode(batch, copySegments, copyBounce, submitted, count, bounceAt);
    }

    /** Used by {@link LinuxSharedPages#tryEndAccess()}. */
    boolean tryEndAccess(final int[] refs, final String operation) {
        boolean all = true;
        for (final int ref : refs) {
            all &= ownTable.tryEnd(ref, operation);
        }
        return all;
    }

    /** Used by {@link LinuxSharedPages#tryEndAccess(int)}: the operation's name is built only for an error. */
    boolean tryEndAccess(final int ref, final String share) {
        return ownTable.tryEnd(ref, share);
    }
}
