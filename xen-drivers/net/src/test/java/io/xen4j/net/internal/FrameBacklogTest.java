package io.xen4j.net.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rx backlog: exact bounds, first in first out, frames intact across wrap and growth. */
@Timeout(30)
final class FrameBacklogTest {
    private static byte[] frame(final Random r, final int len) {
        final byte[] b = new byte[len];
        r.nextBytes(b);
        return b;
    }

    private static byte[] first(final FrameBacklog<Integer> q) {
        final byte[] out = new byte[q.firstLength()];
        q.area().getBytes(q.firstOffset(), out);
        return out;
    }

    @Test
    void theBoundsAreExactLimitAcceptedLimitPlusOneRefused() {
        final FrameBacklog<Integer> frames = new FrameBacklog<>(3, 1 << 20);
        for (int i = 0; i < 3; i++) {
            assertTrue(frames.offer(Unpooled.wrappedBuffer(new byte[60]), i) >= 0);
        }
        assertEquals(-1, frames.offer(Unpooled.wrappedBuffer(new byte[60]), 3), "frame bound");
        final FrameBacklog<Integer> bytes = new FrameBacklog<>(100, 65536 + 100);
        assertTrue(bytes.offer(Unpooled.wrappedBuffer(new byte[65536]), 0) >= 0);
        assertTrue(bytes.offer(Unpooled.wrappedBuffer(new byte[100]), 1) >= 0);
        assertEquals(-1, bytes.offer(Unpooled.wrappedBuffer(new byte[1]), 2), "byte bound");
        assertEquals(65636, bytes.bytes());
        assertEquals(-1, bytes.offer(Unpooled.wrappedBuffer(new byte[0]), 3), "an empty frame");
        assertThrows(IllegalStateException.class, () -> new FrameBacklog<Integer>(1, 1 << 16).firstOffset());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void framesComeOutIntactAndInOrderAcrossWrapAndGrowth(final long seed) {
        final Random r = new Random(seed);
        final int maxFrames = 1 + r.nextInt(300);
        final int maxBytes = 65536 + r.nextInt(1 << 20);
        final FrameBacklog<Integer> q = new FrameBacklog<>(maxFrames, maxBytes);
        final ArrayDeque<byte[]> model = new ArrayDeque<>();
        final ArrayDeque<Integer> tags = new ArrayDeque<>();
        long modelBytes = 0;
        int tag = 0;
        for (int step = 0; step < 6_000; step++) {
            final int op = r.nextInt(10);
            if (op < 6) {
                final int len = r.nextInt(4) == 0 ? 1 + r.nextInt(65536) : 14 + r.nextInt(1500);
                final byte[] f = frame(r, len);
                final boolean fits = model.size() < maxFrames && modelBytes + len <= maxBytes;
                final int at = q.offer(Unpooled.wrappedBuffer(f), tag);
                assertEquals(fits, at >= 0, "step " + step + ": len=" + len + " queued=" + model.size() + "/" + modelBytes);
                if (fits) {
                    model.addLast(f);
                    tags.addLast(tag);
                    modelBytes += len;
                    if (r.nextInt(20) == 0) {
                        q.removeLast();
                        model.removeLast();
                        tags.removeLast();
                        modelBytes -= len;
                    }
                }
                tag++;
            } else if (!model.isEmpty()) {
                assertArrayEquals(model.peekFirst(), first(q), "step " + step);
                assertEquals(tags.peekFirst(), q.firstMetadata());
                q.removeFirst();
                modelBytes -= model.removeFirst().length;
                tags.removeFirst();
            }
            assertEquals(model.size(), q.size());
            assertEquals(modelBytes, q.bytes());
        }
        assertTrue(q.area().capacity() <= maxBytes + 65536 + 64, "the area stays within its largest size");
    }
}
