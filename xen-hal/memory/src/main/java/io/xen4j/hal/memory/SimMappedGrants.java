package io.xen4j.hal.memory;

import io.xen4j.hal.api.MappedGrants;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A peer's grants mapped into a simulated domain (a gntdev mapping).
 */
final class SimMappedGrants extends SimPagesHandle implements MappedGrants {
    final DomainCore granter;
    final int[] refs;
    final @Nullable Frame[] frames;
    private final boolean writable;
    // Built once, at the map: the view needs it, and the unmap would build it again.
    private @Nullable String description;
    int notifyOffset = -1;
    int notifyPort = -1;

    SimMappedGrants(final SimHost host, final DomainCore granter, final int[] refs, final Frame[] frames,
        final boolean writable) {
        super(host);
        this.granter = granter;
        this.refs = refs;
        this.frames = frames;
        this.writable = writable;
    }

    @Override
    public String describe() {
        String d = description;
        if (d == null) {
            d = "grant mapping dom" + granter.domid + " refs " + GrantCore.refs(refs) + " in dom" + domain.domid
                + (writable ? "" : " (read-only)");
            description = d;
        }
        return d;
    }

    @Override
    public int remoteDomid() {
        return granter.domid;
    }

    @Override
    public int pageCount() {
        return refs.length;
    }

    @Override
    public int grantRef(final int page) {
        Objects.checkIndex(page, refs.length);
        return refs[page];
    }

    @Override
    public boolean writable() {
        return writable;
    }

    @Override
    public void setUnmapNotify(final int byteOffset, final int port) {
        hv.lock.lock();
        try {
            final String op = "set unmap notify of " + describe();
            checkUsable(op);
            hv.grantOps.checkUnmapNotify(domain, byteOffset, port, refs.length * Physmap.PAGE_SIZE, writable, op);
            notifyOffset = byteOffset;
            notifyPort = port;
        } finally {
            hv.lock.unlock();
        }
    }

    @Override
    void revokeLocked(final String reason) {
        // Xen's gnttab_release_mappings: the dying mapper's pins go, without a notification.
        hv.grantOps.unmap(this, false);
        view().detach(reason);
    }

    @Override
    void releaseLocked() {
        hv.grantOps.unmap(this, true);
        view().detach("unmapped");
    }
}
