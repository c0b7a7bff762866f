package io.xen4j.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.xen4j.abi.netif.NetifRxRequest;
import io.xen4j.abi.netif.NetifRxResponse;
import io.xen4j.abi.netif.NetifTxRequest;
import io.xen4j.abi.netif.NetifTxResponse;
import io.xen4j.abi.ring.SringHeader;
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
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A hand-driven dom0 that speaks netif to a real {@link NetFront} without netback's manners: it
 * maps the frontend's rings and writes whatever responses a test gives it. The frontend's
 * {@code doWork()} is called by hand.
 */
final class RawNetBackend implements AutoCloseable {
    /** A tx request as the backend saw it. */
    record TxReq(int gref, int offset, int flags, int id, int size) {
    }

    final SimulatedXen xen = SimulatedXen.create();
    final SimulatedDomain guest = xen.createDomain("guest");
    final XenstoreService xenstore = new XenstoreService();
    final XenStoreClient dom0Store;
    final XenStoreClient guestStore;
    final DevicePaths device;
    final List<byte[]> received = new ArrayList<>();
    final List<Offload> offloads = new ArrayList<>();
    final NetFront front;
    final MappedGrants txPage;
    final MappedGrants rxPage;
    final BackRing tx;
    final BackRing rx;
    final EventChannel channel;
    private final UnsafeBuffer copy = new UnsafeBuffer(new byte[16]);
    /** The control ring, when the frontend made one. */
    @org.jspecify.annotations.Nullable BackRing ctrl;

    RawNetBackend() {
        this(new NetFrontConfig(1, true, true, true, true, true, false, false, 64), false);
    }

    /** A backend that offers {@code feature-ctrl-ring} when {@code ctrlRing}, and maps the frontend's control ring. */
    RawNetBackend(final NetFrontConfig config, final boolean ctrlRing) {
        this(config, ctrlRing, 0);
    }

    /** A backend whose frontend's rings start at {@code ringStart}; this backend attaches at their shared rsp_prod. */
    RawNetBackend(final NetFrontConfig config, final boolean ctrlRing, final int ringStart) {
        final int g = guest.domid();
        final GuestStores stores = GuestStores.connect(xenstore, g);
        dom0Store = stores.dom0();
        guestStore = stores.guest();
        device = new DevicePaths("vif", g, 0, 0);
        new XenbusToolstack(dom0Store).createDevice(device, Map.of("mac", "00:16:3e:00:00:01"), Map.of());
        dom0Store.write(device.backend("feature-rx-copy"), "1");
        dom0Store.write(device.backend("feature-sg"), "1");
        dom0Store.write(device.backend("feature-gso-tcpv4"), "1");
        dom0Store.write(device.backend("mtu"), "9000");
        if (ctrlRing) {
            dom0Store.write(device.backend("feature-ctrl-ring"), "1");
        }
        dom0Store.write(device.backend("state"), "2");
        front = new NetFront(guest.host(), guestStore, device, config,
            (f, o) -> {
                final byte[] b = new byte[f.readableBytes()];
                f.getBytes(f.readerIndex(), b);
                received.add(b);
                offloads.add(o);
            });
        front.startRingsAt(ringStart);
        front.start();
        final long deadline = System.nanoTime() + 10_000_000_000L;
        // As Linux's netback: the rings are mapped once the frontend is Connected (it skips Initialised).
        while (!"4".equals(dom0Store.read(device.frontend("state"))) && System.nanoTime() < deadline) {
            front.doWork();
            Thread.onSpinWait();
        }
        txPage = xen.dom0().host().grantTables().map(g, Integer.parseInt(dom0Store.read(device.frontend("tx-ring-ref"))), true);
        rxPage = xen.dom0().host().grantTables().map(g, Integer.parseInt(dom0Store.read(device.frontend("rx-ring-ref"))), true);
        tx = new BackRing("raw-tx", NetifTxRequest.LENGTH, NetifTxResponse.LENGTH)
            .attach(txPage.buffer(), txPage.buffer().getIntVolatile(SringHeader.RSP_PROD_OFFSET));
        rx = new BackRing("raw-rx", NetifRxRequest.LENGTH, NetifRxResponse.LENGTH)
            .attach(rxPage.buffer(), rxPage.buffer().getIntVolatile(SringHeader.RSP_PROD_OFFSET));
        channel = xen.dom0().host().eventChannels().bindInterdomain(g,
            Integer.parseInt(dom0Store.read(device.frontend("event-channel"))), EventChannel::unmask);
        final String ctrlRef = ctrlRing ? dom0Store.read(device.frontend("ctrl-ring-ref")) : null;
        if (ctrlRef != null) {
            final MappedGrants m = xen.dom0().host().grantTables().map(g, Integer.parseInt(ctrlRef), true);
            ctrl = new BackRing("raw-ctrl", 16, 12).attach(m.buffer(), m.buffer().getIntVolatile(SringHeader.RSP_PROD_OFFSET));
        }
        dom0Store.write(device.backend("state"), "4");
        while (!front.isConnected() && front.brokenReason() == null && System.nanoTime() < deadline) {
            front.doWork();
            Thread.onSpinWait();
        }
        if (!front.isConnected()) {
            throw new IllegalStateException("frontend did not connect: " + front.brokenReason());
        }
        work();
    }

    void work() {
        for (int i = 0; i < 4; i++) {
            front.doWork();
        }
    }

    /**
     * Answers every waiting control request with {@code status}, echoing its id and type.
     *
     * @return the request types answered
     */
    List<Integer> answerCtrl(final int status) {
        final BackRing r = java.util.Objects.requireNonNull(ctrl);
        final List<Integer> types = new ArrayList<>();
        while (r.unconsumedRequests() > 0 && r.copyRequest(copy, 0)) {
            types.add(copy.getShort(2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF);
            ctrlResponse(copy.getShort(0, ByteOrder.LITTLE_ENDIAN) & 0xFFFF, copy.getShort(2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF, status);
        }
        r.pushResponses();
        work();
        return types;
    }

    /** Consumes every waiting control request without answering. */
    int consumeCtrl() {
        final BackRing r = java.util.Objects.requireNonNull(ctrl);
        int n = 0;
        while (r.unconsumedRequests() > 0 && r.copyRequest(copy, 0)) {
            n++;
        }
        return n;
    }

    /** Writes one control response (any values) into the next response slot. */
    void ctrlResponse(final int id, final int type, final int status) {
        final BackRing r = java.util.Objects.requireNonNull(ctrl);
        final int at = r.claimResponse();
        r.buffer().putShort(at, (short) id, ByteOrder.LITTLE_ENDIAN);
        r.buffer().putShort(at + 2, (short) type, ByteOrder.LITTLE_ENDIAN);
        r.buffer().putInt(at + 4, status, ByteOrder.LITTLE_ENDIAN);
        r.buffer().putInt(at + 8, 0, ByteOrder.LITTLE_ENDIAN);
    }

    /** Consumes the next rx request: its id and grant reference. */
    int[] takeRx() {
        if (rx.unconsumedRequests() == 0 || !rx.copyRequest(copy, 0)) {
            throw new IllegalStateException("no rx request posted");
        }
        return new int[] {NetifRxRequest.id(copy, 0), NetifRxRequest.gref(copy, 0)};
    }

    /** Writes an rx response into the next response slot. */
    void rxResponse(final int id, final int offset, final int flags, final int status) {
        final int at = rx.claimResponse();
        final MutableDirectBuffer b = rx.buffer();
        b.putShort(at + NetifRxResponse.ID_OFFSET, (short) id, ByteOrder.LITTLE_ENDIAN);
        b.putShort(at + NetifRxResponse.OFFSET_OFFSET, (short) offset, ByteOrder.LITTLE_ENDIAN);
        b.putShort(at + NetifRxResponse.FLAGS_OFFSET, (short) flags, ByteOrder.LITTLE_ENDIAN);
        b.putShort(at + NetifRxResponse.STATUS_OFFSET, (short) status, ByteOrder.LITTLE_ENDIAN);
    }

    /** Writes raw bytes (an extra-info) into the next rx response slot. */
    void rxRaw(final byte[] eight) {
        final int at = rx.claimResponse();
        rx.buffer().putBytes(at, eight);
    }

    /** Fills a posted rx buffer by grant copy, as netback would. */
    void fill(final int gref, final int offset, final byte[] bytes) {
        final io.xen4j.hal.api.GrantCopyBatch batch = new io.xen4j.hal.api.GrantCopyBatch(1);
        batch.addLocalToGrant(new UnsafeBuffer(bytes), 0, guest.domid(), gref, offset, bytes.length);
        xen.dom0().host().grantTables().copy(batch);
    }

    void pushRx() {
        rx.pushResponses();
        work();
    }

    /** Publishes the rx responses written and says whether the frontend asked (rsp_event) to hear of them. */
    boolean pushRxAndCheckNotify() {
        final boolean notify = rx.pushResponsesAndCheckNotify();
        work();
        return notify;
    }

    /** Sends a frame from the frontend and returns the tx requests it produced. */
    List<TxReq> sendFromFront(final int size) {
        final ByteBuf f = Unpooled.buffer(size).writeZero(size);
        f.setShort(12, 0x88B5);
        front.send(f, Offload.NONE);
        work();
        final List<TxReq> out = new ArrayList<>();
        tx.pollRequests((c, i) -> out.add(new TxReq(NetifTxRequest.gref(c, 0), NetifTxRequest.pageOffset(c, 0),
            NetifTxRequest.flags(c, 0), NetifTxRequest.id(c, 0), NetifTxRequest.size(c, 0))), 64);
        return out;
    }

    void txResponse(final int id, final int status) {
        final int at = tx.claimResponse();
        tx.buffer().putShort(at + NetifTxResponse.ID_OFFSET, (short) id, ByteOrder.LITTLE_ENDIAN);
        tx.buffer().putShort(at + NetifTxResponse.STATUS_OFFSET, (short) status, ByteOrder.LITTLE_ENDIAN);
        tx.pushResponses();
        work();
    }

    @Override
    public void close() {
        front.close();
        if (!txPage.isClosed()) {
            txPage.close();
        }
        if (!rxPage.isClosed()) {
            rxPage.close();
        }
        if (!channel.isClosed()) {
            channel.close();
        }
        guestStore.close();
        dom0Store.close();
        xen.close();
    }
}
