package io.xen4j.abi.grant;

import org.jspecify.annotations.Nullable;

/**
 * The {@code GNTST_*} status codes of the grant-table operations with the messages of
 * {@code GNTTABOP_error_msgs}, which the header indexes by the negated code.
 *
 * <pre>{@code
 * #define GNTTABOP_error_msgs {                   \
 *     "okay",                                     \
 *     "undefined error",                          \
 *     ...
 *     "out of space",                             \
 * }
 * }</pre>
 */
public enum GrantStatus {
    /** {@code GNTST_okay}: normal return. */
    OKAY(GrantTable.GNTST_OKAY, "okay"),
    /** {@code GNTST_general_error}: general undefined error. */
    GENERAL_ERROR(GrantTable.GNTST_GENERAL_ERROR, "undefined error"),
    /** {@code GNTST_bad_domain}: unrecognised domain id. */
    BAD_DOMAIN(GrantTable.GNTST_BAD_DOMAIN, "unrecognised domain id"),
    /** {@code GNTST_bad_gntref}: unrecognised or inappropriate grant reference. */
    BAD_GNTREF(GrantTable.GNTST_BAD_GNTREF, "invalid grant reference"),
    /** {@code GNTST_bad_handle}: unrecognised or inappropriate mapping handle. */
    BAD_HANDLE(GrantTable.GNTST_BAD_HANDLE, "invalid mapping handle"),
    /** {@code GNTST_bad_virt_addr}: inappropriate virtual address to map. */
    BAD_VIRT_ADDR(GrantTable.GNTST_BAD_VIRT_ADDR, "invalid virtual address"),
    /** {@code GNTST_bad_dev_addr}: inappropriate device address to unmap. */
    BAD_DEV_ADDR(GrantTable.GNTST_BAD_DEV_ADDR, "invalid device address"),
    /** {@code GNTST_no_device_space}: out of space in the I/O MMU. */
    NO_DEVICE_SPACE(GrantTable.GNTST_NO_DEVICE_SPACE, "no spare translation slot in the I/O MMU"),
    /** {@code GNTST_permission_denied}: not enough privilege for the operation. */
    PERMISSION_DENIED(GrantTable.GNTST_PERMISSION_DENIED, "permission denied"),
    /** {@code GNTST_bad_page}: the page is not valid for the operation. */
    BAD_PAGE(GrantTable.GNTST_BAD_PAGE, "bad page"),
    /** {@code GNTST_bad_copy_arg}: the copy arguments cross a page boundary. */
    BAD_COPY_ARG(GrantTable.GNTST_BAD_COPY_ARG, "copy arguments cross page boundary"),
    /** {@code GNTST_address_too_big}: the transferred page's address is too large. */
    ADDRESS_TOO_BIG(GrantTable.GNTST_ADDRESS_TOO_BIG, "page address size too large"),
    /** {@code GNTST_eagain}: the operation was not done; try again. */
    EAGAIN(GrantTable.GNTST_EAGAIN, "operation not done; try again"),
    /** {@code GNTST_no_space}: out of space (handles and the like). */
    NO_SPACE(GrantTable.GNTST_NO_SPACE, "out of space");

    // Indexed by -code, as GNTTABOP_error_msgs is (the constants are declared in that order; a test
    // checks it); one copy so that lookups allocate nothing.
    private static final GrantStatus[] BY_NEGATED_CODE = values();

    private final int code;
    private final String message;

    GrantStatus(final int code, final String message) {
        this.code = code;
        this.message = message;
    }

    /**
     * The {@code GNTST_*} code, as in a {@code status} field.
     *
     * @return 0 or a negative number
     */
    public int code() {
        return code;
    }

    /**
     * The header's message for this status.
     *
     * @return for example {@code "invalid grant reference"}
     */
    public String message() {
        return message;
    }

    /**
     * Whether this is {@link #OKAY}.
     *
     * @return true for success
     */
    public boolean isOkay() {
        return this == OKAY;
    }

    /**
     * The status with {@code code}.
     *
     * @param code a {@code status} value read from an operation structure
     * @return the status, or {@code null} for a code the header does not define
     */
    public static @Nullable GrantStatus fromCode(final int code) {
        // code <= 0 first: -Integer.MIN_VALUE overflows to itself.
        return code <= 0 && code > -BY_NEGATED_CODE.length ? BY_NEGATED_CODE[-code] : null;
    }

    /**
     * A message for any {@code status} value, for error reports: the header's message and the
     * code, or the code alone when the header does not define it.
     *
     * @param code a {@code status} value read from an operation structure
     * @return for example {@code "invalid grant reference (GNTST -3)"} or {@code "unknown grant status -99"}
     */
    public static String describe(final int code) {
        final GrantStatus status = fromCode(code);
        return status != null ? status.message + " (GNTST " + code + ")" : "unknown grant status " + code;
    }
}
