package io.xen4j.xenbus;

import io.xen4j.abi.xenbus.XenbusState;

/**
 * The backend side of the XenBus handshake as a pure, idempotent switch over the frontend's
 * state (the shape of Linux's blkback {@code frontend_changed}): every state has a case and a
 * repeated state does nothing.
 *
 * <p>Sequence: the backend publishes its features and goes InitWait ({@link #advertise()});
 * frontend Initialised gives {@link XenbusAction#CONNECT} and Connected; frontend
 * Closing gives {@link XenbusAction#DISCONNECT} and Closing, frontend Closed or a removed node
 * gives DISCONNECT and Closed (in InitWait, before any connection, they are a frontend still
 * closed from a previous backend and change nothing); a frontend that starts again
 * (Initialising) after a close gives {@link XenbusAction#RESTART} and InitWait.
 */
public final class BackendStateMachine {
    private int state = XenbusState.XENBUS_STATE_INITIALISING;

    /** Creates a backend in Initialising. */
    public BackendStateMachine() {
    }

    /**
     * The backend's own state, to publish in its {@code state} node.
     *
     * @return a {@link XenbusState} number
     */
    public int state() {
        return state;
    }

    /**
     * Whether the rings are mapped and requests may be served.
     *
     * @return true in Connected
     */
    public boolean isConnected() {
        return state == XenbusState.XENBUS_STATE_CONNECTED;
    }

    /**
     * The backend has written its features: it waits for the frontend.
     */
    public void advertise() {
        state = XenbusState.XENBUS_STATE_INIT_WAIT;
    }

    /**
     * Decides what to do about the frontend's state.
     *
     * @param frontendState the frontend's state node, or {@link XenbusStates#INVALID}
     * @return the action; the backend's own state has already moved
     */
    public XenbusAction onFrontendState(final int frontendState) {
        switch (frontendState) {
            case XenbusState.XENBUS_STATE_INITIALISING:
                if (state == XenbusState.XENBUS_STATE_CLOSED || state == XenbusState.XENBUS_STATE_CLOSING) {
                    state = XenbusState.XENBUS_STATE_INIT_WAIT;
                    return XenbusAction.RESTART;
                }
                return XenbusAction.NONE;
            case XenbusState.XENBUS_STATE_INIT_WAIT:
            case XenbusState.XENBUS_STATE_RECONFIGURING:
            case XenbusState.XENBUS_STATE_RECONFIGURED:
                return XenbusAction.NONE;
            case XenbusState.XENBUS_STATE_INITIALISED:
                if (state == XenbusState.XENBUS_STATE_INIT_WAIT) {
                    state = XenbusState.XENBUS_STATE_CONNECTED;
                    return XenbusAction.CONNECT;
                }
                // Already connected (a repeated state), or not yet advertised: no-op.
                return XenbusAction.NONE;
            case XenbusState.XENBUS_STATE_CONNECTED:
                // A frontend only gets to Connected after this backend did, so Connected seen from
                // InitWait is a frontend of a previous backend instance, whose ring indices are
                // not ours: wait until it sees our InitWait and sets up afresh.
                return XenbusAction.NONE;
            case XenbusState.XENBUS_STATE_CLOSING:
                if (state == XenbusState.XENBUS_STATE_CLOSING || state == XenbusState.XENBUS_STATE_CLOSED) {
                    return XenbusAction.NONE;
                }
                state = XenbusState.XENBUS_STATE_CLOSING;
                return XenbusAction.DISCONNECT;
            case XenbusState.XENBUS_STATE_CLOSED:
            case XenbusState.XENBUS_STATE_UNKNOWN:
            default:
                // Closed, removed, or garbled: disconnect once and stay closed.
                if (state == XenbusState.XENBUS_STATE_CLOSED) {
                    return XenbusAction.NONE;
                }
                if (state == XenbusState.XENBUS_STATE_INIT_WAIT) {
                    // Nothing was connected: as a Connected frontend seen from InitWait, a Closed
                    // one is a frontend that closed with a previous backend instance (whose domain
                    // died) and has not started over for this one yet. Staying in InitWait keeps
                    // the published state true, and its next Initialised connects even when the
                    // watch folded the Initialising before it into one event; going Closed here
                    // (unpublished) waited for an Initialising that a folded watch never shows.
                    return XenbusAction.NONE;
                }
                // From Closing the rings are already gone: only a connected backend has work to undo.
                final boolean wasUp = state == XenbusState.XENBUS_STATE_CONNECTED;
                state = XenbusState.XENBUS_STATE_CLOSED;
                return wasUp ? XenbusAction.DISCONNECT : XenbusAction.NONE;
        }
    }

    /**
     * The backend itself goes away.
     *
     * @return {@link XenbusAction#DISCONNECT} unless already closed
     */
    public XenbusAction close() {
        if (state == XenbusState.XENBUS_STATE_CLOSED) {
            return XenbusAction.NONE;
        }
        // From Closing the rings are already gone: only a connected backend has work to undo.
        final boolean wasUp = state == XenbusState.XENBUS_STATE_CONNECTED;
        state = XenbusState.XENBUS_STATE_CLOSED;
        return wasUp ? XenbusAction.DISCONNECT : XenbusAction.NONE;
    }
}
