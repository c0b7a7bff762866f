package io.xen4j.net;

import io.xen4j.abi.netif.NetifExtraInfo;
import io.xen4j.abi.ring.SringHeader;
import io.xen4j.abi.netif.NetifRxResponse;
import io.xen4j.abi.netif.NetifTxRequest;
import io.xen4j.abi.netif.NetifTxResponse;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.hal.memory.xenstore.XenstoreService;
import io.xen4j.rings.FrontRing;
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
 * A hand-driven guest that speaks netif to a real {@link NetBack} without any of netfront's checks:
 * it writes whatever tx slots a test gives it. The backend's {@code doWork()} is called by hand.
 */
final class RawNetFrontend implements AutoCloseable {
    /** A tx response as the guest saw it. */
    record TxRsp(int id, int status) {
    }

    /** An rx response (or an extra-info slot, as its raw fields). */
    record RxRsp(int id, int offset, int flags, int status) {
    }

    static final int DATA_PAGES = 24;

    final SimulatedXen xen = SimulatedXen.create();
    final SimulatedDomain guest = xen.createDomain("guest");
    final XenstoreService xenstore = new XenstoreService();
    final XenStoreClient dom0Store;
    final XenStoreClient guestStore;
    final DevicePaths device;
    final CapturePort port = new CapturePort();
    final NetBack back;
    final SharedPages txRing;
    final SharedPages rxRing;
    final FrontRing tx;
    final FrontRing rx;
    final SharedPages data;
    final SharedPages rxData;
    final EventChannel channel;

    @org.jspecify.annotations.Nullable FrontRing ctrl;

    RawNetFrontend(final NetBackConfig config) {
        this(config, false);
    }

    RawNetFrontend(final NetBackConfig config, final boolean ctrlRing) {
        this(config, ctrlRing, 0);
    }

    /** A guest whose rings (and control ring) start at {@code ringStart}, as rings that already carried traffic. */
    RawNetFrontend(final NetBackConfig config, final boolean ctrlRing, final int ringStart) {
        final int g = guest.domid();
        final GuestStores stores = GuestStores.connect(xenstore, g);
        dom0Store = stores.dom0();
        guestStore = stores.guest();
        device = new DevicePaths("vif", g, 0, 0);
        new XenbusToolstack(dom0Store).createDevice(device, Map.of("mac", "00:16:3e:00:00:01"), Map.of());
        back = new NetBack(xen.dom0().host(), dom0Store, device, port, config);
        back.start();
        txRing = guest.host().grantTables().share(0, 1, true);
        rxRing = guest.host().grantTables().share(0, 1, true);
        txRing.buffer().setMemory(0, 4096, (byte) 0);
        rxRing.buffer().setMemory(0, 4096, (byte) 0);
        tx = new FrontRing("raw-tx", NetifTxRequest.LENGTH, NetifTxResponse.LENGTH).init(txRing.buffer());
        rx = new FrontRing("raw-rx", 8, 8).init(rxRing.buffer());
        startAt(tx, txRing, ringStart);
        startAt(rx, rxRing, ringStart);
        data = guest.host().grantTables().share(0, DATA_PAGES, false);
        rxData = guest.host().grantTables().share(0, DATA_PAGES, true);
        channel = guest.host().eventChannels().allocateUnbound(0, EventChannel::unmask);
        guestStore.write(device.frontend("tx-ring-ref"), Integer.toString(txRing.grantRef(0)));
        guestStore.write(device.frontend("rx-ring-ref"), Integer.toString(rxRing.grantRef(0)));
        guestStore.write(device.frontend("event-channel"), Integer.toString(channel.localPort()));
        guestStore.write(device.frontend("request-rx-copy"), "1");
        guestStore.write(device.frontend("feature-rx-notify"), "1");
        guestStore.write(device.frontend("feature-sg"), "1");
        guestStore.write(device.frontend("feature-gso-tcpv4"), "1");
        if (ctrlRing) {
            final SharedPages ctrlPage = guest.host().grantTables().share(0, 1, true);
            ctrlPage.buffer().setMemory(0, 4096, (byte) 0);
            ctrl = startAt(new FrontRing("raw-ctrl", 16, 12).init(ctrlPage.buffer()), ctrlPage, ringStart);
            final EventChannel c = guest.host().eventChannels().allocateUnbound(0, EventChannel::unmask);
            guestStore.write(device.frontend("ctrl-ring-ref"), Integer.toString(ctrlPage.grantRef(0)));
            guestStore.write(device.frontend("event-channel-ctrl"), Integer.toString(c.localPort()));
        }
        guestStore.write(device.frontend("state"), "3");
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!back.isConnected() && back.brokenReason() == null && System.nanoTime() < deadline) {
            back.doWork();
            Thread.onSpinWait();
        }
        if (!back.isConnected()) {
            throw new IllegalStateException("backend did not connect: " + back.brokenReason());
        }
    }

    /** Writes a shared header whose indices all start at {@code index} and attaches the ring there. */
    static FrontRing startAt(final FrontRing ring, final SharedPages page, final int index) {
        page.buffer().putIntRelease(SringHeader.REQ_PROD_OFFSET, index);
        page.buffer().putIntRelease(SringHeader.RSP_PROD_OFFSET, index);
        page.buffer().putIntRelease(SringHeader.REQ_EVENT_OFFSET, index + 1);
        page.buffer().putIntRelease(SringHeader.RSP_EVENT_OFFSET, index + 1);
        return ring.attach(page.buffer(), index);
    }

    int gref(final int page) {
        return data.grantRef(page);
    }

    /** Writes a tx request slot. */
    void slot(final int gref, final int offset, final int flags, final int id, final int size) {
        final int at = tx.claimRequest();
        final MutableDirectBuffer b = tx.buffer();
        b.putInt(at + NetifTxRequest.GREF_OFFSET, gref, ByteOrder.LITTLE_ENDIAN);
        b.putShort(at + NetifTxRequest.OFFSET_OFFSET, (short) offset, ByteOrder.LITTLE_ENDIAN);
        b.putShort(at + NetifTxRequest.FLAGS_OFFSET, (short) flags, ByteOrder.LITTLE_ENDIAN);
        b.putShort(at + NetifTxRequest.ID_OFFSET, (short) id, ByteOrder.LITTLE_ENDIAN);
        b.putShort(at + NetifTxRequest.SIZE_OFFSET, (short) size, ByteOrder.LITTLE_ENDIAN);
    }

    /** Writes an extra-info slot. */
    void extra(final int type, final int flags, final int gsoSize, final int gsoType) {
        final int at = tx.claimRequest();
        final MutableDirectBuffer b = tx.buffer();
        b.putByte(at + NetifExtraInfo.TYPE_OFFSET, (byte) type);
        b.putByte(at + NetifExtraInfo.FLAGS_OFFSET, (byte) flags);
        b.putShort(at + NetifExtraInfo.GSO_SIZE_OFFSET, (short) gsoSize, ByteOrder.LITTLE_ENDIAN);
        b.putByte(at + NetifExtraInfo.GSO_TYPE_OFFSET, (byte) gsoType);
        b.putByte(at + NetifExtraInfo.GSO_PAD_OFFSET, (byte) 0);
        b.putShort(at + NetifExtraInfo.GSO_FEATURES_OFFSET, (short) 0, ByteOrder.LITTLE_ENDIAN);
    }

    /** Publishes the slots written, lets the backend work, and returns the tx responses. */
    List<TxRsp> push() {
        tx.pushRequests();
        for (int i = 0; i < 4; i++) {
            back.doWork();
        }
        final List<TxRsp> out = new ArrayList<>();
        tx.pollResponses((copy, index) -> out.add(new TxRsp(NetifTxResponse.id(copy, 0), NetifTxResponse.status(copy, 0))), 1024);
        return out;
    }

    /** Posts {@code n} rx buffers (rxData pages, ids 0..n-1 from {@code firstId}). */
    void postRx(final int firstId, final int n) {
        postRxAndCheckNotify(firstId, n);
    }

    /** Posts {@code n} rx buffers and says whether the backend asked (req_event) to be notified of them. */
    boolean postRxAndCheckNotify(final int firstId, final int n) {
        for (int i = 0; i < n; i++) {
            final int at = rx.claimRequest();
            final MutableDirectBuffer b = rx.buffer();
            b.putShort(at, (short) (firstId + i), ByteOrder.LITTLE_ENDIAN);
            b.putShort(at + 2, (short) 0, ByteOrder.LITTLE_ENDIAN);
            b.putInt(at + 4, rxData.grantRef((firstId + i) % DATA_PAGES), ByteOrder.LITTLE_ENDIAN);
        }
        return rx.pushRequestsAndCheckNotify();
    }

    List<RxRsp> rxResponses() {
        for (int i = 0; i < 4; i++) {
            back.doWork();
        }
        final List<RxRsp> out = new ArrayList<>();
        rx.pollResponses((copy, index) -> out.add(new RxRsp(NetifRxResponse.id(copy, 0), NetifRxResponse.pageOffset(copy, 0),
            NetifRxResponse.flags(copy, 0), NetifRxResponse.status(copy, 0))), 1024);
        return out;
    }

    /** Sends one control request and returns {status, data}. */
    int[] ctrl(final int id, final int type, final int d0, final int d1, final int d2) {
        final FrontRing r = java.util.Objects.requireNonNull(ctrl);
        final int at = r.claimRequest();
        final MutableDirectBuffer b = r.buffer();
        b.putShort(at, (short) id, ByteOrder.LITTLE_ENDIAN);
        b.putShort(at + 2, (short) type, ByteOrder.LITTLE_ENDIAN);
        b.putInt(at + 4, d0, ByteOrder.LITTLE_ENDIAN);
        b.putInt(at + 8, d1, ByteOrder.LITTLE_ENDIAN);
        b.putInt(at + 12, d2, ByteOrder.LITTLE_ENDIAN);
        r.pushRequests();
        for (int i = 0; i < 4; i++) {
            back.doWork();
        }
        final int[] out = {-1, -1, -1, -1};
        r.pollResponses((copy, index) -> {
            out[0] = copy.getInt(4, ByteOrder.LITTLE_ENDIAN);
            out[1] = copy.getInt(8, ByteOrder.LITTLE_ENDIAN);
            out[2] = copy.getShort(0, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            out[3] = copy.getShort(2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        }, 1);
        return out;
    }

    @Override
    public void close() {
        back.close();
        guestStore.close();
        dom0Store.close();
        xen.close();
    }
}
