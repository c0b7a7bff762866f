package io.xen4j.console;

/**
 * Node names of the PV console in xenstore ({@code docs/misc/console.txt}) and strict parsers for
 * the values a hostile peer writes there. A parser never throws: anything that is not a plain
 * decimal number in range reads as {@link #INVALID}.
 *
 * <p>The primary console lives in {@code /local/domain/<domid>/console} and its {@code ring-ref}
 * is a guest frame number (the page is also granted as {@code GNTTAB_RESERVED_CONSOLE});
 * secondary consoles live in {@code device/console/<devid>} and their {@code ring-ref} is a grant
 * reference.
 */
public final class ConsoleNodes {
    /** The ring page: a frame number (primary) or a grant reference (secondary). */
    public static final String RING_REF = "ring-ref";
    /** The guest's event-channel port. */
    public static final String PORT = "port";
    /** Which daemon serves the console: {@value #TYPE_XENCONSOLED} or {@code ioemu} (QEMU). */
    public static final String TYPE = "type";
    /** The type this backend serves. */
    public static final String TYPE_XENCONSOLED = "xenconsoled";
    /** The pseudo-terminal the backend opened for the console. */
    public static final String TTY = "tty";
    /** Bytes the backend may buffer for this console (xenconsoled's {@code limit}). */
    public static final String LIMIT = "limit";
    /** The backend's protocol node for secondary consoles. */
    public static final String PROTOCOL = "protocol";
    /** The only protocol there is. */
    public static final String PROTOCOL_VT100 = "vt100";
    /** A secondary console's name. */
    public static final String NAME = "name";
    /** The XenBus device class of secondary consoles. */
    public static final String DEVICE_TYPE = "console";
    /** What the parsers return for a value that is not a number in range. */
    public static final long INVALID = -1;
    /** Largest port of the FIFO event-channel ABI ({@code EVTCHN_FIFO_NR_CHANNELS - 1}). */
    public static final int PORT_MAX = (1 << 17) - 1;
    /** Largest guest frame number accepted (52-bit physical addresses of x86_64). */
    public static final long GFN_MAX = (1L << 40) - 1;
    /** Largest grant reference ({@code grant_ref_t} is 32 bits). */
    public static final long GRANT_REF_MAX = 0xFFFF_FFFFL;

    private ConsoleNodes() {
    }

    /**
     * The primary console directory of a domain.
     *
     * @param domid the domain
     * @return {@code /local/domain/<domid>/console}
     */
    public static String primary(final int domid) {
        return "/local/domain/" + domid + "/console";
    }

    /**
     * A node of the primary console directory.
     *
     * @param domid the domain
     * @param node  for example {@link #RING_REF}
     * @return the absolute path
     */
    public static String primary(final int domid, final String node) {
        return primary(domid) + "/" + node;
    }

    /**
     * Parses an unsigned decimal number written by a peer: 1 to 20 digits, nothing else (no sign,
     * blanks, hex or exponent), at most {@code max}.
     *
     * @param text the value, or null when the node is missing
     * @param max  the largest accepted value
     * @return the number, or {@link #INVALID}
     */
    public static long parseUnsigned(final @org.jspecify.annotations.Nullable String text, final long max) {
        if (text == null || text.isEmpty() || text.length() > 19) {
            return INVALID;
        }
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return INVALID;
            }
        }
        final long v = Long.parseLong(text);
        return v > max ? INVALID : v;
    }

    /**
     * Parses an event-channel port: 1 to {@link #PORT_MAX} (port 0 is never bound).
     *
     * @param text the value, or null
     * @return the port, or {@link #INVALID}
     */
    public static long parsePort(final @org.jspecify.annotations.Nullable String text) {
        final long v = parseUnsigned(text, PORT_MAX);
        return v == 0 ? INVALID : v;
    }

    /**
     * A hostile value for a message: at most 32 characters, control characters escaped, and its length.
     *
     * @param value the value, or null
     * @return a printable excerpt
     */
    static String excerpt(final @org.jspecify.annotations.Nullable String value) {
        if (value == null) {
            return "(missing)";
        }
        final StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < value.length() && i < 32; i++) {
            final char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7F) {
                sb.append(c);
            } else {
                sb.append(String.format("\\x%02x", (int) c & 0xFF));
            }
        }
        return sb.append(value.length() > 32 ? "...\"" : "\"").append(" (").append(value.length()).append(" chars)").toString();
    }
}
