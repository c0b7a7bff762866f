package io.xen4j.hal.memory;

import java.nio.ByteBuffer;
import java.util.BitSet;
import org.agrona.BufferUtil;
import org.agrona.collections.Int2ObjectHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A simulated domain's pseudo-physical memory: which guest frames are populated (its
 * reservation), which of them the guest kernel has handed out (to shares), and the contents of
 * the frames anyone has touched. Contents are created on first use, so a domain of a gigabyte
 * costs only what is used. Guarded by the hypervisor lock.
 */
final class Physmap {
    static final int PAGE_SIZE = 4096;

    private final Hypervisor hv;
    long maxPages;
    final int gfnLimit;
    private final BitSet populated = new BitSet();
    private final BitSet allocated = new BitSet();
    private final Int2ObjectHashMap<Frame> frames = new Int2ObjectHashMap<>();
    private long populatedCount;

    Physmap(final Hypervisor hv, final long maxPages, final long initialPages) {
        this.hv = hv;
        this.maxPages = maxPages;
        // Room above the maximum, as a real physmap has holes and ranges a balloon can populate;
        // the bit sets grow only as far as frames are actually used.
        this.gfnLimit = (int) Math.min(Integer.MAX_VALUE - 1L, Math.max(maxPages, initialPages) * 2 + 65_536);
        populated.set(0, (int) initialPages);
        populatedCount = initialPages;
    }

    long populatedCount() {
        return populatedCount;
    }

    boolean isPopulated(final long gfn) {
        return gfn >= 0 && gfn < gfnLimit && populated.get((int) gfn);
    }

    boolean populate(final long gfn) {
        if (gfn < 0 || gfn >= gfnLimit || populated.get((int) gfn)) {
            return false;
        }
        populated.set((int) gfn);
        populatedCount++;
        return true;
    }

    /** Releases a frame; false when it is not populated or is in use. */
    boolean depopulate(final long gfn) {
        if (!isPopulated(gfn) || allocated.get((int) gfn)) {
            return false;
        }
        final Frame f = frames.get((int) gfn);
        if (f != null && f.holds > 0) {
            return false;
        }
        frames.remove((int) gfn);
        populated.clear((int) gfn);
        populatedCount--;
        return true;
    }

    /** The frame's contents, created zeroed on first use; null when the frame is not populated. */
    @Nullable Frame frame(final long gfn) {
        if (!isPopulated(gfn)) {
            return null;
        }
        Frame f = frames.get((int) gfn);
        if (f == null) {
            f = new Frame(hv.nextRegionId(), allocate(PAGE_SIZE), 0);
            frames.put((int) gfn, f);
        }
        return f;
    }

    /**
     * Hands out {@code count} free populated frames as one contiguous, zeroed region, as the guest
     * kernel's page allocator would for a share. Frames held by another domain's mapping are
     * skipped so that no live view loses its memory.
     *
     * @return the guest frame numbers, or null when not enough frames are free
     */
    int @Nullable [] allocateContiguous(final int count) {
        final int[] gfns = new int[count];
        int found = 0;
        for (int g = populated.nextSetBit(0); g >= 0 && found < count; g = populated.nextSetBit(g + 1)) {
            final Frame f = frames.get(g);
            if (!allocated.get(g) && (f == null || f.holds == 0)) {
                gfns[found++] = g;
            }
        }
        if (found < count) {
            return null;
        }
        final ByteBuffer region = allocate(count * PAGE_SIZE);
        final long regionId = hv.nextRegionId();
        for (int i = 0; i < count; i++) {
            allocated.set(gfns[i]);
            frames.put(gfns[i], new Frame(regionId, region, i * PAGE_SIZE));
        }
        return gfns;
    }

    /** Gives a frame back to the guest's free pool; its contents are dropped unless still held. */
    void free(final int gfn) {
        allocated.clear(gfn);
        final Frame f = frames.get(gfn);
        if (f != null && f.holds == 0) {
            frames.remove(gfn);
        }
    }

    boolean isAllocated(final int gfn) {
        return allocated.get(gfn);
    }

    int allocatedCount() {
        return allocated.cardinality();
    }

    static ByteBuffer allocate(final int bytes) {
        // Page-aligned like real memory, so aligned atomic accesses behave as on hardware.
        return BufferUtil.allocateDirectAligned(bytes, PAGE_SIZE);
    }
}
