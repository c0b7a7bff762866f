package io.xen4j.console;

/**
 * Names one console a backend serves: a domain's primary console or one of its secondary consoles.
 *
 * @param domid the guest
 * @param devid {@link #PRIMARY} for the primary console, else the XenBus device number
 */
public record ConsoleId(int domid, int devid) {
    /** The {@code devid} of a primary console. */
    public static final int PRIMARY = -1;

    /**
     * Checks the parts.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public ConsoleId {
        if (domid < 0 || domid > 0xFFFF) {
            throw new IllegalArgumentException("console: domid=" + domid + " must be 0..65535");
        }
        if (devid < PRIMARY) {
            throw new IllegalArgumentException("console: devid=" + devid + " must be >= 0, or PRIMARY");
        }
    }

    /**
     * The primary console of a domain.
     *
     * @param domid the guest
     * @return its id
     */
    public static ConsoleId primary(final int domid) {
        return new ConsoleId(domid, PRIMARY);
    }

    /**
     * Whether this is a primary console.
     *
     * @return true for {@link #PRIMARY}
     */
    public boolean isPrimary() {
        return devid == PRIMARY;
    }

    /**
     * A short name for messages and file names: {@code dom5}, or {@code dom5-console1}.
     *
     * @return the name
     */
    public String name() {
        return isPrimary() ? "dom" + domid : "dom" + domid + "-console" + devid;
    }
}
