package io.xen4j.net;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;

/**
 * A network interface: Ethernet frames out with {@link #send}, frames in through the
 * {@link FrameHandler} given when the device is made. Frames carry {@link Offload} metadata; what
 * the peer cannot take is done in software before the frame leaves (checksums filled in, GSO
 * frames cut into segments), so a sender may always use offloads.
 */
public interface NetDevice {
    /**
     * Completes when the device is connected, with what was negotiated; fails if the device
     * breaks first.
     *
     * @return the future
     */
    CompletableFuture<NetInfo> connected();

    /**
     * Queues a frame for sending. The frame's readable bytes are copied before the call returns;
     * the buffer stays the caller's. Frames queued before the connection are sent once connected.
     *
     * @param frame   an Ethernet frame of 14 to 65535 bytes
     * @param offload its offload metadata
     * @return false when the frame is dropped: the send queue is full, the device is broken or
     *     closed, or the frame is malformed (counted in {@link #txDropped()})
     */
    boolean send(ByteBuf frame, Offload offload);

    /**
     * Frames dropped on the way out, by this device or the backend.
     *
     * @return the count
     */
    long txDropped();
}
