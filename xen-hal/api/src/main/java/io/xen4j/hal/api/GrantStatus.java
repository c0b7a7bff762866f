package io.xen4j.hal.api;

/**
 * Names of the {@code GNTST_*} statuses of {@code xen/grant_table.h}, for messages and for the
 * per-segment status of a {@link GrantCopyBatch}.
 */
public final class GrantStatus {
    /** {@code GNTST_okay}: normal return. */
    public static final int OKAY = 0;
    /** {@code GNTST_general_error}: the grant entry's type, domain or access does not allow it. */
    public static final int GENERAL_ERROR = -1;
    /** {@code GNTST_bad_domain}: unknown or dying domain. */
    public static final int BAD_DOMAIN = -2;
    /** {@code GNTST_bad_gntref}: reference outside the grant table. */
    public static final int BAD_GNTREF = -3;
    /** {@code GNTST_bad_handle}: unknown map handle. */
    public static final int BAD_HANDLE = -4;
    /** {@code GNTST_permission_denied}: not enough privilege. */
    public static final int PERMISSION_DENIED = -8;
    /** {@code GNTST_bad_page}: the granted frame is not a valid page of the granter. */
    public static final int BAD_PAGE = -9;
    /** {@code GNTST_bad_copy_arg}: a copy segment crosses a page boundary. */
    public static final int BAD_COPY_ARG = -10;
    /** {@code GNTST_eagain}: not done; try again. */
    public static final int EAGAIN = -12;
    /** {@code GNTST_no_space}: out of space (map handles). */
    public static final int NO_SPACE = -13;

    private static final String[] NAMES = {
        "GNTST_okay", "GNTST_general_error", "GNTST_bad_domain", "GNTST_bad_gntref", "GNTST_bad_handle",
        "GNTST_bad_virt_addr", "GNTST_bad_dev_addr", "GNTST_no_device_space", "GNTST_permission_denied",
        "GNTST_bad_page", "GNTST_bad_copy_arg", "GNTST_address_too_big", "GNTST_eagain", "GNTST_no_space",
    };

    private GrantStatus() {
    }

    /**
     * The C name of a status.
     *
     * @param status a {@code GNTST_*} value
     * @return e.g. {@code "GNTST_bad_gntref"}, or {@code "GNTST(-42)"} for an unknown value
     */
    public static String name(final int status) {
        return status <= 0 && -status < NAMES.length ? NAMES[-status] : "GNTST(" + status + ")";
    }

    /**
     * The C name and value of a status, for messages.
     *
     * @param status a {@code GNTST_*} value
     * @return e.g. {@code "GNTST_bad_gntref (-3)"}
     */
    public static String describe(final int status) {
        return name(status) + " (" + status + ")";
    }
}
