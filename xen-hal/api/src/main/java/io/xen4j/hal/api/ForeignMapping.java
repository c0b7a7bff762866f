package io.xen4j.hal.api;

import org.agrona.concurrent.AtomicBuffer;

/**
 * Frames of another domain mapped into this one by {@link ForeignMemory}. Closing unmaps them.
 */
public interface ForeignMapping extends XenHandle {
    /**
     * The domain whose memory is mapped.
     *
     * @return the domain id
     */
    int domid();

    /**
     * How many frames the mapping covers, mapped or not.
     *
     * @return the frame count
     */
    int frameCount();

    /**
     * Whether the mapping is writable.
     *
     * @return false for a read-only mapping
     */
    boolean writable();

    /**
     * The error of one frame.
     *
     * @param frame index of the frame, from 0
     * @return 0 when mapped, else a positive errno number (see {@link Errno#of(int)})
     * @throws IndexOutOfBoundsException if there is no such frame
     */
    int error(int frame);

    /**
     * Whether every frame was mapped.
     *
     * @return true when no frame has an error
     */
    boolean allMapped();

    /**
     * A buffer over all frames, {@code frameCount() * PAGE_SIZE} bytes. Accessing a frame that
     * failed to map throws {@link XenHalException} naming it (where Linux would raise
     * {@code SIGBUS}).
     *
     * @return the buffer; it fails on access after {@link #close()}
     * @throws HandleClosedException if the mapping is closed
     */
    AtomicBuffer buffer();
}
