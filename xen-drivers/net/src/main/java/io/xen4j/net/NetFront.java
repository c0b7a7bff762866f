package io.xen4j.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
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
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.api.XenHost;
import io.xen4j.net.internal.Packets;
import io.xen4j.rings.FrontRing;
import io.xen4j.rings.RingViolation;
import io.xen4j.rings.SlotHandler;
import io.xen4j.store.XenStoreClient;
import io.xen4j.store.XenStoreException;
import io.xen4j.xenbus.DevicePaths;
import io.xen4j.xenbus.FrontendStateMachine;
import io.xen4j.xenbus.StateWatch;
import io.xen4j.xenbus.XenbusAction;
import io.xen4j.xenbus.XenbusStates;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.jspecify.annotations.Nullable;

/**
 * netfront: a {@link NetDevice} served by a backend domain. An Agrona {@link Agent}: each
 * {@link #doWork()} follows the backend's XenBus state, keeps the receive rings full of granted
 * buffers (rx-copy), hands received frames to the {@link FrameHandler}, and puts queued frames on
 * the transmit rings (frames packed into read-only granted pages, a slot per piece, GSO as an
 * extra-info slot). Nothing is allocated per frame at steady state: {@link #send} copies the frame
 * into a many-producer ring (a direct frame through its internal NIO buffer, so the frame must not
 * be used by another thread during the call), the agent copies it from there into a granted page;
 * a plain frame sent by the agent's own thread while no {@link #doWork()} runs and nothing waits
 * before it is copied straight into a granted page instead.
 *
 * <p>The handshake is Linux's netfront's: on the backend's InitWait the frontend writes its rings,
 * event channels and features and goes straight to Connected, skipping Initialised; frames flow once
 * the backend is Connected too. Linux's netback ignores a frontend's Initialised and maps the rings
 * only when the frontend goes Connected (its {@code frontend_changed}), so a frontend that waited
 * in Initialised for the backend's Connected would wait forever; xen4j's {@link NetBack} takes
 * either order. The backend directory may be under any kind ({@link NetBack#USERSPACE_KIND} for
 * xen4j's backend): the frontend follows its {@code backend} node.
 *
 * <p>The backend is hostile. A tx response must name a pending id with a known status; an rx
 * response must carry the id of the buffer posted at its ring index, a status below 0 (the frame
 * is dropped) or a length with {@code offset + status <= 4096}; otherwise the device breaks with
 * one log line. A receive buffer's grant is ended before its page is read, and a buffer the
 * backend still holds breaks the device. Where the HAL can grant a page again
 * ({@link SharedPages#canGrantAgain()}: the simulated host; not Linux's gntalloc) the receive pages
 * are kept: ended, read, then granted again to the same backend for the next buffer, instead of a
 * fresh one-page share per buffer. Transmit pages are persistent grants (as blkfront's):
 * read-only to the backend and filled again only with more frames for it once every slot in them
 * is answered; when released their grants are ended first, and a page whose grant the backend
 * still holds is leaked, never handed to anything else (XSA-396), and released once the backend
 * lets go of it. Offloads the backend does not take are done in software before sending.
 *
 * <p>With {@link NetFrontConfig#controlRing()} and a backend that offers {@code feature-ctrl-ring},
 * the frontend makes a control ring, and {@link #configureHash} sets Toeplitz receive hashing on
 * it; received frames then carry the backend's hash ({@link Offload#hash()}) from a
 * {@code XEN_NETIF_EXTRA_TYPE_HASH} extra-info slot. An extra-info slot of an unknown type, with
 * unknown flag bits, repeated in one frame, meant for transmit only, or a hash this frontend did not
 * ask for (unknown hash type or algorithm, or hashing off) drops the frame and counts it in
 * {@link #rxErrors()}.
 */
public final class NetFront implements NetDevice, Agent, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(NetFront.class.getName());
    private static final int PAGE = 4096;
    private static final int BATCH = 64;
    private static final int MAX_FRAME = Netif.XEN_NETIF_MAX_TX_SIZE;
    /** Data slots of the largest frame plus one: more in one received frame is an error. */
    private static final int MAX_RX_SLOTS = Netif.XEN_NETIF_NR_SLOTS_MIN;
    private static final int VLAN_ETH_HLEN = 18;

    /** A frame made by a software fallback (a GSO frame cut into segments), waiting to go out. */
    private record Outgoing(ByteBuf frame, Offload offload) {
    }

    /** Send-ring message types. */
    private static final int MSG_FRAME = 1;
    private static final int MSG_MCAST = 2;
    /** A frame message: offload bits, GSO type, GSO size, then the frame's bytes. */
    private static final int MSG_BITS = 0;
    private static final int MSG_GSO_TYPE = MSG_BITS + Integer.BYTES;
    private static final int MSG_GSO_SIZE = MSG_GSO_TYPE + Integer.BYTES;
    private static final int MSG_HEADER = MSG_GSO_SIZE + Integer.BYTES;
    /** A multicast message: the address, then +1 to join or -1 to leave. */
    private static final int MSG_MCAST_JOIN = Long.BYTES;
    private static final int MSG_MCAST_LENGTH = MSG_MCAST_JOIN + Integer.BYTES;
    private static final int BIT_BLANK = 1;
    private static final int BIT_VALIDATED = 2;
    /** Send-ring bytes per frame of {@link NetFrontConfig#sendQueue()}, and the least size (a 64 KiB frame fits). */
    private static final int SEND_BYTES_PER_FRAME = 1024;
    private static final int SEND_RING_MIN = 1 << 20;
    private static final int SEND_RING_MAX = 1 << 26;

    /**
     * A share of transmit pages, filled with frames one after the other (a slot may start at any
     * offset in a page, as netif allows), and how many of its slots still await a response. Once it
     * is full (retired) and every slot is answered, it is filled again from the start (a persistent
     * grant, as blkfront's: granted read-only, it only ever holds frames sent to this backend, so
     * reuse shows the backend nothing it was not sent), or, beyond {@link #TX_SHARES_KEPT} idle
     * shares and at teardown, its grants are ended and its pages released (leaked if the backend
     * still maps them: never handed to anything else, XSA-396).
     */
    private static final class TxShare {
        final @Nullable SharedPages pages;
        /** The pages' buffer, fetched once: a frame is copied into it without asking the share each time. */
        final @Nullable AtomicBuffer buffer;
        /** The pages' grant references, fetched once. */
        final int[] refs;
        final int capacity;
        int used;
        int remaining;
        boolean retired;

        TxShare(final @Nullable SharedPages pages, final int capacity) {
            this.pages = pages;
            this.buffer = pages == null ? null : pages.buffer();
            this.refs = new int[pages == null ? 0 : pages.pageCount()];
            for (int i = 0; i < refs.length; i++) {
                refs[i] = Objects.requireNonNull(pages).grantRef(i);
            }
            this.capacity = capacity;
        }

        TxShare reset() {
            used = 0;
            remaining = 0;
            retired = false;
            return this;
        }
    }

    /**
     * Idle transmit shares a queue keeps for reuse: as many as a full ring of one-page slots can
     * hold (256 / 32), so that a steady flow of 64 KiB GSO frames (17 slots each, a ring's worth in
     * flight) makes no new share once warm; with 4 kept, a TCP transfer made a fresh 32-page share
     * (allocated, granted, ended, released) every 2 to 4 frames.
     */
    private static final int TX_SHARES_KEPT = 8;

    /** How often the grants of pages the backend still held are tried again ({@link #releaseLeaked}). */
    private static final long LEAK_RETRY_NANOS = 10_000_000L;

    /** Received metadata of a plain frame whose checksum the backend validated. */
    private static final Offload VALIDATED = new Offload(false, true, Netif.XEN_NETIF_GSO_TYPE_NONE, 0);

    /**
     * Pages per transmit share: small frames share pages (2 048 frames of 64 bytes fill one), and
     * one share call serves many frames; shares are then reused ({@link TxShare}), so a steady flow
     * makes no new share.
     */
    private static final int TX_SHARE_PAGES = 32;


    private final XenHost host;
    private final XenStoreClient store;
    private final DevicePaths device;
    private final NetFrontConfig config;
    private final FrameHandler receiver;
    private final FrontendStateMachine machine = new FrontendStateMachine();
    /**
     * Frames handed to {@link #send}, copied once into this many-producer ring (no allocation per
     * frame); the agent copies each from here straight into a granted page.
     */
    private final ManyToOneRingBuffer sendRing;
    /** A view of the send ring's memory: shows a queued frame to the packet parsers without a copy. */
    private final ByteBuf sendView;
    private final Packets.Layout sendLayout = new Packets.Layout();
    private final ControlledMessageHandler sendHandler = this::onSendMessage;
    private final UnsafeBuffer readyView = new UnsafeBuffer(new byte[0]);
    /**
     * A tx request and an extra-info slot built in private memory, then copied into the ring in one
     * move ({@link FrontRing#produceRequest}): every byte of the slot is set (R7) without clearing
     * it first and storing each field into the shared page on its own.
     */
    private final UnsafeBuffer txSlot = new UnsafeBuffer(new byte[NetifTxRequest.LENGTH]);
    private final UnsafeBuffer extraSlot = new UnsafeBuffer(new byte[NetifTxRequest.LENGTH]);
    /** An rx request built in private memory, copied into the ring in one move. */
    private final UnsafeBuffer rxSlot = new UnsafeBuffer(new byte[NetifRxRequest.LENGTH]);
    /** The thread that last ran {@link #doWork()}: its sends may skip the send ring ({@link #sendDirect}). */
    private volatile @Nullable Thread agentThread;
    /** Held by {@link #doWork()} and by a direct send: the agent's state has one user at a time. */
    private final java.util.concurrent.atomic.AtomicBoolean busy = new java.util.concurrent.atomic.AtomicBoolean();
    private long directSends;
    /** Set by the send handler when a transmit ring is full: the message waits in the send ring. */
    private boolean txFull;
    private final ArrayDeque<Outgoing> ready = new ArrayDeque<>();
    private final List<SharedPages> leaked = new ArrayList<>();
    /** When the grants of {@link #leaked} pages were last tried again. */
    private long leakRetryNanos;
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    private final CompletableFuture<NetInfo> connected = new CompletableFuture<>();
    private final AtomicLong txDropped = new AtomicLong();
    /** The hashing asked for with {@link #configureHash}, set again after every reconnect. */
    private final AtomicReference<@Nullable HashRequest> hashWanted = new AtomicReference<>();
    private @Nullable Control control;
    /** Hash types the backend may send hashes for: those of the configuration sent on the control ring. */
    private int rxHashTypes;
    private @Nullable StateWatch watch;
    private @Nullable NetInfo info;
    private Queue[] queues = new Queue[0];
    private boolean sg;
    private boolean gso4;
    private boolean gso6;
    private boolean ipv6Csum;
    private int mtu = 1500;
    /** The index new rings start at; 0 but in tests (see {@link #startRingsAt}). */
    private int ringStart;
    private volatile @Nullable String broken;
    private volatile boolean closed;
    private long txPackets;
    private long txErrors;
    private long rxPackets;
    private long rxErrors;
    /** Fresh one-page shares made for receive buffers (not kept pages granted again). */
    private long rxShares;
    private long reconnects;
    private long txSharesMade;

    /**
     * Creates a frontend for one device; {@link #start()} begins the handshake.
     *
     * @param host     the frontend domain's HAL
     * @param store    the frontend domain's xenstore connection
     * @param device   the device's paths (type {@code vif}); the frontend directory holds {@code mac}
     * @param config   what to ask for
     * @param receiver receives each frame, on the agent's thread
     */
    public NetFront(final XenHost host, final XenStoreClient store, final DevicePaths device, final NetFrontConfig config,
                    final FrameHandler receiver) {
        this.host = host;
        this.store = store;
        this.device = device;
        this.config = config;
        this.receiver = receiver;
        final int capacity = BitUtil.findNextPositivePowerOfTwo(
            (int) Math.min(SEND_RING_MAX, Math.max(SEND_RING_MIN, (long) config.sendQueue() * SEND_BYTES_PER_FRAME)));
        final ByteBuffer memory = BufferUtil.allocateDirectAligned(capacity + RingBufferDescriptor.TRAILER_LENGTH, BitUtil.CACHE_LINE_LENGTH);
        this.sendRing = new ManyToOneRingBuffer(new UnsafeBuffer(memory));
        this.sendView = Unpooled.wrappedBuffer(memory.duplicate().clear());
    }

    /**
     * Publishes Initialising and starts following the backend's state: on its InitWait the rings
     * are written and this frontend goes Connected in the same transaction (Linux's order);
     * {@link #connected()} completes when the backend is Connected as well.
     */
    public void start() {
        XenbusStates.write(store, device.frontend(), machine.state());
        watch = new StateWatch(store, device.backend("state"));
    }

    @Override
    public String roleName() {
        return "netfront-" + device.name();
    }

    @Override
    public CompletableFuture<NetInfo> connected() {
        return connected;
    }

    @Override
    public boolean send(final ByteBuf frame, final Offload offload) {
        final int len = frame.readableBytes();
        if (broken != null || closed || len < Packets.ETH_HLEN || len > MAX_FRAME) {
            txDropped.incrementAndGet();
            return false;
        }
        if (agentThread == Thread.currentThread() && sendDirect(frame, offload, len)) {
            return true;
        }
        final int index = sendRing.tryClaim(MSG_FRAME, MSG_HEADER + len);
        if (index < 0) {
            txDropped.incrementAndGet();
            return false;
        }
        final AtomicBuffer b = sendRing.buffer();
        try {
            b.putInt(index + MSG_BITS, (offload.csumBlank() ? BIT_BLANK : 0) | (offload.dataValidated() ? BIT_VALIDATED : 0));
            b.putInt(index + MSG_GSO_TYPE, offload.gsoType());
            b.putInt(index + MSG_GSO_SIZE, offload.gsoSize());
            copyFrame(frame, b, index + MSG_HEADER, len);
        } catch (final RuntimeException e) {
            sendRing.abort(index);
            throw e;
        }
        sendRing.commit(index);
        return true;
    }

    /**
     * A frame sent by the thread that runs this agent (polling it, or from a frame handler of
     * another device on the same agent thread, as a bridge) while no {@link #doWork()} is running
     * and nothing is queued before it: copied in one step from the caller's buffer into a granted
     * page and put on the ring, skipping the send ring (its claim, copy and read-back). Only plain
     * frames the backend takes as they are; anything else, or a full ring, goes through the send
     * ring. The ring is pushed by the next {@link #doWork()}.
     */
    private boolean sendDirect(final ByteBuf frame, final Offload offload, final int len) {
        if (offload.gsoType() != Netif.XEN_NETIF_GSO_TYPE_NONE || len > mtu + VLAN_ETH_HLEN || len > PAGE && !sg
            || !ready.isEmpty() || sendRing.producerPosition() != sendRing.consumerPosition()) {
            return false;
        }
        if (offload.csumBlank() && (!config.csumOffload() || !ipv6Csum && Packets.isIpv6(frame))) {
            return false;
        }
        // Excludes doWork (and a second direct send) for the few steps below.
        if (!busy.compareAndSet(false, true)) {
            return false;
        }
        try {
            final Queue[] qs = queues;
            if (qs.length == 0 || broken != null || closed || !machine.isConnected()) {
                return false;
            }
            final Queue q = qs.length == 1 ? qs[0] : qs[Packets.flowHash(frame, sendLayout) % qs.length];
            final int from = frame.readerIndex();
            if (frame.hasArray()) {
                readyView.wrap(frame.array(), frame.arrayOffset() + from, len);
            } else if (frame.nioBufferCount() == 1) {
                final ByteBuffer nio = frame.internalNioBuffer(from, len);
                readyView.wrap(nio, nio.position(), len);
            } else {
                return false;
            }
            final DirectBuffer src = readyView;
            final int bits = (offload.csumBlank() ? BIT_BLANK : 0) | (offload.dataValidated() ? BIT_VALIDATED : 0);
            if (!sendFrame(q, src, 0, len, bits, Netif.XEN_NETIF_GSO_TYPE_NONE, 0)) {
                return false;
            }
            directSends++;
            return true;
        } catch (final RuntimeException e) {
            // As in doWork: nothing the HAL throws (a full grant table) leaves as an exception (R10).
            fail("internal error: " + e);
            return false;
        } finally {
            busy.set(false);
        }
    }

    /**
     * Copies a frame's readable bytes; a heap frame or a direct frame of one NIO buffer is copied
     * without allocating (the direct one through its internal NIO buffer).
     */
    private static void copyFrame(final ByteBuf frame, final MutableDirectBuffer dst, final int at, final int len) {
        final int from = frame.readerIndex();
        if (frame.hasArray()) {
            dst.putBytes(at, frame.array(), frame.arrayOffset() + from, len);
        } else if (frame.nioBufferCount() == 1) {
            final ByteBuffer nio = frame.internalNioBuffer(from, len);
            dst.putBytes(at, nio, nio.position(), len);
        } else {
            final byte[] bytes = new byte[len];
            frame.getBytes(from, bytes);
            dst.putBytes(at, bytes);
        }
    }

    /**
     * Asks the backend to pass multicast frames for an address (with multicast control).
     *
     * @param mac   the group address
     * @param join  true to subscribe, false to leave
     * @return false when the request could not be queued
     */
    public boolean multicast(final long mac, final boolean join) {
        if (closed) {
            return false;
        }
        final int index = sendRing.tryClaim(MSG_MCAST, MSG_MCAST_LENGTH);
        if (index < 0) {
            return false;
        }
        sendRing.buffer().putLong(index, mac);
        sendRing.buffer().putInt(index + MSG_MCAST_JOIN, join ? 1 : -1);
        sendRing.commit(index);
        return true;
    }

    @Override
    public long txDropped() {
        return txDropped.get();
    }

    @Override
    public int doWork() {
        agentThread = Thread.currentThread();
        if (!busy.compareAndSet(false, true)) {
            // A direct send of this thread's own frame is in progress (a handler sending to this
            // device from inside another's doWork cannot be: that is the same thread): try again later.
            return 0;
        }
        try {
            return work();
        } finally {
            busy.set(false);
        }
    }

    private int work() {
        if (broken != null || closed) {
            return dropQueued();
        }
        int work = 0;
        try {
            final StateWatch w = watch;
            if (w != null && w.changed()) {
                work++;
                followBackend();
            }
            if (!leaked.isEmpty()) {
                work += releaseLeaked();
            }
            if (queues.length > 0 && machine.isConnected() && broken == null) {
                host.eventChannels().poll(BATCH);
                for (final Queue q : queues) {
                    work += takeTxResponses(q);
                    if (checkRing(q.tx)) {
                        return work;
                    }
                    work += takeRxResponses(q, BATCH * 4);
                    if (checkRing(q.rx)) {
                        return work;
                    }
                    work += fillRx(q);
                }
                work += transmit();
                work += serveControl();
                if (broken != null) {
                    return work;
                }
                for (final Queue q : queues) {
                    if (q.txDirty) {
                        q.txDirty = false;
                        if (q.tx.pushRequestsAndCheckNotify()) {
                            q.txChannel().notifyPeer();
                        }
                    }
                }
                if (work == 0) {
                    for (final Queue q : queues) {
                        if (q.rx.finalCheckForResponses() || q.outstanding > 0 && q.tx.finalCheckForResponses()) {
                            work++;
                        }
                    }
                }
            }
        } catch (final RuntimeException e) {
            // Nothing leaves the agent loop (R10).
            fail("internal error: " + e);
        }
        return work;
    }

    /**
     * The tx responses shown by one read of {@code rsp_prod}, each copied out once and handled
     * here (a direct call, not a handler behind the ring shared with the rx and control rings).
     */
    private int takeTxResponses(final Queue q) {
        final FrontRing r = q.tx;
        final int n = r.unconsumedResponses();
        final UnsafeBuffer copy = q.responseCopy;
        for (int i = 0; i < n; i++) {
            final int index = r.responseConsumer();
            if (!r.copyResponse(copy, 0)) {
                return i;
            }
            onTx(q, copy, index);
        }
        return n;
    }

    /** The rx responses shown by one read of {@code rsp_prod}, up to {@code limit}, as {@link #takeTxResponses}. */
    private int takeRxResponses(final Queue q, final int limit) {
        final FrontRing r = q.rx;
        final int n = Math.min(r.unconsumedResponses(), limit);
        final UnsafeBuffer copy = q.responseCopy;
        for (int i = 0; i < n; i++) {
            final int index = r.responseConsumer();
            if (!r.copyResponse(copy, 0)) {
                return i;
            }
            onRx(q, copy, index);
        }
        return n;
    }

    private boolean checkRing(final FrontRing r) {
        if (r.isBroken()) {
            final RingViolation v = r.violation();
            fail((v == null ? "ring" : v.securityRule() + " " + v.name()) + ": " + r.brokenReason());
            return true;
        }
        return broken != null;
    }

    // ------------------------------------------------------------------ xenbus

    private void followBackend() {
        // A RESTART re-reads at once: the backend may already be in InitWait.
        for (int round = 0; round < 3; round++) {
            final int beState = XenbusStates.read(store, device.backend());
            final XenbusAction action = machine.onBackendState(beState);
            switch (action) {
                case SETUP -> setup();
                case CONNECT -> connectInfo();
                case DISCONNECT -> {
                    teardown();
                    XenbusStates.write(store, device.frontend(), machine.state());
                }
                case RESTART -> {
                    teardown();
                    reconnects++;
                    XenbusStates.write(store, device.frontend(), machine.state());
                    continue;
                }
                case NONE -> {
                    // Nothing to do for this backend state.
                }
            }
            return;
        }
    }

    private @Nullable String read(final String path) {
        try {
            return store.read(path);
        } catch (final XenStoreException e) {
            if (e.is("ENOENT")) {
                return null;
            }
            throw e;
        }
    }

    private boolean backendFlag(final String node) {
        final String v = read(device.backend(node));
        return v != null && "1".equals(v.trim());
    }

    /** A backend node as a bounded number; missing or garbled gives {@code fallback}. */
    private long backendNumber(final String node, final long fallback, final long max) {
        final String text = read(device.backend(node));
        if (text == null || text.isEmpty() || text.length() > 10 || !text.chars().allMatch(Character::isDigit)) {
            return fallback;
        }
        final long v = Long.parseLong(text);
        return v > max ? fallback : v;
    }

    private void setup() {
        if (!backendFlag(NetifFeatures.FEATURE_RX_COPY)) {
            fail("the backend does not offer " + NetifFeatures.FEATURE_RX_COPY + " (page flipping is not supported)");
            return;
        }
        final String macText = read(device.frontend(NetifFeatures.MAC));
        final long mac = macText == null ? -1 : Macs.parse(macText.trim());
        if (mac < 0) {
            fail(device.frontend(NetifFeatures.MAC) + "=" + macText + " is not a MAC address (xx:xx:xx:xx:xx:xx)");
            return;
        }
        final int maxQueues = (int) backendNumber(NetifFeatures.MULTI_QUEUE_MAX_QUEUES, 1, NetBackConfig.MAX_QUEUES);
        final int count = Math.max(1, Math.min(maxQueues, config.queues()));
        final boolean split = config.splitEventChannels() && backendFlag(NetifFeatures.FEATURE_SPLIT_EVENT_CHANNELS);
        sg = config.sg() && backendFlag(NetifFeatures.FEATURE_SG);
        gso4 = sg && config.gsoTcpv4() && backendFlag(NetifFeatures.FEATURE_GSO_TCPV4);
        gso6 = sg && config.gsoTcpv6() && backendFlag(NetifFeatures.FEATURE_GSO_TCPV6);
        ipv6Csum = config.csumOffload() && config.ipv6CsumOffload() && backendFlag(NetifFeatures.FEATURE_IPV6_CSUM_OFFLOAD);
        final boolean mcast = config.multicastControl() && backendFlag(NetifFeatures.FEATURE_MULTICAST_CONTROL);
        mtu = (int) Math.max(68, backendNumber(NetifFeatures.MTU, 1500, 65521));
        final Queue[] made = new Queue[count];
        for (int qi = 0; qi < count; qi++) {
            made[qi] = new Queue(qi, split);
        }
        queues = made;
        final Control ctl = config.controlRing() && backendFlag(NetifFeatures.FEATURE_CTRL_RING) ? new Control() : null;
        control = ctl;
        store.transaction(16, tx -> {
            // What a previous connection wrote must not mislead the new backend.
            for (final String stale : tx.directory(device.frontend())) {
                if (stale.endsWith("-ring-ref") || stale.startsWith("event-channel") || stale.startsWith(NetifFeatures.QUEUE_PREFIX)
                    || stale.equals(NetifFeatures.MULTI_QUEUE_NUM_QUEUES)) {
                    tx.rm(device.frontend(stale));
                }
            }
            if (count > 1) {
                tx.write(device.frontend(NetifFeatures.MULTI_QUEUE_NUM_QUEUES), Integer.toString(count));
            }
            for (int qi = 0; qi < count; qi++) {
                // One queue keeps the classic top-level nodes; several go under queue-<n>/.
                final String dir = count > 1 ? NetifFeatures.QUEUE_PREFIX + qi + "/" : "";
                final Queue q = made[qi];
                tx.write(device.frontend(dir + NetifFeatures.TX_RING_REF), Integer.toUnsignedString(q.txPage.grantRef(0)));
                tx.write(device.frontend(dir + NetifFeatures.RX_RING_REF), Integer.toUnsignedString(q.rxPage.grantRef(0)));
                if (split) {
                    tx.write(device.frontend(dir + NetifFeatures.EVENT_CHANNEL_TX), Integer.toString(q.txChannel().localPort()));
                    tx.write(device.frontend(dir + NetifFeatures.EVENT_CHANNEL_RX), Integer.toString(q.rxChannel().localPort()));
                } else {
                    tx.write(device.frontend(dir + NetifFeatures.EVENT_CHANNEL), Integer.toString(q.txChannel().localPort()));
                }
            }
            if (ctl != null) {
                // netif.h: set before the frontend moves to Connected.
                tx.write(device.frontend(NetifFeatures.CTRL_RING_REF), Integer.toUnsignedString(ctl.page.grantRef(0)));
                tx.write(device.frontend(NetifFeatures.EVENT_CHANNEL_CTRL), Integer.toString(ctl.channel.localPort()));
            }
            tx.write(device.frontend(NetifFeatures.REQUEST_RX_COPY), "1");
            tx.write(device.frontend(NetifFeatures.FEATURE_RX_NOTIFY), "1");
            // What this frontend can receive.
            tx.write(device.frontend(NetifFeatures.FEATURE_SG), config.sg() ? "1" : "0");
            tx.write(device.frontend(NetifFeatures.FEATURE_GSO_TCPV4), config.sg() && config.gsoTcpv4() ? "1" : "0");
            tx.write(device.frontend(NetifFeatures.FEATURE_GSO_TCPV6), config.sg() && config.gsoTcpv6() ? "1" : "0");
            tx.write(device.frontend(NetifFeatures.FEATURE_NO_CSUM_OFFLOAD), config.csumOffload() ? "0" : "1");
            tx.write(device.frontend(NetifFeatures.FEATURE_IPV6_CSUM_OFFLOAD), config.csumOffload() && config.ipv6CsumOffload() ? "1" : "0");
            tx.write(device.frontend(NetifFeatures.REQUEST_MULTICAST_CONTROL), mcast ? "1" : "0");
            // Connected, not Initialised: Linux's netback connects only on a frontend's Connected
            // and ignores Initialised (drivers/net/xen-netback/xenbus.c, frontend_changed), as
            // Linux's netfront does it. The handshake machine stays in Initialised until the
            // backend's Connected, so no frame goes out before the backend maps the rings.
            tx.write(device.frontend("state"), Integer.toString(XenbusState.XENBUS_STATE_CONNECTED));
            return Boolean.TRUE;
        });
        info = new NetInfo(mac, mtu, count, split, sg, gso4, gso6, config.csumOffload(), ipv6Csum, mcast, ctl != null);
    }

    private void connectInfo() {
        // The state node says Connected since setup: rewriting it would only fire the backend's watch.
        for (final Queue q : queues) {
            fillRx(q);
        }
        final NetInfo i = info;
        if (i != null) {
            connected.complete(i);
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "netfront dom" + host.domid() + " " + device.name() + ": connected " + info);
    }

    private void teardown() {
        for (final Queue q : queues) {
            q.close();
        }
        queues = new Queue[0];
        final Control c = control;
        control = null;
        rxHashTypes = 0;
        if (c != null) {
            c.close();
        }
    }

    /**
     * Tries again, at most every {@link #LEAK_RETRY_NANOS}, to end the grants of pages the backend
     * still held when they were let go, and releases those it no longer holds. They were never
     * used for anything else meanwhile. The usual case is a detach: the backend asks to close,
     * this frontend ends its grants and writes Closed, and Linux's netback unmaps the rings only
     * after that Closed.
     */
    private int releaseLeaked() {
        final long now = System.nanoTime();
        if (now - leakRetryNanos < LEAK_RETRY_NANOS) {
            return 0;
        }
        leakRetryNanos = now;
        int released = 0;
        for (final Iterator<SharedPages> it = leaked.iterator(); it.hasNext();) {
            final SharedPages p = it.next();
            if (p.isClosed()) {
                it.remove();
            } else if (p.tryEndAccess()) {
                p.close();
                it.remove();
                released++;
            }
        }
        return released;
    }

    /** Ends a share's grants and releases it; a share the backend still holds is leaked, never reused. */
    private void end(final @Nullable SharedPages pages) {
        if (pages == null || pages.isClosed()) {
            return;
        }
        if (pages.tryEndAccess()) {
            pages.close();
        } else if (!leaked.contains(pages)) {
            leaked.add(pages);
        }
    }

    /**
     * For tests: rings made from now on start at {@code index} rather than 0, as rings that have
     * already carried {@code index} requests, so that the 32-bit index wrap (2^32 and 2^31) is
     * crossed with traffic on every ring, the event indices included.
     *
     * @param index the first request and response index
     */
    void startRingsAt(final int index) {
        ringStart = index;
    }

    /** Writes a fresh shared header whose indices all start at {@code index} and attaches there. */
    private static void startAt(final FrontRing ring, final AtomicBuffer shared, final int index) {
        shared.putIntRelease(SringHeader.REQ_PROD_OFFSET, index);
        shared.putIntRelease(SringHeader.RSP_PROD_OFFSET, index);
        shared.putIntRelease(SringHeader.REQ_EVENT_OFFSET, index + 1);
        shared.putIntRelease(SringHeader.RSP_EVENT_OFFSET, index + 1);
        ring.attach(shared, index);
    }

    // ------------------------------------------------------------------ control ring: receive hashing

    /**
     * Asks the backend for Toeplitz receive hashing over the control ring: the algorithm, the hash
     * types, the key and the mapping table, in that order (netif.h wants the algorithm first).
     * Received frames carry the backend's hash from then on. The configuration is sent again after
     * every reconnect; a later call replaces an earlier one.
     *
     * @param hash what to ask for
     * @return completes once the backend accepted every request; fails naming the request and the
     *     status the backend refused it with, or when there is no control ring (the configuration
     *     did not ask for one, or the backend does not offer {@code feature-ctrl-ring})
     */
    public CompletableFuture<Void> configureHash(final HashConfig hash) {
        final HashRequest r = new HashRequest(hash);
        final HashRequest old = hashWanted.getAndSet(r);
        if (old != null && !old.done.isDone()) {
            old.done.completeExceptionally(new IllegalStateException("netfront " + device.name() + ": replaced by " + hash));
        }
        if (!config.controlRing()) {
            r.done.completeExceptionally(new IllegalStateException("netfront " + device.name()
                + ": no control ring (NetFrontConfig.controlRing is false), so hashing cannot be set"));
        }
        return r.done;
    }

    /** Sends the wanted hash configuration when the control ring is idle, and takes its answers. */
    private int serveControl() {
        final HashRequest wanted = hashWanted.get();
        final Control c = control;
        if (c == null) {
            if (wanted != null && !wanted.done.isDone()) {
                wanted.done.completeExceptionally(new IllegalStateException("netfront " + device.name()
                    + ": the backend (dom" + device.backendDomid() + ") offers no control ring (" + NetifFeatures.FEATURE_CTRL_RING
                    + "), so hashing cannot be set"));
            }
            return 0;
        }
        int work = 0;
        if (c.outstanding > 0) {
            work += c.ring.pollResponses(c.handler, Control.STEPS);
            if (checkRing(c.ring)) {
                return work;
            }
            if (c.outstanding == 0 && c.sent != null) {
                final HashRequest done = c.sent;
                c.sent = null;
                if (c.refusedType != 0) {
                    done.done.completeExceptionally(new IllegalStateException("netfront " + device.name() + ": the backend (dom"
                        + device.backendDomid() + ") refused control request type " + c.refusedType + " with status "
                        + c.refusedStatus + " for " + done.config));
                } else {
                    done.done.complete(null);
                }
            }
        }
        if (wanted != null && c.outstanding == 0 && c.applied != wanted && c.ring.freeRequests() >= Control.STEPS) {
            sendHash(c, wanted);
            work++;
        }
        return work;
    }

    private void sendHash(final Control c, final HashRequest r) {
        final HashConfig h = r.config;
        final AtomicBuffer data = c.data.buffer();
        // Every byte of the granted pages is set: the key page and the mapping page (R7).
        data.setMemory(0, 2 * PAGE, (byte) 0);
        for (int i = 0; i < h.keyLength(); i++) {
            data.putByte(i, h.keyByte(i));
        }
        for (int i = 0; i < h.mappingLength(); i++) {
            data.putInt(PAGE + i * Integer.BYTES, h.mappingEntry(i), ByteOrder.LITTLE_ENDIAN);
        }
        c.refusedType = 0;
        c.refusedStatus = 0;
        // From the algorithm request on, the backend may hash frames: take hashes of these types.
        rxHashTypes = h.types();
        ctrlRequest(c, 0, Netif.XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM, Netif.XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ, 0, 0);
        ctrlRequest(c, 1, Netif.XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS, h.types(), 0, 0);
        ctrlRequest(c, 2, Netif.XEN_NETIF_CTRL_TYPE_SET_HASH_KEY, c.data.grantRef(0), h.keyLength(), 0);
        ctrlRequest(c, 3, Netif.XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE, h.mappingLength(), 0, 0);
        ctrlRequest(c, 4, Netif.XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING, c.data.grantRef(1), h.mappingLength(), 0);
        c.applied = r;
        c.sent = r.done.isDone() ? null : r;
        if (c.ring.pushRequestsAndCheckNotify()) {
            c.channel.notifyPeer();
        }
    }

    private static void ctrlRequest(final Control c, final int id, final int type, final int d0, final int d1, final int d2) {
        final int at = c.ring.claimRequest();
        final MutableDirectBuffer b = c.ring.buffer();
        b.putShort(at + NetifCtrlRequest.ID_OFFSET, (short) id, ByteOrder.LITTLE_ENDIAN);
        b.putShort(at + NetifCtrlRequest.TYPE_OFFSET, (short) type, ByteOrder.LITTLE_ENDIAN);
        b.putInt(at + NetifCtrlRequest.DATA_OFFSET, d0, ByteOrder.LITTLE_ENDIAN);
        b.putInt(at + NetifCtrlRequest.DATA_OFFSET + Integer.BYTES, d1, ByteOrder.LITTLE_ENDIAN);
        b.putInt(at + NetifCtrlRequest.DATA_OFFSET + 2 * Integer.BYTES, d2, ByteOrder.LITTLE_ENDIAN);
        c.expected[id] = type;
        c.outstanding++;
    }

    /** A control response: the id of an outstanding request, its type, a known status (the backend is hostile). */
    private void onCtrl(final Control c, final DirectBuffer copy, final int index) {
        if (broken != null) {
            return;
        }
        final int id = NetifCtrlResponse.id(copy, 0);
        final int type = NetifCtrlResponse.type(copy, 0);
        final int status = NetifCtrlResponse.status(copy, 0);
        if (id >= Control.STEPS || c.expected[id] == 0) {
            fail("control response id=" + id + " at ring index " + Integer.toUnsignedString(index) + " is not an outstanding request");
            return;
        }
        if (c.expected[id] != type) {
            fail("control response id=" + id + " has type=" + type + " but request type " + c.expected[id] + " was sent");
            return;
        }
        if (status < Netif.XEN_NETIF_CTRL_STATUS_SUCCESS || status > Netif.XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW) {
            fail("control response id=" + id + " has status=" + status + " (netif: XEN_NETIF_CTRL_STATUS_*)");
            return;
        }
        c.expected[id] = 0;
        c.outstanding--;
        if (status != Netif.XEN_NETIF_CTRL_STATUS_SUCCESS && c.refusedType == 0) {
            c.refusedType = type;
            c.refusedStatus = status;
        }
    }

    /** One {@link #configureHash} call and its outcome. */
    private static final class HashRequest {
        final HashConfig config;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        HashRequest(final HashConfig config) {
            this.config = config;
        }
    }

    /** The control ring: its page, channel, the two pages the key and the mapping go in, the requests in flight. */
    private final class Control {
        /** Requests per hash configuration. */
        static final int STEPS = 5;
        final SharedPages page;
        final FrontRing ring;
        final EventChannel channel;
        final SharedPages data;
        final SlotHandler handler;
        /** Request type by id while outstanding, else 0. */
        final int[] expected = new int[STEPS];
        int outstanding;
        int refusedType;
        int refusedStatus;
        @Nullable HashRequest applied;
        @Nullable HashRequest sent;

        Control() {
            page = host.grantTables().share(device.backendDomid(), 1, true);
            page.buffer().setMemory(0, PAGE, (byte) 0);
            ring = new FrontRing(device.name() + "-ctrl", NetifCtrlRequest.LENGTH, NetifCtrlResponse.LENGTH).init(page.buffer());
            if (ringStart != 0) {
                startAt(ring, page.buffer(), ringStart);
            }
            data = host.grantTables().share(device.backendDomid(), 2, false);
            data.buffer().setMemory(0, 2 * PAGE, (byte) 0);
            channel = host.eventChannels().allocateUnbound(device.backendDomid(), EventChannel::unmask);
            handler = (copy, index) -> onCtrl(this, copy, index);
        }

        void close() {
            if (!channel.isClosed()) {
                channel.close();
            }
            end(page);
            end(data);
        }
    }

    // ------------------------------------------------------------------ rx

    private int fillRx(final Queue q) {
        final FrontRing r = q.rx;
        final int mask = r.size() - 1;
        int n = 0;
        while (r.freeRequests() > 0) {
            final int slot = r.requestProducer() & mask;
            if (q.rxPages[slot] != null) {
                break;
            }
            final SharedPages page;
            final int ref;
            if (q.rxKeptTop > 0) {
                // A kept page, ended and read since: granted again to the same backend. It holds
                // nothing but what this backend wrote into it (netfront never writes a receive
                // page; the HAL shared it zeroed), so there is no stale data to hide (XSA-403).
                page = Objects.requireNonNull(q.rxKept[--q.rxKeptTop]);
                q.rxKept[q.rxKeptTop] = null;
                ref = page.grantAgain(0);
            } else {
                // A fresh page: the HAL hands out shares zeroed (GrantTables.share), so it carries
                // no stale data to the backend (XSA-403) without clearing it again here.
                page = host.grantTables().share(device.backendDomid(), 1, true);
                ref = page.grantRef(0);
                rxShares++;
            }
            final UnsafeBuffer s = rxSlot;
            s.putShort(NetifRxRequest.ID_OFFSET, (short) slot, ByteOrder.LITTLE_ENDIAN);
            s.putShort(NetifRxRequest.PAD_OFFSET, (short) 0, ByteOrder.LITTLE_ENDIAN);
            s.putInt(NetifRxRequest.GREF_OFFSET, ref, ByteOrder.LITTLE_ENDIAN);
            if (!r.produceRequest(s, 0)) {
                end(page);
                break;
            }
            q.rxPages[slot] = page;
            n++;
        }
        // feature-rx-notify: the backend asked (req_event) to hear about new buffers.
        if (n > 0 && r.pushRequestsAndCheckNotify()) {
            q.rxChannel().notifyPeer();
        }
        return n;
    }

    private void onRx(final Queue q, final DirectBuffer copy, final int index) {
        if (broken != null) {
            return;
        }
        final int slot = index & (q.rx.size() - 1);
        final SharedPages page = q.rxPages[slot];
        if (page == null) {
            fail("rx response at ring index " + Integer.toUnsignedString(index) + " has no buffer posted");
            return;
        }
        q.rxPages[slot] = null;
        // Ended before the page is read: the backend can no longer change what we read (XSA-396).
        if (!page.tryEndAccess()) {
            leaked.add(page);
            fail("rx buffer grant " + page.grantRef(0) + " is still in use by the backend after its response");
            return;
        }
        try {
            if (q.extraPending) {
                onRxExtra(q, copy);
                return;
            }
            final int id = NetifRxResponse.id(copy, 0);
            final int offset = NetifRxResponse.pageOffset(copy, 0);
            final int flags = NetifRxResponse.flags(copy, 0);
            final int status = NetifRxResponse.status(copy, 0);
            if (id != slot) {
                fail("rx response id=" + id + " at ring index " + Integer.toUnsignedString(index) + " but buffer " + slot
                    + " was posted there (netif frontend rule: response ids)");
                return;
            }
            if (status >= 0 && offset + status > PAGE) {
                fail("rx response id=" + id + " offset=" + offset + " status=" + status + " ends beyond its page"
                    + " (netif frontend rule: offset + status <= 4096)");
                return;
            }
            if (!q.inFrame) {
                q.inFrame = true;
                q.frameFlags = flags;
                q.frameSlots = 0;
                q.frameError = false;
                q.gsoType = 0;
                q.gsoSize = 0;
                q.hashType = 0;
                q.hash = 0;
                q.extraTypes = 0;
                q.extras = 0;
                q.assembly.clear();
                q.extraPending = (flags & Netif.NETRXF_EXTRA_INFO) != 0;
            }
            q.frameSlots++;
            if (status < 0 || q.frameSlots > MAX_RX_SLOTS || q.assembly.writerIndex() + status > MAX_FRAME) {
                q.frameError = true;
            } else if (status > 0) {
                // One copy, straight from the page into the frame being assembled (bounded above).
                final ByteBuf a = q.assembly;
                final int w = a.writerIndex();
                page.buffer().getBytes(offset, a.array(), a.arrayOffset() + w, status);
                a.writerIndex(w + status);
            }
            if ((flags & Netif.NETRXF_MORE_DATA) == 0) {
                q.complete = true;
            }
            if (q.complete && !q.extraPending) {
                deliver(q);
            }
        } finally {
            keepOrClose(q, page);
        }
    }

    /**
     * After a receive buffer was read: keeps its page, whose access is ended, to be granted again by
     * {@link #fillRx} (no fresh share, no page allocated, granted, ended and released per buffer),
     * where the HAL can grant a page again; else, or on a broken device, releases it.
     */
    private void keepOrClose(final Queue q, final SharedPages page) {
        if (broken == null && q.rxKeptTop < q.rxKept.length && page.canGrantAgain()) {
            q.rxKept[q.rxKeptTop++] = page;
        } else {
            page.close();
        }
    }

    private void onRxExtra(final Queue q, final DirectBuffer copy) {
        final int type = NetifExtraInfo.type(copy, 0);
        final int eflags = NetifExtraInfo.flags(copy, 0);
        if (++q.extras > Netif.XEN_NETIF_EXTRA_TYPE_MAX - 1) {
            fail("rx extra-info chain longer than " + (Netif.XEN_NETIF_EXTRA_TYPE_MAX - 1) + " slots");
            return;
        }
        if ((eflags & ~Netif.XEN_NETIF_EXTRA_FLAG_MORE) != 0 || type == Netif.XEN_NETIF_EXTRA_TYPE_NONE
            || type >= Netif.XEN_NETIF_EXTRA_TYPE_MAX || (q.extraTypes & 1 << type) != 0) {
            // Unknown flag bits, an unknown type, or a type twice in one frame: the frame is dropped.
            q.frameError = true;
        } else if (type == Netif.XEN_NETIF_EXTRA_TYPE_GSO) {
            q.gsoSize = NetifExtraInfo.gsoSize(copy, 0);
            q.gsoType = NetifExtraInfo.gsoType(copy, 0);
            if (q.gsoSize == 0 || q.gsoType != Netif.XEN_NETIF_GSO_TYPE_TCPV4 && q.gsoType != Netif.XEN_NETIF_GSO_TYPE_TCPV6) {
                q.frameError = true;
            }
        } else if (type == Netif.XEN_NETIF_EXTRA_TYPE_HASH) {
            final int bit = NetifExtraInfo.hashType(copy, 0);
            // Only a Toeplitz hash of a type this frontend asked for (netif.h: a frontend that
            // enables hashing accepts hashes; one that did not is not sent any).
            if (NetifExtraInfo.hashAlgorithm(copy, 0) != Netif.XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ
                || bit > Netif.XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP_BIT || (rxHashTypes & 1 << bit) == 0) {
                q.frameError = true;
            } else {
                q.hashType = 1 << bit;
                q.hash = NetifExtraInfo.hash32(copy, 0);
            }
        } else {
            // Multicast control travels on the transmit ring only.
            q.frameError = true;
        }
        if (type < Integer.SIZE) {
            q.extraTypes |= 1 << type;
        }
        q.extraPending = (eflags & Netif.XEN_NETIF_EXTRA_FLAG_MORE) != 0;
        if (q.complete && !q.extraPending) {
            deliver(q);
        }
    }

    private void deliver(final Queue q) {
        final ByteBuf f = q.assembly;
        final int flags = q.frameFlags;
        final boolean error = q.frameError || f.readableBytes() < Packets.ETH_HLEN;
        final int gsoType = error ? 0 : q.gsoType;
        q.inFrame = false;
        q.complete = false;
        q.extraPending = false;
        if (error) {
            rxErrors++;
            return;
        }
        final boolean blank = (flags & Netif.NETRXF_CSUM_BLANK) != 0;
        final boolean validated = (flags & (Netif.NETRXF_DATA_VALIDATED | Netif.NETRXF_CSUM_BLANK)) != 0;
        final Offload offload;
        if (gsoType == 0 && q.hashType == 0) {
            // The common metadata is shared, not allocated per frame.
            offload = blank ? Offload.CSUM_BLANK : validated ? VALIDATED : Offload.NONE;
        } else {
            offload = new Offload(blank || gsoType != 0, validated || gsoType != 0, gsoType, gsoType == 0 ? 0 : q.gsoSize,
                q.hashType, q.hash);
        }
        rxPackets++;
        q.rxPackets++;
        try {
            receiver.onFrame(f, offload);
        } catch (final RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "netfront " + device.name() + ": the frame handler threw: " + e);
        }
    }

    // ------------------------------------------------------------------ tx

    private int transmit() {
        int work = 0;
        txFull = false;
        while (work < BATCH * 4 && !txFull) {
            final Outgoing o = ready.peekFirst();
            if (o != null) {
                // Segments of a frame cut in software go before anything sent after it.
                final ByteBuf f = o.frame();
                final Queue[] qs = queues;
                final Queue q = qs.length == 1 ? qs[0] : qs[Packets.flowHash(f, sendLayout) % qs.length];
                final Offload off = o.offload();
                if (!sendFrame(q, viewOf(f), 0, f.readableBytes(), (off.csumBlank() ? BIT_BLANK : 0)
                    | (off.dataValidated() ? BIT_VALIDATED : 0), off.gsoType(), off.gsoSize())) {
                    break;
                }
                ready.pollFirst();
                f.release();
                work++;
                continue;
            }
            final int n = sendRing.controlledRead(sendHandler, BATCH * 4 - work);
            if (n == 0) {
                break;
            }
            work += n;
        }
        return work;
    }

    /** A heap or direct netty buffer as an Agrona buffer (a fallback's frames only: not per frame of the fast path). */
    private DirectBuffer viewOf(final ByteBuf f) {
        if (f.hasArray()) {
            readyView.wrap(f.array(), f.arrayOffset() + f.readerIndex(), f.readableBytes());
        } else {
            readyView.wrap(f.nioBuffer(f.readerIndex(), f.readableBytes()));
        }
        return readyView;
    }

    /**
     * One message of the send ring: sent straight from the ring's memory, or, when the backend does
     * not take an offload, checksummed in place or cut into segments first (software fallbacks).
     * ABORT leaves the message for the next round when a transmit ring is full.
     */
    private ControlledMessageHandler.Action onSendMessage(final int type, final MutableDirectBuffer b, final int index,
                                                          final int length) {
        final Queue[] qs = queues;
        if (type == MSG_MCAST) {
            if (!sendMulticast(qs[0], b.getLong(index), b.getInt(index + MSG_MCAST_JOIN))) {
                txFull = true;
                return ControlledMessageHandler.Action.ABORT;
            }
            return ControlledMessageHandler.Action.CONTINUE;
        }
        if (type != MSG_FRAME) {
            return ControlledMessageHandler.Action.CONTINUE;
        }
        int bits = b.getInt(index + MSG_BITS);
        final int gsoType = b.getInt(index + MSG_GSO_TYPE);
        final int gsoSize = b.getInt(index + MSG_GSO_SIZE);
        final int at = index + MSG_HEADER;
        final int len = length - MSG_HEADER;
        final ByteBuf view = sendView.setIndex(at, at + len);
        if (gsoType != Netif.XEN_NETIF_GSO_TYPE_NONE) {
            final boolean v6 = gsoType == Netif.XEN_NETIF_GSO_TYPE_TCPV6;
            if (!(v6 ? gso6 : gso4) || !Packets.parse(view, sendLayout) || sendLayout.proto != Packets.IPPROTO_TCP
                || sendLayout.ipv6 != v6) {
                // The backend cannot take it whole: cut it into segments here, as Linux's software GSO.
                if (Packets.segment(view, gsoSize, alloc, seg -> ready.addLast(new Outgoing(seg, Offload.NONE))) == 0) {
                    txDropped.incrementAndGet();
                }
                return ready.isEmpty() ? ControlledMessageHandler.Action.CONTINUE : ControlledMessageHandler.Action.BREAK;
            }
        } else {
            if ((bits & BIT_BLANK) != 0 && (!config.csumOffload() || !ipv6Csum && Packets.isIpv6(view))) {
                // In place: the message is this agent's until consumed; the cleared bits make a retry skip it.
                Packets.completeChecksum(view);
                bits = 0;
                b.putInt(index + MSG_BITS, 0);
            }
            if (len > mtu + VLAN_ETH_HLEN || len > PAGE && !sg) {
                txDropped.incrementAndGet();
                return ControlledMessageHandler.Action.CONTINUE;
            }
        }
        final Queue q = qs.length == 1 ? qs[0] : qs[Packets.flowHash(view, sendLayout) % qs.length];
        if (!sendFrame(q, b, at, len, bits, gsoType, gsoSize)) {
            txFull = true;
            return ControlledMessageHandler.Action.ABORT;
        }
        return ControlledMessageHandler.Action.CONTINUE;
    }

    /** Data slots a frame of {@code len} bytes takes when packed after what the queue's share holds. */
    private static int chunks(final @Nullable TxShare cur, final int len) {
        int p = cur == null ? TX_SHARE_PAGES * PAGE : cur.used;
        int n = 0;
        for (int rem = len; rem > 0; n++) {
            if (p == TX_SHARE_PAGES * PAGE) {
                p = 0;
            }
            final int take = Math.min(rem, PAGE - p % PAGE);
            p += take;
            rem -= take;
        }
        return Math.max(1, n);
    }

    private void retire(final Queue q, final TxShare share) {
        share.retired = true;
        if (share.remaining == 0) {
            recycle(q, share);
        }
    }

    /** A full share whose slots are all answered: kept to be filled again, or ended beyond the few kept. */
    private void recycle(final Queue q, final TxShare share) {
        if (share.pages == null) {
            return;
        }
        if (q.idleShares.size() < TX_SHARES_KEPT) {
            q.idleShares.addLast(share.reset());
        } else {
            end(share.pages);
        }
    }

    /**
     * Puts one frame on a transmit ring: its bytes packed into the queue's current share of granted
     * pages (a slot per piece that fits in a page), a GSO extra-info slot after the first.
     *
     * @return false when the ring or the ids are short: nothing was written
     */
    private boolean sendFrame(final Queue q, final DirectBuffer src, final int srcAt, final int len, final int bits,
                              final int gsoType, final int gsoSize) {
        final FrontRing r = q.tx;
        final boolean gso = gsoType != Netif.XEN_NETIF_GSO_TYPE_NONE;
        final TxShare first = q.txCurrent;
        if (first != null && first.used < first.capacity) {
            final int room = PAGE - (first.used & (PAGE - 1));
            if (room < Packets.ETH_HLEN) {
                // Linux's netback answers ERROR to a packet whose first slot holds less than an
                // Ethernet header ("Bad packet size"): a frame never starts in the last 13 bytes of a page.
                first.used += room;
            }
        }
        // Most frames fit in what is left of the current page: one slot, no walk over the pages.
        final int data = first != null && first.used < first.capacity && len <= PAGE - (first.used & (PAGE - 1))
            ? 1 : chunks(first, len);
        if (r.freeRequests() < data + (gso ? 1 : 0) || q.freeTop < data) {
            return false;
        }
        int flags = data > 1 ? Netif.NETTXF_MORE_DATA : 0;
        if (gso) {
            flags |= Netif.NETTXF_EXTRA_INFO;
        }
        if ((bits & BIT_BLANK) != 0) {
            flags |= Netif.NETTXF_CSUM_BLANK | Netif.NETTXF_DATA_VALIDATED;
        } else if ((bits & BIT_VALIDATED) != 0) {
            flags |= Netif.NETTXF_DATA_VALIDATED;
        }
        final UnsafeBuffer s = txSlot;
        int from = 0;
        for (int j = 0; j < data; j++) {
            TxShare cur = q.txCurrent;
            if (cur == null || cur.used == cur.capacity) {
                if (cur != null) {
                    retire(q, cur);
                }
                cur = q.idleShares.pollFirst();
                if (cur == null) {
                    cur = new TxShare(host.grantTables().share(device.backendDomid(), TX_SHARE_PAGES, false), TX_SHARE_PAGES * PAGE);
                    txSharesMade++;
                }
                q.txCurrent = cur;
            }
            final int offset = cur.used & (PAGE - 1);
            final int n = Math.min(len - from, PAGE - offset);
            final int gref = cur.refs[cur.used >>> 12];
            Objects.requireNonNull(cur.buffer).putBytes(cur.used, src, srcAt + from, n);
            cur.used += n;
            from += n;
            cur.remaining++;
            final int id = q.freeIds[--q.freeTop];
            q.txShares[id] = cur;
            // Every field of the 12-byte request is written: the private slot holds nothing stale (R7).
            s.putInt(NetifTxRequest.GREF_OFFSET, gref, ByteOrder.LITTLE_ENDIAN);
            s.putShort(NetifTxRequest.OFFSET_OFFSET, (short) offset, ByteOrder.LITTLE_ENDIAN);
            s.putShort(NetifTxRequest.FLAGS_OFFSET, (short) (j == 0 ? flags : j < data - 1 ? Netif.NETTXF_MORE_DATA : 0),
                ByteOrder.LITTLE_ENDIAN);
            s.putShort(NetifTxRequest.ID_OFFSET, (short) id, ByteOrder.LITTLE_ENDIAN);
            // The first slot carries the whole frame's size, the others their own bytes.
            s.putShort(NetifTxRequest.SIZE_OFFSET, (short) (j == 0 ? len : n), ByteOrder.LITTLE_ENDIAN);
            r.produceRequest(s, 0);
            q.outstanding++;
            if (j == 0 && gso) {
                // The whole slot is set: the pad, the features and the bytes past the extra-info stay 0 (R7).
                final UnsafeBuffer e = extraSlot;
                e.setMemory(0, NetifTxRequest.LENGTH, (byte) 0);
                e.putByte(NetifExtraInfo.TYPE_OFFSET, (byte) Netif.XEN_NETIF_EXTRA_TYPE_GSO);
                e.putShort(NetifExtraInfo.GSO_SIZE_OFFSET, (short) gsoSize, ByteOrder.LITTLE_ENDIAN);
                e.putByte(NetifExtraInfo.GSO_TYPE_OFFSET, (byte) gsoType);
                r.produceRequest(e, 0);
            }
        }
        q.txDirty = true;
        txPackets++;
        q.txPackets++;
        return true;
    }

    /** A multicast control request: a slot without data and a {@code MCAST_ADD}/{@code _DEL} extra-info slot. */
    private boolean sendMulticast(final Queue q, final long mac, final int join) {
        final FrontRing r = q.tx;
        if (r.freeRequests() < 2 || q.freeTop < 1) {
            return false;
        }
        final MutableDirectBuffer b = r.buffer();
        final int id = q.freeIds[--q.freeTop];
        // A share without pages: answering it ends nothing.
        final TxShare none = new TxShare(null, 0);
        none.remaining++;
        q.txShares[id] = none;
        final int at = r.claimRequest();
        b.putInt(at + NetifTxRequest.GREF_OFFSET, 0, ByteOrder.LITTLE_ENDIAN);
        b.putShort(at + NetifTxRequest.OFFSET_OFFSET, (short) 0, ByteOrder.LITTLE_ENDIAN);
        b.putShort(at + NetifTxRequest.FLAGS_OFFSET, (short) Netif.NETTXF_EXTRA_INFO, ByteOrder.LITTLE_ENDIAN);
        b.putShort(at + NetifTxRequest.ID_OFFSET, (short) id, ByteOrder.LITTLE_ENDIAN);
        b.putShort(at + NetifTxRequest.SIZE_OFFSET, (short) 0, ByteOrder.LITTLE_ENDIAN);
        q.outstanding++;
        final int e = r.claimRequest();
        b.putByte(e + NetifExtraInfo.TYPE_OFFSET,
            (byte) (join > 0 ? Netif.XEN_NETIF_EXTRA_TYPE_MCAST_ADD : Netif.XEN_NETIF_EXTRA_TYPE_MCAST_DEL));
        for (int k = 0; k < NetifExtraInfo.MCAST_ADDR_LENGTH; k++) {
            b.putByte(e + NetifExtraInfo.MCAST_ADDR_OFFSET + k, (byte) (mac >>> (40 - 8 * k)));
        }
        q.txDirty = true;
        return true;
    }

    private void onTx(final Queue q, final DirectBuffer copy, final int index) {
        if (broken != null) {
            return;
        }
        final int status = NetifTxResponse.status(copy, 0);
        if (status == Netif.NETIF_RSP_NULL) {
            // The response of an extra-info slot.
            return;
        }
        final int id = NetifTxResponse.id(copy, 0);
        final TxShare share = id < q.txShares.length ? q.txShares[id] : null;
        if (share == null) {
            fail("tx response id=" + id + " at ring index " + Integer.toUnsignedString(index)
                + " is not a pending request (netif frontend rule: ids in range and pending)");
            return;
        }
        if (status != Netif.NETIF_RSP_OKAY && status != Netif.NETIF_RSP_ERROR && status != Netif.NETIF_RSP_DROPPED) {
            fail("tx response id=" + id + " has status=" + status + " (netif: OKAY, ERROR, DROPPED or NULL)");
            return;
        }
        q.txShares[id] = null;
        q.freeIds[q.freeTop++] = id;
        q.outstanding--;
        if (status != Netif.NETIF_RSP_OKAY) {
            txErrors++;
        }
        if (--share.remaining == 0 && share.retired) {
            recycle(q, share);
        }
    }

    // ------------------------------------------------------------------ state

    private void fail(final String reason) {
        if (broken != null) {
            return;
        }
        final String line = "netfront dom" + host.domid() + " device " + device.name() + " (backend dom"
            + device.backendDomid() + ", " + device.frontend() + "): " + reason + "; the device is broken";
        broken = line;
        LOG.log(System.Logger.Level.ERROR, line);
        connected.completeExceptionally(new IllegalStateException(line));
        try {
            teardown();
        } catch (final RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "netfront " + device.name() + ": teardown after failure: " + e);
        }
        dropQueued();
        try {
            XenbusStates.write(store, device.frontend(), XenbusState.XENBUS_STATE_CLOSING);
        } catch (final RuntimeException ignored) {
            // Best effort: the device is broken either way.
        }
    }

    private int dropQueued() {
        int n = 0;
        for (Outgoing o = ready.pollFirst(); o != null; o = ready.pollFirst()) {
            o.frame.release();
            n++;
        }
        n += sendRing.read((type, buffer, index, length) -> { }, Integer.MAX_VALUE);
        if (n > 0) {
            txDropped.addAndGet(n);
        }
        return n;
    }

    /**
     * Why the device broke, or null while it works.
     *
     * @return the log line naming domain, device and rule, or null
     */
    public @Nullable String brokenReason() {
        return broken;
    }

    /**
     * Whether the handshake is complete and the device not broken.
     *
     * @return true when connected
     */
    public boolean isConnected() {
        return broken == null && machine.isConnected();
    }

    /**
     * Frames put on the transmit rings.
     *
     * @return the count
     */
    public long txPackets() {
        return txPackets;
    }

    /**
     * Transmit slots the backend answered with an error.
     *
     * @return the count
     */
    public long txErrors() {
        return txErrors;
    }

    /**
     * Frames received and handed to the handler.
     *
     * @return the count
     */
    public long rxPackets() {
        return rxPackets;
    }

    /**
     * Received frames dropped: an error status, too many slots or bytes, a bad extra-info.
     *
     * @return the count
     */
    public long rxErrors() {
        return rxErrors;
    }

    /**
     * Transmit shares granted so far (for tests: a steady flow reuses its shares and makes none).
     *
     * @return the count
     */
    long txSharesMade() {
        return txSharesMade;
    }

    /**
     * Frames that went from {@link #send} straight into a granted page (for tests).
     *
     * @return the count
     */
    long directSends() {
        return directSends;
    }

    /**
     * Times the backend went away and the device connected again.
     *
     * @return the count
     */
    public long reconnects() {
        return reconnects;
    }

    /**
     * Pages whose grant could not be ended because the backend kept them mapped; never reused,
     * and released once the backend lets go of them (tried again while the device runs).
     *
     * @return the count
     */
    public int leakedGrants() {
        return leaked.size();
    }

    /**
     * Frames sent on each queue (the multi-queue spread).
     *
     * @return one count per queue
     */
    public long[] txPacketsPerQueue() {
        final Queue[] qs = queues;
        final long[] out = new long[qs.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = qs[i].txPackets;
        }
        return out;
    }

    /**
     * Frames received on each queue.
     *
     * @return one count per queue
     */
    public long[] rxPacketsPerQueue() {
        final Queue[] qs = queues;
        final long[] out = new long[qs.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = qs[i].rxPackets;
        }
        return out;
    }

    /**
     * For tests: how many fresh one-page shares were made for receive buffers; with a HAL that
     * grants pages again, at most a ring's worth per queue and connection.
     *
     * @return the count since this device was made
     */
    long rxSharesMade() {
        return rxShares;
    }

    /** Closes the device: drops what is queued, ends the grants, writes Closed. */
    @Override
    public void close() {
        closed = true;
        if (machine.close() != XenbusAction.NONE) {
            teardown();
        }
        final StateWatch w = watch;
        watch = null;
        if (w != null) {
            w.close();
        }
        dropQueued();
        connected.completeExceptionally(new IllegalStateException("netfront " + device.name() + ": closed"));
        try {
            XenbusStates.write(store, device.frontend(), XenbusState.XENBUS_STATE_CLOSED);
        } catch (final RuntimeException ignored) {
            // The store may be gone with the domain.
        }
    }

    /** One queue pair: its rings, channels, the pages of the frames in flight and the buffers posted. */
    private final class Queue {
        final SharedPages txPage;
        final SharedPages rxPage;
        final FrontRing tx;
        final FrontRing rx;
        final EventChannel txChannel;
        final EventChannel rxChannel;
        final @Nullable TxShare[] txShares;
        /** The share frames are being packed into. */
        @Nullable TxShare txCurrent;
        /** Full shares whose slots are all answered, to be filled again. */
        final ArrayDeque<TxShare> idleShares = new ArrayDeque<>(TX_SHARES_KEPT);
        final int[] freeIds;
        final @Nullable SharedPages[] rxPages;
        /**
         * Receive pages read and ended, kept to be granted again (a stack: the page used last,
         * warm in the cache, goes out first). Their grants are ended: the backend has no access.
         */
        final @Nullable SharedPages[] rxKept;
        int rxKeptTop;
        /** The private copy of the response being handled (tx responses are 4 bytes, rx 8). */
        final UnsafeBuffer responseCopy = new UnsafeBuffer(new byte[Math.max(NetifTxResponse.LENGTH, NetifRxResponse.LENGTH)]);
        final ByteBuf assembly = Unpooled.buffer(MAX_FRAME + 1);
        int freeTop;
        int outstanding;
        boolean txDirty;
        long txPackets;
        long rxPackets;
        boolean inFrame;
        boolean complete;
        boolean extraPending;
        boolean frameError;
        int frameFlags;
        int frameSlots;
        int extras;
        int gsoType;
        int gsoSize;
        int hashType;
        int hash;
        /** Extra-info types seen in the frame, as bits. */
        int extraTypes;

        Queue(final int index, final boolean split) {
            txPage = host.grantTables().share(device.backendDomid(), 1, true);
            rxPage = host.grantTables().share(device.backendDomid(), 1, true);
            txPage.buffer().setMemory(0, PAGE, (byte) 0);
            rxPage.buffer().setMemory(0, PAGE, (byte) 0);
            tx = new FrontRing(device.name() + "-q" + index + "-tx", NetifTxRequest.LENGTH, NetifTxResponse.LENGTH).init(txPage.buffer());
            rx = new FrontRing(device.name() + "-q" + index + "-rx", NetifRxRequest.LENGTH, NetifRxResponse.LENGTH).init(rxPage.buffer());
            if (ringStart != 0) {
                startAt(tx, txPage.buffer(), ringStart);
                startAt(rx, rxPage.buffer(), ringStart);
            }
            txChannel = host.eventChannels().allocateUnbound(device.backendDomid(), EventChannel::unmask);
            rxChannel = split ? host.eventChannels().allocateUnbound(device.backendDomid(), EventChannel::unmask) : txChannel;
            txShares = new TxShare[tx.size()];
            freeIds = new int[tx.size()];
            for (int i = 0; i < freeIds.length; i++) {
                freeIds[i] = freeIds.length - 1 - i;
            }
            freeTop = freeIds.length;
            rxPages = new SharedPages[rx.size()];
            rxKept = new SharedPages[rx.size()];
        }

        EventChannel txChannel() {
            return txChannel;
        }

        EventChannel rxChannel() {
            return rxChannel;
        }

        void close() {
            // Every share this queue made is ended (or leaked, never handed to anything else), answered or not.
            for (int i = 0; i < txShares.length; i++) {
                final TxShare s = txShares[i];
                if (s != null) {
                    txShares[i] = null;
                    end(s.pages);
                }
            }
            final TxShare cur = txCurrent;
            txCurrent = null;
            if (cur != null) {
                end(cur.pages);
            }
            for (TxShare idle = idleShares.pollFirst(); idle != null; idle = idleShares.pollFirst()) {
                end(idle.pages);
            }
            for (int i = 0; i < rxPages.length; i++) {
                end(rxPages[i]);
                rxPages[i] = null;
            }
            while (rxKeptTop > 0) {
                end(rxKept[--rxKeptTop]);
                rxKept[rxKeptTop] = null;
            }
            if (!txChannel.isClosed()) {
                txChannel.close();
            }
            if (!rxChannel.isClosed()) {
                rxChannel.close();
            }
            end(txPage);
            end(rxPage);
            inFrame = false;
            complete = false;
            extraPending = false;
        }
    }

    /**
     * What was negotiated, once set up.
     *
     * @return the information
     * @throws IllegalStateException before the first setup
     */
    public NetInfo info() {
        return Objects.requireNonNull(info, "netfront " + device.name() + ": not set up yet");
    }
}
