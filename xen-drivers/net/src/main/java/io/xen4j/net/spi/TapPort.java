package io.xen4j.net.spi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.xen4j.net.FrameHandler;
import io.xen4j.net.Offload;
import io.xen4j.net.internal.Packets;
import io.xen4j.net.internal.TapLibc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Linux TAP device as a {@link PacketPort}: {@code /dev/net/tun} opened through the Foreign
 * Function and Memory API, {@code TUNSETIFF} with {@code IFF_TAP | IFF_NO_PI}, non-blocking reads
 * and writes of whole Ethernet frames. The device takes no offloads, so a frame with a blank
 * checksum has it filled in, and a GSO frame is cut into segments, before it is written. The
 * device lives as long as the port is open; it may be moved to another network namespace
 * ({@code ip link set <name> netns <ns>}) and the descriptor keeps working. Needs
 * {@code CAP_NET_ADMIN}.
 */
public final class TapPort implements PacketPort {
    private static final int BUFFER = 65536;

    private final int fd;
    private final String name;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment readSegment = arena.allocate(BUFFER, 64);
    private final MemorySegment writeSegment = arena.allocate(BUFFER, 64);
    private final ByteBuf readView;
    private final ByteBuffer writeBuffer;
    private final AtomicBoolean closed = new AtomicBoolean();
    private long received;
    private long sent;
    private long dropped;

    private TapPort(final int fd, final String name) {
        this.fd = fd;
        this.name = name;
        this.readView = Unpooled.wrappedBuffer(readSegment.asByteBuffer());
        this.writeBuffer = writeSegment.asByteBuffer();
    }

    /**
     * Creates a TAP device.
     *
     * @param name the interface name (at most 15 bytes), or a template such as {@code tap%d}
     * @return the port
     * @throws IllegalStateException naming the device and the errno when it cannot be created
     *     (typically {@code EPERM} without {@code CAP_NET_ADMIN}, {@code ENOENT} without the tun module)
     */
    public static TapPort open(final String name) {
        final byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length == 0 || bytes.length >= TapLibc.IFNAMSIZ || name.indexOf('\0') >= 0 || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("tap: name=\"" + name + "\" must be 1.." + (TapLibc.IFNAMSIZ - 1) + " bytes");
        }
        final int fd = TapLibc.open("/dev/net/tun", TapLibc.O_RDWR | TapLibc.O_NONBLOCK | TapLibc.O_CLOEXEC);
        if (fd < 0) {
            throw new IllegalStateException("tap " + name + ": open(/dev/net/tun) failed: " + TapLibc.strerror(fd) + " (errno " + -fd
                + "); is the tun module loaded?");
        }
        try (Arena a = Arena.ofConfined()) {
            final MemorySegment ifr = a.allocate(TapLibc.IFREQ_SIZE);
            ifr.asSlice(0, bytes.length).copyFrom(MemorySegment.ofArray(bytes));
            ifr.set(java.lang.foreign.ValueLayout.JAVA_SHORT, TapLibc.IFR_FLAGS_OFFSET, (short) (TapLibc.IFF_TAP | TapLibc.IFF_NO_PI));
            final int r = TapLibc.ioctl(fd, TapLibc.TUNSETIFF, ifr);
            if (r < 0) {
                TapLibc.close(fd);
                throw new IllegalStateException("tap " + name + ": ioctl(TUNSETIFF, IFF_TAP|IFF_NO_PI) failed: " + TapLibc.strerror(r)
                    + " (errno " + -r + "); creating a TAP device needs CAP_NET_ADMIN");
            }
            return new TapPort(fd, ifr.getString(0, StandardCharsets.US_ASCII));
        }
    }

    @Override
    public boolean transmit(final ByteBuf frame, final Offload offload) {
        if (closed.get()) {
            return false;
        }
        if (offload.isGso()) {
            // The device takes no GSO: segment here, as Linux's software GSO would.
            final boolean[] ok = {true};
            final int n = Packets.segment(frame, offload.gsoSize(), ByteBufAllocator.DEFAULT, s -> {
                ok[0] &= write(s);
                s.release();
            });
            if (n == 0) {
                dropped++;
                return false;
            }
            return ok[0];
        }
        if (offload.csumBlank()) {
            final ByteBuf copy = ByteBufAllocator.DEFAULT.buffer(frame.readableBytes()).writeBytes(frame, frame.readerIndex(),
                frame.readableBytes());
            try {
                Packets.completeChecksum(copy);
                return write(copy);
            } finally {
                copy.release();
            }
        }
        return write(frame);
    }

    private boolean write(final ByteBuf frame) {
        final int len = frame.readableBytes();
        if (len > BUFFER) {
            dropped++;
            return false;
        }
        writeBuffer.clear().limit(len);
        frame.getBytes(frame.readerIndex(), writeBuffer);
        final long r = TapLibc.write(fd, writeSegment, len);
        if (r != len) {
            // EAGAIN: the device's queue is full; a frame is lost, as on a wire.
            dropped++;
            return false;
        }
        sent++;
        return true;
    }

    @Override
    public int receive(final FrameHandler handler, final int limit) {
        int n = 0;
        while (n < limit && !closed.get()) {
            final long r = TapLibc.read(fd, readSegment, BUFFER);
            if (r == -TapLibc.EINTR) {
                continue;
            }
            if (r <= 0) {
                // EAGAIN: nothing waiting. Other errors (the device went away) read as nothing too.
                break;
            }
            readView.setIndex(0, (int) r);
            received++;
            n++;
            handler.onFrame(readView, Offload.NONE);
        }
        return n;
    }

    /**
     * The interface name the kernel gave the device.
     *
     * @return the name
     */
    @Override
    public String name() {
        return name;
    }

    /**
     * Frames read from the device.
     *
     * @return the count
     */
    public long received() {
        return received;
    }

    /**
     * Frames written to the device.
     *
     * @return the count
     */
    public long sent() {
        return sent;
    }

    /**
     * Frames that could not be written (device queue full, unparseable GSO frame).
     *
     * @return the count
     */
    public long dropped() {
        return dropped;
    }

    /** Closes the descriptor: the kernel removes the device. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            TapLibc.close(fd);
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "tap " + name + " (fd " + fd + ")";
    }
}
