package io.xen4j.hal.memory.xenstore;

import io.xen4j.abi.xenstore.XsWire;

/**
 * Path rules of xenstore ({@code docs/misc/xenstore.txt}): which paths are valid, how a relative
 * path becomes absolute, parents, base names, and which watch a path matches.
 */
final class XsPaths {
    /** Home of every domain: {@code /local/domain/<domid>}. */
    static final String DOMAIN_ROOT = "/local/domain/";
    /** Special watch path fired when a domain is introduced. */
    static final String INTRODUCE_DOMAIN = "@introduceDomain";
    /** Special watch path fired when a domain is released or destroyed. */
    static final String RELEASE_DOMAIN = "@releaseDomain";

    private XsPaths() {
    }

    /**
     * The home path of a domain.
     *
     * @param domid domain id
     * @return {@code /local/domain/<domid>}
     */
    static String home(final int domid) {
        return DOMAIN_ROOT + domid;
    }

    /**
     * Turns a path as a client sent it into the absolute one: relative paths are below the
     * connection's home; absolute and special ({@code @...}) paths stay as they are.
     */
    static String canonical(final String home, final String path) {
        if (path.startsWith("/") || path.startsWith("@")) {
            return path;
        }
        return home + "/" + path;
    }

    /**
     * Whether {@code path} names a node: starts with {@code /}, no trailing {@code /} except for
     * the root, no {@code //}, only {@code [A-Za-z0-9-/_@]}, at most
     * {@link XsWire#XENSTORE_ABS_PATH_MAX} bytes, and at most {@code relativeMax} bytes below a
     * domain's home (XSA-323: the limit is checked on the canonical path).
     */
    static boolean isValid(final String path, final int relativeMax) {
        final int length = path.length();
        if (length == 0 || path.charAt(0) != '/') {
            return false;
        }
        if (length > XsWire.XENSTORE_ABS_PATH_MAX) {
            return false;
        }
        if (length > 1 && path.charAt(length - 1) == '/') {
            return false;
        }
        char previous = 0;
        for (int i = 0; i < length; i++) {
            final char c = path.charAt(i);
            if (!validChar(c) || (c == '/' && previous == '/')) {
                return false;
            }
            previous = c;
        }
        final int homePrefix = homePrefixLength(path);
        return homePrefix == 0 || length - homePrefix <= relativeMax;
    }

    private static boolean validChar(final char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '-' || c == '/' || c == '_' || c == '@';
    }

    /**
     * Length of a leading {@code /local/domain/<1..5 digits>/}, as C xenstored's
     * {@code sscanf("/local/domain/%5u/")} finds it, or 0.
     */
    static int homePrefixLength(final String path) {
        if (!path.startsWith(DOMAIN_ROOT)) {
            return 0;
        }
        int i = DOMAIN_ROOT.length();
        final int digitsStart = i;
        while (i < path.length() && i - digitsStart < 5 && Character.isDigit(path.charAt(i))) {
            i++;
        }
        if (i == digitsStart || i >= path.length() || path.charAt(i) != '/') {
            return 0;
        }
        return i + 1;
    }

    /**
     * The parent of a valid path other than the root; the parent of {@code /a} is {@code /}.
     */
    static String parent(final String path) {
        final int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    /** The last element of a valid path other than the root. */
    static String baseName(final String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The path of child {@code name} of {@code parent}. */
    static String child(final String parent, final String name) {
        return "/".equals(parent) ? "/" + name : parent + "/" + name;
    }

    /**
     * Whether an event on {@code path} matches a watch on {@code watched}: the same path or one
     * below it. A watch on the root matches everything, special events included, as in C.
     */
    static boolean isChild(final String path, final String watched) {
        if ("/".equals(watched)) {
            return true;
        }
        if (!path.startsWith(watched)) {
            return false;
        }
        return path.length() == watched.length() || path.charAt(watched.length()) == '/';
    }

    /** Whether the path is a special watch path ({@code @...}). */
    static boolean isSpecial(final String path) {
        return !path.isEmpty() && path.charAt(0) == '@';
    }
}
