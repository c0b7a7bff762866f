package io.xen4j.hal.linux.internal;

import io.xen4j.hal.api.ForeignMapping;
import org.agrona.concurrent.AtomicBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Frames of another domain mapped through privcmd; closing detaches the buffer, then unmaps.
 */
final class LinuxForeignMapping extends HalHandle implements ForeignMapping {
    private final int domid;
    private final long[] frames;
    private final boolean writable;
    private final long address;
    private final int[] errors;
    private final String description;
    private final MappedView mapping;

    LinuxForeignMapping(
        final HostCore host, final int domid, final long[] frames, final boolean writable, final long address,
        final int[] errors) {
        this(host, domid, frames, writable, address, errors, "frames " + Native.hexList(frames) + " of dom" + domid);
    }

    LinuxForeignMapping(
        final HostCore host, final int domid, final long[] frames, final boolean writable, final long address,
        final int[] errors, final String what) {
        super(host);
        this.domid = domid;
        this.frames = frames;
        this.writable = writable;
        this.address = address;
        this.errors = errors;
        this.description = "foreign mapping of " + what + (writable ? "" : " (read-only)") + " in dom" + host.domid();
        final @Nullable String[] why = new String[frames.length];
        boolean any = false;
        for (int i = 0; i < frames.length; i++) {
            if (errors[i] != 0) {
                why[i] = "gfn 0x" + Long.toHexString(frames[i]) + ": " + LinuxErrno.describe(errors[i]);
                any = true;
            }
        }
        this.mapping = MappedView.of(description, writable, address, frames.length, any ? why : null);
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
    public int domid() {
        return domid;
    }

    @Override
    public int frameCount() {
        return frames.length;
    }

    @Override
    public boolean writable() {
        return writable;
    }

    @Override
    public int error(final int frame) {
        if (frame < 0 || frame >= errors.length) {
            throw new IndexOutOfBoundsException("frame=" + frame + " frameCount=" + errors.length + " of " + description);
        }
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
    public AtomicBuffer buffer() {
        ensureOpen("buffer");
        return mapping.view();
    }

    long address() {
        return address;
    }

    @Override
    protected void releaseResource() {
        mapping.unmap("unmapped");
    }
}
