package io.xen4j.balloon;

/**
 * Parsing and clamping of balloon targets, pure. {@code memory/target} and
 * {@code memory/static-max} hold KiB as decimal text, written by the toolstack; a guest treats
 * them as untrusted input: they may be missing, non-numeric, negative, huge or above the maximum.
 */
public final class BalloonTargets {
    /** KiB per 4 KiB page. */
    public static final int KIB_PER_PAGE = 4;
    /** The longest value accepted: 19 digits reach past any real memory size and keep {@code long} math safe. */
    public static final int MAX_DIGITS = 19;
    /** A value that could not be parsed. */
    public static final long INVALID = -1;

    private BalloonTargets() {
    }

    /**
     * Parses a KiB value as the toolstack writes it: decimal digits, optionally surrounded by
     * white space (Linux's {@code %llu} scan tolerates leading blanks), nothing else.
     *
     * @param text the node's value
     * @return the KiB, or {@link #INVALID} for empty, signed, non-decimal or overlong text;
     *         values above what 19 digits hold saturate at {@link Long#MAX_VALUE}
     */
    public static long parseKiB(final String text) {
        final String s = text.strip();
        if (s.isEmpty() || s.length() > 64) {
            return INVALID;
        }
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return INVALID;
            }
        }
        // Leading zeros do not count towards the digit limit.
        int start = 0;
        while (start < s.length() - 1 && s.charAt(start) == '0') {
            start++;
        }
        if (s.length() - start > MAX_DIGITS) {
            return Long.MAX_VALUE;
        }
        try {
            return Long.parseLong(s, start, s.length(), 10);
        } catch (final NumberFormatException e) {
            // 19 digits above Long.MAX_VALUE: huge, as any overlong value.
            return Long.MAX_VALUE;
        }
    }

    /**
     * Why a value was rejected, for the status and the log.
     *
     * @param node the node's name, e.g. {@code "memory/target"}
     * @param text the value
     * @return a message naming the node and quoting at most 32 characters of the value, each
     *         outside printable ASCII (and each double quote) shown as {@code ?}
     */
    public static String rejection(final String node, final String text) {
        // The value is the peer's: show at most 32 characters of it, printable ASCII only, so a
        // hostile value can neither flood nor forge log lines.
        final StringBuilder shown = new StringBuilder(40);
        final int n = Math.min(text.length(), 32);
        for (int i = 0; i < n; i++) {
            final char c = text.charAt(i);
            shown.append(c >= 0x20 && c < 0x7F && c != '"' ? c : '?');
        }
        if (text.length() > n) {
            shown.append("...");
        }
        return "ignored " + node + " \"" + shown + "\": not a decimal KiB count";
    }

    /**
     * Pages for a KiB count, rounded down as Linux does ({@code target >> (PAGE_SHIFT - 10)}).
     *
     * @param kib a non-negative KiB count
     * @return the pages
     */
    public static long kibToPages(final long kib) {
        return kib / KIB_PER_PAGE;
    }

    /**
     * KiB for a page count, saturating.
     *
     * @param pages a non-negative page count
     * @return the KiB
     */
    public static long pagesToKiB(final long pages) {
        return pages > Long.MAX_VALUE / KIB_PER_PAGE ? Long.MAX_VALUE : pages * KIB_PER_PAGE;
    }

    /**
     * The target the balloon works towards: the requested pages clamped to the floor and to the
     * lowest of the ceilings.
     *
     * @param requestedPages  what the toolstack asked for
     * @param minimumPages    the floor below which the guest never balloons
     * @param staticMaxPages  {@code memory/static-max} in pages, or {@link Long#MAX_VALUE} when unknown
     * @param maxReservation  the hypervisor's maximum reservation for the domain
     * @return the clamped target
     */
    public static long clamp(final long requestedPages, final long minimumPages, final long staticMaxPages,
                             final long maxReservation) {
        final long ceiling = Math.min(staticMaxPages, maxReservation);
        final long floor = Math.min(minimumPages, ceiling);
        return Math.max(floor, Math.min(requestedPages, ceiling));
    }
}
