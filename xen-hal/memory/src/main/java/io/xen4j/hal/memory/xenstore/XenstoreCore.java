package io.xen4j.hal.memory.xenstore;

import static io.xen4j.abi.xenstore.XsdErrors.E2BIG;
import static io.xen4j.abi.xenstore.XsdErrors.EACCES;
import static io.xen4j.abi.xenstore.XsdErrors.EAGAIN;
import static io.xen4j.abi.xenstore.XsdErrors.EBUSY;
import static io.xen4j.abi.xenstore.XsdErrors.EEXIST;
import static io.xen4j.abi.xenstore.XsdErrors.EINVAL;
import static io.xen4j.abi.xenstore.XsdErrors.EIO;
import static io.xen4j.abi.xenstore.XsdErrors.ENOENT;
import static io.xen4j.abi.xenstore.XsdErrors.ENOMEM;
import static io.xen4j.abi.xenstore.XsdErrors.ENOSPC;
import static io.xen4j.abi.xenstore.XsdErrors.ENOSYS;
import static io.xen4j.abi.xenstore.XsdErrors.EPERM;

import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.store.wire.XsMessage;
import io.xen4j.store.wire.XsMessageTypes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory xenstored: the semantics of C xenstored 4.17 as a pure state machine. Requests
 * go in with {@link #handle}; replies and watch events come out through each
 * {@link XsConnection}'s outbox. No I/O, no threads, no clock: transports
 * ({@link XsByteStream}, {@link XenstoredSocketServer}, the simulated domains' rings) and the
 * thread-safe {@link XenstoreService} sit around it.
 *
 * <p>What it implements: the node tree with implicit parents; permissions (owner, default access,
 * per-domain entries, privilege of dom0 and of the socket, target domains); transactions that
 * copy each node on first touch and fail with {@code EAGAIN} when a touched node changed
 * meanwhile; watches, including {@code @introduceDomain} and {@code @releaseDomain}, whose events
 * reach only watchers that may read the node or its parent (XSA-115); per-domain quotas
 * ({@link XenstoreQuotas}); path limits on the canonical path (XSA-323); relative paths below
 * {@code /local/domain/<domid>}; the reply-size rule ({@code E2BIG} instead of a reply over
 * {@value XsWire#XENSTORE_PAYLOAD_MAX} bytes); {@code RESET_WATCHES}; and the domain-management
 * requests of dom0.
 *
 * <p>Every request either completes or changes nothing: an operation reads what it needs, plans
 * its node changes, checks every quota against the whole plan, and only then applies it. A request
 * never makes the core throw: malformed input is an error reply, and an internal fault is logged,
 * counted ({@link #internalErrors()}) and answered with {@code EIO}.
 */
public final class XenstoreCore {
    /**
     * What the daemon does when dom0 sends {@code XS_INTRODUCE}: in the simulated host it
     * attaches the domain's ring page and event channel. The default accepts every introduction
     * without a ring, which is what a daemon serving only a socket can do.
     */
    @FunctionalInterface
    public interface IntroduceHandler {
        /**
         * Attaches a domain.
         *
         * @param domid domain id, 1..{@code DOMID_FIRST_RESERVED - 1}
         * @param gfn   the frame of its xenstore page, as dom0 sent it (signed decimal)
         * @param port  the unbound event channel port of the domain
         * @return null on success, or an error name of {@link io.xen4j.abi.xenstore.XsdErrors}
         */
        @Nullable String introduce(int domid, long gfn, int port);
    }

    private static final System.Logger LOG = System.getLogger(XenstoreCore.class.getName());
    private static final int DOMID_FIRST_RESERVED = 0x7FF0;
    private static final byte[] OK = {'O', 'K', 0};

    private final XenstoreQuotas quotas;
    private final Store store = new Store();
    private final ArrayList<XsConnection> connections = new ArrayList<>();
    private final HashMap<Integer, DomainRecord> domains = new HashMap<>();
    private final XsConnection host;
    private NodePerms introducePerms = NodePerms.DOM0_ONLY;
    private NodePerms releasePerms = NodePerms.DOM0_ONLY;
    private IntroduceHandler introduceHandler = (domid, gfn, port) -> null;
    private int nextSerial;
    private long internalErrors;
    private long requests;

    /** State of a domain the daemon knows. */
    private static final class DomainRecord {
        final int domid;
        boolean introduced;
        int target = -1;

        DomainRecord(final int domid) {
            this.domid = domid;
        }
    }

    /** A daemon with the quotas of C xenstored 4.17. */
    public XenstoreCore() {
        this(XenstoreQuotas.defaults());
    }

    /**
     * A daemon with the given quotas and the tree C xenstored starts with: {@code /},
     * {@code /tool} and {@code /tool/xenstored}, owned by dom0 and closed to everybody else.
     *
     * @param quotas the limits
     */
    public XenstoreCore(final XenstoreQuotas quotas) {
        this.quotas = Objects.requireNonNull(quotas, "quotas");
        this.host = new XsConnection(nextSerial++, 0, true);
        store.put("/", Node.empty(NodePerms.DOM0_ONLY).withChild("tool"));
        store.put("/tool", Node.empty(NodePerms.DOM0_ONLY).withChild("xenstored"));
        store.put("/tool/xenstored", Node.empty(NodePerms.DOM0_ONLY));
    }

    /**
     * The limits.
     *
     * @return the quotas this daemon enforces
     */
    public XenstoreQuotas quotas() {
        return quotas;
    }

    /**
     * Sets what {@code XS_INTRODUCE} does beyond marking the domain introduced.
     *
     * @param handler the handler
     */
    public void introduceHandler(final IntroduceHandler handler) {
        this.introduceHandler = Objects.requireNonNull(handler, "handler");
    }

    // ------------------------------------------------------------------------------------------
    // Connections

    /**
     * Opens a connection for a domain. Domain 0 is privileged; any other domain must have been
     * introduced ({@link #introduceDomain(int)}).
     *
     * @param domid the client's domain
     * @return the connection
     * @throws IllegalStateException if the domain is not introduced
     */
    public XsConnection connect(final int domid) {
        if (domid != 0 && !isIntroduced(domid)) {
            throw new IllegalStateException("xenstored: domain " + domid + " is not introduced; introduce it"
                + " before it connects");
        }
        final XsConnection c = new XsConnection(nextSerial++, domid, domid == 0);
        connections.add(c);
        return c;
    }

    /**
     * Opens a connection of a client on the Unix socket: C xenstored treats it as dom0.
     *
     * @return the connection
     */
    public XsConnection connectSocket() {
        return connect(0);
    }

    /**
     * Closes a connection: its watches and transactions go, its queued messages are dropped.
     *
     * @param connection the connection
     * @param reason     why, for {@link XsConnection#closeReason()}
     */
    public void disconnect(final XsConnection connection, final String reason) {
        if (connection.isClosed()) {
            return;
        }
        dropWatchesAndTransactions(connection);
        connection.markClosed(reason);
        connections.remove(connection);
    }

    /**
     * Open connections, in the order they were opened.
     *
     * @return a copy of the list
     */
    public List<XsConnection> connections() {
        return List.copyOf(connections);
    }

    // ------------------------------------------------------------------------------------------
    // Domains (the toolstack's and the hypervisor's side)

    /**
     * Marks a domain introduced, as dom0's {@code XS_INTRODUCE} does, and fires
     * {@code @introduceDomain}; nothing happens if it is introduced already.
     *
     * @param domid domain id, 1..{@code DOMID_FIRST_RESERVED - 1}
     * @return true if the domain was not introduced before
     */
    public boolean introduceDomain(final int domid) {
        checkDomid(domid);
        final DomainRecord d = domains.computeIfAbsent(domid, DomainRecord::new);
        if (d.introduced) {
            return false;
        }
        d.introduced = true;
        fire(null, new PendingEvent(XsPaths.INTRODUCE_DOMAIN, false, null, null, null));
        return true;
    }

    /**
     * Whether a domain is introduced; dom0 always is.
     *
     * @param domid domain id
     * @return true if introduced
     */
    public boolean isIntroduced(final int domid) {
        if (domid == 0) {
            return true;
        }
        final DomainRecord d = domains.get(domid);
        return d != null && d.introduced;
    }

    /**
     * Releases a domain as dom0's {@code XS_RELEASE} does: its connections close (watches and
     * transactions with them) and {@code @releaseDomain} fires. Its nodes stay, as in C, until
     * the domain is destroyed ({@link #destroyDomain(int)}).
     *
     * @param domid domain id
     * @return true if the domain was introduced
     */
    public boolean releaseDomain(final int domid) {
        final DomainRecord d = domains.get(domid);
        if (domid == 0 || d == null || !d.introduced) {
            return false;
        }
        d.introduced = false;
        for (final XsConnection c : List.copyOf(connections)) {
            if (c.domid() == domid) {
                disconnect(c, "domain " + domid + " released");
            }
        }
        fire(null, new PendingEvent(XsPaths.RELEASE_DOMAIN, false, null, null, null));
        return true;
    }

    /**
     * Destroys a domain, as the hypervisor reports a dead one: it is released, every node it owns
     * is removed with its subtree (watchers see the removals), every permission entry that names
     * it is removed from the remaining nodes and from the special paths, domains that targeted it
     * lose their target, and its accounting is reset. Afterwards a new domain with the same id
     * starts from nothing (XSA-322, XSA-417).
     *
     * @param domid domain id, not 0
     */
    public void destroyDomain(final int domid) {
        checkDomid(domid);
        releaseDomain(domid);
        final List<String> owned = new ArrayList<>();
        final List<String> mentioning = new ArrayList<>();
        collectDomainNodes("/", domid, owned, mentioning);
        for (final String root : owned) {
            if (store.get(root) != null) {
                removeSubtree(host, store, root, null);
            }
        }
        for (final String path : mentioning) {
            final Node n = store.get(path);
            if (n != null) {
                store.put(path, n.withPerms(n.perms().without(domid)));
            }
        }
        introducePerms = introducePerms.without(domid);
        releasePerms = releasePerms.without(domid);
        for (final DomainRecord other : domains.values()) {
            if (other.target == domid) {
                other.target = -1;
            }
        }
        domains.remove(domid);
        final Store.Account a = store.existingAccount(domid);
        if (a != null) {
            a.watches = 0;
            a.transactions = 0;
        }
        store.dropAccountIfEmpty(domid);
    }

    private void collectDomainNodes(final String path, final int domid, final List<String> owned,
        final List<String> mentioning) {
        final Node n = store.get(path);
        if (n == null) {
            return;
        }
        if (!"/".equals(path) && n.perms().owner() == domid) {
            owned.add(path);
            return;
        }
        if (n.perms().mentions(domid)) {
            mentioning.add(path);
        }
        for (int i = 0; i < n.childCount(); i++) {
            collectDomainNodes(XsPaths.child(path, n.childName(i)), domid, owned, mentioning);
        }
    }

    /**
     * Creates a domain's home the way the xl toolstack does: {@code /local/domain/<domid>} owned
     * by dom0 and readable by the domain, with {@code name} and {@code domid} inside, and the
     * directories the domain writes itself ({@code device}, {@code data}, {@code drivers},
     * {@code feature}, {@code attr}, {@code error}, {@code control/shutdown}) owned by it.
     * Watchers see the changes as they would see the toolstack's writes.
     *
     * @param domid domain id; dom0 gets only the home, its name and domid
     * @param name  the domain's name
     */
    public void createDomainHome(final int domid, final String name) {
        final String home = XsPaths.home(domid);
        hostRequest(XsWire.XS_MKDIR, home);
        if (domid != 0) {
            hostRequest(XsWire.XS_SET_PERMS, home, "n0", "r" + domid);
        }
        hostWrite(home + "/name", name);
        hostWrite(home + "/domid", Integer.toString(domid));
        if (domid == 0) {
            return;
        }
        hostRequest(XsWire.XS_MKDIR, home + "/control");
        for (final String own : new String[] {"device", "data", "drivers", "feature", "attr", "error",
            "control/shutdown"}) {
            hostRequest(XsWire.XS_MKDIR, home + "/" + own);
            hostRequest(XsWire.XS_SET_PERMS, home + "/" + own, "n" + domid);
        }
    }

    /**
     * What a domain holds in the daemon.
     *
     * @param domid domain id
     * @return its usage, {@link XenstoreUsage#NONE} if it holds nothing
     */
    public XenstoreUsage usage(final int domid) {
        final Store.Account a = store.existingAccount(domid);
        return a == null ? XenstoreUsage.NONE : new XenstoreUsage(a.nodes, a.memory, a.watches, a.transactions);
    }

    /**
     * Number of nodes in the committed tree.
     *
     * @return count
     */
    public int nodeCount() {
        return store.size();
    }

    /**
     * Internal faults: requests that made the core fail in a way no input should (each was logged
     * and answered with {@code EIO}). Tests and fuzzing assert that it stays 0.
     *
     * @return count
     */
    public long internalErrors() {
        return internalErrors;
    }

    /**
     * Requests handled since the daemon started.
     *
     * @return count
     */
    public long requestsHandled() {
        return requests;
    }

    /**
     * Checks the invariants of the tree and the accounting: every listed child exists, every node
     * is reachable from the root, and each domain's counters equal what its nodes, watches and
     * transactions add up to. Tests and fuzzing call it after hostile input.
     *
     * @return null if all hold, else what is wrong
     */
    @Nullable String consistencyProblem() {
        final java.util.Map<String, Node> nodes = store.nodesView();
        if (nodes.get("/") == null) {
            return "no root";
        }
        final java.util.Set<String> reached = new java.util.HashSet<>();
        final java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>();
        todo.add("/");
        while (!todo.isEmpty()) {
            final String path = todo.poll();
            final Node n = nodes.get(path);
            if (n == null) {
                return "listed child " + path + " does not exist";
            }
            if (!reached.add(path)) {
                return "node " + path + " listed twice";
            }
            for (int i = 0; i < n.childCount(); i++) {
                todo.add(XsPaths.child(path, n.childName(i)));
            }
        }
        if (reached.size() != nodes.size()) {
            return (nodes.size() - reached.size()) + " nodes unreachable from the root";
        }
        final HashMap<Integer, long[]> expected = new HashMap<>();
        for (final java.util.Map.Entry<String, Node> e : nodes.entrySet()) {
            final long[] a = expected.computeIfAbsent(e.getValue().perms().owner(), k -> new long[4]);
            a[0]++;
            a[1] += View.footprint(e.getKey(), e.getValue());
        }
        for (final XsConnection c : connections) {
            final long[] a = expected.computeIfAbsent(c.domid(), k -> new long[4]);
            for (final Watch w : c.watches) {
                a[1] += w.footprint();
            }
            a[2] += c.watches.size();
            a[3] += c.transactions.size();
        }
        for (final java.util.Map.Entry<Integer, Store.Account> e : store.accountsView().entrySet()) {
            final long[] a = expected.getOrDefault(e.getKey(), new long[4]);
            final Store.Account acc = e.getValue();
            if (acc.nodes != a[0] || acc.memory != a[1] || acc.watches != a[2] || acc.transactions != a[3]) {
                return "domain " + e.getKey() + " accounted nodes=" + acc.nodes + " memory=" + acc.memory + " watches="
                    + acc.watches + " transactions=" + acc.transactions + " but holds " + Arrays.toString(a);
            }
            expected.remove(e.getKey());
        }
        for (final java.util.Map.Entry<Integer, long[]> e : expected.entrySet()) {
            if (Arrays.stream(e.getValue()).anyMatch(v -> v != 0)) {
                return "domain " + e.getKey() + " holds " + Arrays.toString(e.getValue()) + " without an account";
            }
        }
        return null;
    }

    private static void checkDomid(final int domid) {
        if (domid <= 0 || domid >= DOMID_FIRST_RESERVED) {
            throw new IllegalArgumentException("xenstored: not a domain that can be introduced: domid=" + domid
                + " (1.." + (DOMID_FIRST_RESERVED - 1) + ")");
        }
    }

    private void hostWrite(final String path, final String value) {
        final byte[] p = latin1(path);
        final byte[] v = value.getBytes(StandardCharsets.UTF_8);
        final byte[] payload = new byte[p.length + 1 + v.length];
        System.arraycopy(p, 0, payload, 0, p.length);
        System.arraycopy(v, 0, payload, p.length + 1, v.length);
        hostCall(XsMessage.of(XsWire.XS_WRITE, 0, 0, payload));
    }

    private void hostRequest(final int type, final String... strings) {
        hostCall(XsMessage.of(type, 0, 0, nulTerminated(strings)));
    }

    private void hostCall(final XsMessage request) {
        dispatchChecked(host, request);
        final XsMessage reply = host.pollOutput();
        if (reply != null && reply.isError()) {
            throw new IllegalStateException("xenstored: toolstack request failed: " + request + " -> "
                + reply.errorName());
        }
    }

    // ------------------------------------------------------------------------------------------
    // Requests

    /**
     * Handles one request of a client: its reply, and the watch events it causes for any
     * connection, are queued on the connections' outboxes.
     *
     * @param connection the client's connection, open
     * @param request    the request as the client sent it
     * @throws IllegalStateException if the connection is closed or not of this daemon
     */
    public void handle(final XsConnection connection, final XsMessage request) {
        if (connection.isClosed() || (connection != host && !connections.contains(connection))) {
            throw new IllegalStateException("xenstored: " + connection + " is closed: " + connection.closeReason());
        }
        dispatchChecked(connection, request);
    }

    private void dispatchChecked(final XsConnection conn, final XsMessage request) {
        requests++;
        try {
            dispatch(conn, request);
        } catch (final XsError e) {
            conn.queueReply(XsMessage.error(request.reqId(), request.txId(), e.errorName()));
        } catch (final RuntimeException e) {
            internalErrors++;
            LOG.log(System.Logger.Level.ERROR, "xenstored: internal error on " + request + " from " + conn, e);
            conn.queueReply(XsMessage.error(request.reqId(), request.txId(), EIO));
        }
    }

    private void dispatch(final XsConnection conn, final XsMessage m) {
        final int type = m.type();
        switch (type) {
            case XsWire.XS_WATCH -> {
                watch(conn, m);
                return;
            }
            case XsWire.XS_UNWATCH -> {
                unwatch(conn, m);
                return;
            }
            case XsWire.XS_CONTROL, XsWire.XS_INTRODUCE, XsWire.XS_RELEASE, XsWire.XS_IS_DOMAIN_INTRODUCED,
                 XsWire.XS_RESUME, XsWire.XS_SET_TARGET -> {
                if (!conn.isPrivileged()) {
                    throw new XsError(EACCES, XsMessageTypes.name(type) + " is for privileged domains only;"
                        + " domain " + conn.domid() + " is not");
                }
            }
            case XsWire.XS_DIRECTORY, XsWire.XS_READ, XsWire.XS_GET_PERMS, XsWire.XS_TRANSACTION_START,
                 XsWire.XS_TRANSACTION_END, XsWire.XS_GET_DOMAIN_PATH, XsWire.XS_WRITE, XsWire.XS_MKDIR,
                 XsWire.XS_RM, XsWire.XS_SET_PERMS, XsWire.XS_RESET_WATCHES, XsWire.XS_DIRECTORY_PART -> {
                // handled below, inside the transaction the header names
            }
            default -> throw new XsError(ENOSYS, "unknown request type " + XsMessageTypes.name(type) + " from domain "
                + conn.domid());
        }
        final Transaction tx = transaction(conn, m.txId());
        final View view = tx == null ? store : tx;
        final byte[] p = m.payload();
        switch (type) {
            case XsWire.XS_READ -> reply(conn, m, getNode(conn, view, pathArg(conn, p), NodePerms.READ).value());
            case XsWire.XS_DIRECTORY ->
                reply(conn, m, getNode(conn, view, pathArg(conn, p), NodePerms.READ).childrenWire());
            case XsWire.XS_DIRECTORY_PART -> directoryPart(conn, view, m, p);
            case XsWire.XS_GET_PERMS ->
                reply(conn, m, getNode(conn, view, pathArg(conn, p), NodePerms.READ).perms().toWire());
            case XsWire.XS_WRITE -> write(conn, view, tx, m, p);
            case XsWire.XS_MKDIR -> mkdir(conn, view, tx, m, p);
            case XsWire.XS_RM -> rm(conn, view, tx, m, p);
            case XsWire.XS_SET_PERMS -> setPerms(conn, view, tx, m, p);
            case XsWire.XS_TRANSACTION_START -> transactionStart(conn, tx, m);
            case XsWire.XS_TRANSACTION_END -> transactionEnd(conn, tx, m, p);
            case XsWire.XS_GET_DOMAIN_PATH -> {
                final String arg = oneArg(p);
                if (arg == null) {
                    throw new XsError(EINVAL, "GET_DOMAIN_PATH needs one domain id");
                }
                reply(conn, m, nulTerminated(XsPaths.DOMAIN_ROOT + Integer.toUnsignedString(atoi(arg))));
            }
            case XsWire.XS_RESET_WATCHES -> {
                // XSA-330, XSA-484: everything goes, the transaction this request names included.
                dropWatchesAndTransactions(conn);
                reply(conn, m, OK);
            }
            case XsWire.XS_INTRODUCE -> introduce(conn, m, p);
            case XsWire.XS_RELEASE -> {
                final int domid = domidArg(p, "RELEASE");
                if (domid == 0) {
                    throw new XsError(EINVAL, "RELEASE of dom0");
                }
                if (!releaseDomain(domid)) {
                    throw new XsError(ENOENT, "RELEASE of domain " + domid + ", which is not introduced");
                }
                reply(conn, m, OK);
            }
            case XsWire.XS_IS_DOMAIN_INTRODUCED ->
                reply(conn, m, nulTerminated(isIntroduced(domidArg(p, "IS_DOMAIN_INTRODUCED")) ? "T" : "F"));
            case XsWire.XS_RESUME -> {
                final int domid = domidArg(p, "RESUME");
                if (!isIntroduced(domid)) {
                    throw new XsError(ENOENT, "RESUME of domain " + domid + ", which is not introduced");
                }
                reply(conn, m, OK);
            }
            case XsWire.XS_SET_TARGET -> setTarget(conn, m, p);
            case XsWire.XS_CONTROL -> control(conn, m, p);
            default -> throw new IllegalStateException("unreachable: " + type);
        }
    }

    private @Nullable Transaction transaction(final XsConnection conn, final int txId) {
        if (txId == 0) {
            return null;
        }
        final Transaction tx = conn.transactions.get(txId);
        if (tx == null) {
            throw new XsError(ENOENT, "no transaction " + Integer.toUnsignedString(txId) + " on " + conn);
        }
        return tx;
    }

    private void reply(final XsConnection conn, final XsMessage request, final byte[] payload) {
        if (payload.length > XsWire.XENSTORE_PAYLOAD_MAX) {
            // XSA-72, XSA-324: a reply that does not fit one payload is never sent, not even cut.
            throw new XsError(E2BIG, "reply of " + payload.length + " bytes to " + XsMessageTypes.name(request.type())
                + " exceeds " + XsWire.XENSTORE_PAYLOAD_MAX);
        }
        conn.queueReply(XsMessage.of(request.type(), request.reqId(), request.txId(), payload));
    }

    // ------------------------------------------------------------------------------------------
    // Permissions and lookups

    private int target(final XsConnection conn) {
        final DomainRecord d = domains.get(conn.domid());
        return d == null ? -1 : d.target;
    }

    private int access(final XsConnection conn, final NodePerms perms) {
        return perms.accessOf(conn.domid(), conn.isPrivileged(), target(conn));
    }

    private void requireValid(final XsConnection conn, final String name) {
        if (!XsPaths.isValid(name, quotas.relativePathMax())) {
            throw new XsError(EINVAL, "invalid path from domain " + conn.domid() + ": " + abbreviate(name));
        }
    }

    /** The node, if the connection may do {@code perm} on it; else EINVAL, ENOENT or EACCES. */
    private Node getNode(final XsConnection conn, final View view, final String name, final int perm) {
        final Node n = findNode(conn, view, name, perm);
        if (n == null) {
            throw new XsError(ENOENT, "no node " + abbreviate(name));
        }
        return n;
    }

    /**
     * Like {@link #getNode} but null where the answer would be ENOENT. A missing node is
     * {@code EACCES} rather than {@code ENOENT} unless the nearest existing ancestor grants the
     * access, so that a domain learns nothing about nodes it may not see (C's
     * {@code errno_from_parents}).
     */
    private @Nullable Node findNode(final XsConnection conn, final View view, final String name, final int perm) {
        requireValid(conn, name);
        final Node n = view.get(name);
        if (n != null && (access(conn, n.perms()) & perm) == perm) {
            return n;
        }
        if (!ancestorGrants(conn, view, name, perm)) {
            throw new XsError(EACCES, "domain " + conn.domid() + " may not " + accessName(perm) + " " + abbreviate(name));
        }
        if (n != null) {
            throw new XsError(EACCES, "domain " + conn.domid() + " may not " + accessName(perm) + " " + abbreviate(name)
                + " (permissions " + n.perms() + ")");
        }
        return null;
    }

    private boolean ancestorGrants(final XsConnection conn, final View view, final String name, final int perm) {
        String p = name;
        Node n;
        do {
            p = XsPaths.parent(p);
            n = view.get(p);
        } while (n == null && !"/".equals(p));
        return n != null && (access(conn, n.perms()) & perm) != 0;
    }

    private static String accessName(final int perm) {
        return switch (perm) {
            case NodePerms.READ -> "read";
            case NodePerms.WRITE -> "write";
            default -> "change the permissions of";
        };
    }

    // ------------------------------------------------------------------------------------------
    // Tree operations

    private void write(final XsConnection conn, final View view, final @Nullable Transaction tx, final XsMessage m,
        final byte[] p) {
        final int nul = indexOfNul(p, 0);
        if (nul < 0) {
            throw new XsError(EINVAL, "WRITE without a NUL after the path");
        }
        final String name = XsPaths.canonical(conn.home(), latin1(p, 0, nul));
        final byte[] value = Arrays.copyOfRange(p, nul + 1, p.length);
        final Node existing = findNode(conn, view, name, NodePerms.WRITE);
        final Node written;
        if (existing == null) {
            written = create(conn, view, name, value);
        } else {
            written = existing.withValue(value);
            apply(conn, view, List.of(new Change(name, existing, written, true)));
        }
        fire(tx, new PendingEvent(name, false, written.perms(), null, parentPerms(view, name)));
        reply(conn, m, OK);
    }

    private void mkdir(final XsConnection conn, final View view, final @Nullable Transaction tx, final XsMessage m,
        final byte[] p) {
        final String name = pathArg(conn, p);
        if (findNode(conn, view, name, NodePerms.WRITE) == null) {
            final Node made = create(conn, view, name, new byte[0]);
            fire(tx, new PendingEvent(name, false, made.perms(), null, parentPerms(view, name)));
        }
        reply(conn, m, OK);
    }

    private @Nullable NodePerms parentPerms(final View view, final String name) {
        if ("/".equals(name)) {
            return null;
        }
        final Node parent = view.get(XsPaths.parent(name));
        return parent == null ? null : parent.perms();
    }

    /**
     * Creates a node and its missing ancestors. New nodes copy the permissions of the nearest
     * existing ancestor; an unprivileged creator becomes their owner.
     */
    private Node create(final XsConnection conn, final View view, final String name, final byte[] value) {
        final List<String> missing = new ArrayList<>();
        missing.add(name);
        String p = XsPaths.parent(name);
        Node ancestor;
        while ((ancestor = view.get(p)) == null) {
            missing.add(p);
            p = XsPaths.parent(p);
        }
        NodePerms perms = ancestor.perms();
        if (!conn.isPrivileged()) {
            perms = perms.withOwner(conn.domid());
        }
        final List<Change> plan = new ArrayList<>(missing.size() + 1);
        plan.add(new Change(p, ancestor, ancestor.withChild(XsPaths.baseName(missing.get(missing.size() - 1))), true));
        final Node leaf = Node.leaf(value, perms);
        for (int i = missing.size() - 1; i >= 0; i--) {
            final Node n = i == 0 ? leaf : Node.empty(perms).withChild(XsPaths.baseName(missing.get(i - 1)));
            plan.add(new Change(missing.get(i), null, n, true));
        }
        apply(conn, view, plan);
        return leaf;
    }

    private void rm(final XsConnection conn, final View view, final @Nullable Transaction tx, final XsMessage m,
        final byte[] p) {
        final String name = pathArg(conn, p);
        final Node node = findNode(conn, view, name, NodePerms.WRITE);
        if (node == null) {
            // Removing a node that is not there is fine, if its parent is.
            if (view.get(XsPaths.parent(name)) == null) {
                throw new XsError(ENOENT, "RM of " + abbreviate(name) + ": neither it nor its parent exists");
            }
            reply(conn, m, OK);
            return;
        }
        if ("/".equals(name)) {
            throw new XsError(EINVAL, "RM of the root");
        }
        removeSubtree(conn, view, name, tx);
        reply(conn, m, OK);
    }

    /**
     * Removes a node and everything below it, children first, firing for each removed node: its
     * watchers and, for the top one, the watchers of its parents.
     */
    private void removeSubtree(final XsConnection conn, final View view, final String name,
        final @Nullable Transaction tx) {
        final List<Change> plan = new ArrayList<>();
        final List<PendingEvent> events = new ArrayList<>();
        final Node parent = Objects.requireNonNull(view.get(XsPaths.parent(name)), "parent");
        collectRemoval(view, name, parent.perms(), name, plan, events);
        plan.add(new Change(XsPaths.parent(name), parent, parent.withoutChild(XsPaths.baseName(name)), false));
        apply(conn, view, plan);
        for (final PendingEvent e : events) {
            fire(tx, e);
        }
    }

    private void collectRemoval(final View view, final String path, final NodePerms parentPerms, final String top,
        final List<Change> plan, final List<PendingEvent> events) {
        final Node n = view.get(path);
        if (n == null) {
            return;
        }
        for (int i = 0; i < n.childCount(); i++) {
            collectRemoval(view, XsPaths.child(path, n.childName(i)), n.perms(), top, plan, events);
        }
        plan.add(new Change(path, n, null, false));
        events.add(new PendingEvent(path, !path.equals(top), n.perms(), null, parentPerms));
    }

    private void setPerms(final XsConnection conn, final View view, final @Nullable Transaction tx, final XsMessage m,
        final byte[] p) {
        final List<String> strings = strings(p);
        if (strings.size() < 2) {
            throw new XsError(EINVAL, "SET_PERMS needs a path and at least one permission");
        }
        final int count = strings.size() - 1;
        if (!conn.isPrivileged() && count > quotas.permissions()) {
            throw new XsError(ENOSPC, "domain " + conn.domid() + " set " + count + " permissions on "
                + abbreviate(strings.get(0)) + "; quota " + quotas.permissions());
        }
        final NodePerms perms = NodePerms.parse(strings.subList(1, strings.size()));
        if (perms == null) {
            throw new XsError(EINVAL, "malformed permissions " + strings.subList(1, strings.size()));
        }
        final String raw = strings.get(0);
        if (XsPaths.isSpecial(raw)) {
            setSpecialPerms(conn, raw, perms);
            reply(conn, m, OK);
            return;
        }
        final String name = XsPaths.canonical(conn.home(), raw);
        final Node node = getNode(conn, view, name, NodePerms.WRITE | NodePerms.OWNER);
        if (!conn.isPrivileged() && perms.owner() != node.perms().owner()) {
            // XSA-352: only dom0 hands a node to another owner.
            throw new XsError(EPERM, "domain " + conn.domid() + " may not change the owner of " + abbreviate(name)
                + " from " + node.perms().owner() + " to " + perms.owner());
        }
        final Node changed = node.withPerms(perms);
        apply(conn, view, List.of(new Change(name, node, changed, true)));
        fire(tx, new PendingEvent(name, false, perms, node.perms(), parentPerms(view, name)));
        reply(conn, m, OK);
    }

    private void setSpecialPerms(final XsConnection conn, final String name, final NodePerms perms) {
        final NodePerms current;
        if (XsPaths.RELEASE_DOMAIN.equals(name)) {
            current = releasePerms;
        } else if (XsPaths.INTRODUCE_DOMAIN.equals(name)) {
            current = introducePerms;
        } else {
            throw new XsError(EINVAL, "no special path " + abbreviate(name));
        }
        final int need = NodePerms.WRITE | NodePerms.OWNER;
        if ((access(conn, current) & need) != need) {
            throw new XsError(EACCES, "domain " + conn.domid() + " may not change the permissions of " + name);
        }
        if (XsPaths.RELEASE_DOMAIN.equals(name)) {
            releasePerms = perms;
        } else {
            introducePerms = perms;
        }
    }

    private void directoryPart(final XsConnection conn, final View view, final XsMessage m, final byte[] p) {
        if (m.nulCount() != 2) {
            throw new XsError(EINVAL, "DIRECTORY_PART needs a path and an offset");
        }
        final List<String> args = strings(p);
        final Node node = getNode(conn, view, XsPaths.canonical(conn.home(), args.get(0)), NodePerms.READ);
        final long offset = Integer.toUnsignedLong(atoi(args.get(1)));
        final byte[] children = node.childrenWire();
        final byte[] gen = nulTerminated(Long.toUnsignedString(node.generation()));
        if (offset >= children.length) {
            // Past the end: the generation and an empty string that ends the list.
            reply(conn, m, Arrays.copyOf(gen, gen.length + 1));
            return;
        }
        final int off = (int) offset;
        final int max = XsWire.XENSTORE_PAYLOAD_MAX - gen.length - 1;
        int len = 0;
        while (off + len < children.length) {
            final int end = indexOfNul(children, off + len);
            final int nameLength = end - (off + len);
            if (len + nameLength >= max) {
                break;
            }
            len += nameLength + 1;
        }
        final boolean last = off + len == children.length;
        final byte[] out = new byte[gen.length + len + (last ? 1 : 0)];
        System.arraycopy(gen, 0, out, 0, gen.length);
        System.arraycopy(children, off, out, gen.length, len);
        reply(conn, m, out);
    }

    /**
     * Checks the quotas of an unprivileged connection against a whole plan, then applies it.
     */
    private void apply(final XsConnection conn, final View view, final List<Change> plan) {
        if (!conn.isPrivileged()) {
            final int domid = conn.domid();
            int nodes = 0;
            long memory = 0;
            for (final Change c : plan) {
                final Node before = c.before();
                final Node after = c.after();
                if (after != null && c.checkSize() && after.recordSize() > quotas.nodeSize()) {
                    throw new XsError(ENOSPC, "node " + abbreviate(c.path()) + " of domain " + domid + " would take "
                        + after.recordSize() + " bytes; quota " + quotas.nodeSize());
                }
                if (before != null && before.perms().owner() == domid) {
                    nodes--;
                    memory -= View.footprint(c.path(), before);
                }
                if (after != null && after.perms().owner() == domid) {
                    nodes++;
                    memory += View.footprint(c.path(), after);
                }
            }
            if (nodes > 0 && view.nodes(domid) + nodes > quotas.nodes()) {
                throw new XsError(ENOSPC, "domain " + domid + " owns " + view.nodes(domid) + " nodes and would own "
                    + (view.nodes(domid) + nodes) + "; quota " + quotas.nodes());
            }
            if (memory > 0 && view.memory(domid) + memory > quotas.memory()) {
                throw new XsError(ENOMEM, "domain " + domid + " would use " + (view.memory(domid) + memory)
                    + " bytes; quota " + quotas.memory());
            }
        }
        for (final Change c : plan) {
            final Node after = c.after();
            if (after == null) {
                view.remove(c.path());
            } else {
                view.put(c.path(), after);
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Transactions

    private void transactionStart(final XsConnection conn, final @Nullable Transaction current, final XsMessage m) {
        if (current != null) {
            throw new XsError(EBUSY, "TRANSACTION_START inside transaction " + Integer.toUnsignedString(current.id()));
        }
        final Store.Account account = store.account(conn.domid());
        if (!conn.isPrivileged() && account.transactions >= quotas.transactions()) {
            throw new XsError(ENOSPC, "domain " + conn.domid() + " has " + account.transactions
                + " transactions open; quota " + quotas.transactions());
        }
        final int id = conn.allocateTransactionId();
        conn.transactions.put(id, new Transaction(id, conn, store, conn.isPrivileged() ? 0 : quotas.transactionNodes()));
        account.transactions++;
        reply(conn, m, nulTerminated(Integer.toUnsignedString(id)));
    }

    private void transactionEnd(final XsConnection conn, final @Nullable Transaction tx, final XsMessage m,
        final byte[] p) {
        final String arg = oneArg(p);
        if (arg == null || !("T".equals(arg) || "F".equals(arg))) {
            throw new XsError(EINVAL, "TRANSACTION_END needs T or F");
        }
        if (tx == null) {
            throw new XsError(ENOENT, "TRANSACTION_END outside a transaction");
        }
        // The transaction ends here whatever the outcome: a failed commit is retried with a new one.
        conn.transactions.remove(tx.id());
        store.account(conn.domid()).transactions--;
        if ("T".equals(arg)) {
            commit(conn, tx);
        }
        reply(conn, m, OK);
    }

    private void commit(final XsConnection conn, final Transaction tx) {
        final String conflict = tx.firstConflict();
        if (conflict != null) {
            throw new XsError(EAGAIN, "transaction " + Integer.toUnsignedString(tx.id()) + " of domain " + conn.domid()
                + " conflicts on " + abbreviate(conflict));
        }
        if (!conn.isPrivileged()) {
            // Other transactions of the domain may have committed since: check the totals again.
            final int domid = conn.domid();
            if (tx.nodes(domid) > quotas.nodes() && tx.nodes(domid) > store.nodes(domid)) {
                throw new XsError(ENOSPC, "commit would give domain " + domid + " " + tx.nodes(domid)
                    + " nodes; quota " + quotas.nodes());
            }
            final long memory = tx.memory(domid);
            if (memory > quotas.memory() && memory > store.memory(domid)) {
                throw new XsError(ENOMEM, "commit would give domain " + domid + " " + memory + " bytes; quota "
                    + quotas.memory());
            }
        }
        tx.applyTo(store);
        for (final PendingEvent e : tx.events()) {
            fire(null, e);
        }
    }

    private void dropWatchesAndTransactions(final XsConnection conn) {
        final Store.Account a = store.account(conn.domid());
        a.watches -= conn.watches.size();
        for (final Watch w : conn.watches) {
            a.memory -= w.footprint();
        }
        conn.watches.clear();
        a.transactions -= conn.transactions.size();
        conn.transactions.clear();
        store.dropAccountIfEmpty(conn.domid());
    }

    // ------------------------------------------------------------------------------------------
    // Watches

    private void watch(final XsConnection conn, final XsMessage m) {
        final List<String> args = strings(m.payload());
        if (args.size() != 2) {
            throw new XsError(EINVAL, "WATCH needs a path and a token");
        }
        String path = args.get(0);
        final String token = args.get(1);
        int prefix = 0;
        if (XsPaths.isSpecial(path)) {
            if (path.length() > XsWire.XENSTORE_REL_PATH_MAX) {
                throw new XsError(EINVAL, "special watch path too long: " + path.length() + " bytes");
            }
        } else {
            if (!path.startsWith("/")) {
                prefix = conn.home().length() + 1;
            }
            path = XsPaths.canonical(conn.home(), path);
            requireValid(conn, path);
        }
        for (final Watch w : conn.watches) {
            if (w.path().equals(path) && w.token().equals(token)) {
                throw new XsError(EEXIST, "watch " + abbreviate(path) + " with this token exists already");
            }
        }
        final Watch watch = new Watch(path, token, prefix);
        final Store.Account account = store.account(conn.domid());
        if (!conn.isPrivileged()) {
            if (account.watches >= quotas.watches()) {
                throw new XsError(E2BIG, "domain " + conn.domid() + " has " + account.watches + " watches; quota "
                    + quotas.watches());
            }
            if (store.memory(conn.domid()) + watch.footprint() > quotas.memory()) {
                throw new XsError(ENOMEM, "domain " + conn.domid() + " would use " + (store.memory(conn.domid())
                    + watch.footprint()) + " bytes; quota " + quotas.memory());
            }
        }
        conn.watches.add(watch);
        account.watches++;
        account.memory += watch.footprint();
        reply(conn, m, OK);
        // The first event fires at once, whatever the permissions: it tells the client the watch is set.
        queueEvent(conn, watch.eventPath(path), token, XsPaths.isSpecial(path));
    }

    private void unwatch(final XsConnection conn, final XsMessage m) {
        final List<String> args = strings(m.payload());
        if (args.size() != 2) {
            throw new XsError(EINVAL, "UNWATCH needs a path and a token");
        }
        final String path = XsPaths.canonical(conn.home(), args.get(0));
        final String token = args.get(1);
        for (int i = 0; i < conn.watches.size(); i++) {
            final Watch w = conn.watches.get(i);
            if (w.path().equals(path) && w.token().equals(token)) {
                conn.watches.remove(i);
                final Store.Account account = store.account(conn.domid());
                account.watches--;
                account.memory -= w.footprint();
                store.dropAccountIfEmpty(conn.domid());
                reply(conn, m, OK);
                return;
            }
        }
        throw new XsError(ENOENT, "no watch " + abbreviate(path) + " with this token");
    }

    /** Fires now, or at the commit of the transaction that made the change. */
    private void fire(final @Nullable Transaction tx, final PendingEvent event) {
        if (tx != null) {
            tx.queue(event);
            return;
        }
        final String path = event.path();
        final boolean special = XsPaths.isSpecial(path);
        for (final XsConnection c : connections) {
            Boolean permitted = null;
            for (final Watch w : c.watches) {
                final boolean match = event.exact() ? path.equals(w.path()) : XsPaths.isChild(path, w.path());
                if (!match) {
                    continue;
                }
                if (permitted == null) {
                    permitted = special ? specialReadable(c, path) : watchPermitted(c, event);
                }
                if (!permitted) {
                    break;
                }
                queueEvent(c, w.eventPath(path), w.token(), special);
            }
        }
    }

    private boolean specialReadable(final XsConnection c, final String path) {
        final NodePerms perms;
        if (XsPaths.RELEASE_DOMAIN.equals(path)) {
            perms = releasePerms;
        } else if (XsPaths.INTRODUCE_DOMAIN.equals(path)) {
            perms = introducePerms;
        } else {
            return false;
        }
        return (access(c, perms) & NodePerms.READ) != 0;
    }

    private boolean watchPermitted(final XsConnection c, final PendingEvent e) {
        for (final NodePerms perms : new NodePerms[] {e.oldPerm(), e.node(), e.parent()}) {
            if (perms != null && (access(c, perms) & NodePerms.READ) != 0) {
                return true;
            }
        }
        return false;
    }

    private void queueEvent(final XsConnection c, final String path, final String token, final boolean special) {
        final byte[] payload = nulTerminated(path, token);
        if (payload.length > XsWire.XENSTORE_PAYLOAD_MAX) {
            // XSA-324: an event that would not fit one payload is never sent.
            c.countDroppedEvent();
            return;
        }
        if (!c.queueEvent(XsMessage.of(XsWire.XS_WATCH_EVENT, 0, 0, payload), special, quotas.pendingEvents())
            && c.droppedEvents() > 0 && Long.bitCount(c.droppedEvents()) == 1) {
            // Log the 1st, 2nd, 4th, 8th... drop: enough to notice, bounded for a flood.
            LOG.log(System.Logger.Level.WARNING, "xenstored: " + c + " does not read its watch events; dropped "
                + c.droppedEvents() + " so far (queue bound " + quotas.pendingEvents() + ")");
        }
    }

    // ------------------------------------------------------------------------------------------
    // Domain management requests

    private void introduce(final XsConnection conn, final XsMessage m, final byte[] p) {
        final List<String> args = strings(p);
        if (args.size() < 3) {
            throw new XsError(EINVAL, "INTRODUCE needs a domain id, a frame and a port");
        }
        final int domid = atoi(args.get(0));
        final long gfn = atol(args.get(1));
        final int port = atoi(args.get(2));
        if (port <= 0) {
            throw new XsError(EINVAL, "INTRODUCE of domain " + domid + " with event channel " + port);
        }
        if (domid <= 0 || domid >= DOMID_FIRST_RESERVED) {
            throw new XsError(EINVAL, "INTRODUCE of domain " + domid + ", which cannot be introduced");
        }
        final String error = introduceHandler.introduce(domid, gfn, port);
        if (error != null) {
            throw new XsError(error, "INTRODUCE of domain " + domid + " refused by the host");
        }
        introduceDomain(domid);
        reply(conn, m, OK);
    }

    private void setTarget(final XsConnection conn, final XsMessage m, final byte[] p) {
        final List<String> args = strings(p);
        if (args.size() < 2) {
            throw new XsError(EINVAL, "SET_TARGET needs two domain ids");
        }
        final int domid = atoi(args.get(0));
        final int target = atoi(args.get(1));
        if (domid == 0 || !isIntroduced(domid)) {
            throw new XsError(ENOENT, "SET_TARGET of domain " + domid + ", which is not introduced");
        }
        if (!isIntroduced(target)) {
            throw new XsError(ENOENT, "SET_TARGET to domain " + target + ", which is not introduced");
        }
        Objects.requireNonNull(domains.get(domid)).target = target;
        reply(conn, m, OK);
    }

    private void control(final XsConnection conn, final XsMessage m, final byte[] p) {
        final List<String> args = strings(p);
        if (args.isEmpty()) {
            throw new XsError(EINVAL, "CONTROL without a command");
        }
        switch (args.get(0)) {
            case "help" -> reply(conn, m, nulTerminated("check\nhelp\nlog\nprint <string>\nquota\n"));
            case "check", "log" -> reply(conn, m, OK);
            case "print" -> {
                if (args.size() < 2) {
                    throw new XsError(EINVAL, "CONTROL print needs a string");
                }
                LOG.log(System.Logger.Level.INFO, "xenstored: control print: " + abbreviate(args.get(1)));
                reply(conn, m, OK);
            }
            case "quota" -> reply(conn, m, nulTerminated(String.format(
                "%-17s: %8d %s%n%-17s: %8d %s%n%-17s: %8d %s%n%-17s: %8d %s%n%-17s: %8d %s%n"
                    + "%-17s: %8d %s%n%-17s: %8d %s%n%-17s: %8d %s%n%-17s: %8d %s%n",
                "nodes", quotas.nodes(), "Nodes per domain",
                "watches", quotas.watches(), "Watches per domain",
                "transactions", quotas.transactions(), "Transactions per domain",
                "outstanding", quotas.outstanding(), "Outstanding requests per domain",
                "transaction-nodes", quotas.transactionNodes(), "Max. number of accessed nodes per transaction",
                "memory", quotas.memory(), "Total Xenstore memory per domain",
                "node-size", quotas.nodeSize(), "Max. size of a node",
                "path-max", quotas.relativePathMax(), "Max. length of a node path",
                "permissions", quotas.permissions(), "Max. number of permissions per node")));
            default -> throw new XsError(EINVAL, "unknown CONTROL command " + abbreviate(args.get(0)));
        }
    }

    // ------------------------------------------------------------------------------------------
    // Payload helpers

    private String pathArg(final XsConnection conn, final byte[] p) {
        final String arg = oneArg(p);
        if (arg == null) {
            throw new XsError(EINVAL, "request from domain " + conn.domid() + " needs exactly one NUL-terminated path");
        }
        return XsPaths.canonical(conn.home(), arg);
    }

    private static int domidArg(final byte[] p, final String what) {
        final String arg = oneArg(p);
        if (arg == null) {
            throw new XsError(EINVAL, what + " needs one domain id");
        }
        return atoi(arg);
    }

    /** The payload as one string, if it holds exactly one NUL, at its end; else null. */
    static @Nullable String oneArg(final byte[] p) {
        if (p.length == 0 || indexOfNul(p, 0) != p.length - 1) {
            return null;
        }
        return latin1(p, 0, p.length - 1);
    }

    /** The NUL-terminated strings of the payload; bytes after the last NUL are ignored, as C's get_strings does. */
    static List<String> strings(final byte[] p) {
        final List<String> out = new ArrayList<>();
        int start = 0;
        int nul;
        while ((nul = indexOfNul(p, start)) >= 0) {
            out.add(latin1(p, start, nul - start));
            start = nul + 1;
        }
        return out;
    }

    /** C's {@code atoi}: optional blanks and sign, then digits; anything else ends the number (0 if none). */
    static int atoi(final String s) {
        return (int) atol(s);
    }

    /** C's {@code atol} on a 64-bit host, saturating instead of overflowing. */
    static long atol(final String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == ' ' || (s.charAt(i) >= '\t' && s.charAt(i) <= '\r'))) {
            i++;
        }
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            v = v * 10 + (s.charAt(i) - '0');
            if (v > 0xFFFF_FFFFL) {
                // C would overflow; saturating keeps the value out of every valid range.
                v = 0xFFFF_FFFFL;
            }
            i++;
        }
        return negative ? -v : v;
    }

    static int indexOfNul(final byte[] p, final int from) {
        for (int i = from; i < p.length; i++) {
            if (p[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Bytes as characters one to one: paths are ASCII, and tokens must come back byte for byte. */
    static String latin1(final byte[] p, final int offset, final int length) {
        return new String(p, offset, length, StandardCharsets.ISO_8859_1);
    }

    static byte[] latin1(final String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] nulTerminated(final String... strings) {
        int length = 0;
        for (final String s : strings) {
            length += s.length() + 1;
        }
        final byte[] out = new byte[length];
        int at = 0;
        for (final String s : strings) {
            for (int i = 0; i < s.length(); i++) {
                out[at++] = (byte) s.charAt(i);
            }
            out[at++] = 0;
        }
        return out;
    }

    private static String abbreviate(final String s) {
        return s.length() <= 96 ? s : s.substring(0, 96) + "...(" + s.length() + " bytes)";
    }
}
