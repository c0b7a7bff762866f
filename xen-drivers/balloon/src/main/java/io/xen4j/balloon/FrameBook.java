package io.xen4j.balloon;

import java.util.BitSet;

/**
 * Which guest frames the balloon believes populated ({@code held}), which it gave back
 * ({@code ballooned}) and which it could not give back because they are in use ({@code pinned}).
 * The domain is taken to start with frames {@code [0, initialPages)} populated, as a PV guest's
 * pseudo-physical map does and the simulated host builds it; frames up to {@code windowPages} may be
 * populated later. Releases take the highest held frames first (the kernel's allocator is least
 * likely to hold those), claims the lowest free ones, so a balloon that goes down and up again
 * reuses the frames it gave back.
 */
final class FrameBook {
    private final int window;
    private final BitSet held = new BitSet();
    private final BitSet ballooned = new BitSet();
    private final BitSet pinned = new BitSet();

    FrameBook(final long initialPages, final long windowPages) {
        this.window = (int) Math.min(Integer.MAX_VALUE - 1L, Math.max(windowPages, initialPages));
        held.set(0, (int) Math.min(initialPages, window));
    }

    /** Fills {@code out} with up to {@code n} held, unpinned frames, highest first; returns how many. */
    int pickForRelease(final long[] out, final int n) {
        int found = 0;
        int g = held.previousSetBit(window - 1);
        while (g >= 0 && found < n) {
            if (!pinned.get(g)) {
                out[found++] = g;
            }
            g = held.previousSetBit(g - 1);
        }
        return found;
    }

    /** Fills {@code out} with up to {@code n} frames not held, lowest first, inside the window; returns how many. */
    int pickForClaim(final long[] out, final int n) {
        int found = 0;
        int g = held.nextClearBit(0);
        while (g < window && found < n) {
            out[found++] = g;
            g = held.nextClearBit(g + 1);
        }
        return found;
    }

    void released(final long[] gfns, final int count) {
        for (int i = 0; i < count; i++) {
            held.clear((int) gfns[i]);
            ballooned.set((int) gfns[i]);
        }
    }

    void claimed(final long[] gfns, final int count) {
        for (int i = 0; i < count; i++) {
            held.set((int) gfns[i]);
            ballooned.clear((int) gfns[i]);
        }
    }

    void pin(final long gfn) {
        pinned.set((int) gfn);
    }

    long balloonedCount() {
        return ballooned.cardinality();
    }

    long pinnedCount() {
        return pinned.cardinality();
    }
}
