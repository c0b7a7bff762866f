package io.xen4j.rings;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A shared area surrounded by guard bytes, for the fuzz tests: the ring gets an Agrona view of
 * exactly its area (bounds-checked, so a read or write outside it throws), and the guards must
 * be intact after every operation.
 */
final class FuzzSupport {
    static final int GUARD = 256;
    static final byte GUARD_BYTE = (byte) 0xC3;
    static final int[] EDGE_DELTAS = {0, 1, -1, 2, 31, 32, 33, 255, 256, 257, 1023, 1024, 1025, 2047, 2048, 2049,
        0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0xFFFF_FFFE};

    final UnsafeBuffer outer;
    final UnsafeBuffer area;

    FuzzSupport(final int bytes, final FuzzedDataProvider data) {
        outer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(bytes + 2 * GUARD, 4096));
        outer.setMemory(0, outer.capacity(), GUARD_BYTE);
        area = new UnsafeBuffer(outer, GUARD, bytes);
        final byte[] contents = data.consumeBytes(data.consumeInt(0, bytes));
        area.putBytes(0, contents);
        for (int i = contents.length; i < bytes; i++) {
            area.putByte(i, (byte) (i * 13));
        }
    }

    /** An index the hostile peer writes: arbitrary, or near {@code base} by an edge delta. */
    static int hostileIndex(final FuzzedDataProvider data, final int base) {
        return switch (data.consumeInt(0, 3)) {
            case 0 -> data.consumeInt();
            case 1 -> base + data.pickValue(EDGE_DELTAS);
            default -> base + data.consumeInt(-3, 40);
        };
    }

    void assertGuardsIntact() {
        for (int i = 0; i < GUARD; i++) {
            if (outer.getByte(i) != GUARD_BYTE || outer.getByte(outer.capacity() - 1 - i) != GUARD_BYTE) {
                throw new AssertionError("a guard byte around the shared area changed: i=" + i);
            }
        }
    }

    static boolean above(final int a, final int b) {
        return Integer.compareUnsigned(a, b) > 0;
    }

    static void check(final boolean condition, final String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
