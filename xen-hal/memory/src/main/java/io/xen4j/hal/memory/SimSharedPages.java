package io.xen4j.hal.memory;

import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.spi.PageViewBuffer;
import java.util.Objects;

/**
 * Pages a simulated domain shared (a gntalloc allocation).
 */
final class SimSharedPages extends SimPagesHandle implements SharedPages {
    final int remote;
    final int[] refs;
    final boolean[] ended;
    final boolean[] released;
    private final boolean writable;
    int[] gfns = new int[0];
    int notifyOffset = -1;
    int notifyPort = -1;

    SimSharedPages(final SimHost host, final int remote, final int[] refs, final boolean writable) {
        super(host);
        this.remote = remote;
        this.refs = refs;
        this.ended = new boolean[refs.length];
        this.released = new boolean[refs.length];
        this.writable = writable;
    }

    void attach(final int[] frames, final PageViewBuffer buffer) {
        this.gfns = frames;
        attachView(buffer);
    }

    int indexOf(final int ref) {
        for (int i = 0; i < refs.length; i++) {
            if (refs[i] == ref) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String describe() {
        return "shared pages of dom" + domain.domid + " for dom" + remote + " refs " + GrantCore.refs(refs);
    }

    @Override
    public int remoteDomid() {
        return remote;
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
        Objects.checkIndex(page, refs.length);
        return refs[page];
    }

    @Override
    public boolean tryEndAccess() {
        hv.lock.lock();
        try {
            checkUsable("end access");
            return hv.grantOps.tryEndAccess(this);
        } finally {
            hv.lock.unlock();
        }
    }

    @Override
    public boolean tryEndAccess(final int page) {
        Objects.checkIndex(page, refs.length);
        hv.lock.lock();
        try {
            checkUsable("end access");
            return hv.grantOps.tryEndAccess(this, page);
        } finally {
            hv.lock.unlock();
        }
    }

    @Override
    public boolean canGrantAgain() {
        return true;
    }

    @Override
    public int grantAgain(final int page) {
        Objects.checkIndex(page, refs.length);
        hv.lock.lock();
        try {
            checkUsable("grant again");
            return hv.grantOps.grantAgain(this, page);
        } finally {
            hv.lock.unlock();
        }
    }

    @Override
    public void setUnmapNotify(final int byteOffset, final int port) {
        hv.lock.lock();
        try {
            final String op = "set unmap notify of " + describe();
            checkUsable(op);
            hv.grantOps.checkUnmapNotify(domain, byteOffset, port, refs.length * Physmap.PAGE_SIZE, true, op);
            notifyOffset = byteOffset;
            notifyPort = port;
        } finally {
            hv.lock.unlock();
        }
    }

    @Override
    void revokeLocked(final String reason) {
        view().detach(reason);
    }

    @Override
    void releaseLocked() {
        hv.grantOps.closeShare(this);
    }
}
