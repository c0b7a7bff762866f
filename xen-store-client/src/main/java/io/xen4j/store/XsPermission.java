package io.xen4j.store;

import java.util.ArrayList;
import java.util.List;

/**
 * One entry of a node's permission list, as xenstore writes it: a letter for the access and the
 * domain id in decimal ({@code n0}, {@code r1}, {@code w2}, {@code b3}).
 *
 * <p>In a node's list the first entry names the owner (who may always read and write) and the
 * access of every domain not listed; the following entries give the access of one domain each.
 * {@link #parse(String)} accepts exactly what {@link #toString()} prints, so a list read from
 * xenstore and written back is the same bytes.
 *
 * @param access what the domain may do
 * @param domid  the domain, 0..65535
 */
public record XsPermission(Access access, int domid) {
    /** Largest domain id: {@code domid_t} is 16 bits. */
    public static final int DOMID_MAX = 0xFFFF;

    /** The access letters of xenstore. */
    public enum Access {
        /** {@code n}: no access. */
        NONE('n'),
        /** {@code r}: read only. */
        READ('r'),
        /** {@code w}: write only. */
        WRITE('w'),
        /** {@code b}: read and write. */
        BOTH('b');

        private final char letter;

        Access(final char letter) {
            this.letter = letter;
        }

        /**
         * The letter on the wire.
         *
         * @return {@code n}, {@code r}, {@code w} or {@code b}
         */
        public char letter() {
            return letter;
        }

        /**
         * Whether this access includes reading.
         *
         * @return true for READ and BOTH
         */
        public boolean canRead() {
            return this == READ || this == BOTH;
        }

        /**
         * Whether this access includes writing.
         *
         * @return true for WRITE and BOTH
         */
        public boolean canWrite() {
            return this == WRITE || this == BOTH;
        }

        /**
         * The access of a letter.
         *
         * @param letter {@code n}, {@code r}, {@code w} or {@code b}
         * @return the access
         * @throws IllegalArgumentException for another letter
         */
        public static Access ofLetter(final char letter) {
            return switch (letter) {
                case 'n' -> NONE;
                case 'r' -> READ;
                case 'w' -> WRITE;
                case 'b' -> BOTH;
                default -> throw new IllegalArgumentException("xenstore permission letter must be n, r, w or b: letter="
                    + (letter >= 0x20 && letter < 0x7F ? String.valueOf(letter) : String.format("\\u%04x", (int) letter)));
            };
        }
    }

    /**
     * Checks the domain id.
     *
     * @param access what the domain may do
     * @param domid  the domain, 0..65535
     */
    public XsPermission {
        if (domid < 0 || domid > DOMID_MAX) {
            throw new IllegalArgumentException("xenstore permission domid out of range: domid=" + domid
                + " max=" + DOMID_MAX);
        }
    }

    /**
     * Parses one entry, strictly: a letter, then the domain id in decimal without sign or leading
     * zeros ({@code r0}, {@code b65535}).
     *
     * @param text the entry
     * @return the permission
     * @throws IllegalArgumentException if the text is anything else
     */
    public static XsPermission parse(final String text) {
        if (text.length() < 2 || text.length() > 6) {
            throw new IllegalArgumentException("xenstore permission must be a letter and a domid: perm=\"" + text + "\"");
        }
        final Access access = Access.ofLetter(text.charAt(0));
        if (text.charAt(1) == '0' && text.length() > 2) {
            throw new IllegalArgumentException("xenstore permission domid has a leading zero: perm=\"" + text + "\"");
        }
        int domid = 0;
        for (int i = 1; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("xenstore permission domid is not decimal: perm=\"" + text + "\"");
            }
            domid = domid * 10 + (c - '0');
        }
        return new XsPermission(access, domid);
    }

    /**
     * Parses a list, as {@code XS_GET_PERMS} returns it.
     *
     * @param entries the entries
     * @return the permissions, in order
     * @throws IllegalArgumentException if one entry is malformed
     */
    public static List<XsPermission> parseAll(final List<String> entries) {
        final List<XsPermission> perms = new ArrayList<>(entries.size());
        for (final String e : entries) {
            perms.add(parse(e));
        }
        return List.copyOf(perms);
    }

    /**
     * An entry.
     *
     * @param access what the domain may do
     * @param domid  the domain
     * @return the permission
     */
    public static XsPermission of(final Access access, final int domid) {
        return new XsPermission(access, domid);
    }

    /**
     * The entry as xenstore writes it.
     *
     * @return letter and decimal domid, such as {@code r1}
     */
    @Override
    public String toString() {
        return access.letter() + Integer.toString(domid);
    }
}
