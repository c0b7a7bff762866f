package io.xen4j.store.wire;

import io.xen4j.abi.xenstore.XsWire;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The request of every message type of {@code xs_wire.h}, in the payload form of
 * {@code docs/misc/xenstore.txt} and libxenstore: {@code <path>|} for most, {@code <path>|<value>}
 * (value not terminated) for {@code XS_WRITE}, and so on. Used by the client and by tests of the
 * daemon; each method builds one {@link XsMessage}.
 *
 * <p>Every method throws {@link IllegalArgumentException} if a string holds a NUL, and
 * {@link XsPayloadTooLongException} if the payload would exceed 4096 bytes.
 */
public final class XsRequests {
    /** Payload of {@code XS_TRANSACTION_END} that commits. */
    public static final String COMMIT = "T";
    /** Payload of {@code XS_TRANSACTION_END} that aborts. */
    public static final String ABORT = "F";

    private XsRequests() {
    }

    /**
     * {@code XS_READ <path>|}.
     *
     * @param reqId request id
     * @param txId  transaction id, 0 outside one
     * @param path  the node
     * @return the message
     */
    public static XsMessage read(final int reqId, final int txId, final String path) {
        return XsMessage.ofStrings(XsWire.XS_READ, reqId, txId, path);
    }

    /**
     * {@code XS_WRITE <path>|<value>}, the value not terminated.
     *
     * @param reqId request id
     * @param txId  transaction id
     * @param path  the node
     * @param value the value
     * @return the message
     */
    public static XsMessage write(final int reqId, final int txId, final String path, final byte[] value) {
        return XsMessage.ofStringAndBytes(XsWire.XS_WRITE, reqId, txId, path, value);
    }

    /**
     * {@code XS_MKDIR <path>|}.
     *
     * @param reqId request id
     * @param txId  transaction id
     * @param path  the node
     * @return the message
     */
    public static XsMessage mkdir(final int reqId, final int txId, final String path) {
        return XsMessage.ofStrings(XsWire.XS_MKDIR, reqId, txId, path);
    }

    /**
     * {@code XS_RM <path>|}.
     *
     * @param reqId request id
     * @param txId  transaction id
     * @param path  the node
     * @return the message
     */
    public static XsMessage rm(final int reqId, final int txId, final String path) {
        return XsMessage.ofStrings(XsWire.XS_RM, reqId, txId, path);
    }

    /**
     * {@code XS_DIRECTORY <path>|}.
     *
     * @param reqId request id
     * @param txId  transaction id
     * @param path  the node
     * @return the message
     */
    public static XsMessage directory(final int reqId, final int txId, final String path) {
        return XsMessage.ofStrings(XsWire.XS_DIRECTORY, reqId, txId, path);
    }

    /**
     * {@code XS_DIRECTORY_PART <path>|<offset>|}: the children from byte {@code offset} of the
     * list.
     *
     * @param reqId  request id
     * @param txId   transaction id
     * @param path   the node
     * @param offset byte offset into the NUL-separated list of child names, unsigned decimal
     * @return the message
     */
    public static XsMessage directoryPart(final int reqId, final int txId, final String path, final int offset) {
        return XsMessage.ofStrings(XsWire.XS_DIRECTORY_PART, reqId, txId, path, Integer.toUnsignedString(offset));
    }

    /**
     * {@code XS_GET_PERMS <path>|}.
     *
     * @param reqId request id
     * @param txId  transaction id
     * @param path  the node
     * @return the message
     */
    public static XsMessage getPerms(final int reqId, final int txId, final String path) {
        return XsMessage.ofStrings(XsWire.XS_GET_PERMS, reqId, txId, path);
    }

    /**
     * {@code XS_SET_PERMS <path>|<perm>|+}.
     *
     * @param reqId request id
     * @param txId  transaction id
     * @param path  the node
     * @param perms the entries as text ({@code r1}, ...), at least one
     * @return the message
     */
    public static XsMessage setPerms(final int reqId, final int txId, final String path, final List<String> perms) {
        final String[] strings = new String[perms.size() + 1];
        strings[0] = path;
        for (int i = 0; i < perms.size(); i++) {
            strings[i + 1] = perms.get(i);
        }
        return XsMessage.ofStrings(XsWire.XS_SET_PERMS, reqId, txId, strings);
    }

    /**
     * {@code XS_WATCH <path>|<token>|}; the daemon ignores {@code tx_id}, which is 0.
     *
     * @param reqId request id
     * @param path  the path or special path ({@code @introduceDomain}, {@code @releaseDomain})
     * @param token the token events will carry
     * @return the message
     */
    public static XsMessage watch(final int reqId, final String path, final String token) {
        return XsMessage.ofStrings(XsWire.XS_WATCH, reqId, 0, path, token);
    }

    /**
     * {@code XS_UNWATCH <path>|<token>|}.
     *
     * @param reqId request id
     * @param path  the watched path
     * @param token its token
     * @return the message
     */
    public static XsMessage unwatch(final int reqId, final String path, final String token) {
        return XsMessage.ofStrings(XsWire.XS_UNWATCH, reqId, 0, path, token);
    }

    /**
     * {@code XS_TRANSACTION_START |}: an empty string; {@code tx_id} must be 0.
     *
     * @param reqId request id
     * @return the message
     */
    public static XsMessage transactionStart(final int reqId) {
        return XsMessage.ofStrings(XsWire.XS_TRANSACTION_START, reqId, 0, "");
    }

    /**
     * {@code XS_TRANSACTION_END T|} or {@code F|}.
     *
     * @param reqId  request id
     * @param txId   the transaction
     * @param commit true to commit, false to abort
     * @return the message
     */
    public static XsMessage transactionEnd(final int reqId, final int txId, final boolean commit) {
        return XsMessage.ofStrings(XsWire.XS_TRANSACTION_END, reqId, txId, commit ? COMMIT : ABORT);
    }

    /**
     * {@code XS_GET_DOMAIN_PATH <domid>|}.
     *
     * @param reqId request id
     * @param domid the domain
     * @return the message
     */
    public static XsMessage getDomainPath(final int reqId, final int domid) {
        return XsMessage.ofStrings(XsWire.XS_GET_DOMAIN_PATH, reqId, 0, Integer.toUnsignedString(domid));
    }

    /**
     * {@code XS_INTRODUCE <domid>|<mfn>|<evtchn>|}.
     *
     * @param reqId request id
     * @param domid the domain
     * @param mfn   machine frame of its xenstore page (unsigned decimal, as libxenstore writes it)
     * @param port  the unbound event channel port in that domain
     * @return the message
     */
    public static XsMessage introduce(final int reqId, final int domid, final long mfn, final int port) {
        return XsMessage.ofStrings(XsWire.XS_INTRODUCE, reqId, 0, Integer.toUnsignedString(domid),
            Long.toUnsignedString(mfn), Integer.toUnsignedString(port));
    }

    /**
     * {@code XS_RELEASE <domid>|}.
     *
     * @param reqId request id
     * @param domid the domain
     * @return the message
     */
    public static XsMessage release(final int reqId, final int domid) {
        return XsMessage.ofStrings(XsWire.XS_RELEASE, reqId, 0, Integer.toUnsignedString(domid));
    }

    /**
     * {@code XS_IS_DOMAIN_INTRODUCED <domid>|}.
     *
     * @param reqId request id
     * @param domid the domain
     * @return the message
     */
    public static XsMessage isDomainIntroduced(final int reqId, final int domid) {
        return XsMessage.ofStrings(XsWire.XS_IS_DOMAIN_INTRODUCED, reqId, 0, Integer.toUnsignedString(domid));
    }

    /**
     * {@code XS_RESUME <domid>|}.
     *
     * @param reqId request id
     * @param domid the domain
     * @return the message
     */
    public static XsMessage resume(final int reqId, final int domid) {
        return XsMessage.ofStrings(XsWire.XS_RESUME, reqId, 0, Integer.toUnsignedString(domid));
    }

    /**
     * {@code XS_SET_TARGET <domid>|<tdomid>|}.
     *
     * @param reqId  request id
     * @param domid  the domain that acts for another (a device model's domain)
     * @param target the domain it acts for
     * @return the message
     */
    public static XsMessage setTarget(final int reqId, final int domid, final int target) {
        return XsMessage.ofStrings(XsWire.XS_SET_TARGET, reqId, 0, Integer.toUnsignedString(domid),
            Integer.toUnsignedString(target));
    }

    /**
     * {@code XS_RESET_WATCHES |}: an empty string.
     *
     * @param reqId request id
     * @return the message
     */
    public static XsMessage resetWatches(final int reqId) {
        return XsMessage.ofStrings(XsWire.XS_RESET_WATCHES, reqId, 0, "");
    }

    /**
     * {@code XS_CONTROL <command>|[<parameter>|]*}, as {@code xenstore-control} sends it.
     *
     * @param reqId   request id
     * @param command the command, such as {@code check}, {@code log}, {@code help}
     * @param params  its parameters
     * @return the message
     */
    public static XsMessage control(final int reqId, final String command, final String... params) {
        final String[] strings = new String[params.length + 1];
        strings[0] = command;
        System.arraycopy(params, 0, strings, 1, params.length);
        return XsMessage.ofStrings(XsWire.XS_CONTROL, reqId, 0, strings);
    }

    /**
     * {@code XS_CONTROL <command>|<data>}, the data raw, as {@code xs_control_command} sends it.
     *
     * @param reqId   request id
     * @param command the command
     * @param data    raw bytes after the command's NUL
     * @return the message
     */
    public static XsMessage controlRaw(final int reqId, final String command, final byte[] data) {
        return XsMessage.ofStringAndBytes(XsWire.XS_CONTROL, reqId, 0, command, data);
    }

    /**
     * The payload of a reply as a string without its trailing NUL, if it has one: what
     * {@code XS_GET_DOMAIN_PATH}, {@code XS_TRANSACTION_START} and {@code XS_CONTROL} return.
     *
     * @param reply the reply
     * @return the string
     */
    public static String replyString(final XsMessage reply) {
        final int n = reply.payloadLength();
        final int end = n > 0 && reply.payloadByte(n - 1) == 0 ? n - 1 : n;
        final byte[] bytes = new byte[n];
        reply.copyPayload(bytes, 0);
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}
