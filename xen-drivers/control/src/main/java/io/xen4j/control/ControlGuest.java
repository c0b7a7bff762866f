package io.xen4j.control;

import io.xen4j.store.WatchEvent;
import io.xen4j.store.XenStoreClient;
import io.xen4j.store.XenStoreException;
import io.xen4j.store.XsTransaction;
import io.xen4j.store.XsWatch;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The guest's side of the control protocol, as Linux's {@code drivers/xen/manage.c}: advertises
 * {@code control/feature-<action>} for each action it handles (and {@code feature-sysrq}),
 * watches {@code control/shutdown} and {@code control/sysrq}, and for each request reads the node
 * and clears it in one transaction (retried on {@code EAGAIN}), then calls the
 * {@link ControlHandler}.
 *
 * <p>The node's value is checked before anything else: only the exact words of the actions this
 * guest advertised are acknowledged; any other value (an unknown word, a different case, trailing
 * blanks, an oversized or non-text value) is left in place and logged once per change, so the
 * toolstack's wait times out with a clear message, as it does with Linux ("Ignoring shutdown
 * request"). A SysRq value must be exactly one printable ASCII character.
 *
 * <p>Events arrive on the store client's watch thread; the handler runs there, after the commit.
 */
public final class ControlGuest implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ControlGuest.class.getName());
    /** Attempts of the acknowledging transaction against concurrent writers. */
    private static final int ATTEMPTS = 16;

    private final XenStoreClient store;
    private final int domid;
    private final Set<ShutdownAction> supported;
    private final boolean sysrq;
    private final ControlHandler handler;
    private final String shutdownPath;
    private final String sysrqPath;
    private final List<XsWatch> watches = new ArrayList<>();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private @Nullable String lastIgnored;

    /**
     * Creates the guest side; {@link #start()} advertises and begins watching.
     *
     * @param store     the guest's xenstore connection
     * @param domid     the guest's domain id (its home is {@code /local/domain/<domid>})
     * @param supported the shutdown actions the guest handles; only these are advertised and acknowledged
     * @param sysrq     whether the guest handles SysRq keys
     * @param handler   called for each acknowledged request
     */
    public ControlGuest(final XenStoreClient store, final int domid, final Set<ShutdownAction> supported,
        final boolean sysrq, final ControlHandler handler) {
        this.store = store;
        this.domid = domid;
        this.supported = supported.isEmpty() ? EnumSet.noneOf(ShutdownAction.class) : EnumSet.copyOf(supported);
        this.sysrq = sysrq;
        this.handler = handler;
        this.shutdownPath = ControlNodes.path(domid, ControlNodes.SHUTDOWN);
        this.sysrqPath = ControlNodes.path(domid, ControlNodes.SYSRQ);
    }

    /**
     * Writes the feature nodes and sets the watches. The watches fire once at once, so a request
     * written before the guest started is handled now.
     *
     * @return this
     * @throws XenStoreException if the nodes cannot be written (the toolstack did not give the
     *                           guest its control directory)
     */
    public synchronized ControlGuest start() {
        for (final ShutdownAction a : supported) {
            store.write(ControlNodes.path(domid, a.featureNode()), "1");
        }
        if (sysrq) {
            store.write(ControlNodes.path(domid, ControlNodes.FEATURE_SYSRQ), "1");
        }
        watches.add(store.watch(shutdownPath, this::onShutdownEvent));
        if (sysrq) {
            watches.add(store.watch(sysrqPath, this::onSysrqEvent));
        }
        return this;
    }

    /**
     * Requests acknowledged and handed to the handler.
     *
     * @return the count
     */
    public long acknowledged() {
        return acknowledged.get();
    }

    /**
     * Values seen in the nodes that were not valid requests and were left in place.
     *
     * @return the count
     */
    public long ignored() {
        return ignored.get();
    }

    private void onShutdownEvent(final WatchEvent event) {
        try {
            final Optional<ShutdownAction> taken = store.transaction(ATTEMPTS, this::takeShutdown);
            if (taken.isPresent()) {
                final ShutdownAction action = taken.get();
                acknowledged.incrementAndGet();
                callHandler(() -> handler.onShutdown(action), "shutdown " + action.word());
            }
        } catch (final XenStoreException e) {
            // The watch thread must live on: the next event reads the node again.
            LOG.log(System.Logger.Level.WARNING, "control dom" + domid + ": " + shutdownPath + ": " + e.getMessage());
        }
    }

    private Optional<ShutdownAction> takeShutdown(final XsTransaction tx) {
        final @Nullable String value = readOrNull(tx, shutdownPath);
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        final @Nullable ShutdownAction action = ShutdownAction.ofWord(value);
        if (action == null || !supported.contains(action)) {
            noteIgnored(shutdownPath, value, action == null ? "not a shutdown word" : "action not advertised");
            return Optional.empty();
        }
        // Linux acknowledges by writing the empty string, not by removing the node.
        tx.write(shutdownPath, "");
        return Optional.of(action);
    }

    private void onSysrqEvent(final WatchEvent event) {
        try {
            final Character key = store.transaction(ATTEMPTS, this::takeSysrq);
            if (key.charValue() != 0) {
                acknowledged.incrementAndGet();
                callHandler(() -> handler.onSysrq(key.charValue()), "sysrq " + key);
            }
        } catch (final XenStoreException e) {
            LOG.log(System.Logger.Level.WARNING, "control dom" + domid + ": " + sysrqPath + ": " + e.getMessage());
        }
    }

    private Character takeSysrq(final XsTransaction tx) {
        final @Nullable String value = readOrNull(tx, sysrqPath);
        if (value == null || value.isEmpty()) {
            return (char) 0;
        }
        if (value.length() != 1 || value.charAt(0) <= 0x20 || value.charAt(0) >= 0x7F) {
            noteIgnored(sysrqPath, value, "not one printable ASCII character");
            return (char) 0;
        }
        tx.write(sysrqPath, "");
        return value.charAt(0);
    }

    private static @Nullable String readOrNull(final XsTransaction tx, final String path) {
        try {
            return tx.read(path);
        } catch (final XenStoreException e) {
            if (e.is("ENOENT")) {
                return null;
            }
            throw e;
        }
    }

    private synchronized void noteIgnored(final String path, final String value, final String why) {
        ignored.incrementAndGet();
        final String key = path + "=" + value;
        // Once per distinct value: a toolstack rewriting the same garbage does not flood the log.
        if (!key.equals(lastIgnored)) {
            lastIgnored = key;
            LOG.log(System.Logger.Level.WARNING, "control dom" + domid + ": ignoring " + path + " = "
                + ControlNodes.excerpt(value) + ": " + why + "; not acknowledged");
        }
    }

    private void callHandler(final Runnable call, final String what) {
        try {
            call.run();
        } catch (final RuntimeException e) {
            // The request was acknowledged; a failing handler must not stop later requests.
            LOG.log(System.Logger.Level.ERROR, "control dom" + domid + ": handler for " + what + " failed", e);
        }
    }

    /** Stops watching; the feature nodes stay, as they do when a Linux guest's driver is idle. */
    @Override
    public synchronized void close() {
        for (final XsWatch w : watches) {
            w.close();
        }
        watches.clear();
    }
}
