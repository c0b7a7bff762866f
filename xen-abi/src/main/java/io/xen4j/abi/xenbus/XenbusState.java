package io.xen4j.abi.xenbus;

/**
 * The states of {@code enum xenbus_state} in {@code xen/io/xenbus.h}: what each end of a split
 * device writes, as a decimal number, to its {@code state} node in xenstore.
 *
 * <p>The C names are CamelCase ({@code XenbusStateInitWait}); the Java constants are the same
 * words in upper snake case ({@code XENBUS_STATE_INIT_WAIT}). A state is read from a node the
 * peer writes, so it can be any number: check it with {@link #isValid(int)} before acting on it.
 *
 * <pre>{@code
 * enum xenbus_state {
 *     XenbusStateUnknown       = 0,
 *     XenbusStateInitialising  = 1,
 *     XenbusStateInitWait      = 2,  // early init done, waiting for the peer or hotplug scripts
 *     XenbusStateInitialised   = 3,  // waiting for a connection from the peer
 *     XenbusStateConnected     = 4,
 *     XenbusStateClosing       = 5,  // closing because of an error or an unplug event
 *     XenbusStateClosed        = 6,
 *     XenbusStateReconfiguring = 7,
 *     XenbusStateReconfigured  = 8
 * };
 * typedef enum xenbus_state XenbusState;
 * }</pre>
 */
public final class XenbusState {
    /** {@code XenbusStateUnknown}: no state node yet, or the device is gone. */
    public static final int XENBUS_STATE_UNKNOWN = 0;
    /** {@code XenbusStateInitialising}: the end is setting itself up. */
    public static final int XENBUS_STATE_INITIALISING = 1;
    /** {@code XenbusStateInitWait}: early initialisation done, waiting for the peer or hotplug scripts. */
    public static final int XENBUS_STATE_INIT_WAIT = 2;
    /** {@code XenbusStateInitialised}: ready, waiting for a connection from the peer. */
    public static final int XENBUS_STATE_INITIALISED = 3;
    /** {@code XenbusStateConnected}: the device is in use. */
    public static final int XENBUS_STATE_CONNECTED = 4;
    /** {@code XenbusStateClosing}: the device is being closed because of an error or an unplug event. */
    public static final int XENBUS_STATE_CLOSING = 5;
    /** {@code XenbusStateClosed}: the end has let go of the device. */
    public static final int XENBUS_STATE_CLOSED = 6;
    /** {@code XenbusStateReconfiguring}: the device is being reconfigured. */
    public static final int XENBUS_STATE_RECONFIGURING = 7;
    /** {@code XenbusStateReconfigured}: reconfiguration is done. */
    public static final int XENBUS_STATE_RECONFIGURED = 8;

    // Indexed by state; the C names, as drivers and xenstore-ls users know them.
    private static final String[] C_NAMES = {
        "XenbusStateUnknown",
        "XenbusStateInitialising",
        "XenbusStateInitWait",
        "XenbusStateInitialised",
        "XenbusStateConnected",
        "XenbusStateClosing",
        "XenbusStateClosed",
        "XenbusStateReconfiguring",
        "XenbusStateReconfigured",
    };

    private XenbusState() {
    }

    /**
     * Whether {@code state} is one of the states of the header.
     *
     * @param state a number read from a {@code state} node
     * @return true for {@value #XENBUS_STATE_UNKNOWN}..{@value #XENBUS_STATE_RECONFIGURED}
     */
    public static boolean isValid(final int state) {
        return state >= XENBUS_STATE_UNKNOWN && state <= XENBUS_STATE_RECONFIGURED;
    }

    /**
     * The C name of a state, for messages and logs.
     *
     * @param state a state, valid or not
     * @return for example {@code "XenbusStateConnected"}, or {@code "invalid xenbus state=42"}
     */
    public static String cName(final int state) {
        return isValid(state) ? C_NAMES[state] : "invalid xenbus state=" + state;
    }
}
