package io.xen4j.control;

import io.xen4j.store.XenStoreClient;
import io.xen4j.store.XenStoreException;
import io.xen4j.store.XsOperations;
import io.xen4j.store.XsPermission;
import io.xen4j.store.XsPermission.Access;
import io.xen4j.store.XsWatch;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The toolstack's side of the control protocol, as {@code xl shutdown}, {@code xl reboot} and
 * {@code xl sysrq} do it: write the request to the guest's node, then wait until the guest clears
 * it (an empty value or a removed node is the acknowledgement).
 *
 * <p>If no acknowledgement comes within the timeout, the request is withdrawn in a transaction
 * (only if the node still holds it: the guest may clear it at the last moment), as libxl cancels
 * an unanswered suspend, so that a guest that starts its PV drivers later does not act on a stale
 * request; then {@link ControlTimeoutException} names the domain, the node, the wait and whether
 * the guest advertised the feature. The caller must be dom0 (or own the nodes).
 */
public final class ControlToolstack {
    /** Attempts of a transaction that conflicts with the guest ({@code EAGAIN}). */
    private static final int ATTEMPTS = 16;
    /** Longest single wait between two reads: a lost watch event costs at most this much latency. */
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final XenStoreClient store;

    /**
     * Creates the toolstack side over a privileged connection.
     *
     * @param store dom0's xenstore connection
     */
    public ControlToolstack(final XenStoreClient store) {
        this.store = store;
    }

    /**
     * Creates a guest's control directory as libxl's {@code libxl__domain_make} does: the
     * directory and the {@code shutdown}, {@code sysrq} and feature nodes owned by the guest (so
     * that it may clear and advertise), readable and writable by dom0 as the owner of everything.
     *
     * @param domid the guest
     */
    public void prepareDomain(final int domid) {
        final List<XsPermission> perms = List.of(XsPermission.of(Access.NONE, domid));
        store.transaction(ATTEMPTS, tx -> {
            tx.mkdir(ControlNodes.directory(domid));
            tx.setPermissions(ControlNodes.directory(domid), perms);
            final String[] nodes = {ControlNodes.SHUTDOWN, ControlNodes.SYSRQ, ControlNodes.FEATURE_SYSRQ,
                ShutdownAction.POWEROFF.featureNode(), ShutdownAction.REBOOT.featureNode(),
                ShutdownAction.SUSPEND.featureNode(), ShutdownAction.CRASH.featureNode(), ShutdownAction.HALT.featureNode()};
            for (final String n : nodes) {
                final String p = ControlNodes.path(domid, n);
                if (!tx.exists(p)) {
                    tx.write(p, "");
                }
                tx.setPermissions(p, perms);
            }
            return Boolean.TRUE;
        });
    }

    /**
     * Whether the guest advertised an action ({@code control/feature-<word>} is exactly {@code 1}).
     *
     * @param domid  the guest
     * @param action the action
     * @return true if advertised; a missing or garbled node is false
     */
    public boolean advertises(final int domid, final ShutdownAction action) {
        return "1".equals(readOrNull(store, ControlNodes.path(domid, action.featureNode())));
    }

    /**
     * Whether the guest advertised SysRq ({@code control/feature-sysrq} is exactly {@code 1}).
     *
     * @param domid the guest
     * @return true if advertised
     */
    public boolean advertisesSysrq(final int domid) {
        return "1".equals(readOrNull(store, ControlNodes.path(domid, ControlNodes.FEATURE_SYSRQ)));
    }

    /**
     * Asks the guest for a shutdown action and waits for the acknowledgement.
     *
     * @param domid   the guest
     * @param action  what to ask
     * @param timeout how long to wait for the guest to clear the node
     * @throws ControlTimeoutException if the guest did not acknowledge in time (the request is withdrawn)
     * @throws XenStoreException       if the node cannot be written
     */
    public void requestShutdown(final int domid, final ShutdownAction action, final Duration timeout) {
        request(domid, ControlNodes.SHUTDOWN, action.word(), timeout, advertises(domid, action), action.featureNode());
    }

    /**
     * Sends a magic SysRq key and waits for the acknowledgement.
     *
     * @param domid   the guest
     * @param key     a printable ASCII character, such as {@code 'h'}
     * @param timeout how long to wait for the guest to clear the node
     * @throws IllegalArgumentException if the key is not printable ASCII
     * @throws ControlTimeoutException  if the guest did not acknowledge in time (the request is withdrawn)
     */
    public void requestSysrq(final int domid, final char key, final Duration timeout) {
        if (key <= 0x20 || key >= 0x7F) {
            throw new IllegalArgumentException("control dom" + domid + ": sysrq key=0x" + Integer.toHexString(key)
                + " must be a printable ASCII character");
        }
        request(domid, ControlNodes.SYSRQ, String.valueOf(key), timeout, advertisesSysrq(domid), ControlNodes.FEATURE_SYSRQ);
    }

    private void request(final int domid, final String node, final String value, final Duration timeout,
        final boolean advertised, final String feature) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("control dom" + domid + ": timeout=" + timeout + " must be >= 0");
        }
        final String path = ControlNodes.path(domid, node);
        final Object signal = new Object();
        final boolean[] fired = {false};
        // Watch before writing: an acknowledgement that comes at once is not missed.
        try (XsWatch watch = store.watch(path, event -> {
            synchronized (signal) {
                fired[0] = true;
                signal.notifyAll();
            }
        })) {
            store.write(path, value);
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                final @Nullable String now = readOrNull(store, path);
                if (now == null || now.isEmpty()) {
                    return;
                }
                final long left = deadline - System.nanoTime();
                if (left <= 0) {
                    final boolean withdrawn = withdraw(path, value);
                    final @Nullable String after = readOrNull(store, path);
                    if (!withdrawn && (after == null || after.isEmpty())) {
                        // Cleared between the last read and the withdrawal: the guest answered just in time.
                        return;
                    }
                    throw timedOut(domid, path, value, now, timeout, advertised, feature, withdrawn);
                }
                synchronized (signal) {
                    if (!fired[0]) {
                        TimeUnit.NANOSECONDS.timedWait(signal, Math.min(left, RECHECK_NANOS));
                    }
                    fired[0] = false;
                }
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            withdraw(path, value);
            throw new ControlTimeoutException(domid, path, timeout, "control dom" + domid + ": interrupted while waiting for "
                + path + "=" + value + " to be acknowledged; request withdrawn");
        }
    }

    private static ControlTimeoutException timedOut(final int domid, final String path, final String value, final String now,
        final Duration timeout, final boolean advertised, final String feature, final boolean withdrawn) {
        return new ControlTimeoutException(domid, path, timeout, "control dom" + domid + ": " + path + "=" + value
            + " not acknowledged within " + timeout.toMillis() + " ms (the node still holds " + ControlNodes.excerpt(now)
            + "); " + (advertised ? "the guest advertised " + feature + " but did not answer"
                : "the guest did not advertise " + feature + ": it may have no PV control driver")
            + (withdrawn ? "; request withdrawn" : ""));
    }

    /** Clears the node if it still holds our request; true if it did. */
    private boolean withdraw(final String path, final String value) {
        try {
            return store.transaction(ATTEMPTS, tx -> {
                if (value.equals(readOrNull(tx, path))) {
                    tx.write(path, "");
                    return Boolean.TRUE;
                }
                return Boolean.FALSE;
            });
        } catch (final XenStoreException e) {
            return false;
        }
    }

    private static @Nullable String readOrNull(final XsOperations ops, final String path) {
        try {
            return ops.read(path);
        } catch (final XenStoreException e) {
            if (e.is("ENOENT")) {
                return null;
            }
            throw e;
        }
    }
}
