package io.xen4j.control;

/**
 * What a guest does when the toolstack asks. Called after the request was acknowledged (the node
 * cleared), on the xenstore client's watch thread: hand long work to another thread.
 */
public interface ControlHandler {
    /**
     * The toolstack asked for a shutdown action that this guest advertised.
     *
     * @param action the action
     */
    void onShutdown(ShutdownAction action);

    /**
     * The toolstack sent a magic SysRq key.
     *
     * @param key a printable ASCII character
     */
    default void onSysrq(final char key) {
        // Guests that do not advertise feature-sysrq never get here.
    }
}
