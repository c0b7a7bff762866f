package io.xen4j.hal.memory;

import io.xen4j.hal.api.ForeignMapping;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Frames of another simulated domain mapped by a privileged one.
 */
final class SimForeignMapping extends SimPagesHandle implements ForeignMapping {
    final DomainCore target;
    final @Nullable Frame[] frames;
    private final int[] errors;
    private final boolean writable;
    private final String description;

    SimForeignMapping(final SimHost host, final DomainCore target, final @Nullable Frame[] frames, final int[] errors,
        final boolean writable, final String description) {
        super(host);
        this.target = target;
        this.frames = frames;
        this.errors = errors;
        this.writable = writable;
        this.description = description;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public int domid() {
        return target.domid;
    }

    @Override
    public int frameCount() {
        return errors.length;
    }

    @Override
    public boolean writable() {
        return writable;
    }

    @Override
    public int error(final int frame) {
        Objects.checkIndex(frame, errors.length);
        return errors[frame];
    }

    @Override
    public boolean allMapped() {
        for (final int e : errors) {
            if (e != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    void revokeLocked(final String reason) {
        hv.memoryOps.unmap(this);
        view().detach(reason);
    }

    @Override
    void releaseLocked() {
        hv.memoryOps.unmap(this);
        view().detach("unmapped");
    }
}
