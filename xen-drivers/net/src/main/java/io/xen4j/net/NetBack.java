package io.xen4j.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.xen4j.abi.grant.GrantTable;
import io.xen4j.abi.netif.Netif;
import io.xen4j.abi.netif.NetifCtrlRequest;
import io.xen4j.abi.netif.NetifCtrlResponse;
import io.xen4j.abi.netif.NetifExtraInfo;
import io.xen4j.abi.netif.NetifFeatures;
import io.xen4j.abi.netif.NetifRxRequest;
import io.xen4j.abi.netif.NetifRxResponse;
import io.xen4j.abi.netif.NetifTxRequest;
import io.xen4j.abi.netif.NetifTxResponse;
import io.xen4j.abi.ring.SringHeader;
import io.xen4j.abi.xenbus.XenbusState;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.GrantCopyBatch;
import io.xen4j.hal.api.MappedGrants;
import io.xen4j.hal.api.XenHost;
import io.xen4j.net.internal.FrameBacklog;
import io.xen4j.net.internal.HashControl;
import io.xen4j.net.internal.NetifRule;
import io.xen4j.net.internal.Packets;
import io.xen4j.net.internal.TxChain;
import io.xen4j.net.spi.PacketPort;
import io.xen4j.rings.BackRing;
import io.xen4j.rings.RingViolation;
import io.xen4j.store.XenStoreClient;
import io.xen4j.store.XenStoreException;
import io.xen4j.store.XsWatch;
import io.xen4j.xenbus.BackendStateMachine;
import io.xen4j.xenbus.DevicePaths;
import io.xen4j.xenbus.StateWatch;
import io.xen4j.xenbus.XenbusAction;
import io.xen4j.xenbus.XenbusStates;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.jspecify.annotations.Nullable;

/**
 * netback: gives a frontend domain a network interface whose frames go to a {@link PacketPort}.
 * An Agrona {@link Agent}: each {@link #doWork()} follows the frontend's XenBus state, takes the
 * packets the frontend transmits (grant copy out of its pages, one response per consumed slot),
 * and copies the frames the port has for it into the receive buffers it posted (rx-copy).
 *
 * <p>The frontend is hostile. Each tx slot is copied once and the packet checked by the netif
 * rules ({@link NetifRule}, after Linux netback): a packet that breaks a drop rule is answered
 * with errors on all its slots; a fatal one (a slot crossing its page, a runaway chain, a bad
 * extra-info or GSO value) stops the device with one log line naming domain, device and rule.
 * Frames for a frontend that posts no receive buffers wait in a bounded queue and are dropped and
 * counted beyond it (XSA-39, XSA-392). Nothing throws out of {@link #doWork()}.
 *
 * <p>A frontend that makes a control ring ({@code ctrl-ring-ref}) may set a Toeplitz hash key,
 * hash types and a mapping table ({@link HashControl}); frames for it are then spread over the
 * queues by that mapping, else by a flow hash. Multicast control filters the groups it joined.
 */
public final class NetBack implements Agent, AutoCloseable {
    /**
     * The backend directory kind for this backend in a Linux backend domain
     * ({@code backend/xen4j-vif/<frontend>/<devid>}; {@link DevicePaths#withBackendKind}): the
     * kernel's {@code xen-netback}, loaded in most dom0s, registers for the kind {@code vif} and
     * serves every device under {@code backend/vif} (it creates its {@code vif<domid>.<handle>}
     * interface and maps the rings itself), so a user-space backend there would fight it, as
     * QEMU's own backends use kinds of their own. The frontend ({@code device/vif}) is the same and
     * follows its {@code backend} node, which the toolstack points here; the kernel's xen-netback
     * can stay loaded.
     */
    public static final String USERSPACE_KIND = "xen4j-vif";

    private static final System.Logger LOG = System.getLogger(NetBack.class.getName());
    private static final int PAGE = 4096;
    /** Packets per queue and direction per {@link #doWork()}: bounds the work a busy peer causes. */
    private static final int BATCH = 64;
    /** The largest frame netif carries: the first slot's size is 16 bits. */
    private static final int MAX_FRAME = Netif.XEN_NETIF_MAX_TX_SIZE;
    private static final int VLAN_ETH_HLEN = 18;
    /**
     * Single-slot packets per grant copy: a round's worth ({@link #BATCH}). They are packed one
     * after the other into the staging buffer, which is flushed earlier when the next might not fit.
     */
    private static final int SMALL_BATCH = BATCH;
    /** A plain frame whose checksum the frontend validated. */
    private static final Offload VALIDATED = new Offload(false, true, Netif.XEN_NETIF_GSO_TYPE_NONE, 0);

    private final XenHost host;
    private final XenStoreClient store;
    private final DevicePaths device;
    private final PacketPort port;
    private final NetBackConfig config;
    private final BackendStateMachine machine = new BackendStateMachine();
    private final Map<NetifRule, Long> rejected = new EnumMap<>(NetifRule.class);
    private final TxChain chain = new TxChain();
    private final GrantCopyBatch batch = new GrantCopyBatch(TxChain.FATAL_SLOTS + 2);
    private final GrantCopyBatch smallBatch = new GrantCopyBatch(SMALL_BATCH);
    private final ByteBuffer txDirect = ByteBuffer.allocateDirect(MAX_FRAME + 1);
    private final UnsafeBuffer txBuf = new UnsafeBuffer(txDirect);
    private final ByteBuf txView = Unpooled.wrappedBuffer(txDirect.duplicate());
    private final Packets.Layout txLayout = new Packets.Layout();
    /** Single-slot packets read this round and not yet copied: ids, grants, offsets, lengths, flags. */
    private final int[] smallId = new int[SMALL_BATCH];
    private final int[] smallRef = new int[SMALL_BATCH];
    private final int[] smallOffset = new int[SMALL_BATCH];
    private final int[] smallLength = new int[SMALL_BATCH];
    private final int[] smallFlags = new int[SMALL_BATCH];
    /** Where each gathered packet starts in the staging buffer. */
    private final int[] smallAt = new int[SMALL_BATCH];
    private int smallCount;
    /** Staging bytes the gathered packets take. */
    private int smallBytes;
    /**
     * A tx response built in private memory and copied into the ring in one move
     * ({@link BackRing#produceResponse}): both fields set, nothing cleared first (R7).
     */
    private final UnsafeBuffer txRsp = new UnsafeBuffer(new byte[NetifTxResponse.LENGTH]);
    /** An rx response or extra-info slot built in private memory and copied into the ring in one move. */
    private final UnsafeBuffer rxRsp = new UnsafeBuffer(new byte[NetifRxResponse.LENGTH]);
    private final UnsafeBuffer requestCopy = new UnsafeBuffer(new byte[NetifRxRequest.LENGTH]);
    private final int[] rxIds = new int[TxChain.FATAL_SLOTS + 2];
    private final int[] rxRefs = new int[TxChain.FATAL_SLOTS + 2];
    private final LongHashSet multicast = new LongHashSet();
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    private final FrameHandler fromPort = this::onPortFrame;
    private final UnsafeBuffer ctrlPage = new UnsafeBuffer(new byte[PAGE]);
    private final HashControl.GrantReader grantReader = this::readGrant;
    private HashControl hash = new HashControl();
    private @Nullable MappedGrants ctrlMapped;
    private @Nullable BackRing ctrl;
    private @Nullable EventChannel ctrlChannel;
    private long ctrlRequests;
    private @Nullable StateWatch watch;
    /**
     * The frontend was already Connected when this backend advertised: that Connected belongs to a
     * previous backend instance (a Linux netfront only goes Connected after seeing InitWait), so
     * it is not a request to connect. Cleared by any other frontend state.
     */
    private boolean staleConnected;
    /**
     * Set when the frontend writes a {@code tx-ring-ref} after this backend started with a stale
     * Connected frontend: it set up new rings, so its Connected is fresh. Its Initialising in
     * between may never be seen (a state watch folds Initialising and Connected written in quick
     * succession into one read of Connected, as xen4j's and Linux's netfront do on a restart).
     */
    private final AtomicBoolean freshRings = new AtomicBoolean();
    /** Watches the frontend's directory for ring references while {@link #staleConnected}. */
    private @Nullable XsWatch ringWatch;
    private Queue[] queues = new Queue[0];
    private boolean frontSg;
    private boolean frontGso4;
    private boolean frontGso6;
    private boolean frontCsum;
    private boolean frontIpv6Csum;
    private boolean multicastControl;
    private @Nullable String broken;
    private long txPackets;
    private long txBytes;
    private long rxPackets;
    private long rxBytes;
    private long rxDropped;
    private long portDropped;

    /**
     * Creates a backend for one device; {@link #start()} publishes it.
     *
     * @param host   the backend domain's HAL
     * @param store  the backend domain's xenstore connection
     * @param device the device's paths (type {@code vif})
     * @param port   where the frames go
     * @param config what to advertise
     */
    public NetBack(final XenHost host, final XenStoreClient store, final DevicePaths device, final PacketPort port,
                   final NetBackConfig config) {
        this.host = host;
        this.store = store;
        this.device = device;
        this.port = port;
        this.config = config;
    }

    /**
     * Writes the features to the backend directory, goes InitWait and follows the frontend.
     *
     * <p>A frontend may answer InitWait with Initialised (then Connected after ours) or, as Linux's
     * xen-netfront and xen4j's {@link NetFront} do, write its rings and go straight to Connected;
     * both connect. A frontend already Connected before this backend advertised is left alone until
     * it starts over: another state, or new ring references written (its Initialising may be folded
     * into the Connected that follows it).
     */
    public void start() {
        // Read before InitWait is published: afterwards a live Linux frontend may legitimately be
        // Connected already, and the two cases could not be told apart.
        staleConnected = XenbusStates.read(store, device.frontend()) == XenbusState.XENBUS_STATE_CONNECTED;
        final StateWatch w = new StateWatch(store, device.frontend("state"));
        watch = w;
        if (staleConnected) {
            // The event of the watch's registration names the directory itself; a ring reference
            // written later names its node (tx-ring-ref or queue-N/tx-ring-ref).
            final String ringNode = "/" + NetifFeatures.TX_RING_REF;
            ringWatch = store.watch(device.frontend(), e -> {
                if (e.path().endsWith(ringNode) && e.path().startsWith(device.frontend() + "/")) {
                    freshRings.set(true);
                    // The state event of the same transaction may have been read already.
                    w.poke();
                }
            });
        }
        advertise();
    }

    private void advertise() {
        store.transaction(16, tx -> {
            tx.write(device.backend(NetifFeatures.FEATURE_RX_COPY), "1");
            tx.write(device.backend(NetifFeatures.FEATURE_RX_FLIP), "0");
            tx.write(device.backend(NetifFeatures.FEATURE_SG), flag(config.sg()));
            tx.write(device.backend(NetifFeatures.FEATURE_GSO_TCPV4), flag(config.gsoTcpv4()));
            tx.write(device.backend(NetifFeatures.FEATURE_GSO_TCPV6), flag(config.gsoTcpv6()));
            tx.write(device.backend(NetifFeatures.FEATURE_IPV6_CSUM_OFFLOAD), flag(config.ipv6CsumOffload()));
            tx.write(device.backend(NetifFeatures.FEATURE_SPLIT_EVENT_CHANNELS), flag(config.splitEventChannels()));
            tx.write(device.backend(NetifFeatures.FEATURE_MULTICAST_CONTROL), flag(config.multicastControl()));
            tx.write(device.backend(NetifFeatures.FEATURE_CTRL_RING), "1");
            tx.write(device.backend(NetifFeatures.MULTI_QUEUE_MAX_QUEUES), Integer.toString(config.maxQueues()));
            tx.write(device.backend(NetifFeatures.MTU), Integer.toString(config.mtu()));
            return Boolean.TRUE;
        });
        machine.advertise();
        XenbusStates.write(store, device.backend(), machine.state());
    }

    private static String flag(final boolean on) {
        return on ? "1" : "0";
    }

    @Override
    public String roleName() {
        return "netback-" + device.name();
    }

    @Override
    public int doWork() {
        if (broken != null) {
            return 0;
        }
        int work = 0;
        try {
            final StateWatch w = watch;
            if (w != null && w.changed()) {
                work++;
                followFrontend();
            }
            // Drained even while disconnected (the frames are dropped): nothing stale bursts out later.
            work += port.receive(fromPort, BATCH);
            if (machine.isConnected() && queues.length > 0) {
                host.eventChannels().poll(BATCH);
                work += serveCtrl();
                for (int i = 0; i < queues.length && broken == null; i++) {
                    work += serveTx(queues[i]);
                    if (broken == null) {
                        work += deliverRx(queues[i]);
                    }
                }
            }
        } catch (final RuntimeException e) {
            // Nothing leaves the agent loop (R10): the device stops with the reason.
            fail("internal", e.toString());
        }
        return work;
    }

    // ------------------------------------------------------------------ xenbus

    private void followFrontend() {
        final int feState = XenbusStates.read(store, device.frontend());
        final XenbusAction action = machine.onFrontendState(handshakeState(feState));
        switch (action) {
            case CONNECT -> {
                try {
                    connect();
                } catch (final RuntimeException e) {
                    fail("connect", e.getMessage() == null ? e.toString() : e.getMessage());
                    return;
                }
                XenbusStates.write(store, device.backend(), machine.state());
            }
            case DISCONNECT -> {
                disconnect();
                XenbusStates.write(store, device.backend(), machine.state());
            }
            case RESTART -> {
                staleConnected = false;
                advertise();
            }
            case SETUP, NONE -> {
                // Nothing to do for this frontend state.
            }
        }
    }

    /**
     * The frontend's state as the handshake reads it. Linux's xen-netfront skips Initialised: on
     * our InitWait it writes its ring references, event channels and features, then switches
     * straight to Connected (Linux netback connects on the frontend's Connected). A Connected
     * seen while we wait in InitWait therefore means "my rings are written", which is what
     * Initialised says; a Connected that predates our InitWait does not ({@link #staleConnected}).
     */
    private int handshakeState(final int feState) {
        if (feState != XenbusState.XENBUS_STATE_CONNECTED || freshRings.get()) {
            staleConnected = false;
            endRingWatch();
        }
        if (feState != XenbusState.XENBUS_STATE_CONNECTED) {
            return feState;
        }
        if (!staleConnected && machine.state() == XenbusState.XENBUS_STATE_INIT_WAIT) {
            return XenbusState.XENBUS_STATE_INITIALISED;
        }
        return feState;
    }

    private @Nullable String readFront(final String node) {
        try {
            return store.read(device.frontend(node));
        } catch (final XenStoreException e) {
            if (e.is("ENOENT")) {
                return null;
            }
            throw e;
        }
    }

    private boolean frontFlag(final String node) {
        final String v = readFront(node);
        return v != null && "1".equals(v.trim());
    }

    private static long parseUnsigned(final String what, final @Nullable String text, final long max) {
        if (text == null || text.isEmpty() || text.length() > 10 || !text.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException(what + "=" + text + " is not a decimal number");
        }
        final long v = Long.parseLong(text);
        if (v > max) {
            throw new IllegalArgumentException(what + "=" + v + " is above " + max);
        }
        return v;
    }

    private void connect() {
        if (!frontFlag(NetifFeatures.REQUEST_RX_COPY)) {
            throw new IllegalArgumentException(NetifFeatures.REQUEST_RX_COPY + "=" + readFront(NetifFeatures.REQUEST_RX_COPY)
                + ": only rx-copy is supported (page flipping is not)");
        }
        if (!frontFlag(NetifFeatures.FEATURE_RX_NOTIFY)) {
            // As Linux netback: without rx notifications a frontend can stall the receive path.
            throw new IllegalArgumentException(NetifFeatures.FEATURE_RX_NOTIFY + " is required");
        }
        final String queuesText = readFront(NetifFeatures.MULTI_QUEUE_NUM_QUEUES);
        // Range-checked: a hostile frontend must not make us map or bind without bound.
        final int count = queuesText == null ? 1
            : (int) parseUnsigned(NetifFeatures.MULTI_QUEUE_NUM_QUEUES, queuesText, config.maxQueues());
        if (count < 1) {
            throw new IllegalArgumentException(NetifFeatures.MULTI_QUEUE_NUM_QUEUES + "=0");
        }
        frontSg = frontFlag(NetifFeatures.FEATURE_SG);
        frontGso4 = frontSg && frontFlag(NetifFeatures.FEATURE_GSO_TCPV4);
        frontGso6 = frontSg && frontFlag(NetifFeatures.FEATURE_GSO_TCPV6);
        frontCsum = !frontFlag(NetifFeatures.FEATURE_NO_CSUM_OFFLOAD);
        frontIpv6Csum = frontCsum && frontFlag(NetifFeatures.FEATURE_IPV6_CSUM_OFFLOAD);
        multicastControl = config.multicastControl() && frontFlag(NetifFeatures.REQUEST_MULTICAST_CONTROL);
        multicast.clear();
        final List<Queue> made = new ArrayList<>();
        try {
            for (int q = 0; q < count; q++) {
                // Several queues keep their keys under queue-<n>/; one queue keeps the flat keys even
                // when multi-queue-num-queues=1 is written (Linux netfront writes it whenever the
                // backend offers multi-queue, and its single queue's keys flat).
                final String dir = count > 1 ? NetifFeatures.QUEUE_PREFIX + q + "/" : "";
                final int txRef = (int) parseUnsigned(dir + NetifFeatures.TX_RING_REF, readFront(dir + NetifFeatures.TX_RING_REF), 0xFFFF_FFFFL);
                final int rxRef = (int) parseUnsigned(dir + NetifFeatures.RX_RING_REF, readFront(dir + NetifFeatures.RX_RING_REF), 0xFFFF_FFFFL);
                final String txPort = readFront(dir + NetifFeatures.EVENT_CHANNEL_TX);
                final boolean split = config.splitEventChannels() && txPort != null;
                final Queue queue = new Queue(device.name() + "-q" + q, config.rxQueueFrames(), config.rxQueueBytes());
                made.add(queue);
                queue.txPage = host.grantTables().map(device.frontendDomid(), txRef, true);
                queue.rxPage = host.grantTables().map(device.frontendDomid(), rxRef, true);
                queue.tx = attachRing(new BackRing(queue.name + "-tx", NetifTxRequest.LENGTH, NetifTxResponse.LENGTH),
                    queue.txPage.buffer());
                queue.rx = attachRing(new BackRing(queue.name + "-rx", NetifRxRequest.LENGTH, NetifRxResponse.LENGTH),
                    queue.rxPage.buffer());
                // The handlers only unmask: doWork polls the rings every time, so a lost or merged
                // event costs latency, never a packet.
                if (split) {
                    final int t = (int) parseUnsigned(dir + NetifFeatures.EVENT_CHANNEL_TX, txPort, 0xFFFF_FFFFL);
                    final int r = (int) parseUnsigned(dir + NetifFeatures.EVENT_CHANNEL_RX, readFront(dir + NetifFeatures.EVENT_CHANNEL_RX), 0xFFFF_FFFFL);
                    queue.txChannel = host.eventChannels().bindInterdomain(device.frontendDomid(), t, EventChannel::unmask);
                    queue.rxChannel = host.eventChannels().bindInterdomain(device.frontendDomid(), r, EventChannel::unmask);
                } else {
                    final int p = (int) parseUnsigned(dir + NetifFeatures.EVENT_CHANNEL, readFront(dir + NetifFeatures.EVENT_CHANNEL), 0xFFFF_FFFFL);
                    queue.txChannel = host.eventChannels().bindInterdomain(device.frontendDomid(), p, EventChannel::unmask);
                    queue.rxChannel = queue.txChannel;
                }
            }
        } catch (final RuntimeException e) {
            made.forEach(Queue::close);
            throw e;
        }
        queues = made.toArray(Queue[]::new);
        connectCtrl();
        LOG.log(System.Logger.Level.DEBUG, () -> "netback dom" + host.domid() + " " + device.name() + ": connected, " + count
            + " queue(s), sg=" + frontSg + " gso4=" + frontGso4 + " gso6=" + frontGso6 + " csum=" + frontCsum);
    }

    /**
     * {@code BACK_RING_ATTACH} at the shared {@code rsp_prod}, as Linux netback maps a frontend's
     * rings: a frontend whose rings already carried traffic (indices anywhere in 2^32) is served from
     * where they stand. A {@code req_prod} more than a ring ahead of it is refused (R3).
     */
    private static BackRing attachRing(final BackRing ring, final AtomicBuffer shared) {
        final int rspProd = shared.getIntVolatile(SringHeader.RSP_PROD_OFFSET);
        final int reqProd = shared.getIntVolatile(SringHeader.REQ_PROD_OFFSET);
        ring.attach(shared, rspProd);
        if (Integer.compareUnsigned(reqProd - rspProd, ring.size()) > 0) {
            throw new IllegalArgumentException(ring.name() + ": req_prod=" + Integer.toUnsignedString(reqProd) + " rsp_prod="
                + Integer.toUnsignedString(rspProd) + " are more than a ring apart (" + ring.size() + " slots)");
        }
        return ring;
    }

    /** The control ring, when the frontend made one (hash configuration). */
    private void connectCtrl() {
        hash = new HashControl();
        final String ref = readFront(NetifFeatures.CTRL_RING_REF);
        if (ref == null) {
            return;
        }
        final int r = (int) parseUnsigned(NetifFeatures.CTRL_RING_REF, ref, 0xFFFF_FFFFL);
        final int port = (int) parseUnsigned(NetifFeatures.EVENT_CHANNEL_CTRL, readFront(NetifFeatures.EVENT_CHANNEL_CTRL), 0xFFFF_FFFFL);
        final MappedGrants m = host.grantTables().map(device.frontendDomid(), r, true);
        try {
            ctrl = attachRing(new BackRing(device.name() + "-ctrl", NetifCtrlRequest.LENGTH, NetifCtrlResponse.LENGTH), m.buffer());
            ctrlChannel = host.eventChannels().bindInterdomain(device.frontendDomid(), port, EventChannel::unmask);
        } catch (final RuntimeException e) {
            m.close();
            ctrl = null;
            throw e;
        }
        ctrlMapped = m;
    }

    private void disconnect() {
        for (final Queue q : queues) {
            q.close();
        }
        queues = new Queue[0];
        final EventChannel c = ctrlChannel;
        if (c != null && !c.isClosed()) {
            c.close();
        }
        final MappedGrants m = ctrlMapped;
        if (m != null && !m.isClosed()) {
            m.close();
        }
        ctrlChannel = null;
        ctrlMapped = null;
        ctrl = null;
    }

    private int serveCtrl() {
        final BackRing r = ctrl;
        if (r == null) {
            return 0;
        }
        final int n = r.pollRequests(this::onCtrlRequest, BATCH);
        if (r.isBroken()) {
            final RingViolation v = r.violation();
            fail(v == null ? "ring" : v.securityRule() + " " + v.name(), r.name() + ": " + r.brokenReason());
            return n;
        }
        if (n > 0 && r.pushResponsesAndCheckNotify()) {
            java.util.Objects.requireNonNull(ctrlChannel).notifyPeer();
        }
        return n;
    }

    private void onCtrlRequest(final org.agrona.DirectBuffer copy, final int index) {
        final BackRing r = java.util.Objects.requireNonNull(ctrl);
        final int type = NetifCtrlRequest.type(copy, 0);
        final int status = hash.handle(type, NetifCtrlRequest.data(copy, 0, 0), NetifCtrlRequest.data(copy, 0, 1),
            NetifCtrlRequest.data(copy, 0, 2), queues.length, grantReader);
        ctrlRequests++;
        final int slot = r.claimResponse();
        if (slot == BackRing.NO_SLOT) {
            return;
        }
        final MutableDirectBuffer b = r.buffer();
        b.putShort(slot + NetifCtrlResponse.ID_OFFSET, (short) NetifCtrlRequest.id(copy, 0), ByteOrder.LITTLE_ENDIAN);
        b.putShort(slot + NetifCtrlResponse.TYPE_OFFSET, (short) type, ByteOrder.LITTLE_ENDIAN);
        b.putInt(slot + NetifCtrlResponse.STATUS_OFFSET, status, ByteOrder.LITTLE_ENDIAN);
        b.putInt(slot + NetifCtrlResponse.DATA_OFFSET, status == Netif.XEN_NETIF_CTRL_STATUS_SUCCESS ? hash.data() : 0,
            ByteOrder.LITTLE_ENDIAN);
    }

    /** Copies the start of a frontend page (a hash key or mapping) by grant copy. */
    private boolean readGrant(final int gref, final byte[] dst, final int length) {
        batch.clear();
        batch.addGrantToLocal(device.frontendDomid(), gref, 0, ctrlPage, 0, length);
        try {
            host.grantTables().copy(batch);
        } catch (final RuntimeException e) {
            return false;
        }
        if (!batch.allOkay()) {
            return false;
        }
        ctrlPage.getBytes(0, dst, 0, length);
        return true;
    }

    /**
     * Control-ring requests answered.
     *
     * @return the count
     */
    public long controlRequests() {
        return ctrlRequests;
    }

    // ------------------------------------------------------------------ tx: frontend -> port

    private int serveTx(final Queue q) {
        final BackRing ring = q.tx;
        int work = 0;
        // req_prod is read (and validated) once for all the packets it shows, not once per packet.
        int avail = 0;
        while (work < BATCH) {
            if (avail <= 0) {
                avail = ring.unconsumedRequests();
                if (ring.isBroken()) {
                    final RingViolation v = ring.violation();
                    fail(v == null ? "ring" : v.securityRule() + " " + v.name(), ring.name() + ": " + ring.brokenReason());
                    return work;
                }
                if (avail == 0) {
                    break;
                }
            }
            final int consumedBefore = ring.requestConsumer();
            NetifRule rule = chain.read(ring);
            avail -= ring.requestConsumer() - consumedBefore;
            if (rule.fatal()) {
                fail("netif " + rule.name(), q.name + "-tx: " + chain.detail);
                return work;
            }
            work++;
            if (rule == NetifRule.OK && chain.mcast == 0 && chain.dataSlots == 1 && chain.extraSlots == 0 && chain.length[0] > 0) {
                // A packet in one slot (every small frame): copied with the others of this round in one grant copy.
                final int k = smallCount++;
                smallId[k] = chain.id[0];
                smallRef[k] = chain.gref[0];
                smallOffset[k] = chain.offset[0];
                smallLength[k] = chain.length[0];
                smallFlags[k] = chain.flags;
                smallAt[k] = smallBytes;
                smallBytes += chain.length[0];
                // A slot holds at most a page: flush while the next one is sure to fit.
                if (smallCount == SMALL_BATCH || smallBytes > MAX_FRAME + 1 - PAGE) {
                    flushSmall(q);
                }
                continue;
            }
            // Responses go in ring order: the single-slot packets read before this one first.
            flushSmall(q);
            if (rule == NetifRule.OK) {
                rule = chain.mcast != 0 ? multicastControl() : copyOut(q);
            }
            if (rule != NetifRule.OK) {
                rejected.merge(rule, 1L, Long::sum);
            }
            respondTx(ring, rule == NetifRule.OK ? Netif.NETIF_RSP_OKAY : Netif.NETIF_RSP_ERROR);
        }
        flushSmall(q);
        if (work > 0) {
            if (ring.pushResponsesAndCheckNotify()) {
                q.txChannel().notifyPeer();
            }
        } else {
            ring.finalCheckForRequests();
        }
        return work;
    }

    private NetifRule multicastControl() {
        if (!multicastControl) {
            return NetifRule.MCAST;
        }
        if (chain.mcast > 0) {
            // Bounded as Linux's XEN_NETBK_MCAST_MAX.
            if (multicast.size() >= 64) {
                return NetifRule.MCAST;
            }
            multicast.add(chain.mcastAddress);
        } else {
            multicast.remove(chain.mcastAddress);
        }
        return NetifRule.OK;
    }

    private NetifRule copyOut(final Queue q) {
        batch.clear();
        int pos = 0;
        for (int i = 0; i < chain.dataSlots; i++) {
            final int len = chain.length[i];
            // Zero-length fragments carry nothing and are skipped (XSA-448).
            if (len > 0) {
                batch.addGrantToLocal(device.frontendDomid(), chain.gref[i], chain.offset[i], txBuf, pos, len);
                pos += len;
            }
        }
        if (batch.size() > 0) {
            try {
                host.grantTables().copy(batch);
            } catch (final RuntimeException e) {
                return NetifRule.GRANT_COPY;
            }
            if (!batch.allOkay()) {
                return NetifRule.GRANT_COPY;
            }
        }
        return forward(q, 0, pos, chain.flags, chain.gsoType, chain.gsoSize);
    }

    /**
     * Copies the single-slot packets gathered this round out of the frontend's pages in one grant
     * copy (one copy call instead of one per packet), then forwards and answers each in ring order.
     */
    private void flushSmall(final Queue q) {
        final int n = smallCount;
        if (n == 0) {
            return;
        }
        smallCount = 0;
        smallBytes = 0;
        final GrantCopyBatch b = smallBatch;
        b.clear();
        final int frontend = device.frontendDomid();
        for (int k = 0; k < n; k++) {
            // Packed one after the other in the staging buffer (a slot never holds more than a page).
            b.addGrantToLocal(frontend, smallRef[k], smallOffset[k], txBuf, smallAt[k], smallLength[k]);
        }
        boolean copied;
        try {
            host.grantTables().copy(b);
            copied = true;
        } catch (final RuntimeException e) {
            copied = false;
        }
        final BackRing ring = q.tx;
        for (int k = 0; k < n; k++) {
            NetifRule rule = NetifRule.GRANT_COPY;
            if (copied && b.status(k) == GrantTable.GNTST_OKAY) {
                rule = forward(q, smallAt[k], smallAt[k] + smallLength[k], smallFlags[k], 0, 0);
            }
            if (rule != NetifRule.OK) {
                rejected.merge(rule, 1L, Long::sum);
            }
            txResponse(ring, smallId[k], rule == NetifRule.OK ? Netif.NETIF_RSP_OKAY : Netif.NETIF_RSP_ERROR);
        }
    }

    /** Checks a copied packet (bytes {@code from..to} of the staging buffer) and hands it to the port. */
    private NetifRule forward(final Queue q, final int from, final int to, final int flags, final int gsoType, final int gsoSize) {
        final int pos = to - from;
        txView.setIndex(from, to);
        final boolean gso = gsoType != 0;
        final boolean blank = gso || (flags & Netif.NETTXF_CSUM_BLANK) != 0;
        if (gso) {
            if (!Packets.isTcp(txView, gsoType == Netif.XEN_NETIF_GSO_TYPE_TCPV6)) {
                return NetifRule.CSUM_SETUP;
            }
        } else if (blank && !Packets.parse(txView, txLayout)) {
            return NetifRule.CSUM_SETUP;
        }
        if (!gso && pos > config.mtu() + VLAN_ETH_HLEN) {
            return NetifRule.OVERSIZE;
        }
        final boolean validated = blank || (flags & Netif.NETTXF_DATA_VALIDATED) != 0;
        // The metadata of a frame without GSO is one of three shared values: none is allocated per frame.
        final Offload offload = gso ? new Offload(true, true, gsoType, gsoSize)
            : blank ? Offload.CSUM_BLANK : validated ? VALIDATED : Offload.NONE;
        if (!port.transmit(txView, offload)) {
            portDropped++;
        }
        q.txPackets++;
        txPackets++;
        txBytes += pos;
        return NetifRule.OK;
    }

    /** Exactly one response per consumed slot: the first, a NULL per extra-info slot, then each fragment. */
    private void respondTx(final BackRing ring, final int status) {
        txResponse(ring, chain.id[0], status);
        for (int e = 0; e < chain.extraSlots; e++) {
            txResponse(ring, 0, Netif.NETIF_RSP_NULL);
        }
        for (int i = 1; i < chain.dataSlots; i++) {
            txResponse(ring, chain.id[i], status);
        }
    }

    private void txResponse(final BackRing ring, final int id, final int status) {
        final UnsafeBuffer r = txRsp;
        r.putShort(NetifTxResponse.ID_OFFSET, (short) id, ByteOrder.LITTLE_ENDIAN);
        r.putShort(NetifTxResponse.STATUS_OFFSET, (short) status, ByteOrder.LITTLE_ENDIAN);
        // False only when every consumed slot is answered already or the ring broke: nothing to answer.
        ring.produceResponse(r, 0);
    }

    // ------------------------------------------------------------------ rx: port -> frontend

    private void onPortFrame(final ByteBuf frame, final Offload offload) {
        final int len = frame.readableBytes();
        if (!machine.isConnected() || queues.length == 0 || len < Packets.ETH_HLEN || len > MAX_FRAME) {
            rxDropped++;
            return;
        }
        if (multicastControl) {
            final long dst = Packets.destination(frame);
            if (Packets.isMulticast(dst) && dst != 0xFFFF_FFFF_FFFFL && !multicast.contains(dst)) {
                rxDropped++;
                return;
            }
        }
        // The frontend's Toeplitz hash when it turned hashing on through the control ring (the frame
        // then carries the hash to it in an extra-info slot), else a flow hash picks the queue.
        final boolean hashed = hash.compute(frame);
        final int hashType = hashed ? hash.hashType() : 0;
        final int hashValue = hashed ? hash.hashValue() : 0;
        int qi = 0;
        if (queues.length > 1) {
            qi = hashed ? hash.queue(queues.length) : Packets.flowHash(frame) % queues.length;
        }
        final Queue q = queues[qi];
        if (offload.isGso()) {
            final boolean v6 = offload.gsoType() == Netif.XEN_NETIF_GSO_TYPE_TCPV6;
            if (!(v6 ? frontGso6 : frontGso4)) {
                // The frontend cannot take the super-segment: cut it here, as Linux's software GSO.
                final Offload plain = hashed ? Offload.NONE.withHash(hashType, hashValue) : Offload.NONE;
                if (Packets.segment(frame, offload.gsoSize(), alloc, s -> {
                    enqueue(q, s, plain, false);
                    s.release();
                }) == 0) {
                    rxDropped++;
                }
                return;
            }
        }
        Offload o = offload;
        // Without the frontend's checksum offload the checksum is filled in, in the queued copy.
        final boolean complete = o.csumBlank() && !o.isGso() && (!frontCsum || !frontIpv6Csum && Packets.isIpv6(frame));
        if (complete) {
            o = Offload.NONE;
        }
        if (hashed) {
            o = o.withHash(hashType, hashValue);
        } else if (o.hasHash()) {
            // A hash from the port is not the frontend's: only the hash it configured goes to it.
            o = o.withHash(0, 0);
        }
        enqueue(q, frame, o, complete);
    }

    /**
     * Copies a frame into the queue's backlog (the port's buffer is reused after this call), and
     * completes its checksum there when asked.
     */
    private void enqueue(final Queue q, final ByteBuf frame, final Offload offload, final boolean completeChecksum) {
        final int len = frame.readableBytes();
        // Bounded for a frontend that posts no buffers (XSA-39): beyond the bound, drop and count.
        final int at = len > PAGE && !frontSg ? -1 : q.backlog.offer(frame, offload);
        if (at < 0) {
            rxDropped++;
            return;
        }
        if (completeChecksum && !Packets.completeChecksum(q.backlog.view().setIndex(at, at + len))) {
            q.backlog.removeLast();
            rxDropped++;
        }
    }

    private int deliverRx(final Queue q) {
        final BackRing ring = q.rx;
        final FrameBacklog<Offload> backlog = q.backlog;
        final UnsafeBuffer rsp = rxRsp;
        final int frontend = device.frontendDomid();
        int work = 0;
        while (work < BATCH && !backlog.isEmpty()) {
            final int at = backlog.firstOffset();
            final int len = backlog.firstLength();
            final Offload offload = backlog.firstMetadata();
            final boolean gso = offload.isGso();
            final boolean hashed = offload.hasHash();
            final int data = Math.max(1, (len + PAGE - 1) / PAGE);
            // Extra-info slots follow the first data slot, GSO before HASH (Linux's order by type).
            final int extras = (gso ? 1 : 0) + (hashed ? 1 : 0);
            final int slots = data + extras;
            if (ring.unconsumedRequests() < slots && !rxBuffersAfterEvent(ring, slots)) {
                if (ring.isBroken()) {
                    final RingViolation v = ring.violation();
                    fail(v == null ? "ring" : v.securityRule() + " " + v.name(), ring.name() + ": " + ring.brokenReason());
                    return work;
                }
                // Wait for buffers; the frame stays queued (bounded in enqueue).
                break;
            }
            for (int k = 0; k < slots; k++) {
                if (!ring.copyRequest(requestCopy, 0)) {
                    fail("netif rx", ring.name() + ": request " + k + " of " + slots + " vanished");
                    return work;
                }
                rxIds[k] = NetifRxRequest.id(requestCopy, 0);
                rxRefs[k] = NetifRxRequest.gref(requestCopy, 0);
            }
            // Straight from the backlog into the frontend's buffers: a page per data slot.
            final UnsafeBuffer area = backlog.area();
            batch.clear();
            for (int j = 0; j < data; j++) {
                final int k = j == 0 ? 0 : j + extras;
                batch.addLocalToGrant(area, at + j * PAGE, frontend, rxRefs[k], 0, Math.min(PAGE, len - j * PAGE));
            }
            boolean ok;
            try {
                host.grantTables().copy(batch);
                ok = batch.allOkay();
            } catch (final RuntimeException e) {
                ok = false;
            }
            int csum = 0;
            if (offload.csumBlank()) {
                csum = Netif.NETRXF_CSUM_BLANK | Netif.NETRXF_DATA_VALIDATED;
            } else if (offload.dataValidated()) {
                csum = Netif.NETRXF_DATA_VALIDATED;
            }
            for (int k = 0; k < slots; k++) {
                // Each response is built whole in private memory (every byte set, R7), then copied in.
                rsp.setMemory(0, NetifRxResponse.LENGTH, (byte) 0);
                if (k >= 1 && k <= extras) {
                    final int more = k < extras ? Netif.XEN_NETIF_EXTRA_FLAG_MORE : 0;
                    if (gso && k == 1) {
                        rsp.putByte(NetifExtraInfo.TYPE_OFFSET, (byte) Netif.XEN_NETIF_EXTRA_TYPE_GSO);
                        rsp.putByte(NetifExtraInfo.FLAGS_OFFSET, (byte) more);
                        rsp.putShort(NetifExtraInfo.GSO_SIZE_OFFSET, (short) offload.gsoSize(), ByteOrder.LITTLE_ENDIAN);
                        rsp.putByte(NetifExtraInfo.GSO_TYPE_OFFSET, (byte) offload.gsoType());
                    } else {
                        rsp.putByte(NetifExtraInfo.TYPE_OFFSET, (byte) Netif.XEN_NETIF_EXTRA_TYPE_HASH);
                        rsp.putByte(NetifExtraInfo.FLAGS_OFFSET, (byte) more);
                        // u.hash.type is the bit number of the type (_XEN_NETIF_CTRL_HASH_TYPE_*).
                        rsp.putByte(NetifExtraInfo.HASH_TYPE_OFFSET, (byte) Integer.numberOfTrailingZeros(offload.hashType()));
                        rsp.putByte(NetifExtraInfo.HASH_ALGORITHM_OFFSET, (byte) Netif.XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ);
                        rsp.putInt(NetifExtraInfo.HASH_VALUE_OFFSET, offload.hash(), ByteOrder.LITTLE_ENDIAN);
                    }
                } else {
                    final int j = k == 0 ? 0 : k - extras;
                    int flags = j < data - 1 ? Netif.NETRXF_MORE_DATA : 0;
                    if (j == 0) {
                        flags |= csum | (extras > 0 ? Netif.NETRXF_EXTRA_INFO : 0);
                    }
                    rsp.putShort(NetifRxResponse.ID_OFFSET, (short) rxIds[k], ByteOrder.LITTLE_ENDIAN);
                    rsp.putShort(NetifRxResponse.FLAGS_OFFSET, (short) flags, ByteOrder.LITTLE_ENDIAN);
                    rsp.putShort(NetifRxResponse.STATUS_OFFSET,
                        (short) (ok ? Math.min(PAGE, len - j * PAGE) : Netif.NETIF_RSP_ERROR), ByteOrder.LITTLE_ENDIAN);
                }
                ring.produceResponse(rsp, 0);
            }
            backlog.removeFirst();
            if (ok) {
                q.rxPackets++;
                rxPackets++;
                rxBytes += len;
            } else {
                rxDropped++;
            }
            work++;
        }
        if (work > 0 && ring.pushResponsesAndCheckNotify()) {
            q.rxChannel().notifyPeer();
        }
        return work;
    }

    /**
     * Too few receive buffers for the next frame: asks the frontend for an event at its next
     * posted buffer ({@code req_event = req_prod + 1}, as Linux's
     * {@code xenvif_rx_ring_slots_available}; with {@code feature-rx-notify} the frontend then
     * notifies) and looks once more, so a buffer posted meanwhile is not missed.
     */
    private static boolean rxBuffersAfterEvent(final BackRing ring, final int needed) {
        if (ring.isBroken()) {
            return false;
        }
        final AtomicBuffer shared = ring.buffer();
        final int prod = shared.getIntVolatile(SringHeader.REQ_PROD_OFFSET);
        // req_event = prod + 1; mb(): the volatile store is ordered before the volatile re-read below.
        shared.putIntVolatile(SringHeader.REQ_EVENT_OFFSET, prod + 1);
        return ring.unconsumedRequests() >= needed;
    }

    // ------------------------------------------------------------------ state and counters

    private void fail(final String rule, final String reason) {
        if (broken != null) {
            return;
        }
        broken = "netback dom" + host.domid() + " device " + device.name() + " (frontend dom" + device.frontendDomid()
            + ", " + device.backend() + "): " + rule + ": " + reason + "; the device is stopped";
        LOG.log(System.Logger.Level.ERROR, broken);
        try {
            disconnect();
            XenbusStates.write(store, device.backend(), XenbusState.XENBUS_STATE_CLOSING);
        } catch (final RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "netback " + device.name() + ": closing after failure: " + e);
        }
    }

    /**
     * Why the device stopped, or null while it works.
     *
     * @return the log line naming domain, device and rule, or null
     */
    public @Nullable String brokenReason() {
        return broken;
    }

    /**
     * Whether the rings are mapped and packets served.
     *
     * @return true when connected and not broken
     */
    public boolean isConnected() {
        return broken == null && machine.isConnected();
    }

    /**
     * Queue pairs in use.
     *
     * @return 0 while disconnected
     */
    public int queueCount() {
        return queues.length;
    }

    /**
     * Packets the frontend sent that went to the port.
     *
     * @return the count
     */
    public long txPackets() {
        return txPackets;
    }

    /**
     * Bytes of those packets.
     *
     * @return the count
     */
    public long txBytes() {
        return txBytes;
    }

    /**
     * Frames delivered to the frontend.
     *
     * @return the count
     */
    public long rxPackets() {
        return rxPackets;
    }

    /**
     * Bytes of those frames.
     *
     * @return the count
     */
    public long rxBytes() {
        return rxBytes;
    }

    /**
     * Frames for the frontend that were dropped: queue bound reached (a frontend that posts no
     * buffers), disconnected, filtered, too large without scatter-gather, or a failed copy.
     *
     * @return the count
     */
    public long rxDropped() {
        return rxDropped;
    }

    /**
     * Frames the port refused.
     *
     * @return the count
     */
    public long portDropped() {
        return portDropped;
    }

    /**
     * Frames waiting for receive buffers, over all queues.
     *
     * @return the count
     */
    public int pendingRxFrames() {
        int n = 0;
        for (final Queue q : queues) {
            n += q.backlog.size();
        }
        return n;
    }

    /**
     * Packets sent by the frontend on each queue (the multi-queue spread).
     *
     * @return one count per queue
     */
    public long[] txPacketsPerQueue() {
        final long[] out = new long[queues.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = queues[i].txPackets;
        }
        return out;
    }

    /**
     * Frames delivered on each queue.
     *
     * @return one count per queue
     */
    public long[] rxPacketsPerQueue() {
        final long[] out = new long[queues.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = queues[i].rxPackets;
        }
        return out;
    }

    /**
     * Transmit packets answered with an error, by the name of the rule they broke.
     *
     * @return a snapshot
     */
    public Map<String, Long> rejectedByRule() {
        final Map<String, Long> out = new TreeMap<>();
        rejected.forEach((k, v) -> out.put(k.name(), v));
        return out;
    }

    /**
     * Multicast addresses the frontend subscribed to (with multicast control).
     *
     * @return the count
     */
    public int multicastAddresses() {
        return multicast.size();
    }

    /**
     * Stops at once, as a backend that crashes: unmaps and unbinds, writes nothing to xenstore.
     * For fault tests.
     */
    public void crash() {
        broken = "netback " + device.name() + ": crashed (test)";
        disconnect();
        endRingWatch();
        final StateWatch w = watch;
        if (w != null) {
            w.close();
        }
    }

    private void endRingWatch() {
        final XsWatch r = ringWatch;
        ringWatch = null;
        if (r != null) {
            r.close();
        }
    }

    /** Closes the device: unmaps the rings, unbinds the channels, writes Closed. The port stays open. */
    @Override
    public void close() {
        machine.close();
        disconnect();
        endRingWatch();
        final StateWatch w = watch;
        watch = null;
        if (w != null) {
            w.close();
        }
        try {
            XenbusStates.write(store, device.backend(), XenbusState.XENBUS_STATE_CLOSED);
        } catch (final RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "netback " + device.name() + ": writing Closed: " + e);
        }
    }

    /** One queue pair: two mapped rings, their channels, the frames waiting for receive buffers. */
    private static final class Queue {
        final String name;
        /** Frames waiting for receive buffers, bounded by the configuration (XSA-39, XSA-392). */
        final FrameBacklog<Offload> backlog;
        long txPackets;
        long rxPackets;
        @Nullable MappedGrants txPage;
        @Nullable MappedGrants rxPage;
        @SuppressWarnings("NullAway.Init")
        BackRing tx;
        @SuppressWarnings("NullAway.Init")
        BackRing rx;
        @Nullable EventChannel txChannel;
        @Nullable EventChannel rxChannel;

        Queue(final String name, final int maxFrames, final int maxBytes) {
            this.name = name;
            this.backlog = new FrameBacklog<>(maxFrames, maxBytes);
        }

        EventChannel txChannel() {
            return java.util.Objects.requireNonNull(txChannel);
        }

        EventChannel rxChannel() {
            return java.util.Objects.requireNonNull(rxChannel);
        }

        void close() {
            backlog.clear();
            final EventChannel t = txChannel;
            final EventChannel r = rxChannel;
            if (t != null && !t.isClosed()) {
                t.close();
            }
            if (r != null && !r.isClosed()) {
                r.close();
            }
            for (final MappedGrants m : new MappedGrants[] {txPage, rxPage}) {
                if (m != null && !m.isClosed()) {
                    m.close();
                }
            }
        }
    }
}
