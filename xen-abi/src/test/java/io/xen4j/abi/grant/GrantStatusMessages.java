package io.xen4j.abi.grant;

/**
 * The {@link GrantStatus} messages as constants, so that the checker compares each with its entry of
 * {@code GNTTABOP_error_msgs} (see {@code grant_table.spec}).
 */
public final class GrantStatusMessages {
    /** Number of {@link GrantStatus} constants, against the number of strings in {@code GNTTABOP_error_msgs}. */
    public static final int COUNT = GrantStatus.values().length;
    /** Message of {@link GrantStatus#OKAY}. */
    public static final String OKAY = checked(GrantStatus.OKAY);
    /** Message of {@link GrantStatus#GENERAL_ERROR}. */
    public static final String GENERAL_ERROR = checked(GrantStatus.GENERAL_ERROR);
    /** Message of {@link GrantStatus#BAD_DOMAIN}. */
    public static final String BAD_DOMAIN = checked(GrantStatus.BAD_DOMAIN);
    /** Message of {@link GrantStatus#BAD_GNTREF}. */
    public static final String BAD_GNTREF = checked(GrantStatus.BAD_GNTREF);
    /** Message of {@link GrantStatus#BAD_HANDLE}. */
    public static final String BAD_HANDLE = checked(GrantStatus.BAD_HANDLE);
    /** Message of {@link GrantStatus#BAD_VIRT_ADDR}. */
    public static final String BAD_VIRT_ADDR = checked(GrantStatus.BAD_VIRT_ADDR);
    /** Message of {@link GrantStatus#BAD_DEV_ADDR}. */
    public static final String BAD_DEV_ADDR = checked(GrantStatus.BAD_DEV_ADDR);
    /** Message of {@link GrantStatus#NO_DEVICE_SPACE}. */
    public static final String NO_DEVICE_SPACE = checked(GrantStatus.NO_DEVICE_SPACE);
    /** Message of {@link GrantStatus#PERMISSION_DENIED}. */
    public static final String PERMISSION_DENIED = checked(GrantStatus.PERMISSION_DENIED);
    /** Message of {@link GrantStatus#BAD_PAGE}. */
    public static final String BAD_PAGE = checked(GrantStatus.BAD_PAGE);
    /** Message of {@link GrantStatus#BAD_COPY_ARG}. */
    public static final String BAD_COPY_ARG = checked(GrantStatus.BAD_COPY_ARG);
    /** Message of {@link GrantStatus#ADDRESS_TOO_BIG}. */
    public static final String ADDRESS_TOO_BIG = checked(GrantStatus.ADDRESS_TOO_BIG);
    /** Message of {@link GrantStatus#EAGAIN}. */
    public static final String EAGAIN = checked(GrantStatus.EAGAIN);
    /** Message of {@link GrantStatus#NO_SPACE}. */
    public static final String NO_SPACE = checked(GrantStatus.NO_SPACE);

    private GrantStatusMessages() {
    }

    /** The message of a status. */
    static String checked(final GrantStatus status) {
        return status.message();
    }
}
