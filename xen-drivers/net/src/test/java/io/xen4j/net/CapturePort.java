package io.xen4j.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.xen4j.net.spi.PacketPort;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** A port that records what the guest sends and hands over frames a test queues for it. Single-threaded. */
final class CapturePort implements PacketPort {
    record Sent(byte[] frame, Offload offload) {
    }

    final List<Sent> sent = new ArrayList<>();
    final ArrayDeque<byte[]> inbox = new ArrayDeque<>();
    /** The metadata every frame from the inbox comes with. */
    Offload inboxOffload = Offload.NONE;

    @Override
    public boolean transmit(final ByteBuf frame, final Offload offload) {
        final byte[] b = new byte[frame.readableBytes()];
        frame.getBytes(frame.readerIndex(), b);
        sent.add(new Sent(b, offload));
        return true;
    }

    @Override
    public int receive(final io.xen4j.net.FrameHandler handler, final int limit) {
        int n = 0;
        for (; n < limit && !inbox.isEmpty(); n++) {
            final ByteBuf f = Unpooled.wrappedBuffer(inbox.pollFirst());
            handler.onFrame(f, inboxOffload);
        }
        return n;
    }

    @Override
    public String name() {
        return "capture";
    }

    @Override
    public void close() {
        inbox.clear();
    }
}
