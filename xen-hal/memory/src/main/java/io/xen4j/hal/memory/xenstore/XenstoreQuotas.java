package io.xen4j.hal.memory.xenstore;

import io.xen4j.abi.xenstore.XsWire;

/**
 * The per-domain limits of the in-memory xenstored, with the defaults of the C xenstored of Xen
 * 4.17 ({@code tools/xenstore/xenstored_core.c}). Quotas bind unprivileged domains only; dom0 and
 * the Unix socket are trusted, as in the C daemon. Immutable; the {@code with*} methods return
 * copies.
 *
 * <p>Every limit is inclusive: the limit itself is accepted and one more is rejected. The C daemon
 * is off by one in places ({@code >=} for the node size, so 2047 is its largest node; {@code >}
 * for watches and transactions, so it lets a domain have 129 and 11); xen4j applies the one rule
 * everywhere so that the boundaries can be tested exactly.
 *
 * <table>
 * <caption>Limits, their C names and the error a request that would pass them gets</caption>
 * <tr><th>limit</th><th>default</th><th>C name</th><th>error</th></tr>
 * <tr><td>{@link #nodes()}</td><td>1000</td><td>{@code quota_nb_entry_per_domain}</td><td>ENOSPC</td></tr>
 * <tr><td>{@link #nodeSize()}</td><td>2048</td><td>{@code quota_max_entry_size}</td><td>ENOSPC</td></tr>
 * <tr><td>{@link #watches()}</td><td>128</td><td>{@code quota_nb_watch_per_domain}</td><td>E2BIG</td></tr>
 * <tr><td>{@link #transactions()}</td><td>10</td><td>{@code quota_max_transaction}</td><td>ENOSPC</td></tr>
 * <tr><td>{@link #permissions()}</td><td>5</td><td>{@code quota_nb_perms_per_node}</td><td>ENOSPC</td></tr>
 * <tr><td>{@link #outstanding()}</td><td>20</td><td>{@code quota_req_outstanding}</td><td>requests wait</td></tr>
 * <tr><td>{@link #transactionNodes()}</td><td>1024</td><td>{@code quota_trans_nodes}</td><td>ENOSPC</td></tr>
 * <tr><td>{@link #memory()}</td><td>2.5 MiB</td><td>{@code quota_memory_per_domain_hard}</td><td>ENOMEM</td></tr>
 * <tr><td>{@link #relativePathMax()}</td><td>2048</td><td>{@code quota_max_path_len}</td><td>EINVAL</td></tr>
 * </table>
 *
 * <p>The node size is the size of the node's record as the C daemon stores it: a 24-byte header,
 * 8 bytes per permission, the value, and the NUL-terminated names of the children. The memory of a
 * domain is the size of the records of the nodes it owns plus their path lengths, plus the path and
 * token lengths of its watches.
 */
public final class XenstoreQuotas {
    /** {@code sizeof(struct xs_tdb_record_hdr)}: generation (8), num_perms, datalen, childlen (4 each), padded to 8. */
    public static final int NODE_RECORD_HEADER = 24;
    /** {@code sizeof(struct xs_permissions)}: access word and domain id. */
    public static final int NODE_RECORD_PERMISSION = 8;

    private static final XenstoreQuotas C_DEFAULTS = new XenstoreQuotas(
        1000, 2048, 128, 10, 5, 20, 1024, 2 * 1024 * 1024 + 512 * 1024, XsWire.XENSTORE_REL_PATH_MAX, 4096);

    private final int nodes;
    private final int nodeSize;
    private final int watches;
    private final int transactions;
    private final int permissions;
    private final int outstanding;
    private final int transactionNodes;
    private final long memory;
    private final int relativePathMax;
    private final int pendingEvents;

    private XenstoreQuotas(
        final int nodes, final int nodeSize, final int watches, final int transactions, final int permissions,
        final int outstanding, final int transactionNodes, final long memory, final int relativePathMax,
        final int pendingEvents) {
        this.nodes = positive("nodes", nodes);
        this.nodeSize = positive("nodeSize", nodeSize);
        this.watches = positive("watches", watches);
        this.transactions = positive("transactions", transactions);
        this.permissions = positive("permissions", permissions);
        this.outstanding = positive("outstanding", outstanding);
        this.transactionNodes = positive("transactionNodes", transactionNodes);
        if (memory <= 0) {
            throw new IllegalArgumentException("xenstore quota must be positive: memory=" + memory);
        }
        this.memory = memory;
        if (relativePathMax <= 0 || relativePathMax > XsWire.XENSTORE_REL_PATH_MAX) {
            throw new IllegalArgumentException("xenstore quota out of range: relativePathMax=" + relativePathMax
                + " max=" + XsWire.XENSTORE_REL_PATH_MAX);
        }
        this.relativePathMax = relativePathMax;
        this.pendingEvents = positive("pendingEvents", pendingEvents);
    }

    private static int positive(final String name, final int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("xenstore quota must be positive: " + name + "=" + value);
        }
        return value;
    }

    /**
     * The defaults of C xenstored 4.17.
     *
     * @return the shared default instance
     */
    public static XenstoreQuotas defaults() {
        return C_DEFAULTS;
    }

    /**
     * Nodes a domain may own.
     *
     * @return count
     */
    public int nodes() {
        return nodes;
    }

    /**
     * Largest node record an unprivileged domain may write, in bytes (see the class comment).
     *
     * @return bytes
     */
    public int nodeSize() {
        return nodeSize;
    }

    /**
     * Watches a domain may hold.
     *
     * @return count
     */
    public int watches() {
        return watches;
    }

    /**
     * Transactions a domain may have open at once.
     *
     * @return count
     */
    public int transactions() {
        return transactions;
    }

    /**
     * Entries of a permission list an unprivileged domain may set (the owner entry included).
     *
     * @return count
     */
    public int permissions() {
        return permissions;
    }

    /**
     * Replies a domain may leave unread before the daemon stops taking its requests.
     *
     * @return count
     */
    public int outstanding() {
        return outstanding;
    }

    /**
     * Distinct nodes one transaction of an unprivileged domain may touch.
     *
     * @return count
     */
    public int transactionNodes() {
        return transactionNodes;
    }

    /**
     * Memory a domain may hold in the daemon, in bytes (see the class comment).
     *
     * @return bytes
     */
    public long memory() {
        return memory;
    }

    /**
     * Longest path below a domain's home {@code /local/domain/<domid>/}, in bytes; any path is also
     * limited to {@link XsWire#XENSTORE_ABS_PATH_MAX}.
     *
     * @return bytes
     */
    public int relativePathMax() {
        return relativePathMax;
    }

    /**
     * Watch events that may wait for one connection before further ones are dropped; not a C
     * quota (C bounds them by the memory quota), but every queue a peer can fill is bounded.
     *
     * @return count
     */
    public int pendingEvents() {
        return pendingEvents;
    }

    /**
     * A copy with another node quota.
     *
     * @param value nodes per domain
     * @return the copy
     */
    public XenstoreQuotas withNodes(final int value) {
        return new XenstoreQuotas(value, nodeSize, watches, transactions, permissions, outstanding,
            transactionNodes, memory, relativePathMax, pendingEvents);
    }

    /**
     * A copy with another node size quota.
     *
     * @param value bytes
     * @return the copy
     */
    public XenstoreQuotas withNodeSize(final int value) {
        return new XenstoreQuotas(nodes, value, watches, transactions, permissions, outstanding,
            transactionNodes, memory, relativePathMax, pendingEvents);
    }

    /**
     * A copy with another watch quota.
     *
     * @param value watches per domain
     * @return the copy
     */
    public XenstoreQuotas withWatches(final int value) {
        return new XenstoreQuotas(nodes, nodeSize, value, transactions, permissions, outstanding,
            transactionNodes, memory, relativePathMax, pendingEvents);
    }

    /**
     * A copy with another transaction quota.
     *
     * @param value open transactions per domain
     * @return the copy
     */
    public XenstoreQuotas withTransactions(final int value) {
        return new XenstoreQuotas(nodes, nodeSize, watches, value, permissions, outstanding,
            transactionNodes, memory, relativePathMax, pendingEvents);
    }

    /**
     * A copy with another permissions-per-node quota.
     *
     * @param value entries per permission list
     * @return the copy
     */
    public XenstoreQuotas withPermissions(final int value) {
        return new XenstoreQuotas(nodes, nodeSize, watches, transactions, value, outstanding,
            transactionNodes, memory, relativePathMax, pendingEvents);
    }

    /**
     * A copy with another outstanding-request quota.
     *
     * @param value unread replies
     * @return the copy
     */
    public XenstoreQuotas withOutstanding(final int value) {
        return new XenstoreQuotas(nodes, nodeSize, watches, transactions, permissions, value,
            transactionNodes, memory, relativePathMax, pendingEvents);
    }

    /**
     * A copy with another quota of nodes per transaction.
     *
     * @param value nodes
     * @return the copy
     */
    public XenstoreQuotas withTransactionNodes(final int value) {
        return new XenstoreQuotas(nodes, nodeSize, watches, transactions, permissions, outstanding,
            value, memory, relativePathMax, pendingEvents);
    }

    /**
     * A copy with another memory quota.
     *
     * @param value bytes
     * @return the copy
     */
    public XenstoreQuotas withMemory(final long value) {
        return new XenstoreQuotas(nodes, nodeSize, watches, transactions, permissions, outstanding,
            transactionNodes, value, relativePathMax, pendingEvents);
    }

    /**
     * A copy with another limit of the path below a domain's home.
     *
     * @param value bytes, at most {@link XsWire#XENSTORE_REL_PATH_MAX}
     * @return the copy
     */
    public XenstoreQuotas withRelativePathMax(final int value) {
        return new XenstoreQuotas(nodes, nodeSize, watches, transactions, permissions, outstanding,
            transactionNodes, memory, value, pendingEvents);
    }

    /**
     * A copy with another bound on waiting watch events per connection.
     *
     * @param value events
     * @return the copy
     */
    public XenstoreQuotas withPendingEvents(final int value) {
        return new XenstoreQuotas(nodes, nodeSize, watches, transactions, permissions, outstanding,
            transactionNodes, memory, relativePathMax, value);
    }

    @Override
    public String toString() {
        return "XenstoreQuotas[nodes=" + nodes + ", nodeSize=" + nodeSize + ", watches=" + watches
            + ", transactions=" + transactions + ", permissions=" + permissions + ", outstanding=" + outstanding
            + ", transactionNodes=" + transactionNodes + ", memory=" + memory + ", relativePathMax="
            + relativePathMax + ", pendingEvents=" + pendingEvents + "]";
    }
}
