package io.xen4j.hal.memory.xenstore;

import java.util.HashMap;
import org.jspecify.annotations.Nullable;

/**
 * The committed tree and the per-domain accounting that follows every change to it. A node is
 * accounted to its owner, the domain of its first permission entry, as in C xenstored.
 */
final class Store extends View {
    /** Mutable counters of one domain. */
    static final class Account {
        int nodes;
        long memory;
        int watches;
        int transactions;

        boolean isEmpty() {
            return nodes == 0 && memory == 0 && watches == 0 && transactions == 0;
        }
    }

    private final HashMap<String, Node> tree = new HashMap<>();
    private final HashMap<Integer, Account> accounts = new HashMap<>();
    private long generation;

    long nextGeneration() {
        return ++generation;
    }

    int size() {
        return tree.size();
    }

    /** The committed nodes, for consistency checks. */
    java.util.Map<String, Node> nodesView() {
        return java.util.Collections.unmodifiableMap(tree);
    }

    /** The accounts, for consistency checks. */
    java.util.Map<Integer, Account> accountsView() {
        return java.util.Collections.unmodifiableMap(accounts);
    }

    @Override
    @Nullable Node get(final String path) {
        return tree.get(path);
    }

    @Override
    void put(final String path, final Node node) {
        final Node stamped = node.withGeneration(nextGeneration());
        final Node old = tree.put(path, stamped);
        if (old != null) {
            charge(path, old, -1);
        }
        charge(path, stamped, 1);
    }

    @Override
    void remove(final String path) {
        final Node old = tree.remove(path);
        if (old != null) {
            charge(path, old, -1);
        }
    }

    private void charge(final String path, final Node node, final int sign) {
        final Account a = account(node.perms().owner());
        a.nodes += sign;
        a.memory += sign * footprint(path, node);
    }

    Account account(final int domid) {
        return accounts.computeIfAbsent(domid, d -> new Account());
    }

    @Nullable Account existingAccount(final int domid) {
        return accounts.get(domid);
    }

    void dropAccountIfEmpty(final int domid) {
        final Account a = accounts.get(domid);
        if (a != null && a.isEmpty()) {
            accounts.remove(domid);
        }
    }

    @Override
    int nodes(final int domid) {
        final Account a = accounts.get(domid);
        return a == null ? 0 : a.nodes;
    }

    @Override
    long memory(final int domid) {
        final Account a = accounts.get(domid);
        return a == null ? 0 : a.memory;
    }
}
