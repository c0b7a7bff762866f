package io.xen4j.xenbus;

import static io.xen4j.abi.xenbus.XenbusState.XENBUS_STATE_CLOSED;
import static io.xen4j.abi.xenbus.XenbusState.XENBUS_STATE_CLOSING;
import static io.xen4j.abi.xenbus.XenbusState.XENBUS_STATE_CONNECTED;
import static io.xen4j.abi.xenbus.XenbusState.XENBUS_STATE_INITIALISED;
import static io.xen4j.abi.xenbus.XenbusState.XENBUS_STATE_INITIALISING;
import static io.xen4j.abi.xenbus.XenbusState.XENBUS_STATE_INIT_WAIT;
import static io.xen4j.abi.xenbus.XenbusState.XENBUS_STATE_UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pure handshakes: the normal sequence, idempotence, every state, restart. */
final class XenbusStateMachineTest {
    @Test
    void frontendAndBackendHandshakeToConnected() {
        final FrontendStateMachine fe = new FrontendStateMachine();
        final BackendStateMachine be = new BackendStateMachine();
        be.advertise();
        assertEquals(XenbusAction.NONE, be.onFrontendState(fe.state()));
        assertEquals(XenbusAction.SETUP, fe.onBackendState(be.state()));
        assertEquals(XenbusAction.CONNECT, be.onFrontendState(fe.state()));
        assertEquals(XenbusAction.CONNECT, fe.onBackendState(be.state()));
        assertTrue(fe.isConnected());
        assertTrue(be.isConnected());
    }

    @Test
    void aRepeatedConnectedIsANoOp() {
        final FrontendStateMachine fe = new FrontendStateMachine();
        fe.onBackendState(XENBUS_STATE_INIT_WAIT);
        assertEquals(XenbusAction.CONNECT, fe.onBackendState(XENBUS_STATE_CONNECTED));
        assertEquals(XenbusAction.NONE, fe.onBackendState(XENBUS_STATE_CONNECTED));
        final BackendStateMachine be = new BackendStateMachine();
        be.advertise();
        assertEquals(XenbusAction.CONNECT, be.onFrontendState(XENBUS_STATE_INITIALISED));
        assertEquals(XenbusAction.NONE, be.onFrontendState(XENBUS_STATE_CONNECTED));
        assertEquals(XenbusAction.NONE, be.onFrontendState(XENBUS_STATE_INITIALISED));
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1000})
    void everyStateHasACaseOnBothSidesAndRepeatingItChangesNothing(final int peer) {
        final FrontendStateMachine fe = new FrontendStateMachine();
        fe.onBackendState(peer);
        final int feState = fe.state();
        assertEquals(XenbusAction.NONE, fe.onBackendState(peer), "frontend repeat of " + peer);
        assertEquals(feState, fe.state());
        final BackendStateMachine be = new BackendStateMachine();
        be.advertise();
        be.onFrontendState(peer);
        final int beState = be.state();
        assertEquals(XenbusAction.NONE, be.onFrontendState(peer), "backend repeat of " + peer);
        assertEquals(beState, be.state());
    }

    @Test
    void closingDisconnectsOnceAndARestartedBackendIsSetUpAgain() {
        final FrontendStateMachine fe = new FrontendStateMachine();
        fe.onBackendState(XENBUS_STATE_INIT_WAIT);
        fe.onBackendState(XENBUS_STATE_CONNECTED);
        assertEquals(XenbusAction.DISCONNECT, fe.onBackendState(XENBUS_STATE_CLOSING));
        assertEquals(XenbusAction.NONE, fe.onBackendState(XENBUS_STATE_CLOSED));
        assertEquals(XenbusAction.RESTART, fe.onBackendState(XENBUS_STATE_INIT_WAIT));
        assertEquals(XenbusAction.SETUP, fe.onBackendState(XENBUS_STATE_INIT_WAIT));
        assertEquals(XenbusAction.CONNECT, fe.onBackendState(XENBUS_STATE_CONNECTED));
        // A backend that restarts so fast that Closed is never seen: InitWait while connected.
        assertEquals(XenbusAction.RESTART, fe.onBackendState(XENBUS_STATE_INIT_WAIT));
        assertEquals(XenbusAction.SETUP, fe.onBackendState(XENBUS_STATE_INIT_WAIT));
    }

    @Test
    void aFreshBackendDoesNotConnectToAStaleConnectedFrontend() {
        final BackendStateMachine be = new BackendStateMachine();
        be.advertise();
        assertEquals(XenbusAction.NONE, be.onFrontendState(XENBUS_STATE_CONNECTED));
        assertEquals(XenbusAction.CONNECT, be.onFrontendState(XENBUS_STATE_INITIALISED));
    }

    /**
     * A new backend (a restarted driver domain) first reads the Closed its frontend wrote when the
     * old backend died; the frontend then starts over, and the backend's watch may show only the
     * last of Initialising and Initialised. The backend must still connect (issue 6: this hung).
     */
    @Test
    void aFreshBackendConnectsAfterAStaleClosedFrontendEvenWhenInitialisingWasNotSeen() {
        final BackendStateMachine be = new BackendStateMachine();
        be.advertise();
        assertEquals(XenbusAction.NONE, be.onFrontendState(XENBUS_STATE_CLOSED));
        assertEquals(XENBUS_STATE_INIT_WAIT, be.state(), "the published InitWait stays true");
        assertEquals(XenbusAction.NONE, be.onFrontendState(XENBUS_STATE_UNKNOWN));
        assertEquals(XenbusAction.CONNECT, be.onFrontendState(XENBUS_STATE_INITIALISED));
        assertTrue(be.isConnected());
    }

    @Test
    void theBackendRestartsWhenTheFrontendStartsOver() {
        final BackendStateMachine be = new BackendStateMachine();
        be.advertise();
        be.onFrontendState(XENBUS_STATE_INITIALISED);
        assertEquals(XenbusAction.DISCONNECT, be.onFrontendState(XENBUS_STATE_CLOSING));
        assertEquals(XenbusAction.NONE, be.onFrontendState(XENBUS_STATE_CLOSING));
        assertEquals(XenbusAction.NONE, be.onFrontendState(XENBUS_STATE_CLOSED));
        assertEquals(XENBUS_STATE_CLOSED, be.state());
        assertEquals(XenbusAction.RESTART, be.onFrontendState(XENBUS_STATE_INITIALISING));
        assertEquals(XENBUS_STATE_INIT_WAIT, be.state());
        assertFalse(be.isConnected());
    }

    @Test
    void stateTextIsParsedStrictly() {
        assertEquals(4, XenbusStates.parse("4"));
        assertEquals(4, XenbusStates.parse("4\n"));
        assertEquals(XenbusStates.INVALID, XenbusStates.parse("9"));
        assertEquals(XenbusStates.INVALID, XenbusStates.parse("-1"));
        assertEquals(XenbusStates.INVALID, XenbusStates.parse("4x"));
        assertEquals(XenbusStates.INVALID, XenbusStates.parse(""));
        assertEquals(XenbusStates.INVALID, XenbusStates.parse("9".repeat(4000)));
        assertEquals(XENBUS_STATE_INITIALISING, XenbusStates.parse("01"));
    }
}
