package io.xen4j.hal.memory.xenstore;

import io.xen4j.abi.xenstore.XsdErrors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A transaction: the nodes it has touched, copied from the committed tree on first touch with
 * their generation, and its own changes to them. Reads of a touched node see the copy, so the
 * transaction sees a stable tree; a commit fails with {@code EAGAIN} if any touched node's
 * generation has changed since (the scheme of C xenstored since Xen 4.9).
 */
final class Transaction extends View {
    private static final long ABSENT = -1;

    private final int id;
    private final XsConnection owner;
    private final Store store;
    private final int nodeLimit;
    private final HashMap<String, @Nullable Node> nodes = new HashMap<>();
    private final HashMap<String, Long> generations = new HashMap<>();
    private final LinkedHashSet<String> dirty = new LinkedHashSet<>();
    private final HashMap<Integer, long[]> delta = new HashMap<>();
    private final List<PendingEvent> events = new ArrayList<>();

    /**
     * @param nodeLimit distinct nodes it may touch, or 0 for no limit (privileged connections)
     */
    Transaction(final int id, final XsConnection owner, final Store store, final int nodeLimit) {
        this.id = id;
        this.owner = owner;
        this.store = store;
        this.nodeLimit = nodeLimit;
    }

    int id() {
        return id;
    }

    XsConnection owner() {
        return owner;
    }

    @Override
    @Nullable Node get(final String path) {
        if (nodes.containsKey(path)) {
            return nodes.get(path);
        }
        if (nodeLimit > 0 && nodes.size() >= nodeLimit) {
            throw new XsError(XsdErrors.ENOSPC, "transaction " + Integer.toUnsignedString(id) + " of domain "
                + owner.domid() + " touches more than " + nodeLimit + " nodes: path=" + path);
        }
        final Node committed = store.get(path);
        nodes.put(path, committed);
        generations.put(path, committed == null ? ABSENT : committed.generation());
        return committed;
    }

    @Override
    void put(final String path, final Node node) {
        final Node before = get(path);
        account(path, before, -1);
        final Node stamped = node.withGeneration(store.nextGeneration());
        nodes.put(path, stamped);
        account(path, stamped, 1);
        dirty.add(path);
    }

    @Override
    void remove(final String path) {
        final Node before = get(path);
        account(path, before, -1);
        nodes.put(path, null);
        dirty.add(path);
    }

    private void account(final String path, final @Nullable Node node, final int sign) {
        if (node == null) {
            return;
        }
        final long[] d = delta.computeIfAbsent(node.perms().owner(), k -> new long[2]);
        d[0] += sign;
        d[1] += sign * footprint(path, node);
    }

    @Override
    int nodes(final int domid) {
        final long[] d = delta.get(domid);
        return store.nodes(domid) + (d == null ? 0 : (int) d[0]);
    }

    @Override
    long memory(final int domid) {
        final long[] d = delta.get(domid);
        return store.memory(domid) + (d == null ? 0 : d[1]);
    }

    void queue(final PendingEvent event) {
        events.add(event);
    }

    List<PendingEvent> events() {
        return events;
    }

    /** Paths whose committed generation moved since this transaction first touched them. */
    @Nullable String firstConflict() {
        for (final Map.Entry<String, Long> e : generations.entrySet()) {
            final Node now = store.get(e.getKey());
            final long generation = now == null ? ABSENT : now.generation();
            if (generation != e.getValue()) {
                return e.getKey();
            }
        }
        return null;
    }

    /** Copies the changes into the committed tree; call only after {@link #firstConflict()} found none. */
    void applyTo(final Store target) {
        for (final String path : dirty) {
            final Node after = nodes.get(path);
            if (after == null) {
                target.remove(path);
            } else {
                target.put(path, after);
            }
        }
    }

    int touched() {
        return nodes.size();
    }
}
