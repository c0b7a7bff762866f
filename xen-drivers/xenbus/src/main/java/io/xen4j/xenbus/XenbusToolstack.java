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

    /**
     * Moves a device to another backend domain, as a toolstack does when the driver domain that
     * served it died and a new one (with a new domid) takes over: in one transaction, every node
     * of the frontend directory becomes readable by the new backend instead of the old one, the
     * frontend's {@code backend} and {@code backend-id} point at the new backend directory, the
     * old backend directory is removed if still there, and the new one is created in
     * Initialising. The frontend's own state is left alone: the frontend sees {@code backend-id}
     * change and starts the handshake over with the new backend.
     *
     * @param from         where the device lives now
     * @param to           the same device with the new backend domain
     * @param backendNodes extra nodes of the new backend directory
     * @throws IllegalArgumentException if {@code to} is not the same device as {@code from}
     */
    public void moveBackend(final DevicePaths from, final DevicePaths to, final Map<String, String> backendNodes) {
        if (!from.type().equals(to.type()) || from.frontendDomid() != to.frontendDomid() || from.devid() != to.devid()) {
            throw new IllegalArgumentException("xenbus move: " + from + " and " + to + " are not the same device");
        }
        final List<XsPermission> frontPerms = List.of(
            XsPermission.of(Access.NONE, to.frontendDomid()), XsPermission.of(Access.READ, to.backendDomid()));
        final List<XsPermission> backPerms = List.of(
            XsPermission.of(Access.NONE, to.backendDomid()), XsPermission.of(Access.READ, to.frontendDomid()));
        store.transaction(ATTEMPTS, tx -> {
            // Nodes keep the permissions they were created with: give each one to the new reader.
            permitTree(tx, to.frontend(), frontPerms);
            tx.write(to.frontend("backend"), to.backend());
            tx.write(to.frontend("backend-id"), Integer.toString(to.backendDomid()));
            removeIfPresent(tx, from.backend());
            writeDir(tx, to.backend(), backPerms);
            tx.write(to.backend("frontend"), to.frontend());
            tx.write(to.backend("frontend-id"), Integer.toString(to.frontendDomid()));
            tx.write(to.backend("online"), "1");
            tx.write(to.backend("state"), Integer.toString(XenbusState.XENBUS_STATE_INITIALISING));
            for (final Map.Entry<String, String> e : backendNodes.entrySet()) {
                tx.write(to.backend(e.getKey()), e.getValue());
            }
            return Boolean.TRUE;
        });
    }

    private static void permitTree(final XsTransaction tx, final String path, final List<XsPermission> perms) {
        tx.setPermissions(path, perms);
        for (final String child : tx.directory(path)) {
            permitTree(tx, path + "/" + child, perms);
        }
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
