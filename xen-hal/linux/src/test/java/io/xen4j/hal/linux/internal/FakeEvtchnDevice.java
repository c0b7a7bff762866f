package io.xen4j.hal.linux.internal;

import io.xen4j.hal.api.XenHandle;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * An {@link EvtchnDevice} that behaves as Linux's evtchn driver: a port is masked when it is
 * queued, queued at most once, and an event raised while masked is delivered on unmask.
 */
final class FakeEvtchnDevice implements EvtchnDevice {
    private final ArrayDeque<Integer> ring = new ArrayDeque<>();
    private final Set<Integer> bound = new HashSet<>();
    private final Set<Integer> masked = new HashSet<>();
    private final Set<Integer> pendingWhileMasked = new HashSet<>();
    private final Map<Integer, Integer> notified = new HashMap<>();
    private int nextPort = 5;
    boolean initialEventOnBind = true;
    boolean overflowOnce;
    boolean closed;
    int resets;
    int reads;

    synchronized void raise(final int port) {
        if (!bound.contains(port)) {
            return;
        }
        if (masked.contains(port)) {
            pendingWhileMasked.add(port);
            return;
        }
        masked.add(port);
        ring.add(port);
        notifyAll();
    }

    /** Queues a port number no channel owns, as a port closed after it was queued. */
    synchronized void queueStale(final int port) {
        ring.add(port);
    }

    synchronized int notifications(final int port) {
        return notified.getOrDefault(port, 0);
    }

    synchronized int peekNextPort() {
        return nextPort;
    }

    private synchronized int bind() {
        final int port = nextPort++;
        bound.add(port);
        return port;
    }

    @Override
    public int bindUnbound(final String operation, final int remoteDomid) {
        return bind();
    }

    @Override
    public int bindInterdomain(final String operation, final int remoteDomid, final int remotePort) {
        final int port = bind();
        if (initialEventOnBind) {
            raise(port);
        }
        return port;
    }

    @Override
    public int bindVirq(final String operation, final int virq) {
        return bind();
    }

    @Override
    public synchronized void unbind(final XenHandle channel, final int port) {
        bound.remove(port);
        masked.remove(port);
        pendingWhileMasked.remove(port);
    }

    @Override
    public synchronized void notify(final XenHandle channel, final int port) {
        notified.merge(port, 1, Integer::sum);
    }

    @Override
    public synchronized void unmask(final XenHandle channel, final int port) {
        if (masked.remove(port) && pendingWhileMasked.remove(port)) {
            raise(port);
        }
    }

    @Override
    public synchronized int read(final int[] ports, final int max) {
        reads++;
        if (overflowOnce) {
            overflowOnce = false;
            return OVERFLOW;
        }
        int n = 0;
        while (n < max && !ring.isEmpty()) {
            ports[n++] = ring.poll();
        }
        return n;
    }

    @Override
    public synchronized void reset() {
        resets++;
        ring.clear();
    }

    @Override
    public synchronized boolean await(final int timeoutMs) {
        if (ring.isEmpty() && timeoutMs > 0) {
            try {
                wait(timeoutMs);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return !ring.isEmpty() || overflowOnce;
    }

    @Override
    public synchronized boolean isClosed() {
        return closed;
    }
}
