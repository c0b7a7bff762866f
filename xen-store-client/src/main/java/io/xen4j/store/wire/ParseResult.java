package io.xen4j.store.wire;

/**
 * What {@link XsParser} answers after a chunk of bytes: it needs more bytes, it has a whole
 * message, or the stream is broken and must be dropped.
 */
public sealed interface ParseResult permits ParseResult.NeedMoreData, ParseResult.Packet, ParseResult.Failed {

    /** The bytes given so far end inside a message; feed more. */
    enum NeedMoreData implements ParseResult {
        /** The only value. */
        INSTANCE
    }

    /**
     * A whole message.
     *
     * @param message the message, owning a private copy of its payload
     */
    record Packet(XsMessage message) implements ParseResult {
    }

    /**
     * The stream broke a rule of the protocol; the parser stays failed until
     * {@link XsParser#reset()}, because after a bad header the message boundaries are lost.
     *
     * @param reason which rule
     * @param type   the {@code type} word of the offending header (unsigned 32 bit, as an int)
     * @param reqId  the {@code req_id} word of the offending header
     * @param length the {@code len} word of the offending header (unsigned 32 bit, as an int)
     */
    record Failed(Reason reason, int type, int reqId, int length) implements ParseResult {
        /**
         * A sentence for a log or an exception, naming the rule and the header.
         *
         * @return the text
         */
        public String describe() {
            return switch (reason) {
                case PAYLOAD_TOO_LONG -> "xenstore message payload too long: type=" + XsMessageTypes.name(type)
                    + " req_id=" + Integer.toUnsignedString(reqId) + " len=" + Integer.toUnsignedString(length)
                    + " max=" + io.xen4j.abi.xenstore.XsWire.XENSTORE_PAYLOAD_MAX;
                case UNKNOWN_TYPE -> "xenstore message of unknown type: type=" + Integer.toUnsignedString(type)
                    + " req_id=" + Integer.toUnsignedString(reqId) + " len=" + Integer.toUnsignedString(length);
            };
        }
    }

    /** Rules a message can break. */
    enum Reason {
        /** {@code len} is over {@link io.xen4j.abi.xenstore.XsWire#XENSTORE_PAYLOAD_MAX} (4096). */
        PAYLOAD_TOO_LONG,
        /**
         * {@code type} is not a type of {@code xs_wire.h} (at or above {@code XS_TYPE_COUNT}, or
         * the removed {@code XS_RESTRICT}); only a parser built to reject such types reports it.
         */
        UNKNOWN_TYPE
    }
}
