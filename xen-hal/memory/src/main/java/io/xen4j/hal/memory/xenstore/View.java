package io.xen4j.hal.memory.xenstore;

import org.jspecify.annotations.Nullable;

/**
 * The tree as one request sees it: the committed tree, or a transaction's view of it. Operations
 * are written once against this and work in and outside transactions.
 */
abstract class View {
    /** The node at a canonical path, or null. In a transaction the first read may fail with ENOSPC. */
    abstract @Nullable Node get(String path);

    /** Stores a node; the view stamps it with a new generation. */
    abstract void put(String path, Node node);

    /** Removes a node (not its children; callers remove subtrees bottom up). */
    abstract void remove(String path);

    /** Nodes owned by a domain as this view counts them. */
    abstract int nodes(int domid);

    /** Memory of a domain as this view counts it. */
    abstract long memory(int domid);

    /** Bytes a node costs its owner: its C record and its path, as C xenstored accounts memory. */
    static long footprint(final String path, final Node node) {
        return (long) node.recordSize() + path.length();
    }
}
