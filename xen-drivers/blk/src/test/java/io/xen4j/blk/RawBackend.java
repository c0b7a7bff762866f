package io.xen4j.blk;

import io.xen4j.abi.ring.SringHeader;
import io.xen4j.blk.internal.BlkifAbi;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.MappedGrants;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.hal.memory.xenstore.XenstoreService;
import io.xen4j.rings.BackRing;
import io.xen4j.store.XenStoreClient;
import io.xen4j.xenbus.DevicePaths;
import io.xen4j.xenbus.XenbusToolstack;
import io.xen4j.xenbus.testing.GuestStores;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.agrona.MutableDirectBuffer;

/**
 * A hand-driven dom0 that plays a hostile blkback against a real {@link BlkFront}: it writes the
 * backend nodes itself, maps the frontend's ring and answers with whatever a test gives it. The
 * frontend's {@code doWork()} is called by hand.
 */
final class RawBackend implements AutoCloseable {
    /** A request as the backend saw it. */
    record Request(long id, int operation) {
    }

    final SimulatedXen xen = SimulatedXen.create();
    final SimulatedDomain guest = xen.createDomain("guest");
    final XenstoreService xenstore = new XenstoreService();
    final XenStoreClient dom0Store;
    final XenStoreClient guestStore;
    final DevicePaths device;
    final BlkFront front;
    final BackRing ring;
    final MappedGrants ringPage;
    final EventChannel channel;
    final BlkifAbi abi;

    RawBackend(final BlkifAbi abi) {
        this.abi = abi;
        final int g = guest.domid();
        final GuestStores stores = GuestStores.connect(xenstore, g);
        dom0Store = stores.dom0();
        guestStore = stores.guest();
        device = new DevicePaths("vbd", g, 0, 51712);
        new XenbusToolstack(dom0Store).createDevice(device, Map.of(), Map.of());
        dom0Store.write(device.backend("sectors"), "2048");
        dom0Store.write(device.backend("sector-size"), "512");
        dom0Store.write(device.backend("info"), "0");
        dom0Store.write(device.backend("feature-flush-cache"), "1");
        dom0Store.write(device.backend("state"), "2");
        front = new BlkFront(guest.host(), guestStore, device, new BlkFrontConfig(abi.protocol(), 0, 0));
        front.start();
        spinUntil(() -> "3".equals(readQuietly(device.frontend("state"))));
        final int ref = Integer.parseUnsignedInt(dom0Store.read(device.frontend("ring-ref")));
        final int port = Integer.parseInt(dom0Store.read(device.frontend("event-channel")));
        ringPage = xen.dom0().host().grantTables().map(g, new int[] {ref}, true);
        ring = new BackRing("raw-back", abi.requestLength, abi.responseLength).init(ringPage.buffer());
        channel = xen.dom0().host().eventChannels().bindInterdomain(g, port, EventChannel::unmask);
        dom0Store.write(device.backend("state"), "4");
        spinUntil(front::isConnected);
    }

    private String readQuietly(final String path) {
        try {
            return dom0Store.read(path);
        } catch (final RuntimeException e) {
            return "";
        }
    }

    void spinUntil(final java.util.function.BooleanSupplier done) {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out; frontend: " + front.brokenReason());
            }
            front.doWork();
            Thread.onSpinWait();
        }
    }

    /** Runs the frontend a few times, then takes the requests it put on the ring. */
    List<Request> requests() {
        for (int i = 0; i < 4; i++) {
            front.doWork();
        }
        final List<Request> out = new ArrayList<>();
        ring.pollRequests((copy, index) -> {
            final int op = copy.getByte(0) & 0xFF;
            final int idOffset = op == 6 ? abi.indirectIdOffset : abi.idOffset;
            out.add(new Request(copy.getLong(idOffset, ByteOrder.LITTLE_ENDIAN), op));
        }, Integer.MAX_VALUE);
        return out;
    }

    /** Answers (whatever the values), pushes, runs the frontend. */
    void respond(final long id, final int operation, final int status) {
        answer(id, operation, status);
        for (int i = 0; i < 4; i++) {
            front.doWork();
        }
    }

    /** Answers (whatever the values) and pushes; the frontend has not run. */
    void answer(final long id, final int operation, final int status) {
        final int slot = ring.claimResponse();
        final MutableDirectBuffer b = ring.buffer();
        b.putLong(slot, id, ByteOrder.LITTLE_ENDIAN);
        b.putByte(slot + 8, (byte) operation);
        b.putShort(slot + 10, (short) status, ByteOrder.LITTLE_ENDIAN);
        ring.pushResponses();
    }

    /** Writes a hostile {@code rsp_prod}. */
    void hostileRspProd(final int value) {
        ringPage.buffer().putIntVolatile(SringHeader.RSP_PROD_OFFSET, value);
        for (int i = 0; i < 4; i++) {
            front.doWork();
        }
    }

    @Override
    public void close() {
        front.close();
        ringPage.close();
        guestStore.close();
        dom0Store.close();
        xen.close();
    }
}
