package io.xen4j.hal.linux.internal;

import io.xen4j.hal.spi.AbstractXenHandle;

/**
 * A handle of the Linux HAL: registered with its host so that closing the host closes it.
 */
public abstract class HalHandle extends AbstractXenHandle {
    /** Mappings and shares close first (their unmap notifications may use ports). */
    static final int CLOSE_FIRST = 0;
    /** Event channels close last. */
    static final int CLOSE_LAST = 1;

    /** The host that opened the handle. */
    protected final HostCore host;

    /**
     * Creates a handle.
     *
     * @param host the host
     */
    protected HalHandle(final HostCore host) {
        this.host = host;
    }

    /**
     * When the handle closes relative to others as the host closes.
     *
     * @return {@link #CLOSE_FIRST} or {@link #CLOSE_LAST}
     */
    abstract int closeRank();

    @Override
    protected final void release() {
        try {
            releaseResource();
        } finally {
            host.unregister(this);
        }
    }

    /**
     * Releases the resource; called once.
     */
    protected abstract void releaseResource();
}
