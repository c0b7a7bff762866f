package io.xen4j.net.spi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.xen4j.net.FrameHandler;
import io.xen4j.net.Offload;
import io.xen4j.net.internal.Packets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * An in-memory Ethernet switch that connects several netbacks (so several simulated guests): it
 * learns which port each source MAC address is behind, sends a unicast frame to the port its
 * destination was learnt on, and floods broadcast, multicast and unknown destinations to every
 * other port. Frames keep their {@link Offload} metadata: the receiving netback does in software
 * what its frontend cannot take. Each port holds a bounded inbox; a frame for a full inbox is
 * dropped and counted. Thread-safe: each port may be used by a different netback thread.
 */
public final class MemorySwitch {
    private final Map<Long, SwitchPort> table = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<SwitchPort> ports = new CopyOnWriteArrayList<>();
    private final int inboxFrames;
    private final AtomicLong flooded = new AtomicLong();
    private final AtomicLong forwarded = new AtomicLong();

    /**
     * Creates a switch.
     *
     * @param inboxFrames frames each port holds for its netback, at least 2
     */
    public MemorySwitch(final int inboxFrames) {
        if (inboxFrames < 2) {
            throw new IllegalArgumentException("memory switch: inboxFrames=" + inboxFrames + " must be >= 2");
        }
        this.inboxFrames = inboxFrames;
    }

    /** Creates a switch whose ports hold 1024 frames each. */
    public MemorySwitch() {
        this(1024);
    }

    /**
     * Adds a port.
     *
     * @param name a name for messages
     * @return the port, for a netback
     */
    public PacketPort port(final String name) {
        final SwitchPort p = new SwitchPort(name);
        ports.add(p);
        return p;
    }

    /**
     * Unicast frames sent to the one port their destination was learnt on.
     *
     * @return the count
     */
    public long forwarded() {
        return forwarded.get();
    }

    /**
     * Frames flooded to every other port (broadcast, multicast, unknown destination).
     *
     * @return the count
     */
    public long flooded() {
        return flooded.get();
    }

    private boolean forward(final SwitchPort from, final ByteBuf frame, final Offload offload) {
        if (frame.readableBytes() < Packets.ETH_HLEN) {
            from.dropped.incrementAndGet();
            return false;
        }
        final long src = Packets.source(frame);
        if (!Packets.isMulticast(src)) {
            table.put(src, from);
        }
        final long dst = Packets.destination(frame);
        if (!Packets.isMulticast(dst)) {
            final SwitchPort to = table.get(dst);
            if (to != null && to.open) {
                forwarded.incrementAndGet();
                return to == from || to.offer(frame, offload);
            }
        }
        flooded.incrementAndGet();
        for (final SwitchPort p : ports) {
            if (p != from && p.open) {
                p.offer(frame, offload);
            }
        }
        return true;
    }

    /** A frame in an inbox. */
    private record Queued(ByteBuf frame, Offload offload) {
    }

    private final class SwitchPort implements PacketPort {
        private final String name;
        private final ManyToOneConcurrentArrayQueue<Queued> inbox = new ManyToOneConcurrentArrayQueue<>(inboxFrames);
        private final AtomicLong dropped = new AtomicLong();
        private volatile boolean open = true;

        SwitchPort(final String name) {
            this.name = name;
        }

        boolean offer(final ByteBuf frame, final Offload offload) {
            final int len = frame.readableBytes();
            final ByteBuf copy = ByteBufAllocator.DEFAULT.buffer(len).writeBytes(frame, frame.readerIndex(), len);
            if (!inbox.offer(new Queued(copy, offload))) {
                copy.release();
                dropped.incrementAndGet();
                return false;
            }
            return true;
        }

        @Override
        public boolean transmit(final ByteBuf frame, final Offload offload) {
            return open && forward(this, frame, offload);
        }

        @Override
        public int receive(final FrameHandler handler, final int limit) {
            int n = 0;
            for (; n < limit; n++) {
                final Queued q = inbox.poll();
                if (q == null) {
                    break;
                }
                try {
                    handler.onFrame(q.frame, q.offload);
                } finally {
                    q.frame.release();
                }
            }
            return n;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String toString() {
            return "switch port " + name + " (dropped " + dropped.get() + ")";
        }

        @Override
        public void close() {
            open = false;
            ports.remove(this);
            table.values().removeIf(p -> p == this);
            for (Queued q = inbox.poll(); q != null; q = inbox.poll()) {
                q.frame.release();
            }
        }
    }
}
