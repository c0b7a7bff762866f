package io.xen4j.hal.memory.xenstore;

import java.util.Arrays;

/**
 * One node of the tree: value, permissions, the names of its children in the order they were
 * created, and the generation of its last change. Immutable: a change makes a new node, so that a
 * transaction's snapshot and the committed tree can share nodes safely.
 */
final class Node {
    private static final byte[] NO_BYTES = new byte[0];
    private static final String[] NO_CHILDREN = new String[0];

    private final byte[] value;
    private final NodePerms perms;
    private final String[] children;
    private final int childrenBytes;
    private final long generation;

    private Node(final byte[] value, final NodePerms perms, final String[] children, final int childrenBytes,
        final long generation) {
        this.value = value;
        this.perms = perms;
        this.children = children;
        this.childrenBytes = childrenBytes;
        this.generation = generation;
    }

    /** A node without children; the value array is taken, not copied. */
    static Node leaf(final byte[] value, final NodePerms perms) {
        return new Node(value, perms, NO_CHILDREN, 0, 0);
    }

    static Node empty(final NodePerms perms) {
        return leaf(NO_BYTES, perms);
    }

    byte[] value() {
        return value;
    }

    NodePerms perms() {
        return perms;
    }

    long generation() {
        return generation;
    }

    int childCount() {
        return children.length;
    }

    String childName(final int index) {
        return children[index];
    }

    /** Bytes of the NUL-terminated child names, {@code childlen} in C. */
    int childrenBytes() {
        return childrenBytes;
    }

    /** The children as the reply of {@code XS_DIRECTORY}: each name and a NUL. */
    byte[] childrenWire() {
        final byte[] out = new byte[childrenBytes];
        int at = 0;
        for (final String c : children) {
            for (int i = 0; i < c.length(); i++) {
                out[at++] = (byte) c.charAt(i);
            }
            out[at++] = 0;
        }
        return out;
    }

    /** Size of the record C xenstored stores, which its node-size quota limits. */
    int recordSize() {
        return XenstoreQuotas.NODE_RECORD_HEADER + XenstoreQuotas.NODE_RECORD_PERMISSION * perms.size()
            + value.length + childrenBytes;
    }

    Node withValue(final byte[] newValue) {
        return new Node(newValue, perms, children, childrenBytes, generation);
    }

    Node withPerms(final NodePerms newPerms) {
        return newPerms.equals(perms) ? this : new Node(value, newPerms, children, childrenBytes, generation);
    }

    Node withGeneration(final long newGeneration) {
        return new Node(value, perms, children, childrenBytes, newGeneration);
    }

    /** This node with {@code name} appended to its children. */
    Node withChild(final String name) {
        final String[] c = Arrays.copyOf(children, children.length + 1);
        c[children.length] = name;
        return new Node(value, perms, c, childrenBytes + name.length() + 1, generation);
    }

    /** This node without child {@code name}; this if it has no such child. */
    Node withoutChild(final String name) {
        for (int i = 0; i < children.length; i++) {
            if (children[i].equals(name)) {
                final String[] c = new String[children.length - 1];
                System.arraycopy(children, 0, c, 0, i);
                System.arraycopy(children, i + 1, c, i, children.length - i - 1);
                return new Node(value, perms, c, childrenBytes - name.length() - 1, generation);
            }
        }
        return this;
    }
}
