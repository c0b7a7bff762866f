package io.xen4j.xenbus;

import io.xen4j.abi.xenbus.XenbusState;
import io.xen4j.store.XenStoreException;
import io.xen4j.store.XsOperations;

/**
 * Reads and writes the {@code state} node of a device directory. The peer's node is hostile
 * text: it is parsed strictly and anything that is not one of the {@code XenbusState} numbers
 * reads as {@link #INVALID}, never as an exception.
 */
public final class XenbusStates {
    /** What {@link #parse} returns for text that is not a state number. */
    public static final int INVALID = -1;

    private XenbusStates() {
    }

    /**
     * Parses a state node's text: one to two decimal digits naming a state of
     * {@link XenbusState}.
     *
     * @param text the node's value
     * @return the state, or {@link #INVALID}
     */
    public static int parse(final String text) {
        final String t = text.trim();
        // Bounded length before parsing: a peer may write up to 4096 bytes here.
        if (t.isEmpty() || t.length() > 2 || !t.chars().allMatch(Character::isDigit)) {
            return INVALID;
        }
        final int state = Integer.parseInt(t);
        return XenbusState.isValid(state) ? state : INVALID;
    }

    /**
     * Reads the {@code state} node under a directory, as {@code xenbus_read_driver_state}: a
     * missing node reads as {@code XenbusStateUnknown} (the device is gone).
     *
     * @param store     the connection or transaction
     * @param directory the device directory
     * @return the state, {@code XENBUS_STATE_UNKNOWN} when missing, {@link #INVALID} when garbled
     * @throws XenStoreException on errors other than {@code ENOENT}
     */
    public static int read(final XsOperations store, final String directory) {
        try {
            return parse(store.read(directory + "/state"));
        } catch (final XenStoreException e) {
            if (e.is("ENOENT")) {
                return XenbusState.XENBUS_STATE_UNKNOWN;
            }
            throw e;
        }
    }

    /**
     * Writes the {@code state} node under a directory ({@code xenbus_switch_state}).
     *
     * @param store     the connection or transaction
     * @param directory the device directory
     * @param state     one of the {@link XenbusState} numbers
     */
    public static void write(final XsOperations store, final String directory, final int state) {
        if (!XenbusState.isValid(state)) {
            throw new IllegalArgumentException("xenbus " + directory + ": state=" + state + " is not a XenbusState");
        }
        store.write(directory + "/state", Integer.toString(state));
    }
}
