package io.xen4j.control;

/**
 * Paths of the control nodes of one domain, as libxl creates them.
 */
public final class ControlNodes {
    /** The node holding a shutdown request. */
    public static final String SHUTDOWN = "shutdown";
    /** The node holding a SysRq key. */
    public static final String SYSRQ = "sysrq";
    /** The node a guest writes {@code 1} to when it handles SysRq keys. */
    public static final String FEATURE_SYSRQ = "feature-sysrq";
    /** Most characters of a hostile value quoted in a message. */
    static final int EXCERPT = 32;

    private ControlNodes() {
    }

    /**
     * The control directory of a domain.
     *
     * @param domid the domain
     * @return {@code /local/domain/<domid>/control}
     */
    public static String directory(final int domid) {
        if (domid < 0 || domid > 0xFFFF) {
            throw new IllegalArgumentException("control: domid=" + domid + " must be 0..65535");
        }
        return "/local/domain/" + domid + "/control";
    }

    /**
     * A node of the control directory.
     *
     * @param domid the domain
     * @param node  for example {@link #SHUTDOWN}
     * @return the absolute path
     */
    public static String path(final int domid, final String node) {
        return directory(domid) + "/" + node;
    }

    /**
     * A hostile value for a message: at most {@value #EXCERPT} characters, control characters
     * escaped, and its length.
     *
     * @param value the value
     * @return a printable excerpt
     */
    static String excerpt(final String value) {
        final StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < value.length() && i < EXCERPT; i++) {
            final char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7F) {
                sb.append(c);
            } else {
                sb.append(String.format("\\x%02x", (int) c & 0xFF));
            }
        }
        sb.append(value.length() > EXCERPT ? "...\"" : "\"");
        return sb.append(" (").append(value.length()).append(" chars)").toString();
    }
}
