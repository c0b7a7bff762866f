package io.xen4j.console;

import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.EventHandler;

/**
 * The event handler of a guest console's channel: it unmasks the port and wakes the threads
 * waiting in {@link GuestConsole}. Create it first, allocate the channel with it, then build the
 * console with both. An event carries no data and may be spurious: waiters always re-check the
 * ring (SECURITY-RULES R8).
 */
public final class ConsoleWakeup implements EventHandler {
    private final Object monitor = new Object();
    private long events;

    /** Creates a wakeup with no waiters. */
    public ConsoleWakeup() {
    }

    @Override
    public void onEvent(final EventChannel channel) {
        channel.unmask();
        wakeUp();
    }

    /** Wakes every waiter, for example after the console was closed. */
    public void wakeUp() {
        synchronized (monitor) {
            events++;
            monitor.notifyAll();
        }
    }

    /**
     * Events seen so far.
     *
     * @return the count
     */
    public long events() {
        synchronized (monitor) {
            return events;
        }
    }

    /**
     * Waits for the next event or the timeout, whichever comes first.
     *
     * @param seen  the value of {@link #events()} the caller last saw: returns at once if it moved
     * @param nanos the longest wait
     * @throws InterruptedException if interrupted
     */
    void await(final long seen, final long nanos) throws InterruptedException {
        synchronized (monitor) {
            if (events == seen && nanos > 0) {
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(monitor, nanos);
            }
        }
    }
}
