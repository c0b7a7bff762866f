package io.xen4j.net;

import io.netty.buffer.ByteBuf;

/** Receives Ethernet frames, one at a time. */
@FunctionalInterface
public interface FrameHandler {
    /**
     * One frame. The buffer's readable bytes are the frame, from the destination MAC; it is valid
     * only during the call and is reused afterwards: a handler that keeps the frame copies it.
     *
     * @param frame   the frame
     * @param offload its offload metadata
     */
    void onFrame(ByteBuf frame, Offload offload);
}
