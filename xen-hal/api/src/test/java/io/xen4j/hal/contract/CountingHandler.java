package io.xen4j.hal.contract;

import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.EventHandler;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An event handler that counts its calls and, if asked, unmasks after each.
 */
public final class CountingHandler implements EventHandler {
    private final AtomicInteger calls = new AtomicInteger();
    private final boolean unmask;

    /**
     * A handler that leaves the channel masked, as a driver does until it has looked at its ring.
     */
    public CountingHandler() {
        this(false);
    }

    /**
     * A handler.
     *
     * @param unmask whether to unmask after each call
     */
    public CountingHandler(final boolean unmask) {
        this.unmask = unmask;
    }

    @Override
    public void onEvent(final EventChannel channel) {
        calls.incrementAndGet();
        if (unmask) {
            channel.unmask();
        }
    }

    /**
     * Calls so far.
     *
     * @return the count
     */
    public int calls() {
        return calls.get();
    }

    /**
     * Calls so far, then zero.
     *
     * @return the count before the reset
     */
    public int reset() {
        return calls.getAndSet(0);
    }
}
