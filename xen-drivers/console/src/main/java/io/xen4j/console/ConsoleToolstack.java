package io.xen4j.console;

import io.xen4j.abi.grant.GrantEntryHeader;
import io.xen4j.abi.grant.GrantEntryV1;
import io.xen4j.abi.grant.GrantTable;
import io.xen4j.abi.memory.XenMem;
import io.xen4j.hal.api.ForeignMapping;
import io.xen4j.hal.api.ForeignMemory;
import io.xen4j.store.XenStoreClient;
import io.xen4j.store.XsPermission;
import io.xen4j.store.XsPermission.Access;
import io.xen4j.xenbus.DevicePaths;
import io.xen4j.xenbus.XenbusToolstack;
import java.util.List;
import java.util.Map;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The toolstack's part of a guest's consoles, as the domain builder and libxl do it: the primary
 * console's nodes ({@code console/ring-ref} holding the page's frame number, {@code console/port},
 * {@code console/type}, {@code console/limit}), the grant of the console page to the backend in
 * the guest's reserved grant entry ({@code xc_dom_gnttab_seed}), and secondary consoles as XenBus
 * devices under {@code device/console/<devid>}. The caller is dom0.
 */
public final class ConsoleToolstack {
    /** Attempts of a transaction that conflicts with other writers ({@code EAGAIN}). */
    private static final int ATTEMPTS = 16;

    private final XenStoreClient store;

    /**
     * Creates the toolstack part over a privileged connection.
     *
     * @param store dom0's xenstore connection
     */
    public ConsoleToolstack(final XenStoreClient store) {
        this.store = store;
    }

    /**
     * Publishes a guest's primary console: the directory is the guest's, readable by the backend.
     *
     * @param domid        the guest
     * @param backendDomid the console backend's domain
     * @param gfn          the console page's guest frame number
     * @param port         the guest's port for the console, allocated unbound for the backend
     * @param limit        bytes the backend may buffer for this console, or 0 for its default
     */
    public void publishPrimary(final int domid, final int backendDomid, final long gfn, final int port, final int limit) {
        final List<XsPermission> perms = List.of(XsPermission.of(Access.NONE, domid), XsPermission.of(Access.READ, backendDomid));
        store.transaction(ATTEMPTS, tx -> {
            tx.mkdir(ConsoleNodes.primary(domid));
            tx.setPermissions(ConsoleNodes.primary(domid), perms);
            tx.write(ConsoleNodes.primary(domid, ConsoleNodes.RING_REF), Long.toString(gfn));
            tx.write(ConsoleNodes.primary(domid, ConsoleNodes.PORT), Integer.toString(port));
            tx.write(ConsoleNodes.primary(domid, ConsoleNodes.TYPE), ConsoleNodes.TYPE_XENCONSOLED);
            tx.write(ConsoleNodes.primary(domid, "backend-id"), Integer.toString(backendDomid));
            if (limit > 0) {
                tx.write(ConsoleNodes.primary(domid, ConsoleNodes.LIMIT), Integer.toString(limit));
            }
            return Boolean.TRUE;
        });
    }

    /**
     * Grants the console page to the backend in the guest's reserved entry
     * {@code GNTTAB_RESERVED_CONSOLE}, through the guest's grant table mapped as a resource, as
     * {@code xc_dom_gnttab_seed} does before the guest runs. The backend then maps the page by
     * grant instead of by foreign frame.
     *
     * @param foreign      the toolstack's foreign-memory service
     * @param domid        the guest
     * @param gfn          the console page's frame number (32 bits in a v1 entry)
     * @param backendDomid the domain the page is granted to
     */
    public static void seedGrant(final ForeignMemory foreign, final int domid, final long gfn, final int backendDomid) {
        if (gfn < 0 || gfn > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("console dom" + domid + ": gfn=" + gfn + " does not fit a v1 grant entry");
        }
        try (ForeignMapping table = foreign.mapResource(domid, XenMem.XENMEM_RESOURCE_GRANT_TABLE,
            XenMem.XENMEM_RESOURCE_GRANT_TABLE_ID_SHARED, 0, 1, true)) {
            final AtomicBuffer t = table.buffer();
            final int at = GrantTable.GNTTAB_RESERVED_CONSOLE * GrantEntryV1.LENGTH;
            t.putInt(at + GrantEntryV1.FRAME_OFFSET, (int) gfn);
            // The frame before the flags: the entry is valid only once it is complete.
            GrantEntryHeader.putHeaderWordRelease(t, at, GrantTable.GTF_PERMIT_ACCESS, backendDomid);
        }
    }

    /**
     * Creates a secondary console as a XenBus device, as libxl's {@code channel}/{@code console}
     * devices: the backend directory carries {@code protocol=vt100}, {@code type=xenconsoled} and
     * the console's name.
     *
     * @param device where the device lives (type {@value ConsoleNodes#DEVICE_TYPE})
     * @param name   the console's name, for example {@code "org.example.agent"}
     */
    public void addSecondary(final DevicePaths device, final String name) {
        if (!ConsoleNodes.DEVICE_TYPE.equals(device.type())) {
            throw new IllegalArgumentException("console device " + device.name() + ": type must be " + ConsoleNodes.DEVICE_TYPE);
        }
        new XenbusToolstack(store).createDevice(device, Map.of(),
            Map.of(ConsoleNodes.PROTOCOL, ConsoleNodes.PROTOCOL_VT100, ConsoleNodes.TYPE, ConsoleNodes.TYPE_XENCONSOLED,
                ConsoleNodes.NAME, name));
    }
}
