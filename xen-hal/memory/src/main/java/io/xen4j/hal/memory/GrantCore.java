package io.xen4j.hal.memory;

import io.xen4j.abi.Xen;
import io.xen4j.abi.grant.GrantTable;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.GrantCopyBatch;
import io.xen4j.hal.api.GrantStatusException;
import io.xen4j.hal.api.GrantTables;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.spi.PageViewBuffer;
import java.util.Arrays;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Grant operations of the simulated hypervisor and of the guest kernels' share allocator
 * (gntalloc), following {@code xen/grant_table.h}:
 *
 * <ul>
 *   <li>A share takes free pages of the granter and publishes one {@code GTF_permit_access} entry
 *   per page naming the grantee, with {@code GTF_readonly} unless writable.</li>
 *   <li>A map or copy by another domain pins each entry: it must permit access, name exactly the
 *   mapping domain, and allow writing for a writable map or a copy destination; Xen then sets
 *   {@code GTF_reading} (and {@code GTF_writing}) until the last mapping goes.</li>
 *   <li>A map of several references fails as a whole: the references mapped before the refused
 *   one are unmapped, as Linux's gntdev undoes a partial map.</li>
 *   <li>End-access fails while the entry is pinned; a share closed while mapped is released when
 *   the peer unmaps (Linux's deferred {@code gnttab_end_foreign_access}).</li>
 * </ul>
 *
 * Every method runs under the hypervisor lock.
 */
final class GrantCore {
    /** The most pages one share or map may have (Linux's gntalloc and gntdev default limit). */
    static final int MAX_PAGES_PER_REQUEST = 1024;

    private final Hypervisor hv;

    GrantCore(final Hypervisor hv) {
        this.hv = hv;
    }

    static String refs(final int[] refs) {
        final StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < refs.length && i < 16; i++) {
            sb.append(i == 0 ? "" : ",").append(Integer.toUnsignedString(refs[i]));
        }
        return sb.append(refs.length > 16 ? ",...]" : "]").toString();
    }

    // ---------------------------------------------------------------------------------------------
    // Sharing (the granter's side)

    static String shareName(final DomainCore d, final int remote, final int count, final boolean writable) {
        return "share " + count + " page(s) of dom" + d.domid + " with dom" + remote + (writable ? " writable" : " read-only");
    }

    SimSharedPages share(final SimHost host, final int remote, final int count, final boolean writable) {
        final DomainCore d = host.domain;
        final String op = shareName(d, remote, count, writable);
        host.checkUsable(op);
        if (count < 1 || count > MAX_PAGES_PER_REQUEST) {
            throw new XenHalException(op, Errno.EINVAL, "pageCount must be 1.." + MAX_PAGES_PER_REQUEST);
        }
        if (remote < 0 || remote >= Xen.DOMID_FIRST_RESERVED) {
            throw new XenHalException(op, Errno.EINVAL, "dom" + remote + " is not a domain id");
        }
        final int[] refs = new int[count];
        final SimSharedPages share = new SimSharedPages(host, remote, refs, writable);
        for (int i = 0; i < count; i++) {
            refs[i] = d.grants.allocateRef(share);
            if (refs[i] < 0) {
                for (int j = 0; j < i; j++) {
                    d.grants.freeRef(refs[j]);
                }
                throw new XenHalException(op, Errno.ENOSPC, "dom" + d.domid + "'s grant table of "
                    + d.grants.entries + " entries is full");
            }
        }
        final int[] gfns = d.memory.allocateContiguous(count);
        if (gfns == null) {
            for (final int ref : refs) {
                d.grants.freeRef(ref);
            }
            throw new XenHalException(op, Errno.ENOMEM, "dom" + d.domid + " has fewer than " + count + " free pages");
        }
        final UnsafeBuffer[] pages = new UnsafeBuffer[count];
        Frame first = null;
        for (int i = 0; i < count; i++) {
            final Frame f = d.memory.frame(gfns[i]);
            if (f == null) {
                throw new IllegalStateException("allocated frame " + gfns[i] + " is not populated");
            }
            first = first == null ? f : first;
            pages[i] = f.page;
            d.grants.grantAccess(refs[i], remote, gfns[i], !writable);
        }
        final Frame f0 = java.util.Objects.requireNonNull(first);
        // Memory outlives views (true): a frame is a direct ByteBuffer only the GC frees, so the
        // view may give a plain buffer (PageViewBuffer#plainView).
        final PageViewBuffer view = new PageViewBuffer(share.describe(), true, pages, new String[count],
            new UnsafeBuffer(f0.region, f0.offset, count * Physmap.PAGE_SIZE), true);
        share.attach(gfns, view);
        host.register(share);
        return share;
    }

    boolean tryEndAccess(final SimSharedPages share) {
        boolean all = true;
        for (int i = 0; i < share.refs.length; i++) {
            all &= tryEndAccess(share, i);
        }
        return all;
    }

    boolean tryEndAccess(final SimSharedPages share, final int page) {
        if (!share.ended[page]) {
            share.ended[page] = share.domain.grants.tryEndAccess(share.refs[page]);
        }
        return share.ended[page];
    }

    /**
     * The guest kernel's {@code gnttab_grant_foreign_access_ref} on a page whose access it ended:
     * the same reference is published again (frame, then flags and domid with a release store),
     * as Linux's netfront does with the references it keeps. An entry still in use is refused, so
     * a page is never granted twice at once.
     */
    int grantAgain(final SimSharedPages share, final int page) {
        final int ref = share.refs[page];
        if (!share.ended[page]) {
            throw new XenHalException("grant page " + page + " of " + share.describe() + " again", Errno.EBUSY,
                "ref " + Integer.toUnsignedString(ref) + " is still granted to dom" + share.remote
                    + ": end its access first (a page is never granted twice at once)");
        }
        share.domain.grants.grantAccess(ref, share.remote, share.gfns[page], !share.writable());
        share.ended[page] = false;
        return ref;
    }

    void closeShare(final SimSharedPages share) {
        final DomainCore d = share.domain;
        sendUnmapNotify(d, share.view(), share.notifyOffset, share.notifyPort, share.describe());
        for (int i = 0; i < share.refs.length; i++) {
            if (!share.ended[i]) {
                share.ended[i] = d.grants.tryEndAccess(share.refs[i]);
            }
            if (share.ended[i]) {
                releasePage(d, share, i);
            }
        }
        share.view().detach("closed");
    }

    private static void releasePage(final DomainCore d, final SimSharedPages share, final int i) {
        if (!share.released[i]) {
            share.released[i] = true;
            d.grants.freeRef(share.refs[i]);
            d.memory.free(share.gfns[i]);
        }
    }

    /** After an unpin: a closed share's page whose last mapping went is ended and freed now. */
    private static void releaseIfDeferred(final DomainCore granter, final int ref) {
        final GrantTableState g = granter.grants;
        final SimSharedPages owner = g.owner(ref);
        if (owner == null || !owner.isClosed() || owner.isRevoked() || g.isPinned(ref)) {
            return;
        }
        final int i = owner.indexOf(ref);
        if (i >= 0 && g.tryEndAccess(ref)) {
            owner.ended[i] = true;
            releasePage(granter, owner, i);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Mapping (the grantee's side)

    static String mapName(final DomainCore d, final int remote, final int[] refs, final boolean writable) {
        return "map grant dom" + remote + " ref" + (refs.length == 1 ? " " + Integer.toUnsignedString(refs[0])
            : "s " + refs(refs)) + (writable ? " writable" : " read-only") + " into dom" + d.domid;
    }

    SimMappedGrants map(final SimHost host, final int remote, final int[] refs, final boolean writable) {
        final DomainCore d = host.domain;
        // The name is built only for an error or a fault record: blkback maps per request.
        if (!host.usable()) {
            host.checkUsable(mapName(d, remote, refs, writable));
        }
        if (refs.length < 1 || refs.length > MAX_PAGES_PER_REQUEST) {
            throw new XenHalException(mapName(d, remote, refs, writable), Errno.EINVAL,
                "1.." + MAX_PAGES_PER_REQUEST + " references per map");
        }
        final DomainCore granter = hv.domain(remote);
        if (granter == null || !granter.running()) {
            throw new GrantStatusException(mapName(d, remote, refs, writable), Errno.EINVAL.number(),
                GrantTable.GNTST_BAD_DOMAIN, remote, refs[0], "dom" + remote + " does not exist or is dying");
        }
        int failAt = -1;
        int destroyAt = -1;
        final FaultInjector f = hv.faults;
        final String op = f.enabled() ? mapName(d, remote, refs, writable) : "map grant";
        if (f.enabled()) {
            final FaultRule fail = f.check(FaultKind.FAIL_MAP, d.domid);
            if (fail != null) {
                failAt = f.choose(refs.length);
                f.record(hv.now(), fail, d.domid, op + ": ref " + refs[failAt] + " fails with GNTST_no_space");
            }
            if (granter.domid != 0 && granter.domid != d.domid) {
                final FaultRule destroy = f.check(FaultKind.DESTROY_DOMAIN, d.domid);
                if (destroy != null) {
                    destroyAt = f.choose(refs.length);
                    f.record(hv.now(), destroy, d.domid, op + ": dom" + remote + " destroyed after "
                        + destroyAt + " of " + refs.length + " references were mapped");
                }
            }
        }
        final Frame[] frames = new Frame[refs.length];
        final String[] detail = {""};
        for (int i = 0; i < refs.length; i++) {
            if (i == destroyAt) {
                hv.destroy(granter, "fault injected while dom" + d.domid + " mapped its grants");
            }
            int status;
            if (!granter.running()) {
                status = GrantTable.GNTST_BAD_DOMAIN;
                detail[0] = "dom" + remote + " is dying";
            } else if (i == failAt) {
                status = GrantTable.GNTST_NO_SPACE;
                detail[0] = "out of map handles (injected fault)";
            } else {
                revokeFault(d, granter, refs[i], op);
                status = granter.grants.pin(refs[i], d.domid, writable, detail);
            }
            if (status == GrantTable.GNTST_OKAY) {
                final Frame frame = granter.memory.frame(Integer.toUnsignedLong(granter.grants.activeFrame(refs[i])));
                if (frame == null) {
                    granter.grants.unpin(refs[i], writable);
                    status = GrantTable.GNTST_BAD_PAGE;
                    detail[0] = "ref " + refs[i] + " grants frame " + Integer.toUnsignedString(granter.grants.activeFrame(refs[i]))
                        + ", which dom" + remote + " has not populated";
                } else {
                    frame.holds++;
                    granter.heldByOthers++;
                    frames[i] = frame;
                }
            }
            if (status != GrantTable.GNTST_OKAY) {
                unpin(granter, refs, frames, i, writable);
                throw new GrantStatusException(mapName(d, remote, refs, writable), Errno.EINVAL.number(), status, remote,
                    refs[i], detail[0]);
            }
        }
        final UnsafeBuffer[] pages = new UnsafeBuffer[refs.length];
        boolean contiguous = true;
        for (int i = 0; i < refs.length; i++) {
            pages[i] = frames[i].page;
            contiguous &= i == 0 || frames[i - 1].followedBy(frames[i]);
        }
        // refs is the service's private copy of the caller's array.
        final SimMappedGrants m = new SimMappedGrants(host, granter, refs, frames, writable);
        // As for a share: the frames are direct ByteBuffers only the GC frees (true).
        m.attachView(new PageViewBuffer(m.describe(), writable, pages, new String[refs.length],
            contiguous ? new UnsafeBuffer(frames[0].region, frames[0].offset, refs.length * Physmap.PAGE_SIZE) : null, true));
        d.grantMappings++;
        host.register(m);
        return m;
    }

    private void revokeFault(final DomainCore d, final DomainCore granter, final int ref, final String op) {
        if (hv.faults.enabled()) {
            final FaultRule revoke = hv.faults.check(FaultKind.REVOKE_GRANT, d.domid);
            if (revoke != null) {
                final boolean done = granter.grants.revoke(ref);
                hv.faults.record(hv.now(), revoke, d.domid, op + ": dom" + granter.domid + " ended access to ref "
                    + Integer.toUnsignedString(ref) + (done ? " first" : " too late (already in use)"));
            }
        }
    }

    /** Drops the pins of refs[0..count) and what they hold. */
    private void unpin(final DomainCore granter, final int[] refs, final @Nullable Frame[] frames, final int count,
        final boolean writable) {
        for (int i = 0; i < count; i++) {
            final Frame frame = frames[i];
            if (frame == null) {
                continue;
            }
            granter.grants.unpin(refs[i], writable);
            frame.holds--;
            granter.heldByOthers--;
            frames[i] = null;
            releaseIfDeferred(granter, refs[i]);
        }
        hv.finishIfReleased(granter);
    }

    void unmap(final SimMappedGrants m, final boolean notify) {
        if (notify) {
            sendUnmapNotify(m.domain, m.view(), m.notifyOffset, m.notifyPort, m.describe());
        }
        unpin(m.granter, m.refs, m.frames, m.refs.length, m.writable());
        m.domain.grantMappings--;
    }

    /**
     * The unmap notification of gntalloc and gntdev: clear the byte (in the still-mapped page, so
     * the peer sees it) and send on the port, if it is still bound.
     */
    private void sendUnmapNotify(final DomainCore d, final PageViewBuffer view, final int offset, final int port,
        final String what) {
        if (offset >= 0) {
            view.putByteVolatile(offset, (byte) 0);
        }
        if (port > 0 && port < d.ports.size) {
            final byte state = d.ports.state[port];
            if (state == PortTable.INTERDOMAIN || state == PortTable.UNBOUND) {
                hv.events.send(d, port, "unmap notification of " + what);
            }
        }
    }

    void checkUnmapNotify(final DomainCore d, final int byteOffset, final int port, final int size,
        final boolean writable, final String op) {
        if (byteOffset < -1 || byteOffset >= size) {
            throw new XenHalException(op, Errno.EINVAL, "byte offset " + byteOffset + " is outside the " + size
                + " mapped bytes (use -1 for none)");
        }
        if (byteOffset >= 0 && !writable) {
            throw new XenHalException(op, Errno.EINVAL, "cannot clear a byte of a read-only mapping");
        }
        if (port != -1 && (!d.ports.valid(port) || d.ports.state[port] == PortTable.FREE)) {
            throw new XenHalException(op, Errno.EINVAL, "dom" + d.domid + " port " + port + " is not bound (use -1 for none)");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Copying

    void copy(final SimHost host, final GrantCopyBatch batch) {
        final DomainCore d = host.domain;
        // The operation's name is only needed for an error or a fault record: a copy on the data
        // path of a driver builds no string (0 bytes allocated per copy).
        if (!host.usable()) {
            host.checkUsable(copyName(d, batch));
        }
        if (hv.faults.enabled()) {
            // Faults are drawn per segment (revoke before each pin, destroy before a chosen
            // segment): the per-segment path keeps their sequence, and so a seed's run, as it was.
            copyPerSegment(d, batch);
        } else {
            copyHoldingPins(d, batch);
        }
    }

    /**
     * The data path: each segment checked as {@link #copyOne} checks it, with the same statuses,
     * but a grant's pin is kept from one segment to the next while they name the same grant on
     * the same side, as Xen's {@code gnttab_copy} keeps its source and destination buffers
     * ({@code gnttab_copy_buf_valid}): both are dropped when either side's domain changes, one
     * side's when its next segment names another grant or a local buffer, and both at the end of
     * the batch ({@code gnttab_copy_release_buf}). Frames packed into one granted page cost one
     * pin, one domain and one frame look-up per batch instead of one each.
     *
     * <p>Nothing else sees the difference: this runs under the hypervisor lock with no faults to
     * draw, so the only code that runs during a batch is a local buffer's own {@code putBytes}
     * during a segment's copy, and at that moment the pins held are exactly that segment's, as on
     * the per-segment path. (A held pin keeps {@code GTF_reading}/{@code GTF_writing} set, so a
     * granter's end-access during the segment fails on both paths alike.)
     */
    void copyHoldingPins(final DomainCore d, final GrantCopyBatch batch) {
        final HeldPin src = heldSource;
        final HeldPin dst = heldDest;
        try {
            final int n = batch.size();
            int lastSrcDomid = Integer.MIN_VALUE;
            int lastDstDomid = Integer.MIN_VALUE;
            for (int i = 0; i < n; i++) {
                final int srcDomid = batch.sourceDomid(i);
                final int dstDomid = batch.destDomid(i);
                if (srcDomid != lastSrcDomid || dstDomid != lastDstDomid) {
                    src.release();
                    dst.release();
                    lastSrcDomid = srcDomid;
                    lastDstDomid = dstDomid;
                }
                batch.status(i, copyHeld(d, batch, i, src, dst));
            }
        } finally {
            src.release();
            dst.release();
        }
    }

    private int copyHeld(final DomainCore d, final GrantCopyBatch batch, final int i, final HeldPin src,
        final HeldPin dst) {
        final int len = batch.length(i);
        final int srcDomid = batch.sourceDomid(i);
        final int dstDomid = batch.destDomid(i);
        final boolean srcGrant = srcDomid != GrantCopyBatch.LOCAL;
        final boolean dstGrant = dstDomid != GrantCopyBatch.LOCAL;
        final int srcOffset = batch.sourceOffset(i);
        final int dstOffset = batch.destOffset(i);
        if ((srcGrant && outsidePage(srcOffset, len)) || (dstGrant && outsidePage(dstOffset, len))) {
            return GrantTable.GNTST_BAD_COPY_ARG;
        }
        final DirectBuffer from;
        if (srcGrant) {
            final int status = src.claim(d.domid, srcDomid, batch.sourceRef(i));
            if (status != GrantTable.GNTST_OKAY) {
                return status;
            }
            from = src.page();
        } else {
            src.release();
            from = java.util.Objects.requireNonNull(batch.sourceBuffer(i));
        }
        final MutableDirectBuffer to;
        if (dstGrant) {
            final int status = dst.claim(d.domid, dstDomid, batch.destRef(i));
            if (status != GrantTable.GNTST_OKAY) {
                return status;
            }
            to = dst.page();
        } else {
            dst.release();
            to = java.util.Objects.requireNonNull(batch.destBuffer(i));
        }
        to.putBytes(dstOffset, from, srcOffset, len);
        return GrantTable.GNTST_OKAY;
    }

    // Reused: copies run under the hypervisor lock, one at a time.
    private final HeldPin heldSource = new HeldPin(false);
    private final HeldPin heldDest = new HeldPin(true);

    /** The pin a batch holds on one side (source or destination) while segments reuse it. */
    private final class HeldPin {
        private final boolean writable;
        private final String[] detail = {""};
        private @Nullable DomainCore granter;
        private int domid = -1;
        private int ref;
        private @Nullable Frame frame;

        HeldPin(final boolean writable) {
            this.writable = writable;
        }

        /** Pins {@code ref} of {@code domid} for {@code copier}, or keeps the pin it holds on it. */
        int claim(final int copier, final int domid, final int ref) {
            final DomainCore held = granter;
            if (held != null && this.domid == domid && this.ref == ref && held.running()) {
                return GrantTable.GNTST_OKAY;
            }
            release();
            final DomainCore g = hv.running(domid);
            if (g == null) {
                return GrantTable.GNTST_BAD_DOMAIN;
            }
            detail[0] = "";
            final int status = g.grants.pin(ref, copier, writable, detail);
            if (status != GrantTable.GNTST_OKAY) {
                return status;
            }
            final Frame f = g.memory.frame(Integer.toUnsignedLong(g.grants.activeFrame(ref)));
            if (f == null) {
                g.grants.unpin(ref, writable);
                releaseIfDeferred(g, ref);
                return GrantTable.GNTST_BAD_PAGE;
            }
            granter = g;
            this.domid = domid;
            this.ref = ref;
            frame = f;
            return GrantTable.GNTST_OKAY;
        }

        UnsafeBuffer page() {
            return java.util.Objects.requireNonNull(frame).page;
        }

        /** Drops the pin, as the end of a copy does ({@code release_grant_for_copy}). */
        void release() {
            final DomainCore g = granter;
            if (g != null) {
                granter = null;
                frame = null;
                domid = -1;
                g.grants.unpin(ref, writable);
                releaseIfDeferred(g, ref);
            }
        }
    }

    /** The per-segment path: every segment pins and unpins its grants itself. */
    void copyPerSegment(final DomainCore d, final GrantCopyBatch batch) {
        final String op = hv.faults.enabled() ? copyName(d, batch) : "grant copy";
        int destroyAt = -1;
        if (hv.faults.enabled() && batch.size() > 0) {
            final int i = hv.faults.choose(batch.size());
            final int victim = batch.sourceDomid(i) != GrantCopyBatch.LOCAL ? batch.sourceDomid(i) : batch.destDomid(i);
            if (victim != 0 && victim != d.domid && hv.running(victim) != null) {
                final FaultRule destroy = hv.faults.check(FaultKind.DESTROY_DOMAIN, d.domid);
                if (destroy != null) {
                    destroyAt = i;
                    hv.faults.record(hv.now(), destroy, d.domid, op + ": dom" + victim + " destroyed before segment " + i);
                }
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            if (i == destroyAt) {
                final int victim = batch.sourceDomid(i) != GrantCopyBatch.LOCAL ? batch.sourceDomid(i) : batch.destDomid(i);
                final DomainCore v = hv.running(victim);
                if (v != null) {
                    hv.destroy(v, "fault injected during a grant copy by dom" + d.domid);
                }
            }
            batch.status(i, copyOne(d, batch, i, op));
        }
    }

    static String copyName(final DomainCore d, final GrantCopyBatch batch) {
        return "grant copy of " + batch.size() + " segment(s) by dom" + d.domid;
    }

    private final String[] copyDetail = {""};

    private int copyOne(final DomainCore d, final GrantCopyBatch batch, final int i, final String op) {
        final int len = batch.length(i);
        final boolean srcGrant = batch.sourceDomid(i) != GrantCopyBatch.LOCAL;
        final boolean dstGrant = batch.destDomid(i) != GrantCopyBatch.LOCAL;
        if ((srcGrant && outsidePage(batch.sourceOffset(i), len)) || (dstGrant && outsidePage(batch.destOffset(i), len))) {
            return GrantTable.GNTST_BAD_COPY_ARG;
        }
        // Reused: copies run under the hypervisor lock, one at a time.
        final String[] detail = copyDetail;
        detail[0] = "";
        DomainCore srcDom = null;
        DomainCore dstDom = null;
        Frame srcFrame = null;
        Frame dstFrame = null;
        int status = GrantTable.GNTST_OKAY;
        try {
            if (srcGrant) {
                srcDom = hv.running(batch.sourceDomid(i));
                if (srcDom == null) {
                    return GrantTable.GNTST_BAD_DOMAIN;
                }
                revokeFault(d, srcDom, batch.sourceRef(i), op);
                status = srcDom.grants.pin(batch.sourceRef(i), d.domid, false, detail);
                if (status != GrantTable.GNTST_OKAY) {
                    srcDom = null;
                    return status;
                }
                srcFrame = srcDom.memory.frame(Integer.toUnsignedLong(srcDom.grants.activeFrame(batch.sourceRef(i))));
                if (srcFrame == null) {
                    return GrantTable.GNTST_BAD_PAGE;
                }
            }
            if (dstGrant) {
                dstDom = hv.running(batch.destDomid(i));
                if (dstDom == null) {
                    return GrantTable.GNTST_BAD_DOMAIN;
                }
                revokeFault(d, dstDom, batch.destRef(i), op);
                status = dstDom.grants.pin(batch.destRef(i), d.domid, true, detail);
                if (status != GrantTable.GNTST_OKAY) {
                    dstDom = null;
                    return status;
                }
                dstFrame = dstDom.memory.frame(Integer.toUnsignedLong(dstDom.grants.activeFrame(batch.destRef(i))));
                if (dstFrame == null) {
                    return GrantTable.GNTST_BAD_PAGE;
                }
            }
            final DirectBuffer src = srcFrame != null ? srcFrame.page : java.util.Objects.requireNonNull(batch.sourceBuffer(i));
            final MutableDirectBuffer dst = dstFrame != null ? dstFrame.page : java.util.Objects.requireNonNull(batch.destBuffer(i));
            dst.putBytes(batch.destOffset(i), src, batch.sourceOffset(i), len);
            return GrantTable.GNTST_OKAY;
        } finally {
            // The pins of a copy last only for the copy, as Xen's acquire/release_grant_for_copy.
            if (srcDom != null) {
                srcDom.grants.unpin(batch.sourceRef(i), false);
                releaseIfDeferred(srcDom, batch.sourceRef(i));
            }
            if (dstDom != null) {
                dstDom.grants.unpin(batch.destRef(i), true);
                releaseIfDeferred(dstDom, batch.destRef(i));
            }
        }
    }

    private static boolean outsidePage(final int offset, final int len) {
        return offset < 0 || offset > GrantTables.PAGE_SIZE - len;
    }

    static int[] copyOf(final int[] a) {
        return Arrays.copyOf(a, a.length);
    }
}
