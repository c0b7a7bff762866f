package io.xen4j.abi.xenstore;

/**
 * Constants of {@code xen/io/xs_wire.h}: message types ({@code enum xsd_sockmsg_type}), write
 * flags, the parts of a watch event, the size limits, and the values of the feature, connection
 * and error words of the xenstore ring page.
 *
 * <p>Message types are {@code uint32_t} on the wire; a type at or above {@link #XS_TYPE_COUNT}
 * is unknown, and {@link #XS_INVALID} is never a valid type.
 */
public final class XsWire {
    /** Control request to the daemon (was {@code XS_DEBUG}); its payload's first string names the command. */
    public static final int XS_CONTROL = 0;
    /** Old name of {@link #XS_CONTROL}, kept by the header as an alias. */
    public static final int XS_DEBUG = XS_CONTROL;
    /** List the children of a node. */
    public static final int XS_DIRECTORY = 1;
    /** Read a node's value. */
    public static final int XS_READ = 2;
    /** Read a node's permissions. */
    public static final int XS_GET_PERMS = 3;
    /** Set a watch on a path, with a token. */
    public static final int XS_WATCH = 4;
    /** Remove a watch. */
    public static final int XS_UNWATCH = 5;
    /** Start a transaction; the reply carries its id. */
    public static final int XS_TRANSACTION_START = 6;
    /** End a transaction: commit ({@code "T"}) or abort ({@code "F"}). */
    public static final int XS_TRANSACTION_END = 7;
    /** Introduce a domain and its ring page to the daemon (privileged). */
    public static final int XS_INTRODUCE = 8;
    /** Tell the daemon a domain is gone (privileged). */
    public static final int XS_RELEASE = 9;
    /** Ask for a domain's home path ({@code /local/domain/<domid>}). */
    public static final int XS_GET_DOMAIN_PATH = 10;
    /** Write a node's value. */
    public static final int XS_WRITE = 11;
    /** Create a node with an empty value. */
    public static final int XS_MKDIR = 12;
    /** Remove a node and its children. */
    public static final int XS_RM = 13;
    /** Set a node's permissions. */
    public static final int XS_SET_PERMS = 14;
    /** Watch event, sent by the daemon without a request: path and token. */
    public static final int XS_WATCH_EVENT = 15;
    /** Error reply: the payload is one of the {@link XsdErrors} names. */
    public static final int XS_ERROR = 16;
    /** Ask whether a domain has been introduced (privileged). */
    public static final int XS_IS_DOMAIN_INTRODUCED = 17;
    /** Resume a domain's connection after it was suspended (privileged). */
    public static final int XS_RESUME = 18;
    /** Let a domain act for another one, as a device model does (privileged). */
    public static final int XS_SET_TARGET = 19;
    /** Remove every watch and transaction of the caller. Type 20, the removed XS_RESTRICT, is skipped. */
    public static final int XS_RESET_WATCHES = XS_SET_TARGET + 2;
    /** List the children of a node in parts, for directories larger than one payload. */
    public static final int XS_DIRECTORY_PART = 22;
    /** Number of message types: every valid type is below it. */
    public static final int XS_TYPE_COUNT = 23;
    /** A type guaranteed to stay invalid. */
    public static final int XS_INVALID = 0xFFFF;

    /** Write flag of the early protocol: no flag. */
    public static final String XS_WRITE_NONE = "NONE";
    /** Write flag of the early protocol: create the node. */
    public static final String XS_WRITE_CREATE = "CREATE";
    /** Write flag of the early protocol: create the node, fail if it exists. */
    public static final String XS_WRITE_CREATE_EXCL = "CREATE|EXCL";

    /** Index of the path among the strings of an {@code XS_WATCH_EVENT} payload. */
    public static final int XS_WATCH_PATH = 0;
    /** Index of the token among the strings of an {@code XS_WATCH_EVENT} payload. */
    public static final int XS_WATCH_TOKEN = 1;

    /** Bytes of each of the two rings of the xenstore page: a power of two. */
    public static final int XENSTORE_RING_SIZE = 1024;
    /** Largest payload of one message, in bytes; a daemon must never send more (SECURITY-RULES). */
    public static final int XENSTORE_PAYLOAD_MAX = 4096;
    /** Longest absolute path, in bytes; longer ones get an error reply. */
    public static final int XENSTORE_ABS_PATH_MAX = 3072;
    /** Longest relative path, in bytes; longer ones get an error reply. */
    public static final int XENSTORE_REL_PATH_MAX = 2048;

    /** {@code server_features} bit: the server can reconnect the ring ({@code connection}). */
    public static final int XENSTORE_SERVER_FEATURE_RECONNECTION = 1;
    /** {@code server_features} bit: the server reports ring errors in {@code error}. */
    public static final int XENSTORE_SERVER_FEATURE_ERROR = 2;

    /** {@code connection} value: the steady state. */
    public static final int XENSTORE_CONNECTED = 0;
    /** {@code connection} value: the guest asked for a reconnection, which is in progress. */
    public static final int XENSTORE_RECONNECT = 1;

    /** {@code error} value: no error. */
    public static final int XENSTORE_ERROR_NONE = 0;
    /** {@code error} value: communication problem. */
    public static final int XENSTORE_ERROR_COMM = 1;
    /** {@code error} value: an invalid ring index. */
    public static final int XENSTORE_ERROR_RINGIDX = 2;
    /** {@code error} value: protocol violation, such as a payload that is too long. */
    public static final int XENSTORE_ERROR_PROTO = 3;

    private XsWire() {
    }

    /**
     * Position in a ring of a free-running index: {@code MASK_XENSTORE_IDX(idx)}.
     *
     * @param index index, any value (unsigned 32 bit, wraps)
     * @return 0..{@value #XENSTORE_RING_SIZE} - 1
     */
    public static int maskXenstoreIdx(final int index) {
        return index & (XENSTORE_RING_SIZE - 1);
    }
}
