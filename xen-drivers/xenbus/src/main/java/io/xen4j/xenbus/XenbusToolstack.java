package io.xen4j.xenbus;

import io.xen4j.abi.xenbus.XenbusState;
import io.xen4j.store.XenStoreClient;
import io.xen4j.store.XsPermission;
import io.xen4j.store.XsPermission.Access;
import io.xen4j.store.XsTransaction;
import java.util.List;
import java.util.Map;

/**
 * The toolstack's part of a split device, as libxl's {@code libxl__device_generic_add} does it:
 * in one transaction, the frontend directory owned by the frontend domain and readable by the
 * backend, the backend directory owned by the backend domain and readable by the frontend, each
 * pointing at the other, both in Initialising. The caller is dom0 (only dom0 may give a node to
 * another domain).
 */
public final class XenbusToolstack {
    /** Attempts of a transaction that conflicts with other writers ({@code EAGAIN}). */
    private static final int ATTEMPTS = 16;

    private final XenStoreClient store;

    /**
     * Creates a toolstack over a privileged connection.
     *
     * @param store a dom0 xenstore connection
     */
    public XenbusToolstack(final XenStoreClient store) {
        this.store = store;
    }

    /**
     * Creates both directories of a device.
     *
     * @param device        where the device lives
     * @param frontendNodes extra nodes of the frontend directory (such as {@code virtual-device})
     * @param backendNodes  extra nodes of the backend directory (such as {@code params}, {@code mode})
     */
    public void createDevice(final DevicePaths device, final Map<String, String> frontendNodes,
                             final Map<String, String> backendNodes) {
        // libxl: the owner gets everything, the peer may read: [n<owner>, r<peer>].
        final List<XsPermission> frontPerms = List.of(
            XsPermission.of(Access.NONE, device.frontendDomid()), XsPermission.of(Access.READ, device.backendDomid()));
        final List<XsPermission> backPerms = List.of(
            XsPermission.of(Access.NONE, device.backendDomid()), XsPermission.of(Access.READ, device.frontendDomid()));
        store.transaction(ATTEMPTS, tx -> {
            writeDir(tx, device.frontend(), frontPerms);
            tx.write(device.frontend("backend"), device.backend());
            tx.write(device.frontend("backend-id"), Integer.toString(device.backendDomid()));
            tx.write(device.frontend("state"), Integer.toString(XenbusState.XENBUS_STATE_INITIALISING));
            for (final Map.Entry<String, String> e : frontendNodes.entrySet()) {
                tx.write(device.frontend(e.getKey()), e.getValue());
            }
            writeDir(tx, device.backend(), backPerms);
            tx.write(device.backend("frontend"), device.frontend());
            tx.write(device.backend("frontend-id"), Integer.toString(device.frontendDomid()));
            tx.write(device.backend("online"), "1");
            tx.write(device.backend("state"), Integer.toString(XenbusState.XENBUS_STATE_INITIALISING));
            for (final Map.Entry<String, String> e : backendNodes.entrySet()) {
                tx.write(device.backend(e.getKey()), e.getValue());
            }
            return Boolean.TRUE;
        });
    }

    private static void writeDir(final XsTransaction tx, final String dir, final List<XsPermission> perms) {
        tx.mkdir(dir);
        tx.setPermissions(dir, perms);
    }

    /**
     * Asks both sides to close ({@code online=0}, backend state Closing), as {@code xl block-detach}.
     *
     * @param device the device
     */
    public void requestClose(final DevicePaths device) {
        store.transaction(ATTEMPTS, tx -> {
            tx.write(device.backend("online"), "0");
            tx.write(device.backend("state"), Integer.toString(XenbusState.XENBUS_STATE_CLOSING));
            return Boolean.TRUE;
        });
    }

    /**
     * Removes both directories (after both sides reached Closed, or when a domain is gone).
     *
     * @param device the device
     */
    public void destroyDevice(final DevicePaths device) {
        store.transaction(ATTEMPTS, tx -> {
            removeIfPresent(tx, device.frontend());
            removeIfPresent(tx, device.backend());
            return Boolean.TRUE;
        });
    }

    private static void removeIfPresent(final XsTransaction tx, final String path) {
        if (tx.exists(path)) {
            tx.rm(path);
        }
    }
}
