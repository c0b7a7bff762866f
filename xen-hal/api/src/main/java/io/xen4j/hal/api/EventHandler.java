package io.xen4j.hal.api;

/**
 * Receives the events of one {@link EventChannel}. Called by {@link EventChannels#poll(int)} on the
 * polling thread, once per delivery.
 *
 * <p>The channel stays masked after a delivery, so the handler is not called again for it until
 * {@link EventChannel#unmask()}; notifications that arrive meanwhile are coalesced into one
 * pending event. The usual pattern, as in Linux drivers: consume the ring, unmask, then check the
 * ring once more ({@code RING_FINAL_CHECK_FOR_REQUESTS}) so that nothing sent between the two is
 * lost. An event says only "look again": it carries no data and may be spurious (SECURITY-RULES R8).
 */
@FunctionalInterface
public interface EventHandler {
    /**
     * An event arrived on the channel.
     *
     * @param channel the channel, masked until {@link EventChannel#unmask()}
     */
    void onEvent(EventChannel channel);
}
