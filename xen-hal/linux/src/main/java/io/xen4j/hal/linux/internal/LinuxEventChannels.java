package io.xen4j.hal.linux.internal;

import io.xen4j.abi.Xen;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.EventChannels;
import io.xen4j.hal.api.EventHandler;
import io.xen4j.hal.api.XenHalException;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.agrona.collections.IntArrayQueue;
import org.jspecify.annotations.Nullable;

/**
 * {@link EventChannels} over one {@code /dev/xen/evtchn}: binding through its ioctls, delivery by
 * reading pending ports from it (non-blocking, a bounded number per {@link #poll(int)}), waiting
 * with {@code poll(2)}, re-enabling a port by writing it back.
 *
 * <p>The kernel driver masks a port when it queues it and queues it at most once until it is
 * written back, so a flooding peer costs one dispatch per unmask (SECURITY-RULES R8). Ports read
 * but not yet dispatched (budget reached, or a handler threw) wait in a queue owned by the
 * polling thread; a port that no channel owns any more (closed meanwhile) is dropped. A ring
 * overflow ({@code EFBIG}) is recovered by resetting the ring and delivering every bound port
 * once: events may be spurious, never lost.
 */
public final class LinuxEventChannels implements EventChannels {
    /** The longest single {@code poll(2)}: how soon an interrupt of a waiting thread is seen. */
    static final long MAX_WAIT_SLICE_MS = 50;

    private final HostCore host;
    private final Function<String, EvtchnDevice> opener;
    private volatile @Nullable EvtchnDevice device;
    private final ConcurrentHashMap<Integer, LinuxEventChannel> channels = new ConcurrentHashMap<>();
    /** Held while a port is bound and registered, so a port read meanwhile is not taken for stale. */
    private final ReentrantLock bindLock = new ReentrantLock();
    private final IntArrayQueue pending = new IntArrayQueue();
    private final int[] readPorts = new int[NativeEvtchnDevice.READ_BATCH];

    /**
     * Creates the service.
     *
     * @param host   the host
     * @param opener opens the device on first use, given the operation that needs it
     */
    public LinuxEventChannels(final HostCore host, final Function<String, EvtchnDevice> opener) {
        this.host = host;
        this.opener = opener;
    }

    private EvtchnDevice device(final String operation) {
        EvtchnDevice d = device;
        if (d == null) {
            synchronized (this) {
                d = device;
                if (d == null) {
                    host.checkUsable(operation);
                    d = opener.apply(operation);
                    device = d;
                }
            }
        }
        return d;
    }

    private static void checkDomid(final String operation, final int domid) {
        if (domid < 0 || domid > 0xFFFF) {
            throw new XenHalException(operation, Errno.EINVAL, "dom" + domid + " is not a domain id (0..65535)");
        }
    }

    @Override
    public EventChannel allocateUnbound(final int remoteDomid, final EventHandler handler) {
        Objects.requireNonNull(handler, "handler");
        final String op = "allocate an unbound port in dom" + host.domid() + " for dom" + remoteDomid;
        checkDomid(op, remoteDomid);
        host.checkUsable(op);
        return bind(op, d -> d.bindUnbound(op, remoteDomid), EventChannel.Kind.UNBOUND, remoteDomid, -1, -1, handler);
    }

    @Override
    public EventChannel bindInterdomain(final int remoteDomid, final int remotePort, final EventHandler handler) {
        Objects.requireNonNull(handler, "handler");
        final String op = "bind interdomain dom" + host.domid() + " to dom" + remoteDomid + " port " + remotePort;
        checkDomid(op, remoteDomid);
        if (remotePort <= 0) {
            throw new XenHalException(op, Errno.EINVAL, "port " + remotePort + " is not a port number");
        }
        host.checkUsable(op);
        return bind(op, d -> d.bindInterdomain(op, remoteDomid, remotePort), EventChannel.Kind.INTERDOMAIN,
            remoteDomid, remotePort, -1, handler);
    }

    @Override
    public EventChannel bindVirq(final int virq, final EventHandler handler) {
        Objects.requireNonNull(handler, "handler");
        final String op = "bind VIRQ " + virq + " in dom" + host.domid();
        if (virq < 0 || virq >= Xen.NR_VIRQS) {
            throw new XenHalException(op, Errno.EINVAL, "VIRQ " + virq + " is not in [0, " + Xen.NR_VIRQS + ")");
        }
        host.checkUsable(op);
        return bind(op, d -> d.bindVirq(op, virq), EventChannel.Kind.VIRQ, host.domid(), -1, virq, handler);
    }

    private interface Binder {
        int bind(EvtchnDevice device);
    }

    private EventChannel bind(
        final String op, final Binder binder, final EventChannel.Kind kind, final int remoteDomid,
        final int remotePort, final int virq, final EventHandler handler) {
        final EvtchnDevice d = device(op);
        bindLock.lock();
        try {
            final int port = binder.bind(d);
            final LinuxEventChannel ch = new LinuxEventChannel(host, this, d, port, kind, remoteDomid, remotePort, virq,
                handler);
            channels.put(port, ch);
            host.register(ch);
            return ch;
        } finally {
            bindLock.unlock();
        }
    }

    void forget(final LinuxEventChannel channel) {
        channels.remove(channel.localPort(), channel);
    }

    /**
     * How many channels are bound now.
     *
     * @return the count
     */
    public int boundCount() {
        return channels.size();
    }

    @Override
    public int poll(final int maxEvents) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents=" + maxEvents + ": must be >= 1");
        }
        if (host.isClosed()) {
            return 0;
        }
        final EvtchnDevice d = device("poll events");
        int done = 0;
        while (done < maxEvents) {
            if (pending.isEmpty() && fill(d, maxEvents - done) == 0) {
                break;
            }
            final int port = pending.pollInt();
            final LinuxEventChannel ch = owner(port);
            if (ch == null) {
                continue;
            }
            done++;
            // May throw: the port stays masked (the kernel masked it) and the rest stays queued.
            ch.handler().onEvent(ch);
        }
        return done;
    }

    private @Nullable LinuxEventChannel owner(final int port) {
        LinuxEventChannel ch = channels.get(port);
        if (ch == null) {
            // Perhaps bound right now: the kernel queues a fresh binding's first event before the
            // ioctl returns. Wait for any bind in progress, then look again.
            bindLock.lock();
            bindLock.unlock();
            ch = channels.get(port);
        }
        return ch == null || ch.isClosed() ? null : ch;
    }

    private int fill(final EvtchnDevice d, final int budget) {
        final int n = d.read(readPorts, Math.min(budget, readPorts.length));
        if (n == EvtchnDevice.OVERFLOW) {
            // Ports were lost and stay masked in the kernel: start over and deliver every bound
            // port once, so that each owner looks at its ring and unmasks.
            d.reset();
            for (final Integer port : channels.keySet()) {
                pending.offerInt(port);
            }
            return channels.size();
        }
        for (int i = 0; i < n; i++) {
            pending.offerInt(readPorts[i]);
        }
        return n;
    }

    @Override
    public boolean awaitEvent(final long timeoutNanos) {
        if (!pending.isEmpty()) {
            return true;
        }
        if (Thread.currentThread().isInterrupted()) {
            return false;
        }
        final long timeout = Math.max(0, timeoutNanos);
        if (host.isClosed()) {
            LockSupport.parkNanos(timeout);
            return false;
        }
        final EvtchnDevice d = device("wait for events");
        final long deadline = System.nanoTime() + timeout;
        while (true) {
            final long remaining = deadline - System.nanoTime();
            final int ms = remaining <= 0 ? 0
                : (int) Math.min(MAX_WAIT_SLICE_MS, (remaining + TimeUnit.MILLISECONDS.toNanos(1) - 1) / 1_000_000L);
            if (d.await(ms)) {
                return true;
            }
            if (Thread.currentThread().isInterrupted() || d.isClosed() || deadline - System.nanoTime() <= 0) {
                return false;
            }
        }
    }
}
