package io.xen4j.xenbus;

/**
 * What a driver must do after a peer's state change, as decided by a pure state machine. The
 * driver does the work, then writes {@link FrontendStateMachine#state()} (or the backend's) to
 * its {@code state} node.
 */
public enum XenbusAction {
    /** Nothing: the change needs no work (a repeated state, or a transient one). */
    NONE,
    /** Frontend: allocate rings and event channels, publish them, then go Initialised. */
    SETUP,
    /** Connect: the frontend reads the backend's features; the backend maps the rings. */
    CONNECT,
    /** Tear down rings and grants; in-flight requests are kept for a later reconnection. */
    DISCONNECT,
    /** The peer is back after a disconnect: start the handshake again from the beginning. */
    RESTART
}
