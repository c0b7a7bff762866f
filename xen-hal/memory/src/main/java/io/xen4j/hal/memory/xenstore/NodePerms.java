package io.xen4j.hal.memory.xenstore;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The permission list of a node: the first entry names the owner and the access of every domain
 * without an entry of its own; the others grant one domain its access. Immutable.
 *
 * <p>On the wire each entry is a letter and a domain id: {@code n} none, {@code r} read, {@code w}
 * write, {@code b} both ({@code n0}, {@code r5}, {@code b12}).
 */
final class NodePerms {
    static final int NONE = 0;
    static final int READ = 1;
    static final int WRITE = 2;
    /** Only as an answer of {@link #accessOf}: may change the permissions. */
    static final int OWNER = 4;
    static final int ALL = READ | WRITE | OWNER;

    /** Owner dom0, nobody else: the permissions of the nodes the daemon creates at start. */
    static final NodePerms DOM0_ONLY = new NodePerms(new int[] {0}, new byte[] {NONE});

    private final int[] domids;
    private final byte[] access;

    private NodePerms(final int[] domids, final byte[] access) {
        this.domids = domids;
        this.access = access;
    }

    /** Permissions of one entry: owner {@code owner} with default access {@code access}. */
    static NodePerms of(final int owner, final int access) {
        return new NodePerms(new int[] {owner}, new byte[] {(byte) access});
    }

    /**
     * Parses entries such as {@code ["n0", "r5"]}; null if any is malformed (letter not one of
     * {@code nrwb}, domain id not a decimal number in 0..65535).
     */
    static @org.jspecify.annotations.Nullable NodePerms parse(final List<String> entries) {
        if (entries.isEmpty()) {
            return null;
        }
        final int[] ids = new int[entries.size()];
        final byte[] acc = new byte[entries.size()];
        for (int i = 0; i < ids.length; i++) {
            final String e = entries.get(i);
            if (e.length() < 2 || e.length() > 6) {
                return null;
            }
            switch (e.charAt(0)) {
                case 'n' -> acc[i] = NONE;
                case 'r' -> acc[i] = READ;
                case 'w' -> acc[i] = WRITE;
                case 'b' -> acc[i] = READ | WRITE;
                default -> {
                    return null;
                }
            }
            int id = 0;
            for (int k = 1; k < e.length(); k++) {
                final char c = e.charAt(k);
                if (c < '0' || c > '9') {
                    return null;
                }
                id = id * 10 + (c - '0');
            }
            if (id > 0xFFFF) {
                return null;
            }
            ids[i] = id;
        }
        return new NodePerms(ids, acc);
    }

    int size() {
        return domids.length;
    }

    int owner() {
        return domids[0];
    }

    int domid(final int index) {
        return domids[index];
    }

    /** A copy whose owner is {@code newOwner}, the rest unchanged. */
    NodePerms withOwner(final int newOwner) {
        if (domids[0] == newOwner) {
            return this;
        }
        final int[] ids = domids.clone();
        ids[0] = newOwner;
        return new NodePerms(ids, access);
    }

    /** A copy without the entries (other than the owner's) that name {@code domid}; this if there are none. */
    NodePerms without(final int domid) {
        int keep = 1;
        for (int i = 1; i < domids.length; i++) {
            if (domids[i] != domid) {
                keep++;
            }
        }
        if (keep == domids.length) {
            return this;
        }
        final int[] ids = new int[keep];
        final byte[] acc = new byte[keep];
        ids[0] = domids[0];
        acc[0] = access[0];
        int at = 1;
        for (int i = 1; i < domids.length; i++) {
            if (domids[i] != domid) {
                ids[at] = domids[i];
                acc[at] = access[i];
                at++;
            }
        }
        return new NodePerms(ids, acc);
    }

    boolean mentions(final int domid) {
        for (final int id : domids) {
            if (id == domid) {
                return true;
            }
        }
        return false;
    }

    /**
     * What a connection may do: everything for a privileged one, the owner, or a domain that
     * targets the owner; else the first entry that names the domain (or its target); else the
     * default access of the first entry ({@code perm_for_conn} of C xenstored).
     *
     * @param domid      the connection's domain
     * @param privileged whether the connection is privileged
     * @param target     the domain the connection's domain acts for, or -1
     */
    int accessOf(final int domid, final boolean privileged, final int target) {
        if (privileged || domids[0] == domid || (target >= 0 && domids[0] == target)) {
            return ALL;
        }
        for (int i = 1; i < domids.length; i++) {
            if (domids[i] == domid || (target >= 0 && domids[i] == target)) {
                return access[i];
            }
        }
        return access[0];
    }

    /** The wire form: each entry and a NUL. */
    byte[] toWire() {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < domids.length; i++) {
            sb.append(letter(access[i])).append(domids[i]).append('\0');
        }
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static char letter(final int a) {
        return switch (a & (READ | WRITE)) {
            case READ -> 'r';
            case WRITE -> 'w';
            case READ | WRITE -> 'b';
            default -> 'n';
        };
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof NodePerms p && Arrays.equals(domids, p.domids) && Arrays.equals(access, p.access);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(domids) * 31 + Arrays.hashCode(access);
    }

    @Override
    public String toString() {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < domids.length; i++) {
            sb.append(i == 0 ? "" : ",").append(letter(access[i])).append(domids[i]);
        }
        return sb.toString();
    }
}
