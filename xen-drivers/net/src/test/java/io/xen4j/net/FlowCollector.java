package io.xen4j.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.xen4j.net.internal.Packets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A receiver that checks every frame's checksum (filling it in first when the frame says it is
 * blank), cuts GSO frames into segments as a NIC would, and puts each TCP segment's payload at its
 * sequence number in the flow's buffer (flows are told apart by destination port); UDP payloads
 * are compared whole. Runs on the agent thread; the test thread reads the results.
 */
final class FlowCollector implements FrameHandler {
    private final Map<Integer, byte[]> expected = new ConcurrentHashMap<>();
    private final Map<Integer, byte[]> got = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicLong> bytes = new ConcurrentHashMap<>();
    final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong frames = new AtomicLong();
    final AtomicLong gsoFrames = new AtomicLong();
    final AtomicLong blankFrames = new AtomicLong();

    void expect(final int dport, final byte[] payload) {
        expected.put(dport, payload);
        got.put(dport, new byte[payload.length]);
        bytes.put(dport, new AtomicLong());
    }

    @Override
    public void onFrame(final ByteBuf frame, final Offload offload) {
        frames.incrementAndGet();
        final ByteBuf copy = Unpooled.copiedBuffer(frame);
        if (offload.csumBlank()) {
            blankFrames.incrementAndGet();
            if (!Packets.completeChecksum(copy)) {
                errors.add("csum_blank frame that is not TCP/UDP: " + copy.readableBytes() + " bytes");
                return;
            }
        } else if (!Packets.verifyChecksum(copy)) {
            errors.add("bad checksum on a frame of " + copy.readableBytes() + " bytes, offload " + offload);
            return;
        }
        if (offload.isGso()) {
            gsoFrames.incrementAndGet();
            if (Packets.segment(copy, offload.gsoSize(), ByteBufAllocator.DEFAULT, s -> {
                consume(s);
                s.release();
            }) == 0) {
                errors.add("GSO frame that does not segment");
            }
        } else {
            consume(copy);
        }
    }

    private void consume(final ByteBuf f) {
        final Packets.Layout l = new Packets.Layout();
        if (!Packets.parse(f, l)) {
            errors.add("frame does not parse");
            return;
        }
        final int dport = f.getUnsignedShort(l.l4 + 2);
        final byte[] exp = expected.get(dport);
        final byte[] into = got.get(dport);
        if (exp == null || into == null) {
            errors.add("frame for unknown flow " + dport);
            return;
        }
        final int from = l.l4 + l.l4HeaderLength;
        final int len = l.end - from;
        if (l.proto == Packets.IPPROTO_TCP) {
            final long at = f.getUnsignedInt(l.l4 + 4) - TestFrames.ISN;
            if (at < 0 || at + len > exp.length) {
                errors.add("flow " + dport + ": segment at " + at + " of " + len + " bytes beyond " + exp.length);
                return;
            }
            f.getBytes(from, into, (int) at, len);
        } else {
            if (len != exp.length) {
                errors.add("flow " + dport + ": UDP payload " + len + " bytes, expected " + exp.length);
                return;
            }
            f.getBytes(from, into, 0, len);
        }
        count(dport).addAndGet(len);
    }

    private AtomicLong count(final int dport) {
        return java.util.Objects.requireNonNull(bytes.get(dport));
    }

    boolean complete() {
        for (final Map.Entry<Integer, byte[]> e : expected.entrySet()) {
            if (count(e.getKey()).get() < e.getValue().length) {
                return false;
            }
        }
        return true;
    }

    String mismatch() {
        final StringBuilder b = new StringBuilder();
        for (final Map.Entry<Integer, byte[]> e : expected.entrySet()) {
            if (!Arrays.equals(e.getValue(), got.get(e.getKey())) || count(e.getKey()).get() != e.getValue().length) {
                b.append(" flow ").append(e.getKey()).append(": ").append(count(e.getKey()).get()).append('/')
                    .append(e.getValue().length).append(" bytes");
            }
        }
        return b.toString();
    }
}
