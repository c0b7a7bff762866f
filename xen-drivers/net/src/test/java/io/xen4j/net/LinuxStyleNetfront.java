package io.xen4j.net;

import io.xen4j.abi.netif.NetifFeatures;
import io.xen4j.abi.netif.NetifRxResponse;
import io.xen4j.abi.netif.NetifTxRequest;
import io.xen4j.abi.netif.NetifTxResponse;
import io.xen4j.abi.xenbus.XenbusState;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.memory.SimulatedDomain;
import io.xen4j.hal.memory.SimulatedXen;
import io.xen4j.hal.memory.xenstore.InProcessTransport;
import io.xen4j.hal.memory.xenstore.XenstoreService;
import io.xen4j.rings.FrontRing;
import io.xen4j.store.XenStoreClient;
import io.xen4j.xenbus.DevicePaths;
import io.xen4j.xenbus.XenbusStates;
import io.xen4j.xenbus.XenbusToolstack;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.agrona.MutableDirectBuffer;

/**
 * A guest whose frontend does the xenbus handshake the way Linux's xen-netfront does (its
 * {@code talk_to_netback} and {@code netback_changed}, read from the kernel source): on the
 * backend's InitWait, while itself still Initialising, it requires {@code feature-rx-copy},
 * reads {@code multi-queue-max-queues} and {@code feature-split-event-channels} from the backend
 * and {@code mac} from its own directory, makes its rings and channels, and writes in one
 * transaction {@code multi-queue-num-queues} (whenever the backend offers multi-queue, even for
 * one queue), the ring keys (flat for one queue, under {@code queue-N/} for several),
 * {@code request-rx-copy}, {@code feature-rx-notify}, {@code feature-sg},
 * {@code feature-gso-tcpv4/6} and {@code feature-ipv6-csum-offload}; then it switches straight to
 * Connected, never Initialised. The backend's {@code doWork()} is called by hand.
 */
final class LinuxStyleNetfront implements AutoCloseable {
    /** One queue pair as the guest holds it. */
    record Q(SharedPages txPage, SharedPages rxPage, FrontRing tx, FrontRing rx, EventChannel txChannel,
             EventChannel rxChannel) {
    }

    static final String MAC = "00:16:3e:5a:00:01";
    static final int DATA_PAGES = 32;

    final SimulatedXen xen = SimulatedXen.create();
    final SimulatedDomain guest = xen.createDomain("linux-guest");
    final XenstoreService xenstore = new XenstoreService();
    final XenStoreClient dom0Store;
    final XenStoreClient guestStore;
    final DevicePaths device;
    final CapturePort port = new CapturePort();
    final NetBack back;
    final int wantedQueues;
    final List<Q> queues = new ArrayList<>();
    final SharedPages txData;
    final SharedPages rxData;
    /** Whether the handshake wrote multi-queue-num-queues. */
    boolean wroteNumQueues;

    /**
     * Creates the device (as the toolstack does) and a backend for it, not yet started.
     *
     * @param config       what the backend offers
     * @param wantedQueues the frontend's own queue limit (Linux: {@code xennet_max_queues}, the vCPUs)
     */
    LinuxStyleNetfront(final NetBackConfig config, final int wantedQueues) {
        this.wantedQueues = wantedQueues;
        final int g = guest.domid();
        xenstore.run(core -> {
            core.createDomainHome(0, "Domain-0");
            core.introduceDomain(g);
            core.createDomainHome(g, "linux-guest");
        });
        dom0Store = XenStoreClient.connect(InProcessTransport.connect(xenstore, 0));
        guestStore = XenStoreClient.connect(InProcessTransport.connect(xenstore, g));
        device = new DevicePaths("vif", g, 0, 0);
        // libxl's vif nodes: the frontend's mac and handle; the backend's mac, handle, type.
        new XenbusToolstack(dom0Store).createDevice(device, Map.of("mac", MAC, "handle", "0"),
            Map.of("mac", MAC, "handle", "0", "type", "vif"));
        back = new NetBack(xen.dom0().host(), dom0Store, device, port, config);
        txData = guest.host().grantTables().share(0, DATA_PAGES, false);
        rxData = guest.host().grantTables().share(0, DATA_PAGES, true);
    }

    int frontState() {
        return XenbusStates.read(guestStore, device.frontend());
    }

    int backState() {
        return XenbusStates.read(guestStore, device.backend());
    }

    /** One step of {@code netback_changed}: acts on the backend's state. */
    void step() {
        if (backState() == XenbusState.XENBUS_STATE_INIT_WAIT && frontState() == XenbusState.XENBUS_STATE_INITIALISING) {
            talkToNetback();
            // xenbus_switch_state(dev, XenbusStateConnected): Initialised is never written.
            XenbusStates.write(guestStore, device.frontend(), XenbusState.XENBUS_STATE_CONNECTED);
        }
    }

    private String backendNode(final String node) {
        return guestStore.exists(device.backend(node)) ? guestStore.read(device.backend(node)) : "";
    }

    private void talkToNetback() {
        if (!"1".equals(backendNode(NetifFeatures.FEATURE_RX_COPY))) {
            throw new IllegalStateException("xen-netfront refuses a backend without feature-rx-copy");
        }
        final String max = backendNode(NetifFeatures.MULTI_QUEUE_MAX_QUEUES);
        final int count = Math.min(max.isEmpty() ? 1 : Integer.parseInt(max), wantedQueues);
        final boolean split = "1".equals(backendNode(NetifFeatures.FEATURE_SPLIT_EVENT_CHANNELS));
        if (!MAC.equals(guestStore.read(device.frontend("mac")))) {
            throw new IllegalStateException("xen-netfront: parsing mac");
        }
        for (int i = 0; i < count; i++) {
            final SharedPages t = guest.host().grantTables().share(0, 1, true);
            final SharedPages r = guest.host().grantTables().share(0, 1, true);
            t.buffer().setMemory(0, 4096, (byte) 0);
            r.buffer().setMemory(0, 4096, (byte) 0);
            final EventChannel tc = guest.host().eventChannels().allocateUnbound(0, EventChannel::unmask);
            final EventChannel rc = split ? guest.host().eventChannels().allocateUnbound(0, EventChannel::unmask) : tc;
            queues.add(new Q(t, r, new FrontRing("linux-tx" + i, NetifTxRequest.LENGTH, NetifTxResponse.LENGTH).init(t.buffer()),
                new FrontRing("linux-rx" + i, 8, NetifRxResponse.LENGTH).init(r.buffer()), tc, rc));
        }
        wroteNumQueues = !max.isEmpty();
        guestStore.transaction(16, tx -> {
            if (wroteNumQueues) {
                tx.write(device.frontend(NetifFeatures.MULTI_QUEUE_NUM_QUEUES), Integer.toString(count));
            }
            for (int i = 0; i < count; i++) {
                final String dir = count == 1 ? "" : NetifFeatures.QUEUE_PREFIX + i + "/";
                final Q q = queues.get(i);
                tx.write(device.frontend(dir + NetifFeatures.TX_RING_REF), Integer.toString(q.txPage().grantRef(0)));
                tx.write(device.frontend(dir + NetifFeatures.RX_RING_REF), Integer.toString(q.rxPage().grantRef(0)));
                if (split) {
                    tx.write(device.frontend(dir + NetifFeatures.EVENT_CHANNEL_TX), Integer.toString(q.txChannel().localPort()));
                    tx.write(device.frontend(dir + NetifFeatures.EVENT_CHANNEL_RX), Integer.toString(q.rxChannel().localPort()));
                } else {
                    tx.write(device.frontend(dir + NetifFeatures.EVENT_CHANNEL), Integer.toString(q.txChannel().localPort()));
                }
            }
            tx.write(device.frontend(NetifFeatures.REQUEST_RX_COPY), "1");
            tx.write(device.frontend(NetifFeatures.FEATURE_RX_NOTIFY), "1");
            tx.write(device.frontend(NetifFeatures.FEATURE_SG), "1");
            tx.write(device.frontend(NetifFeatures.FEATURE_GSO_TCPV4), "1");
            tx.write(device.frontend(NetifFeatures.FEATURE_GSO_TCPV6), "1");
            tx.write(device.frontend(NetifFeatures.FEATURE_IPV6_CSUM_OFFLOAD), "1");
            return Boolean.TRUE;
        });
    }

    /** Runs backend and frontend steps until the backend is connected or broken, at most 10 s. */
    boolean handshake() {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!back.isConnected() && back.brokenReason() == null && System.nanoTime() < deadline) {
            back.doWork();
            step();
        }
        return back.isConnected();
    }

    /** Sends one frame on queue {@code qi} from data page {@code page}; returns the tx response statuses. */
    List<Integer> send(final int qi, final int page, final byte[] frame) {
        final Q q = queues.get(qi);
        txData.buffer().putBytes(page * 4096, frame);
        final int at = q.tx().claimRequest();
        final MutableDirectBuffer b = q.tx().buffer();
        b.putInt(at + NetifTxRequest.GREF_OFFSET, txData.grantRef(page), ByteOrder.LITTLE_ENDIAN);
        b.putShort(at + NetifTxRequest.OFFSET_OFFSET, (short) 0, ByteOrder.LITTLE_ENDIAN);
        b.putShort(at + NetifTxRequest.FLAGS_OFFSET, (short) 0, ByteOrder.LITTLE_ENDIAN);
        b.putShort(at + NetifTxRequest.ID_OFFSET, (short) page, ByteOrder.LITTLE_ENDIAN);
        b.putShort(at + NetifTxRequest.SIZE_OFFSET, (short) frame.length, ByteOrder.LITTLE_ENDIAN);
        q.tx().pushRequests();
        for (int i = 0; i < 4; i++) {
            back.doWork();
        }
        final List<Integer> out = new ArrayList<>();
        q.tx().pollResponses((copy, index) -> out.add((int) NetifTxResponse.status(copy, 0)), 64);
        return out;
    }

    /** Posts one receive buffer (rx data page {@code page}, id {@code page}) on queue {@code qi}. */
    void postRx(final int qi, final int page) {
        final FrontRing rx = queues.get(qi).rx();
        final int at = rx.claimRequest();
        rx.buffer().putShort(at, (short) page, ByteOrder.LITTLE_ENDIAN);
        rx.buffer().putShort(at + 2, (short) 0, ByteOrder.LITTLE_ENDIAN);
        rx.buffer().putInt(at + 4, rxData.grantRef(page), ByteOrder.LITTLE_ENDIAN);
        rx.pushRequests();
    }

    /** The frames received on queue {@code qi} so far, read out of the rx pages their responses name. */
    List<byte[]> received(final int qi) {
        final List<byte[]> out = new ArrayList<>();
        queues.get(qi).rx().pollResponses((copy, index) -> {
            final int status = NetifRxResponse.status(copy, 0);
            final byte[] f = new byte[Math.max(0, status)];
            rxData.buffer().getBytes(NetifRxResponse.id(copy, 0) * 4096 + NetifRxResponse.pageOffset(copy, 0), f);
            out.add(f);
        }, 64);
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
