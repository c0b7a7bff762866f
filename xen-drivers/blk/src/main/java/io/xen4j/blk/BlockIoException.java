package io.xen4j.blk;

import java.io.IOException;

/**
 * A block request failed: the backend answered with an error or {@code EOPNOTSUPP}, the device
 * broke, or the request was invalid for the disk. The message names the domain, the device and
 * the reason.
 */
public final class BlockIoException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The {@code BLKIF_RSP_*} status, or 0 when the failure is not a response status. */
    private final int status;

    /**
     * Creates the exception.
     *
     * @param message what failed, naming domain and device
     * @param status  the {@code BLKIF_RSP_*} status, or 0
     */
    public BlockIoException(final String message, final int status) {
        super(message);
        this.status = status;
    }

    /**
     * The response status.
     *
     * @return {@code BLKIF_RSP_ERROR} (-1), {@code BLKIF_RSP_EOPNOTSUPP} (-2), or 0 when not a status
     */
    public int status() {
        return status;
    }
}
