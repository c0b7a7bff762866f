package io.xen4j.xenbus;

import io.xen4j.abi.xenbus.XenbusState;

/**
 * The frontend side of the XenBus handshake as a pure, idempotent switch over the backend's
 * state (the shape of Linux's {@code blkback_changed}): every state has a case, and a state seen
 * twice does nothing the second time. It holds the frontend's own state and never touches
 * xenstore; the driver performs the returned {@link XenbusAction} and publishes {@link #state()}.
 *
 * <p>Sequence: Initialising; backend InitWait gives {@link XenbusAction#SETUP} and Initialised;
 * backend Connected gives {@link XenbusAction#CONNECT} and Connected; backend Closing or Closed
 * gives {@link XenbusAction#DISCONNECT}; a backend that comes back (Initialising or InitWait after
 * a disconnect, or while connected) gives {@link XenbusAction#RESTART} and the frontend starts
 * over; the driver then tears down whatever rings it still has.
 */
public final class FrontendStateMachine {
    private int state = XenbusState.XENBUS_STATE_INITIALISING;

    /** Creates a frontend in Initialising. */
    public FrontendStateMachine() {
    }

    /**
     * The frontend's own state, to publish in its {@code state} node.
     *
     * @return a {@link XenbusState} number
     */
    public int state() {
        return state;
    }

    /**
     * Whether the handshake completed and the rings may be used.
     *
     * @return true in Connected
     */
    public boolean isConnected() {
        return state == XenbusState.XENBUS_STATE_CONNECTED;
    }

    /**
     * Decides what to do about the backend's state.
     *
     * @param backendState the backend's state node, or {@link XenbusStates#INVALID}
     * @return the action; the frontend's own state has already moved
     */
    public XenbusAction onBackendState(final int backendState) {
        switch (backendState) {
            case XenbusState.XENBUS_STATE_INITIALISING:
            case XenbusState.XENBUS_STATE_INIT_WAIT:
                if (state == XenbusState.XENBUS_STATE_INITIALISING && backendState == XenbusState.XENBUS_STATE_INIT_WAIT) {
                    state = XenbusState.XENBUS_STATE_INITIALISED;
                    return XenbusAction.SETUP;
                }
                if (state == XenbusState.XENBUS_STATE_CLOSED || state == XenbusState.XENBUS_STATE_CLOSING
                    || state == XenbusState.XENBUS_STATE_CONNECTED) {
                    // The backend restarted (perhaps so fast that its Closed was never seen): tear
                    // down what is left and start over; SETUP follows when it reaches InitWait.
                    state = XenbusState.XENBUS_STATE_INITIALISING;
                    return XenbusAction.RESTART;
                }
                return XenbusAction.NONE;
            case XenbusState.XENBUS_STATE_INITIALISED:
            case XenbusState.XENBUS_STATE_RECONFIGURING:
            case XenbusState.XENBUS_STATE_RECONFIGURED:
                // Transient backend states: nothing for a frontend to do.
                return XenbusAction.NONE;
            case XenbusState.XENBUS_STATE_CONNECTED:
                if (state == XenbusState.XENBUS_STATE_INITIALISED) {
                    state = XenbusState.XENBUS_STATE_CONNECTED;
                    return XenbusAction.CONNECT;
                }
                // Repeated Connected, or Connected before our rings exist: no-op.
                return XenbusAction.NONE;
            case XenbusState.XENBUS_STATE_CLOSING:
            case XenbusState.XENBUS_STATE_CLOSED:
            case XenbusState.XENBUS_STATE_UNKNOWN:
                if (state == XenbusState.XENBUS_STATE_CLOSED) {
                    return XenbusAction.NONE;
                }
                final boolean hadRings = state != XenbusState.XENBUS_STATE_INITIALISING;
                state = XenbusState.XENBUS_STATE_CLOSED;
                return hadRings ? XenbusAction.DISCONNECT : XenbusAction.NONE;
            default:
                // A garbled state node: treat as gone, like xenbus_read_driver_state.
                if (state == XenbusState.XENBUS_STATE_CLOSED) {
                    return XenbusAction.NONE;
                }
                state = XenbusState.XENBUS_STATE_CLOSED;
                return XenbusAction.DISCONNECT;
        }
    }

    /**
     * The frontend itself closes (device removal).
     *
     * @return {@link XenbusAction#DISCONNECT} unless already closed
     */
    public XenbusAction close() {
        if (state == XenbusState.XENBUS_STATE_CLOSED) {
            return XenbusAction.NONE;
        }
        state = XenbusState.XENBUS_STATE_CLOSED;
        return XenbusAction.DISCONNECT;
    }
}
