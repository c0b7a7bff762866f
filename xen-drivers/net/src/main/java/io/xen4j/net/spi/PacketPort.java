package io.xen4j.net.spi;

import io.netty.buffer.ByteBuf;
import io.xen4j.net.FrameHandler;
import io.xen4j.net.Offload;

/**
 * Where a netback's frames go and come from: the other end of the guest's network cable (a
 * switch port, a TAP device). Netback calls it from its agent thread only.
 */
public interface PacketPort extends AutoCloseable {
    /**
     * A frame the guest sent. The port copies what it keeps before returning; the buffer is
     * netback's. A port that cannot take the offload (a blank checksum, a GSO frame) does the
     * work in software.
     *
     * @param frame   the frame's readable bytes
     * @param offload its metadata
     * @return false when the port dropped it
     */
    boolean transmit(ByteBuf frame, Offload offload);

    /**
     * Hands frames waiting for the guest to {@code handler}, at most {@code limit}, without
     * blocking.
     *
     * @param handler receives each frame (valid during the call only)
     * @param limit   the most frames to hand over
     * @return the number handed over
     */
    int receive(FrameHandler handler, int limit);

    /**
     * A name for messages.
     *
     * @return the name
     */
    String name();

    /** Detaches the port. */
    @Override
    void close();
}
