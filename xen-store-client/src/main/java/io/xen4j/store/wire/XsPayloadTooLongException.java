package io.xen4j.store.wire;

/**
 * A message was to be built with a payload over
 * {@link io.xen4j.abi.xenstore.XsWire#XENSTORE_PAYLOAD_MAX} bytes; xenstore would drop the
 * connection of a client that sent it, and a daemon answers {@code E2BIG} instead of sending it.
 */
public final class XsPayloadTooLongException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int length;

    /**
     * The exception.
     *
     * @param message names the type, the length and the limit
     * @param length  the payload length that was asked for
     */
    public XsPayloadTooLongException(final String message, final int length) {
        super(message);
        this.length = length;
    }

    /**
     * The payload length that was asked for.
     *
     * @return bytes
     */
    public int length() {
        return length;
    }
}
