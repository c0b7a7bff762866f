package io.xen4j.net;

import static io.xen4j.abi.xenbus.XenbusState.XENBUS_STATE_CLOSED;
import static io.xen4j.abi.xenbus.XenbusState.XENBUS_STATE_CLOSING;
import static io.xen4j.abi.xenbus.XenbusState.XENBUS_STATE_CONNECTED;
import static io.xen4j.abi.xenbus.XenbusState.XENBUS_STATE_INITIALISED;
import static io.xen4j.abi.xenbus.XenbusState.XENBUS_STATE_INIT_WAIT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.xen4j.abi.netif.NetifTxRequest;
import io.xen4j.abi.ring.SringHeader;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.MappedGrants;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.hal.memory.xenstore.XenstoreService;
import io.xen4j.store.XenStoreClient;
import io.xen4j.xenbus.DevicePaths;
import io.xen4j.xenbus.XenbusStates;
import io.xen4j.xenbus.XenbusToolstack;
import io.xen4j.xenbus.testing.GuestStores;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The order of the netif handshake (issue 7): xen4j's {@link NetFront} goes from Initialising
 * straight to Connected on the backend's InitWait, with its rings written, as Linux's netfront does,
 * because Linux's netback ignores a frontend's Initialised and maps the rings only on its Connected;
 * no frame goes out before the backend is Connected. xen4j's {@link NetBack} still connects a
 * frontend that says Initialised first. And a backend under its own kind
 * ({@link NetBack#USERSPACE_KIND}) serves a frontend that follows its {@code backend} node.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class NetHandshakeOrderTest {
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** A simulated host with one guest and a vif whose backend a test plays by hand. */
    private static final class Host implements AutoCloseable {
        final SimulatedXen xen = SimulatedXen.create();
        final SimulatedDomain guest = xen.createDomain("guest");
        final XenstoreService xenstore = new XenstoreService();
        final XenStoreClient dom0Store;
        final XenStoreClient guestStore;
        final DevicePaths device;

        Host() {
            final int g = guest.domid();
            final GuestStores stores = GuestStores.connect(xenstore, g);
            dom0Store = stores.dom0();
            guestStore = stores.guest();
            device = new DevicePaths("vif", g, 0, 0);
            new XenbusToolstack(dom0Store).createDevice(device, Map.of("mac", "00:16:3e:00:00:01", "handle", "0"),
                Map.of("mac", "00:16:3e:00:00:01", "handle", "0"));
        }

        /** Linux's netback at probe: its features, then InitWait. */
        void linuxNetbackProbe() {
            for (final String node : List.of("feature-sg", "feature-gso-tcpv4", "feature-gso-tcpv6", "feature-ipv6-csum-offload",
                "feature-rx-copy", "feature-multicast-control", "feature-dynamic-multicast-control")) {
                dom0Store.write(device.backend(node), "1");
            }
            dom0Store.write(device.backend("feature-rx-flip"), "0");
            dom0Store.write(device.backend("feature-split-event-channels"), "0");
            dom0Store.write(device.backend("multi-queue-max-queues"), "1");
            XenbusStates.write(dom0Store, device.backend(), XENBUS_STATE_INIT_WAIT);
        }

        int frontState() {
            return XenbusStates.read(dom0Store, device.frontend());
        }

        int backState() {
            return XenbusStates.read(dom0Store, device.backend());
        }

        @Override
        public void close() {
            guestStore.close();
            dom0Store.close();
            xen.close();
        }
    }

    private static void until(final BooleanSupplier done, final Runnable step, final String what) {
        final long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            step.run();
        }
    }

    private static ByteBuf udp(final long src, final long dst, final int bytes) {
        return TestFrames.udp(false, src, dst, 4000, 5000, new byte[bytes], false);
    }

    @Test
    void netfrontGoesConnectedWithItsRingsAndSendsOnlyOnceALinuxStyleBackendIsConnected() {
        try (Host h = new Host()) {
            h.linuxNetbackProbe();
            final NetFront front = new NetFront(h.guest.host(), h.guestStore, h.device, NetFrontConfig.defaults(), (f, o) -> { });
            try {
                front.start();
                until(() -> h.frontState() != 1, front::doWork, "the frontend's answer to InitWait");
                // Straight to Connected (never Initialised), with everything the backend reads at its connect.
                assertEquals(XENBUS_STATE_CONNECTED, h.frontState(), "netfront state after the backend's InitWait");
                for (final String node : List.of("tx-ring-ref", "rx-ring-ref", "event-channel", "request-rx-copy",
                    "feature-rx-notify", "feature-sg", "feature-gso-tcpv4")) {
                    assertTrue(h.dom0Store.exists(h.device.frontend(node)), node + " written before Connected");
                }
                assertEquals("1", h.dom0Store.read(h.device.frontend("request-rx-copy")));
                assertFalse(front.isConnected(), "connected before the backend is");
                assertFalse(front.connected().isDone(), "connected() completed before the backend is Connected");

                // A frame sent now waits: the backend has not mapped the rings yet.
                final ByteBuf early = udp(0x00163E000001L, 0x00163E000002L, 100);
                final byte[] earlyBytes = new byte[early.readableBytes()];
                early.getBytes(0, earlyBytes);
                assertTrue(front.send(early, Offload.NONE));
                for (int i = 0; i < 20; i++) {
                    front.doWork();
                }
                final int g = h.guest.domid();
                try (MappedGrants tx = h.xen.dom0().host().grantTables().map(g,
                         Integer.parseInt(h.dom0Store.read(h.device.frontend("tx-ring-ref"))), true)) {
                    assertEquals(0, tx.buffer().getIntVolatile(SringHeader.REQ_PROD_OFFSET), "tx requests before the backend connected");
                    // The backend side, as Linux's netback on the frontend's Connected: bind, map, go Connected.
                    final EventChannel ch = h.xen.dom0().host().eventChannels().bindInterdomain(g,
                        Integer.parseInt(h.dom0Store.read(h.device.frontend("event-channel"))), EventChannel::unmask);
                    try {
                        XenbusStates.write(h.dom0Store, h.device.backend(), XENBUS_STATE_CONNECTED);
                        until(front::isConnected, front::doWork, "netfront to see the backend's Connected");
                        assertTrue(front.connected().isDone());
                        for (int i = 0; i < 4; i++) {
                            front.doWork();
                        }
                        assertEquals(1, tx.buffer().getIntVolatile(SringHeader.REQ_PROD_OFFSET), "the waiting frame's slot");
                        final int at = SringHeader.RING_OFFSET;
                        assertEquals(earlyBytes.length, tx.buffer().getShort(at + NetifTxRequest.SIZE_OFFSET, ByteOrder.LITTLE_ENDIAN));
                        assertEquals(XENBUS_STATE_CONNECTED, h.frontState(), "the frontend's state did not move again");
                        assertNull(front.brokenReason());
                    } finally {
                        ch.close();
                    }
                }
            } finally {
                front.close();
            }
        }
    }

    @Test
    void aBackendThatClosesBeforeItConnectedGetsAClosedFrontendAndNoGrantIsLeft() {
        try (Host h = new Host()) {
            h.linuxNetbackProbe();
            final NetFront front = new NetFront(h.guest.host(), h.guestStore, h.device, NetFrontConfig.defaults(), (f, o) -> { });
            try {
                front.start();
                until(() -> h.frontState() == XENBUS_STATE_CONNECTED, front::doWork, "the frontend's Connected");
                // The backend gives up before connecting (a failed hotplug, a detach): Closing.
                XenbusStates.write(h.dom0Store, h.device.backend(), XENBUS_STATE_CLOSING);
                until(() -> h.frontState() == XENBUS_STATE_CLOSED, front::doWork, "the frontend's Closed");
                assertEquals(0, front.leakedGrants());
                assertNull(front.brokenReason());
                assertFalse(front.connected().isDone());
            } finally {
                front.close();
            }
        }
    }

    @Test
    void ringsTheBackendStillMapsAtADetachAreReleasedOnceItLetsGoOfThem() {
        try (RawNetBackend b = new RawNetBackend()) {
            // As xl network-detach against Linux's netback: Closing; the frontend ends its grants and
            // writes Closed while the backend still maps the rings (it unmaps on that Closed).
            XenbusStates.write(b.dom0Store, b.device.backend(), XENBUS_STATE_CLOSING);
            until(() -> XenbusStates.read(b.dom0Store, b.device.frontend()) == XENBUS_STATE_CLOSED, b.front::doWork,
                "the frontend's Closed");
            assertEquals(2, b.front.leakedGrants(), "the tx and rx ring pages, still mapped");
            for (int i = 0; i < 20; i++) {
                b.front.doWork();
            }
            assertEquals(2, b.front.leakedGrants(), "released while still mapped");
            b.txPage.close();
            b.rxPage.close();
            until(() -> b.front.leakedGrants() == 0, b.front::doWork, "the ring pages' release after the unmap");
            assertNull(b.front.brokenReason());
        }
    }

    @Test
    void netbackConnectsNetfrontWhoseConnectedComesWhileTheBackendWaitsInInitWait() {
        try (Host h = new Host()) {
            final CapturePort port = new CapturePort();
            final NetBack back = new NetBack(h.xen.dom0().host(), h.dom0Store, h.device, port, NetBackConfig.full());
            final LinkedBlockingQueue<byte[]> got = new LinkedBlockingQueue<>();
            final NetFront front = new NetFront(h.guest.host(), h.guestStore, h.device, NetFrontConfig.defaults(), (f, o) -> {
                final byte[] b = new byte[f.readableBytes()];
                f.getBytes(f.readerIndex(), b);
                got.add(b);
            });
            try {
                back.start();
                front.start();
                assertEquals(XENBUS_STATE_INIT_WAIT, h.backState());
                until(() -> h.frontState() == XENBUS_STATE_CONNECTED, front::doWork, "the frontend's Connected");
                // The frontend is Connected first; the backend still waits in InitWait.
                assertEquals(XENBUS_STATE_INIT_WAIT, h.backState());
                until(back::isConnected, back::doWork, "netback to connect on the frontend's Connected");
                assertEquals(XENBUS_STATE_CONNECTED, h.backState());
                until(front::isConnected, front::doWork, "netfront to see the backend's Connected");

                final ByteBuf out = udp(0x00163E000001L, 0x00163E000002L, 200);
                final byte[] outBytes = new byte[out.readableBytes()];
                out.getBytes(0, outBytes);
                assertTrue(front.send(out, Offload.NONE));
                until(() -> !port.sent.isEmpty(), () -> {
                    front.doWork();
                    back.doWork();
                }, "the frame at the backend's port");
                assertArrayEquals(outBytes, port.sent.get(0).frame());

                final ByteBuf in = udp(0x00163E000002L, 0x00163E000001L, 300);
                final byte[] inBytes = new byte[in.readableBytes()];
                in.getBytes(0, inBytes);
                port.inbox.add(inBytes);
                until(() -> !got.isEmpty(), () -> {
                    back.doWork();
                    front.doWork();
                }, "the frame at the frontend");
                assertArrayEquals(inBytes, got.poll());
                assertNull(front.brokenReason());
                assertNull(back.brokenReason());
            } finally {
                front.close();
                back.close();
            }
        }
    }

    @Test
    void aNetbackStartedUnderAStaleConnectedFrontendConnectsOnlyOnceItWritesNewRings() {
        try (Host h = new Host()) {
            // A frontend left Connected by a backend that died: its ring nodes are a previous backend's.
            h.guestStore.write(h.device.frontend("tx-ring-ref"), "77");
            h.guestStore.write(h.device.frontend("rx-ring-ref"), "78");
            h.guestStore.write(h.device.frontend("event-channel"), "9");
            h.guestStore.write(h.device.frontend("request-rx-copy"), "1");
            XenbusStates.write(h.guestStore, h.device.frontend(), XENBUS_STATE_CONNECTED);
            final NetBack back = new NetBack(h.xen.dom0().host(), h.dom0Store, h.device, new CapturePort(), NetBackConfig.full());
            final NetFront front = new NetFront(h.guest.host(), h.guestStore, h.device, NetFrontConfig.defaults(), (f, o) -> { });
            try {
                back.start();
                for (int i = 0; i < 50; i++) {
                    back.doWork();
                }
                assertFalse(back.isConnected(), "connected to a previous backend's rings");
                assertNull(back.brokenReason());
                assertEquals(XENBUS_STATE_INIT_WAIT, h.backState());
                // The frontend starts over: Initialising, then its new rings and Connected, with no
                // backend step in between (the backend's state watch sees Connected only).
                front.start();
                until(() -> h.frontState() == XENBUS_STATE_CONNECTED && h.dom0Store.exists(h.device.frontend("feature-rx-notify")),
                    front::doWork, "the frontend's new rings");
                until(back::isConnected, back::doWork, "netback to take the new rings");
                until(front::isConnected, front::doWork, "netfront to see the backend's Connected");
                assertNull(back.brokenReason());
                assertNull(front.brokenReason());
            } finally {
                front.close();
                back.close();
            }
        }
    }

    @Test
    void netbackConnectsAFrontendThatSaysInitialisedFirstAndKeepsItsConnectionOnItsLaterConnected() {
        try (RawNetFrontend f = new RawNetFrontend(NetBackConfig.full())) {
            // The constructor wrote Initialised and waited for the backend to connect.
            assertTrue(f.back.isConnected());
            assertEquals(XENBUS_STATE_INITIALISED, XenbusStates.read(f.dom0Store, f.device.frontend()));
            // Such a frontend goes Connected after the backend did: nothing changes.
            XenbusStates.write(f.guestStore, f.device.frontend(), XENBUS_STATE_CONNECTED);
            for (int i = 0; i < 8; i++) {
                f.back.doWork();
            }
            assertTrue(f.back.isConnected());
            assertEquals(XENBUS_STATE_CONNECTED, XenbusStates.read(f.dom0Store, f.device.backend()));
            assertNull(f.back.brokenReason());
        }
    }

    @Test
    void aNetbackUnderItsOwnKindServesFrontendsThatFollowTheirBackendNode() throws Exception {
        // Written on the agents' thread, read on this one.
        final List<byte[]> atA = new CopyOnWriteArrayList<>();
        final List<byte[]> atB = new CopyOnWriteArrayList<>();
        try (NetWorld w = new NetWorld()) {
            final SimulatedDomain ga = w.guest("a");
            final SimulatedDomain gb = w.guest("b");
            final DevicePaths da = new DevicePaths("vif", ga.domid(), 0, 0).withBackendKind(NetBack.USERSPACE_KIND);
            final DevicePaths db = new DevicePaths("vif", gb.domid(), 0, 0).withBackendKind(NetBack.USERSPACE_KIND);
            final NetWorld.Nic a = w.add(da, ga, TestFrames.MAC_A, w.sw.port("a"), NetBackConfig.full(), NetFrontConfig.defaults(),
                (f, o) -> atA.add(bytes(f)));
            final NetWorld.Nic b = w.add(db, gb, TestFrames.MAC_B, w.sw.port("b"), NetBackConfig.full(), NetFrontConfig.defaults(),
                (f, o) -> atB.add(bytes(f)));
            // The frontend's directory is the usual device/vif; its backend node names the other kind.
            assertEquals("/local/domain/" + ga.domid() + "/device/vif/0", da.frontend());
            assertEquals("/local/domain/0/backend/xen4j-vif/" + ga.domid() + "/0", w.dom0Store.read(da.frontend("backend")));
            assertFalse(w.dom0Store.exists("/local/domain/0/backend/vif"), "nothing under the kernel's backend/vif");
            w.start();
            a.awaitConnected();
            b.awaitConnected();
            assertEquals("4", w.dom0Store.read(da.backend("state")));
            final ByteBuf ab = udp(TestFrames.MAC_A, TestFrames.MAC_B, 120);
            final byte[] abBytes = bytes(ab);
            final ByteBuf ba = udp(TestFrames.MAC_B, TestFrames.MAC_A, 140);
            final byte[] baBytes = bytes(ba);
            assertTrue(a.front.send(ab, Offload.NONE));
            assertTrue(b.front.send(ba, Offload.NONE));
            final long deadline = System.nanoTime() + DEADLINE_NANOS;
            while ((atA.isEmpty() || atB.isEmpty()) && System.nanoTime() - deadline < 0) {
                Thread.sleep(5);
            }
            w.stop();
            assertEquals(1, atB.size(), "frames at b");
            assertEquals(1, atA.size(), "frames at a");
            assertArrayEquals(abBytes, atB.get(0));
            assertArrayEquals(baBytes, atA.get(0));
            assertNull(a.back.brokenReason());
            assertNull(b.back.brokenReason());
        }
    }

    private static byte[] bytes(final ByteBuf f) {
        final byte[] b = new byte[f.readableBytes()];
        f.getBytes(f.readerIndex(), b);
        return b;
    }
}
