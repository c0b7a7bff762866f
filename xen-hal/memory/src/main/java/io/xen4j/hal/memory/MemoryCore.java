package io.xen4j.hal.memory;

import io.xen4j.abi.memory.XenMem;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.spi.PageViewBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Memory operations of the simulated hypervisor: the reservation (populate and release frames,
 * accounted against the domain's maximum and the host's memory) and foreign mappings by
 * privileged domains. A mapped foreign frame is held: its domain cannot release it, and a
 * destroyed domain stays dying until it is unmapped. Every method runs under the hypervisor lock.
 */
final class MemoryCore {
    /** The most frames one foreign map may have. */
    static final int MAX_FRAMES_PER_REQUEST = 1 << 16;

    private final Hypervisor hv;

    MemoryCore(final Hypervisor hv) {
        this.hv = hv;
    }

    int increase(final DomainCore d, final long[] gfns, final int count) {
        checkCount(gfns, count, "increase reservation of dom" + d.domid);
        int done = 0;
        while (done < count) {
            if (d.memory.populatedCount() >= d.memory.maxPages || hv.hostPagesUsed >= hv.settings.hostPages()) {
                break;
            }
            if (!d.memory.populate(gfns[done])) {
                break;
            }
            hv.hostPagesUsed++;
            done++;
        }
        return done;
    }

    int decrease(final DomainCore d, final long[] gfns, final int count) {
        checkCount(gfns, count, "decrease reservation of dom" + d.domid);
        int done = 0;
        while (done < count && d.memory.depopulate(gfns[done])) {
            hv.hostPagesUsed--;
            done++;
        }
        return done;
    }

    private static void checkCount(final long[] gfns, final int count, final String op) {
        if (count < 0 || count > gfns.length) {
            throw new XenHalException(op, Errno.EINVAL, "count " + count + " is outside the " + gfns.length + " frames given");
        }
    }

    private DomainCore target(final SimHost host, final int domid, final String op) {
        final DomainCore d = host.domain;
        if (!d.config.privileged()) {
            throw new XenHalException(op, Errno.EPERM, "dom" + d.domid + " is not privileged");
        }
        final DomainCore t = hv.running(domid);
        if (t == null) {
            throw new XenHalException(op, Errno.ESRCH, "dom" + domid + " does not exist or is dying");
        }
        if (t.domid == d.domid) {
            throw new XenHalException(op, Errno.EINVAL, "a domain does not map its own frames as foreign");
        }
        return t;
    }

    static String mapFramesName(final SimHost host, final int domid, final long[] gfns, final boolean writable) {
        return "map " + gfns.length + " frame(s) of dom" + domid + (writable ? " writable" : " read-only")
            + " into dom" + host.domain.domid;
    }

    static String mapResourceName(final int domid, final int type, final int id, final int frame, final int count) {
        return "map resource type " + type + " id " + id + " frames " + frame + ".." + ((long) frame + count - 1)
            + " of dom" + domid;
    }

    SimForeignMapping mapFrames(final SimHost host, final int domid, final long[] gfns, final boolean writable) {
        final String op = mapFramesName(host, domid, gfns, writable);
        host.checkUsable(op);
        if (gfns.length < 1 || gfns.length > MAX_FRAMES_PER_REQUEST) {
            throw new XenHalException(op, Errno.EINVAL, "1.." + MAX_FRAMES_PER_REQUEST + " frames per map");
        }
        DomainCore t = target(host, domid, op);
        int failAt = -1;
        if (hv.faults.enabled()) {
            final FaultRule fail = hv.faults.check(FaultKind.FAIL_MAP, host.domain.domid);
            if (fail != null) {
                failAt = hv.faults.choose(gfns.length);
                hv.faults.record(hv.now(), fail, host.domain.domid, op + ": frame " + failAt + " (gfn 0x"
                    + Long.toHexString(gfns[failAt]) + ") fails with ENOMEM");
            }
            if (t.domid != 0) {
                final FaultRule destroy = hv.faults.check(FaultKind.DESTROY_DOMAIN, host.domain.domid);
                if (destroy != null) {
                    hv.faults.record(hv.now(), destroy, host.domain.domid, op + ": dom" + domid + " destroyed first");
                    hv.destroy(t, "fault injected while dom" + host.domain.domid + " mapped its memory");
                    throw new XenHalException(op, Errno.ESRCH, "dom" + domid + " is dying");
                }
            }
        }
        final @Nullable Frame[] frames = new Frame[gfns.length];
        final @Nullable UnsafeBuffer[] pages = new UnsafeBuffer[gfns.length];
        final @Nullable String[] errors = new String[gfns.length];
        final int[] errnos = new int[gfns.length];
        for (int i = 0; i < gfns.length; i++) {
            final Frame f = i == failAt ? null : t.memory.frame(gfns[i]);
            if (f == null) {
                final Errno e = i == failAt ? Errno.ENOMEM : Errno.EINVAL;
                errnos[i] = e.number();
                errors[i] = Errno.describe(e.number()) + ": gfn 0x" + Long.toHexString(gfns[i]) + " of dom" + domid
                    + (i == failAt ? " (injected fault)" : " is not populated");
                continue;
            }
            f.holds++;
            t.heldByOthers++;
            frames[i] = f;
            pages[i] = f.page;
        }
        final SimForeignMapping m = new SimForeignMapping(host, t, frames, errnos, writable,
            "foreign mapping of dom" + domid + " frames " + gfnList(gfns) + " in dom" + host.domain.domid);
        m.attachView(new PageViewBuffer(m.describe(), writable, pages, errors, contiguous(frames)));
        host.domain.foreignMappings++;
        host.register(m);
        return m;
    }

    SimForeignMapping mapResource(final SimHost host, final int domid, final int type, final int id, final int frame,
        final int count, final boolean writable) {
        final String op = mapResourceName(domid, type, id, frame, count);
        host.checkUsable(op);
        final DomainCore t = target(host, domid, op);
        if (type != XenMem.XENMEM_RESOURCE_GRANT_TABLE || id != XenMem.XENMEM_RESOURCE_GRANT_TABLE_ID_SHARED) {
            throw new XenHalException(op, Errno.EOPNOTSUPP,
                "the simulated host has only the shared grant table (type 1 id 0) as a resource");
        }
        if (count < 1 || frame < 0 || (long) frame + count > t.grants.frames()) {
            throw new XenHalException(op, Errno.EINVAL, "dom" + domid + "'s grant table has frames 0.."
                + (t.grants.frames() - 1));
        }
        final @Nullable UnsafeBuffer[] pages = new UnsafeBuffer[count];
        for (int i = 0; i < count; i++) {
            pages[i] = new UnsafeBuffer(t.grants.region, (frame + i) * Physmap.PAGE_SIZE, Physmap.PAGE_SIZE);
        }
        final SimForeignMapping m = new SimForeignMapping(host, t, new Frame[0], new int[count], writable,
            "grant table frames " + frame + ".." + (frame + count - 1) + " of dom" + domid + " in dom" + host.domain.domid);
        m.attachView(new PageViewBuffer(m.describe(), writable, pages, new String[count],
            new UnsafeBuffer(t.grants.region, frame * Physmap.PAGE_SIZE, count * Physmap.PAGE_SIZE)));
        host.domain.foreignMappings++;
        host.register(m);
        return m;
    }

    void unmap(final SimForeignMapping m) {
        for (final Frame f : m.frames) {
            if (f != null) {
                f.holds--;
                m.target.heldByOthers--;
            }
        }
        m.domain.foreignMappings--;
        hv.finishIfReleased(m.target);
    }

    private static @Nullable UnsafeBuffer contiguous(final @Nullable Frame[] frames) {
        final Frame first = frames[0];
        if (first == null) {
            return null;
        }
        for (int i = 1; i < frames.length; i++) {
            final Frame prev = frames[i - 1];
            final Frame f = frames[i];
            if (prev == null || f == null || !prev.followedBy(f)) {
                return null;
            }
        }
        return new UnsafeBuffer(first.region, first.offset, frames.length * Physmap.PAGE_SIZE);
    }

    private static String gfnList(final long[] gfns) {
        final StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < gfns.length && i < 8; i++) {
            sb.append(i == 0 ? "" : ",").append("0x").append(Long.toHexString(gfns[i]));
        }
        return sb.append(gfns.length > 8 ? ",...]" : "]").toString();
    }
}
