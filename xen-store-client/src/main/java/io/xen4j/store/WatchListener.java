package io.xen4j.store;

/**
 * Receives the events of one watch, one at a time and in order, on a thread of the client's watch
 * executor, never on the thread that reads from xenstored; it may call the client.
 */
@FunctionalInterface
public interface WatchListener {
    /**
     * A watch fired.
     *
     * @param event the event; see {@link WatchEvent#coalesced()}
     */
    void onEvent(WatchEvent event);
}
