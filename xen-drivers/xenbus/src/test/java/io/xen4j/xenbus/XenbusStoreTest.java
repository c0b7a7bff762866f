package io.xen4j.xenbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.xenbus.XenbusState;
import io.xen4j.hal.memory.xenstore.InProcessTransport;
import io.xen4j.hal.memory.xenstore.XenstoreService;
import io.xen4j.store.XenStoreClient;
import io.xen4j.store.XenStoreException;
import io.xen4j.store.XsPermission;
import io.xen4j.store.XsPermission.Access;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The toolstack, the backend watcher and the state nodes through the in-memory xenstored. */
final class XenbusStoreTest {
    private final XenstoreService service = new XenstoreService();
    private final XenStoreClient dom0;
    private final XenStoreClient guest;
    private final XenStoreClient other;

    XenbusStoreTest() {
        service.run(core -> {
            core.createDomainHome(0, "Domain-0");
            core.introduceDomain(5);
            core.createDomainHome(5, "guest");
            core.introduceDomain(6);
            core.createDomainHome(6, "other");
        });
        dom0 = XenStoreClient.connect(InProcessTransport.connect(service, 0));
        guest = XenStoreClient.connect(InProcessTransport.connect(service, 5));
        other = XenStoreClient.connect(InProcessTransport.connect(service, 6));
    }

    @AfterEach
    void close() {
        dom0.close();
        guest.close();
        other.close();
    }

    @Test
    void movingADeviceToANewBackendDomainRepermissionsTheFrontendAndReplacesTheBackend() {
        final DevicePaths from = new DevicePaths("vbd", 5, 0, 51712);
        final DevicePaths to = new DevicePaths("vbd", 5, 6, 51712);
        final XenbusToolstack toolstack = new XenbusToolstack(dom0);
        toolstack.createDevice(from, Map.of("device-type", "disk"), Map.of("mode", "w"));
        guest.write(from.frontend("protocol"), "x86_64-abi");
        assertEquals(XenStoreException.class, assertThrows(XenStoreException.class,
            () -> other.read(from.frontend("device-type"))).getClass(), "dom6 may not read yet");
        toolstack.moveBackend(from, to, Map.of("mode", "r"));
        assertEquals("disk", other.read(to.frontend("device-type")));
        assertEquals("x86_64-abi", other.read(to.frontend("protocol")));
        assertEquals(XenbusState.XENBUS_STATE_INITIALISING, XenbusStates.read(other, to.frontend()));
        assertEquals("6", guest.read(to.frontend("backend-id")));
        assertEquals(to.backend(), guest.read(to.frontend("backend")));
        assertEquals("r", guest.read(to.backend("mode")));
        assertEquals(XenbusState.XENBUS_STATE_INITIALISING, XenbusStates.read(guest, to.backend()));
        assertEquals(List.of(XsPermission.of(Access.NONE, 5), XsPermission.of(Access.READ, 6)),
            dom0.getPermissions(to.frontend("protocol")));
        assertTrue(!dom0.exists(from.backend()), "the old backend directory is gone");
        assertThrows(IllegalArgumentException.class, () -> toolstack.moveBackend(from, new DevicePaths("vbd", 5, 6, 1), Map.of()));
    }

    @Test
    void theToolstackCreatesBothDirectoriesWithLibxlPermissions() {
        final DevicePaths d = new DevicePaths("vbd", 5, 0, 51712);
        new XenbusToolstack(dom0).createDevice(d, Map.of("virtual-device", "51712"), Map.of("mode", "w"));
        assertEquals("/local/domain/5/device/vbd/51712", d.frontend());
        assertEquals("/local/domain/0/backend/vbd/5/51712", d.backend());
        assertEquals(d.backend(), guest.read(d.frontend("backend")));
        assertEquals("0", guest.read(d.frontend("backend-id")));
        assertEquals(d.frontend(), dom0.read(d.backend("frontend")));
        assertEquals("w", guest.read(d.backend("mode")));
        assertEquals(XenbusState.XENBUS_STATE_INITIALISING, XenbusStates.read(guest, d.backend()));
        assertEquals(List.of(XsPermission.of(Access.NONE, 5), XsPermission.of(Access.READ, 0)),
            dom0.getPermissions(d.frontend()));
        // The frontend owns its directory and writes its state; it cannot write the backend's.
        XenbusStates.write(guest, d.frontend(), XenbusState.XENBUS_STATE_INITIALISED);
        assertThrows(XenStoreException.class, () -> guest.write(d.backend("state"), "4"));
        // A third domain sees neither.
        assertThrows(XenStoreException.class, () -> other.read(d.frontend("state")));
        assertThrows(XenStoreException.class, () -> other.read(d.backend("state")));
        new XenbusToolstack(dom0).destroyDevice(d);
        assertEquals(XenbusState.XENBUS_STATE_UNKNOWN, XenbusStates.read(dom0, d.backend()));
        assertTrue(!dom0.exists(d.frontend()));
    }

    @Test
    void theBackendWatcherDiscoversNewAndRemovedDevices() throws Exception {
        final List<String> seen = new CopyOnWriteArrayList<>();
        final XenbusToolstack toolstack = new XenbusToolstack(dom0);
        try (BackendWatcher w = new BackendWatcher(dom0, 0, "vbd", new BackendWatcher.Listener() {
            @Override
            public void deviceAdded(final DevicePaths device) {
                seen.add("+" + device.name());
            }

            @Override
            public void deviceRemoved(final DevicePaths device) {
                seen.add("-" + device.name());
            }
        })) {
            final DevicePaths a = new DevicePaths("vbd", 5, 0, 51712);
            final DevicePaths b = new DevicePaths("vbd", 6, 0, 51728);
            toolstack.createDevice(a, Map.of(), Map.of());
            toolstack.createDevice(b, Map.of(), Map.of());
            // Garbage names under the directory are ignored.
            dom0.write(DevicePaths.backendRoot(0, "vbd") + "/x/1", "junk");
            awaitSize(seen, 2);
            toolstack.destroyDevice(a);
            awaitSize(seen, 3);
            // Both additions (in any order, one scan may see both), then the removal.
            assertEquals(java.util.Set.of("+vbd-5-51712", "+vbd-6-51728"), java.util.Set.copyOf(seen.subList(0, 2)));
            assertEquals("-vbd-5-51712", seen.get(2));
            assertEquals(java.util.Set.of(b), w.devices());
        }
    }

    private static void awaitSize(final List<String> list, final int size) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (list.size() < size && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(size, list.size(), list.toString());
    }

    @Test
    void aUserSpaceBackendKindMovesOnlyTheBackendDirectoryAndItsWatcherFindsIt() throws Exception {
        final DevicePaths d = new DevicePaths("vbd", 5, 0, 51728).withBackendKind("xen4j-vbd");
        assertEquals("/local/domain/5/device/vbd/51728", d.frontend());
        assertEquals("/local/domain/0/backend/xen4j-vbd/5/51728", d.backend());
        assertEquals("vbd-5-51728", d.name());
        assertEquals(new DevicePaths("vbd", 5, 0, 51728), new DevicePaths("vbd", 5, 0, 51728, "vbd"));
        assertThrows(IllegalArgumentException.class, () -> d.withBackendKind("../vbd"));
        assertThrows(IllegalArgumentException.class, () -> d.withBackendKind(""));

        final List<String> kernel = new CopyOnWriteArrayList<>();
        final List<DevicePaths> userSpace = new CopyOnWriteArrayList<>();
        try (BackendWatcher vbd = new BackendWatcher(dom0, 0, "vbd", listener(kernel));
             BackendWatcher xen4j = new BackendWatcher(dom0, 0, "vbd", "xen4j-vbd", new BackendWatcher.Listener() {
                 @Override
                 public void deviceAdded(final DevicePaths device) {
                     userSpace.add(device);
                 }

                 @Override
                 public void deviceRemoved(final DevicePaths device) {
                     // Not removed here.
                 }
             })) {
            new XenbusToolstack(dom0).createDevice(d, Map.of(), Map.of());
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (userSpace.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(List.of(d), userSpace, "the user-space backend's watcher sees the device with its kind");
            assertEquals(List.of(), kernel, "nothing under backend/vbd for the kernel's blkback");
            assertEquals(d.backend(), guest.read(d.frontend("backend")), "the frontend follows its backend node");
        }
    }

    private static BackendWatcher.Listener listener(final List<String> seen) {
        return new BackendWatcher.Listener() {
            @Override
            public void deviceAdded(final DevicePaths device) {
                seen.add("+" + device.name());
            }

            @Override
            public void deviceRemoved(final DevicePaths device) {
                seen.add("-" + device.name());
            }
        };
    }

    @Test
    void aMissingStateReadsAsUnknownAndGarbageAsInvalid() {
        assertEquals(XenbusState.XENBUS_STATE_UNKNOWN, XenbusStates.read(dom0, "/local/domain/5/device/vbd/1"));
        guest.write("/local/domain/5/device/state", "banana");
        assertEquals(XenbusStates.INVALID, XenbusStates.read(dom0, "/local/domain/5/device"));
        assertThrows(IllegalArgumentException.class, () -> new DevicePaths("../x", 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new DevicePaths("vbd", 70000, 0, 1));
    }
}
