package io.xen4j.hal.linux.internal;

import io.xen4j.abi.Xen;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.ForeignMapping;
import io.xen4j.hal.api.ForeignMemory;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.linux.LinuxXenException;
import io.xen4j.hal.linux.internal.LinuxPaths.Device;

/**
 * {@link ForeignMemory} through {@code /dev/xen/privcmd}.
 */
public final class LinuxForeignMemory implements ForeignMemory {
    private final HostCore host;

    /**
     * Creates the service.
     *
     * @param host the host
     */
    public LinuxForeignMemory(final HostCore host) {
        this.host = host;
    }

    private static void checkDomid(final String op, final int domid) {
        if (domid < 0 || domid > 0xFFFF) {
            throw new XenHalException(op, Errno.EINVAL, "dom" + domid + " is not a domain id (0..65535)");
        }
    }

    @Override
    public ForeignMapping mapFrames(final int domid, final long[] gfns, final boolean writable) {
        final String op = "map " + gfns.length + " frame" + (gfns.length == 1 ? "" : "s") + " " + Native.hexList(gfns)
            + " of dom" + domid + (writable ? " writable" : " read-only") + " into dom" + host.domid();
        checkDomid(op, domid);
        if (gfns.length < 1 || gfns.length > Native.MAX_PAGES) {
            throw new XenHalException(op, Errno.EINVAL, "frame count " + gfns.length + " is not in [1, "
                + Native.MAX_PAGES + "]");
        }
        final long[] frames = gfns.clone();
        final DeviceFile privcmd = host.device(Device.PRIVCMD, op);
        // Xen refuses a domain's own id as the "foreign" domain of its page-table updates (ESRCH):
        // its own frames are mapped as DOMID_SELF.
        final int target = domid == host.domid() ? Xen.DOMID_SELF : domid;
        final PrivcmdMaps.Batch b = PrivcmdMaps.mmapBatch(privcmd, op, target, frames, writable);
        final int first = b.errors()[0];
        boolean same = first != 0;
        for (final int e : b.errors()) {
            same &= e == first;
        }
        if (same && (first == LinuxErrno.ESRCH || first == LinuxErrno.EPERM || first == LinuxErrno.EACCES)) {
            // Every frame failed alike: the domain, not a frame, is the problem.
            Libc.munmap(b.address(), (long) frames.length * Native.PAGE_SIZE);
            throw new LinuxXenException(op, privcmd.path(), Ioctl.PRIVCMD_MMAPBATCH_V2.call() + " (every frame)", first,
                first == LinuxErrno.ESRCH ? "dom" + domid + " does not exist"
                    : "dom" + host.domid() + " may not map the memory of dom" + domid);
        }
        final LinuxForeignMapping m = new LinuxForeignMapping(host, domid, frames, writable, b.address(), b.errors());
        host.register(m);
        return m;
    }

    @Override
    public ForeignMapping mapResource(
        final int domid, final int type, final int id, final int frame, final int count, final boolean writable) {
        final String op = "map resource type " + type + " id " + id + " frames [" + frame + ", +" + count + ") of dom"
            + domid + (writable ? " writable" : " read-only") + " into dom" + host.domid();
        checkDomid(op, domid);
        if (count < 1 || count > Native.MAX_PAGES || frame < 0) {
            throw new XenHalException(op, Errno.EINVAL, "frame=" + frame + " count=" + count + ": need frame >= 0 and"
                + " count in [1, " + Native.MAX_PAGES + "]");
        }
        final DeviceFile privcmd = host.device(Device.PRIVCMD, op);
        final long address = PrivcmdMaps.mmapResource(privcmd, op, domid, type, id, frame, count, writable);
        final long[] frames = new long[count];
        for (int i = 0; i < count; i++) {
            frames[i] = frame + i;
        }
        final LinuxForeignMapping m = new LinuxForeignMapping(host, domid, frames, writable, address, new int[count],
            "resource type " + type + " id " + id + " of dom" + domid);
        host.register(m);
        return m;
    }
}
