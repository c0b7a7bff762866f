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
 * and writes of whole Ethernet frames. Without offloads a frame with a blank checksum has it
 * filled in, and a GSO frame is cut into segments, before it is written. With offloads
 * ({@code IFF_VNET_HDR} and {@code TUNSETOFFLOAD} of checksum and TSO4/TSO6) each frame carries a
 * {@code struct virtio_net_hdr}: GSO frames and partial checksums pass to and from the kernel
 * whole, as {@link Offload} metadata. The
 * device lives as long as the port is open; it may be moved to another network namespace
 * ({@code ip link set <name> netns <ns>}) and the descriptor keeps working. Needs
 * {@code CAP_NET_ADMIN}.
 */
public final class TapPort implements PacketPort {
    private static final int BUFFER = 65536;

    private static final Offload VALIDATED = new Offload(false, true, 0, 0);
    private static final int MAX_FRAME = 0xFFFF;

    private final int fd;
    private final String name;
    private final boolean vnet;
    private final int headroom;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment readSegment = arena.allocate(BUFFER, 64);
    private final MemorySegment writeSegment = arena.allocate(BUFFER, 64);
    private final ByteBuf readView;
    private final ByteBuf writeView;
    private final ByteBuffer writeBuffer;
    private final Packets.Layout layout = new Packets.Layout();
    private final AtomicBoolean closed = new AtomicBoolean();
    private long received;
    private long sent;
    private long dropped;
    private long gsoReceived;
    private long gsoSent;
    private long readCalls;
    private long writeCalls;

    private TapPort(final int fd, final String name, final boolean vnet) {
        this.fd = fd;
        this.name = name;
        this.vnet = vnet;
        this.headroom = vnet ? TapLibc.VNET_HDR_LEN : 0;
        this.readView = Unpooled.wrappedBuffer(readSegment.asByteBuffer());
        this.writeView = Unpooled.wrappedBuffer(writeSegment.asByteBuffer());
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
        return open(name, false);
    }

    /**
     * Creates a TAP device, with or without offloads.
     *
     * @param name     the interface name (at most 15 bytes), or a template such as {@code tap%d}
     * @param offloads exchange checksum and TCP segmentation offloads with the kernel
     *                 ({@code IFF_VNET_HDR}, {@code TUNSETOFFLOAD})
     * @return the port
     * @throws IllegalStateException naming the device and the errno when it cannot be created
     */
    public static TapPort open(final String name, final boolean offloads) {
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
            final short flags = (short) (TapLibc.IFF_TAP | TapLibc.IFF_NO_PI | (offloads ? TapLibc.IFF_VNET_HDR : 0));
            ifr.set(java.lang.foreign.ValueLayout.JAVA_SHORT, TapLibc.IFR_FLAGS_OFFSET, flags);
            final int r = TapLibc.ioctl(fd, TapLibc.TUNSETIFF, ifr);
            if (r < 0) {
                TapLibc.close(fd);
                throw new IllegalStateException("tap " + name + ": ioctl(TUNSETIFF, IFF_TAP|IFF_NO_PI) failed: " + TapLibc.strerror(r)
                    + " (errno " + -r + "); creating a TAP device needs CAP_NET_ADMIN");
            }
            if (offloads) {
                final int o = TapLibc.ioctl(fd, TapLibc.TUNSETOFFLOAD, TapLibc.TUN_F_CSUM | TapLibc.TUN_F_TSO4 | TapLibc.TUN_F_TSO6);
                if (o < 0) {
                    TapLibc.close(fd);
                    throw new IllegalStateException("tap " + name + ": ioctl(TUNSETOFFLOAD, CSUM|TSO4|TSO6) failed: "
                        + TapLibc.strerror(o) + " (errno " + -o + ")");
                }
            }
            return new TapPort(fd, ifr.getString(0, StandardCharsets.US_ASCII), offloads);
        }
    }

    @Override
    public boolean transmit(final ByteBuf frame, final Offload offload) {
        if (closed.get()) {
            return false;
        }
        if (vnet) {
            return writeWithHeader(frame, offload);
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
        writeCalls++;
        if (r != len) {
            // EAGAIN: the device's queue is full; a frame is lost, as on a wire.
            dropped++;
            return false;
        }
        sent++;
        return true;
    }

    /** Writes a frame after a {@code virtio_net_hdr} that carries its offloads to the kernel. */
    private boolean writeWithHeader(final ByteBuf frame, final Offload offload) {
        final int len = frame.readableBytes();
        if (len + headroom > BUFFER) {
            dropped++;
            return false;
        }
        writeBuffer.clear().position(headroom).limit(headroom + len);
        frame.getBytes(frame.readerIndex(), writeBuffer);
        writeView.setIndex(headroom, headroom + len);
        int flags = 0;
        int gsoType = 0;
        int hdrLen = 0;
        int csumStart = 0;
        int csumOffset = 0;
        if ((offload.csumBlank() || offload.isGso()) && Packets.partialChecksum(writeView, layout)) {
            // The kernel completes the checksum (or each segment's) from csum_start.
            flags = TapLibc.VIRTIO_NET_HDR_F_NEEDS_CSUM;
            csumStart = layout.l4 - headroom;
            csumOffset = Packets.checksumFieldOffset(layout);
            if (offload.isGso()) {
                gsoType = layout.ipv6 ? TapLibc.VIRTIO_NET_HDR_GSO_TCPV6 : TapLibc.VIRTIO_NET_HDR_GSO_TCPV4;
                hdrLen = layout.l4 + layout.l4HeaderLength - headroom;
            }
        } else if (offload.isGso()) {
            dropped++;
            return false;
        } else if (offload.dataValidated()) {
            flags = TapLibc.VIRTIO_NET_HDR_F_DATA_VALID;
        }
        writeSegment.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) flags);
        writeSegment.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 1, (byte) gsoType);
        writeView.setShortLE(2, hdrLen);
        writeView.setShortLE(4, gsoType == 0 ? 0 : offload.gsoSize());
        writeView.setShortLE(6, csumStart);
        writeView.setShortLE(8, csumOffset);
        final long r = TapLibc.write(fd, writeSegment, headroom + len);
        writeCalls++;
        if (r != headroom + len) {
            dropped++;
            return false;
        }
        sent++;
        if (gsoType != 0) {
            gsoSent++;
        }
        return true;
    }

    @Override
    public int receive(final FrameHandler handler, final int limit) {
        int n = 0;
        while (n < limit && !closed.get()) {
            final long r = TapLibc.read(fd, readSegment, BUFFER);
            readCalls++;
            if (r == -TapLibc.EINTR) {
                continue;
            }
            if (r <= headroom) {
                // EAGAIN: nothing waiting. Other errors (the device went away) read as nothing too.
                break;
            }
            readView.setIndex(headroom, (int) r);
            received++;
            n++;
            if (!vnet) {
                handler.onFrame(readView, Offload.NONE);
                continue;
            }
            final int flags = readView.getUnsignedByte(0);
            final int gsoType = readView.getUnsignedByte(1) & ~TapLibc.VIRTIO_NET_HDR_GSO_ECN;
            final int gsoSize = readView.getUnsignedShortLE(4);
            final Offload offload;
            if ((gsoType == TapLibc.VIRTIO_NET_HDR_GSO_TCPV4 || gsoType == TapLibc.VIRTIO_NET_HDR_GSO_TCPV6) && gsoSize > 0) {
                offload = Offload.gso(gsoType == TapLibc.VIRTIO_NET_HDR_GSO_TCPV6, gsoSize);
                gsoReceived++;
            } else if ((flags & TapLibc.VIRTIO_NET_HDR_F_NEEDS_CSUM) != 0) {
                offload = Offload.CSUM_BLANK;
            } else if ((flags & TapLibc.VIRTIO_NET_HDR_F_DATA_VALID) != 0) {
                offload = VALIDATED;
            } else {
                offload = Offload.NONE;
            }
            if (readView.readableBytes() > MAX_FRAME) {
                // Larger than netif can carry in one packet: cut into segments here.
                Packets.segment(readView, Math.max(1, gsoSize), ByteBufAllocator.DEFAULT, s -> {
                    try {
                        handler.onFrame(s, Offload.NONE);
                    } finally {
                        s.release();
                    }
                });
                continue;
            }
            handler.onFrame(readView, offload);
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

    /**
     * GSO frames read from the device (with offloads).
     *
     * @return the count
     */
    public long gsoReceived() {
        return gsoReceived;
    }

    /**
     * GSO frames written to the device whole (with offloads).
     *
     * @return the count
     */
    public long gsoSent() {
        return gsoSent;
    }

    /**
     * {@code read} calls made, those that found nothing included (with {@link #writeCalls()}: the
     * system calls per frame).
     *
     * @return the count
     */
    public long readCalls() {
        return readCalls;
    }

    /**
     * {@code write} calls made.
     *
     * @return the count
     */
    public long writeCalls() {
        return writeCalls;
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
