package io.xen4j.store.wire;

import io.xen4j.abi.xenstore.XsWire;

/**
 * Names of the message types of {@code xs_wire.h}, for error messages and logs, and the test that
 * tells a known type from an unknown one.
 */
public final class XsMessageTypes {
    /** Type 20 was {@code XS_RESTRICT}; the header removed it and no daemon accepts it any more. */
    public static final int XS_RESTRICT_REMOVED = 20;

    private static final String[] NAMES = {
        "XS_CONTROL", "XS_DIRECTORY", "XS_READ", "XS_GET_PERMS", "XS_WATCH", "XS_UNWATCH",
        "XS_TRANSACTION_START", "XS_TRANSACTION_END", "XS_INTRODUCE", "XS_RELEASE", "XS_GET_DOMAIN_PATH",
        "XS_WRITE", "XS_MKDIR", "XS_RM", "XS_SET_PERMS", "XS_WATCH_EVENT", "XS_ERROR",
        "XS_IS_DOMAIN_INTRODUCED", "XS_RESUME", "XS_SET_TARGET", "XS_RESTRICT(removed)", "XS_RESET_WATCHES",
        "XS_DIRECTORY_PART",
    };

    private XsMessageTypes() {
    }

    /**
     * Whether {@code type} is a message type of the header: below {@link XsWire#XS_TYPE_COUNT}
     * (compared unsigned) and not the removed {@code XS_RESTRICT}.
     *
     * @param type the {@code type} word of a header (unsigned 32 bit, as an int)
     * @return true for a type a daemon or a client may send
     */
    public static boolean isKnown(final int type) {
        return Integer.compareUnsigned(type, XsWire.XS_TYPE_COUNT) < 0 && type != XS_RESTRICT_REMOVED;
    }

    /**
     * The C name of a message type, such as {@code XS_READ}.
     *
     * @param type the {@code type} word of a header (unsigned 32 bit, as an int)
     * @return the name, or {@code XS_UNKNOWN(<unsigned value>)}
     */
    public static String name(final int type) {
        if (Integer.compareUnsigned(type, NAMES.length) < 0) {
            return NAMES[type];
        }
        return "XS_UNKNOWN(" + Integer.toUnsignedString(type) + ")";
    }
}
