package io.xen4j.hal.linux.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.xen4j.abi.linux.PrivcmdMmapResource;
import io.xen4j.abi.linux.PrivcmdMmapbatchV2;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Foreign mappings through {@code /dev/xen/privcmd}: an {@code mmap} of the device reserves the
 * address range, then {@code IOCTL_PRIVCMD_MMAPBATCH_V2} (frames, one errno each) or
 * {@code IOCTL_PRIVCMD_MMAP_RESOURCE} (a resource's frames) fills it.
 */
public final class PrivcmdMaps {
    private PrivcmdMaps() {
    }

    /**
     * The result of a batch map.
     *
     * @param address the mapping's address
     * @param errors  per frame: 0 when mapped, else a positive errno
     */
    public record Batch(long address, int[] errors) {
    }

    /**
     * Writes the {@code privcmd_mmapbatch_v2} argument.
     *
     * @param arg    at least {@link PrivcmdMmapbatchV2#LENGTH} bytes
     * @param num    the frame count
     * @param domid  the domain
     * @param addr   the mapping's address
     * @param arr    the address of the {@code xen_pfn_t} array
     * @param err    the address of the {@code int} error array
     */
    public static void encodeMmapbatchV2(
        final MemorySegment arg, final int num, final int domid, final long addr, final long arr, final long err) {
        final PrivcmdMmapbatchV2 m = new PrivcmdMmapbatchV2().wrap(Native.buffer(arg), 0);
        m.clear();
        m.num(num).dom(domid).addr(addr).arr(arr).err(err);
    }

    /**
     * Writes the {@code privcmd_mmap_resource} argument.
     *
     * @param arg   at least {@link PrivcmdMmapResource#LENGTH} bytes
     * @param domid the domain
     * @param type  {@code XENMEM_resource_*}
     * @param id    the resource id
     * @param idx   the first frame
     * @param num   the frame count
     * @param addr  the mapping's address
     */
    public static void encodeMmapResource(
        final MemorySegment arg, final int domid, final int type, final int id, final int idx, final long num,
        final long addr) {
        final PrivcmdMmapResource m = new PrivcmdMmapResource().wrap(Native.buffer(arg), 0);
        m.clear();
        m.dom(domid).type(type).id(id).idx(idx).num(num).addr(addr);
    }

    /**
     * Maps frames of a domain. Per-frame errors do not fail the call.
     *
     * @param privcmd   the open device
     * @param operation for messages
     * @param domid     the domain (or {@code DOMID_SELF})
     * @param gfns      the frames, at least one
     * @param writable  whether to map them writable
     * @return the mapping and its per-frame errors
     */
    public static Batch mmapBatch(
        final DeviceFile privcmd, final String operation, final int domid, final long[] gfns, final boolean writable) {
        final int n = gfns.length;
        Native.checkPages(n);
        final long length = (long) n * Native.PAGE_SIZE;
        final long address = privcmd.mmap(length, Libc.PROT_READ | (writable ? Libc.PROT_WRITE : 0), 0);
        if (address < 0) {
            throw privcmd.failure(operation, "mmap", (int) -address);
        }
        boolean ok = false;
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment arr = arena.allocate(JAVA_LONG, n);
            final MemorySegment err = arena.allocate(JAVA_INT, n);
            MemorySegment.copy(gfns, 0, arr, JAVA_LONG, 0, n);
            final MemorySegment arg = arena.allocate(PrivcmdMmapbatchV2.LENGTH, 8);
            encodeMmapbatchV2(arg, n, domid, address, arr.address(), err.address());
            final int r = privcmd.ioctl(Ioctl.PRIVCMD_MMAPBATCH_V2, arg, 0);
            // ENOENT: some frames are paged out; their errors say which. Any other error is the call's.
            if (r < 0 && -r != LinuxErrno.ENOENT) {
                throw privcmd.failure(operation, Ioctl.PRIVCMD_MMAPBATCH_V2.call(), -r);
            }
            final int[] errors = new int[n];
            for (int i = 0; i < n; i++) {
                errors[i] = Math.abs(err.getAtIndex(JAVA_INT, i));
            }
            ok = true;
            return new Batch(address, errors);
        } finally {
            if (!ok) {
                Libc.munmap(address, length);
            }
        }
    }

    /**
     * Maps frames of a domain's resource.
     *
     * @param privcmd   the open device
     * @param operation for messages
     * @param domid     the domain
     * @param type      {@code XENMEM_resource_*}
     * @param id        the resource id
     * @param frame     the first frame
     * @param count     how many frames
     * @param writable  whether to map them writable
     * @return the mapping's address
     */
    public static long mmapResource(
        final DeviceFile privcmd, final String operation, final int domid, final int type, final int id,
        final int frame, final int count, final boolean writable) {
        Native.checkPages(count);
        final long length = (long) count * Native.PAGE_SIZE;
        final long address = privcmd.mmap(length, Libc.PROT_READ | (writable ? Libc.PROT_WRITE : 0), 0);
        if (address < 0) {
            throw privcmd.failure(operation, "mmap", (int) -address);
        }
        boolean ok = false;
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment arg = arena.allocate(PrivcmdMmapResource.LENGTH, 8);
            encodeMmapResource(arg, domid, type, id, frame, count, address);
            final int r = privcmd.ioctl(Ioctl.PRIVCMD_MMAP_RESOURCE, arg, 0);
            if (r < 0) {
                throw new io.xen4j.hal.linux.LinuxXenException(operation, privcmd.path(),
                    Ioctl.PRIVCMD_MMAP_RESOURCE.call(), -r, resourceHint(privcmd, -r));
            }
            ok = true;
            return address;
        } finally {
            if (!ok) {
                Libc.munmap(address, length);
            }
        }
    }

    private static String resourceHint(final DeviceFile privcmd, final int errno) {
        return switch (errno) {
            case LinuxErrno.EOPNOTSUPP -> "the hypervisor does not know this resource type";
            case LinuxErrno.EINVAL -> "the frames are outside the resource, or the id is unknown";
            case LinuxErrno.EPERM -> "not permitted: Xen maps a resource only of another domain that this one"
                + " controls (never of the caller itself)";
            default -> privcmd.hint(errno);
        };
    }
}
