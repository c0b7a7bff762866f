package io.xen4j.console;

import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.api.XenHost;
import io.xen4j.rings.ConsoleRing;
import io.xen4j.store.XenStoreClient;
import io.xen4j.xenbus.DevicePaths;
import io.xen4j.xenbus.FrontendStateMachine;
import io.xen4j.xenbus.StateWatch;
import io.xen4j.xenbus.XenbusAction;
import io.xen4j.xenbus.XenbusStates;
import java.util.concurrent.CompletableFuture;
import org.agrona.concurrent.Agent;
import org.jspecify.annotations.Nullable;

/**
 * A secondary PV console in a guest ({@code device/console/<devid>}), as Linux's {@code hvc_xen}
 * connects one: a zeroed page granted to the backend, an unbound port for it, both published in
 * one transaction as {@code ring-ref} and {@code port}, then Initialised; when the backend is
 * Connected the console is ready ({@link #connected()}). An Agrona {@link Agent}: each
 * {@link #doWork()} follows the backend's XenBus state and dispatches this domain's events.
 *
 * <p>When the backend closes, the console is closed (its streams throw), the grant ended and the
 * port closed; a backend that comes back gets a fresh page and a new {@link GuestConsole}.
 */
public final class SecondaryConsoleFront implements Agent, AutoCloseable {
    /** Attempts of the publishing transaction ({@code EAGAIN}). */
    private static final int ATTEMPTS = 16;

    private final XenHost host;
    private final XenStoreClient store;
    private final DevicePaths device;
    private final FrontendStateMachine machine = new FrontendStateMachine();
    private @Nullable StateWatch watch;
    private @Nullable SharedPages page;
    private @Nullable EventChannel channel;
    private @Nullable ConsoleWakeup wakeup;
    private @Nullable GuestConsole console;
    private volatile CompletableFuture<GuestConsole> connected = new CompletableFuture<>();

    /**
     * Creates the frontend; {@link #start()} begins the handshake.
     *
     * @param host   the guest's HAL
     * @param store  the guest's xenstore connection
     * @param device the device (type {@value ConsoleNodes#DEVICE_TYPE})
     */
    public SecondaryConsoleFront(final XenHost host, final XenStoreClient store, final DevicePaths device) {
        this.host = host;
        this.store = store;
        this.device = device;
    }

    /** Publishes Initialising and starts following the backend. */
    public synchronized void start() {
        XenbusStates.write(store, device.frontend(), machine.state());
        watch = new StateWatch(store, device.backend("state"));
    }

    @Override
    public String roleName() {
        return "hvc-" + device.name();
    }

    /**
     * Completes with the console when the handshake is done; replaced by a new future after a disconnect.
     *
     * @return the future of the current connection
     */
    public CompletableFuture<GuestConsole> connected() {
        return connected;
    }

    @Override
    public synchronized int doWork() {
        int work = host.eventChannels().poll(16);
        final StateWatch w = watch;
        if (w != null && w.changed()) {
            work++;
            for (int round = 0; round < 3; round++) {
                final XenbusAction action = machine.onBackendState(XenbusStates.read(store, device.backend()));
                switch (action) {
                    case SETUP -> setup();
                    case CONNECT -> {
                        final SharedPages p = page;
                        final EventChannel c = channel;
                        final ConsoleWakeup k = wakeup;
                        if (p != null && c != null && k != null) {
                            final GuestConsole g = new GuestConsole("console-" + device.name(), p.buffer(), c, k);
                            console = g;
                            XenbusStates.write(store, device.frontend(), machine.state());
                            connected.complete(g);
                        }
                    }
                    case DISCONNECT -> {
                        teardown();
                        XenbusStates.write(store, device.frontend(), machine.state());
                    }
                    case RESTART -> {
                        teardown();
                        XenbusStates.write(store, device.frontend(), machine.state());
                        continue;
                    }
                    case NONE -> {
                        // Nothing to do for this backend state.
                    }
                }
                break;
            }
        }
        return work;
    }

    private void setup() {
        final SharedPages p = host.grantTables().share(device.backendDomid(), 1, true);
        // Fresh indices and no stale bytes for the backend to see (R7).
        p.buffer().setMemory(0, ConsoleRing.LENGTH, (byte) 0);
        final ConsoleWakeup k = new ConsoleWakeup();
        final EventChannel c = host.eventChannels().allocateUnbound(device.backendDomid(), k);
        page = p;
        channel = c;
        wakeup = k;
        store.transaction(ATTEMPTS, tx -> {
            tx.write(device.frontend(ConsoleNodes.RING_REF), Integer.toUnsignedString(p.grantRef(0)));
            tx.write(device.frontend(ConsoleNodes.PORT), Integer.toString(c.localPort()));
            tx.write(device.frontend("state"), Integer.toString(machine.state()));
            return Boolean.TRUE;
        });
    }

    private void teardown() {
        final GuestConsole g = console;
        console = null;
        if (g != null) {
            g.close();
        }
        if (connected.isDone()) {
            connected = new CompletableFuture<>();
        }
        final EventChannel c = channel;
        channel = null;
        if (c != null) {
            c.close();
        }
        final SharedPages p = page;
        page = null;
        if (p != null) {
            // The backend unmaps on its own Closing; a page it still maps stays granted until then.
            p.tryEndAccess();
            p.close();
        }
        wakeup = null;
    }

    /** Closes the device: the console, the grant and the port; the frontend state goes Closed. */
    @Override
    public synchronized void close() {
        final StateWatch w = watch;
        watch = null;
        if (w != null) {
            w.close();
        }
        machine.close();
        teardown();
        try {
            XenbusStates.write(store, device.frontend(), machine.state());
        } catch (final RuntimeException e) {
            // The store may already be gone at shutdown; the device is closed either way.
        }
    }
}
