package io.xen4j.blk;

import io.xen4j.abi.blkif.Blkif;
import io.xen4j.abi.blkif.BlkifFeatures;
import io.xen4j.abi.blkif.BlkifRequestSegment;
import io.xen4j.abi.xenbus.XenbusState;
import io.xen4j.blk.internal.BlkRequestCopy;
import io.xen4j.blk.internal.BlkifAbi;
import io.xen4j.blk.internal.BlkifRule;
import io.xen4j.blk.internal.BlkifValidator;
import io.xen4j.blk.spi.BlockStore;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.MappedGrants;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenHost;
import io.xen4j.rings.BackRing;
import io.xen4j.rings.RingViolation;
import io.xen4j.store.XenStoreClient;
import io.xen4j.store.XenStoreException;
import io.xen4j.xenbus.BackendStateMachine;
import io.xen4j.xenbus.DevicePaths;
import io.xen4j.xenbus.StateWatch;
import io.xen4j.xenbus.XenbusAction;
import io.xen4j.xenbus.XenbusStates;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AtomicBuffer;
import org.jspecify.annotations.Nullable;

/**
 * blkback: serves a {@link BlockStore} to a frontend domain over blkif. An Agrona {@link Agent}:
 * each {@link #doWork()} follows the frontend's XenBus state and serves the requests on the ring,
 * one at a time, in ring order (so a flush completes after every request before it).
 *
 * <p>The frontend is hostile. Each request slot is copied once and decoded once
 * ({@link BlkRequestCopy}); the copy is checked by the blkif rules ({@link BlkifValidator})
 * before any grant is mapped or any I/O done; an invalid request is answered with the rule's
 * status and its id echoed. A ring whose indices break the io/ring.h rules stops the device with
 * one log line naming the domain, the device and the rule. Nothing throws out of
 * {@link #doWork()}.
 */
public final class BlkBack implements Agent, AutoCloseable {
    /**
     * The backend directory kind for this backend in a Linux backend domain
     * ({@code backend/xen4j-vbd/<frontend>/<devid>}; {@link DevicePaths#withBackendKind}): the
     * kernel's {@code xen-blkback}, loaded in most dom0s, serves every device under
     * {@code backend/vbd} and binds the frontend's event channel before a user-space backend can
     * (seen on Xen 4.17 with Linux 6.1: this backend's bind then fails with {@code EINVAL}), as
     * QEMU's disks use {@code backend/qdisk}. The frontend ({@code device/vbd}) is the same.
     */
    public static final String USERSPACE_KIND = "xen4j-vbd";

    private static final System.Logger LOG = System.getLogger(BlkBack.class.getName());
    private static final int PAGE = 4096;
    /** Requests served per {@link #doWork()}: bounds the work a busy frontend causes (R8). */
    private static final int BATCH = 64;
    /** Most persistent grants kept mapped, as Linux's {@code max_persistent_grants} default. */
    static final int MAX_PERSISTENT = 1056;

    private final XenHost host;
    private final XenStoreClient store;
    private final DevicePaths device;
    private final BlockStore disk;
    private final BlkBackConfig config;
    private final BackendStateMachine machine = new BackendStateMachine();
    /** The rules for this disk; replaced when the disk is resized or the toolstack makes it read-only. */
    private BlkifValidator validator;
    /** What {@code sectors} says, in bytes: the disk's size as the frontend knows it. */
    private long advertisedBytes;
    /** Read-only by the store or by the toolstack's {@code mode} node. */
    private boolean readOnly;
    private final BlkRequestCopy request;
    private final ByteBuffer io;
    /** {@link #io} as a segment, for the store. */
    private final MemorySegment ioMemory;
    private final Map<BlkifRule, Long> rejected = new EnumMap<>(BlkifRule.class);
    /** Made once: a method reference taken in the loop would be a new object per turn. */
    private final io.xen4j.rings.SlotCopyHandler requestHandler = this::onRequest;
    private final int[][] refArrays;
    private @Nullable StateWatch watch;
    /** The mapped rings (one per queue) and their channels; empty while disconnected. */
    private MappedGrants[] ringPages = new MappedGrants[0];
    private BackRing[] rings = new BackRing[0];
    private EventChannel[] channels = new EventChannel[0];
    /** The ring being served: responses go to it. */
    private @Nullable BackRing ring;
    private BlkifAbi abi = BlkifAbi.X86_64;
    /** Persistent grants of the frontend, by grant reference; bounded by {@link #MAX_PERSISTENT}. */
    private final org.agrona.collections.Int2ObjectHashMap<MappedGrants> persistent = new org.agrona.collections.Int2ObjectHashMap<>();
    /** Each of {@link #persistent}'s mappings with its view and page, found with one look-up per segment. */
    private final org.agrona.collections.Int2ObjectHashMap<Kept> persistentViews = new org.agrona.collections.Int2ObjectHashMap<>();

    /**
     * The last {@link Kept} found for each value of a grant reference's low bits, checked against
     * the reference: one array load and a compare per segment instead of a hash look-up (a
     * frontend's references are mostly small consecutive numbers); {@link #persistentViews} stays
     * the authority for a miss. A power of two above {@link #MAX_PERSISTENT}.
     */
    private final @Nullable Kept[] keptByRef = new Kept[Integer.highestOneBit(MAX_PERSISTENT) << 1];

    /** A persistent grant as a request uses it. */
    private static final class Kept {
        /** The grant reference it was mapped for. */
        final int ref;
        final MappedGrants map;
        /** Fetched once: {@code buffer()} costs a host call. */
        final AtomicBuffer view;
        /**
         * Where the page is in memory the HAL exposes as a direct buffer (the simulated host
         * does), or null: a request whose pages follow one another there goes between the store
         * and the pages in one transfer, with no bounce through {@link #io}.
         */
        final @Nullable DirectPage direct;
        /** Kept as a persistent grant; false for a mapping made for one request only (unmapped after it). */
        final boolean persistent;

        Kept(final int ref, final MappedGrants map, final AtomicBuffer view, final @Nullable DirectPage direct, final boolean persistent) {
            this.ref = ref;
            this.map = map;
            this.view = view;
            this.direct = direct;
            this.persistent = persistent;
        }
    }

    /** A persistent page in a direct buffer of the HAL. */
    private static final class DirectPage {
        /** The HAL's buffer, compared by identity: its pages at consecutive offsets are contiguous memory. */
        final ByteBuffer region;
        /**
         * The whole of {@link #region} as a segment, made once: the store moves a transfer's bytes
         * between it and the disk with no object made per request (and, for memory of a shared
         * arena, keeps the arena open for the call).
         */
        final MemorySegment memory;
        /** Where the page starts in {@link #region}. */
        final int at;

        DirectPage(final ByteBuffer region, final int at) {
            this.region = region;
            this.memory = MemorySegment.ofBuffer(region.duplicate().clear());
            this.at = at;
        }
    }
    /**
     * The mapping of each segment of the request being served: a persistent grant's {@link Kept},
     * or one made for this request only. One reference store per segment (each costs the GC's
     * write barrier); a kept one is left in place after the request (the persistent map holds it
     * anyway), a transient one is cleared with its unmap.
     */
    private final @Nullable Kept[] segments;
    private boolean usePersistent;
    /** The run of memory {@link #directSpan} found, in its page's {@link DirectPage#region}. */
    private int spanFrom;
    private int spanTo;
    /** Set while a plain read or write is executed: it may join the pending transfer. */
    private boolean mayDefer;
    /** Set when the request executed joined the pending transfer instead of being answered. */
    private boolean deferred;
    /**
     * The pending transfer: requests of this batch whose sectors and memory continue each other,
     * done as one store call before anything else is done or answered (flushPending).
     */
    private @Nullable DirectPage pendingPage;
    private boolean pendingRead;
    private long pendingPosition;
    private int pendingFrom;
    private int pendingTo;
    private int pendingCount;
    private final long[] pendingIds = new long[BATCH];
    private final int[] pendingOps = new int[BATCH];
    private @Nullable String broken;
    private long served;
    private long servedInOnePass;
    /** Turns in a row that found no request on any ring. */
    private int idleTurns;
    /** Busy turns, to look at the state watch once in a while. */
    private int busyTurns;
    private long barriers;

    /**
     * Creates a backend for one device; {@link #start()} publishes it.
     *
     * @param host   the backend domain's HAL
     * @param store  the backend domain's xenstore connection
     * @param device the device's paths
     * @param disk   what to serve
     * @param config what to advertise
     */
    public BlkBack(final XenHost host, final XenStoreClient store, final DevicePaths device, final BlockStore disk,
                   final BlkBackConfig config) {
        this.host = host;
        this.store = store;
        this.device = device;
        this.disk = disk;
        this.config = config;
        this.readOnly = disk.readOnly();
        this.advertisedBytes = disk.sizeBytes();
        this.validator = makeValidator(advertisedBytes);
        final int maxSegments = Math.max(Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST, config.maxIndirectSegments());
        this.request = new BlkRequestCopy(maxSegments);
        // Page-aligned, so that a file store with O_DIRECT can transfer straight from it.
        this.io = ByteBuffer.allocateDirect((maxSegments + 1) * PAGE).alignedSlice(PAGE);
        this.ioMemory = MemorySegment.ofBuffer(io);
        this.segments = new Kept[maxSegments];
        this.refArrays = new int[maxSegments + 1][];
        for (int i = 0; i <= maxSegments; i++) {
            refArrays[i] = new int[i];
        }
    }

    /**
     * Writes the features and disk geometry to the backend directory, goes InitWait and starts
     * following the frontend's state.
     */
    public void start() {
        advertise();
        watch = new StateWatch(store, device.frontend("state"));
    }

    private BlkifValidator makeValidator(final long sizeBytes) {
        final boolean discard = disk.supportsDiscard() && !readOnly;
        return new BlkifValidator(sizeBytes, disk.sectorSize(), readOnly, config.flush(), discard,
            discard && config.discardSecure(), config.maxIndirectSegments(), config.barrier());
    }

    /** A node of the backend directory written by the toolstack, or null. */
    private @Nullable String readOwn(final String node) {
        try {
            return store.read(device.backend(node));
        } catch (final XenStoreException e) {
            if (e.is("ENOENT")) {
                return null;
            }
            throw e;
        }
    }

    /**
     * The {@code info} bits, as Linux blkback sets them: read-only from the store or the
     * toolstack's {@code mode}, cdrom from the frontend's {@code device-type} (libxl writes
     * {@code cdrom} there), removable from the toolstack's {@code removable} node.
     */
    private int vdiskInfo() {
        int info = readOnly ? Blkif.VDISK_READONLY : 0;
        try {
            if ("cdrom".equals(readOptional("device-type"))) {
                info |= Blkif.VDISK_CDROM;
            }
        } catch (final XenStoreException e) {
            // A frontend node we may not read says nothing; the disk is not a cdrom.
            LOG.log(System.Logger.Level.DEBUG, () -> "blkback " + device.name() + ": device-type unreadable: " + e.getMessage());
        }
        if ("1".equals(readOwn("removable"))) {
            info |= Blkif.VDISK_REMOVABLE;
        }
        return info;
    }

    private void advertise() {
        // libxl writes mode=r for a read-only attachment; the store may be writable underneath.
        final String mode = readOwn(BlkifFeatures.MODE);
        if (mode != null && !mode.contains("w") && !readOnly) {
            readOnly = true;
        }
        advertisedBytes = disk.sizeBytes();
        validator = makeValidator(advertisedBytes);
        final boolean discard = disk.supportsDiscard() && !readOnly;
        final int info = vdiskInfo();
        store.transaction(16, tx -> {
            tx.write(device.backend(BlkifFeatures.MAX_RING_PAGE_ORDER), Integer.toString(config.maxRingPageOrder()));
            tx.write(device.backend(BlkifFeatures.MULTI_QUEUE_MAX_QUEUES), Integer.toString(config.maxQueues()));
            tx.write(device.backend(BlkifFeatures.FEATURE_FLUSH_CACHE), config.flush() ? "1" : "0");
            tx.write(device.backend(BlkifFeatures.FEATURE_BARRIER), config.barrier() && !readOnly ? "1" : "0");
            tx.write(device.backend(BlkifFeatures.FEATURE_DISCARD), discard ? "1" : "0");
            if (discard) {
                tx.write(device.backend(BlkifFeatures.DISCARD_GRANULARITY), Integer.toString(disk.sectorSize()));
                tx.write(device.backend(BlkifFeatures.DISCARD_ALIGNMENT), "0");
                tx.write(device.backend(BlkifFeatures.DISCARD_SECURE), config.discardSecure() ? "1" : "0");
            }
            if (config.maxIndirectSegments() > 0) {
                tx.write(device.backend(BlkifFeatures.FEATURE_MAX_INDIRECT_SEGMENTS), Integer.toString(config.maxIndirectSegments()));
            }
            tx.write(device.backend(BlkifFeatures.FEATURE_PERSISTENT), config.persistentGrants() ? "1" : "0");
            tx.write(device.backend(BlkifFeatures.SECTORS), Long.toString(advertisedBytes / Blkif.SECTOR_SIZE));
            tx.write(device.backend(BlkifFeatures.SECTOR_SIZE), Integer.toString(disk.sectorSize()));
            tx.write(device.backend(BlkifFeatures.PHYSICAL_SECTOR_SIZE), Integer.toString(disk.physicalSectorSize()));
            tx.write(device.backend(BlkifFeatures.INFO), Integer.toString(info));
            tx.write(device.backend(BlkifFeatures.MODE), readOnly ? "r" : "w");
            return Boolean.TRUE;
        });
        machine.advertise();
        XenbusStates.write(store, device.backend(), machine.state());
    }

    @Override
    public String roleName() {
        return "blkback-" + device.name();
    }

    @Override
    public int doWork() {
        if (broken != null) {
            return 0;
        }
        int work = 0;
        // The rings' mappings of this turn, kept to explain a failed ring access even when a
        // close or a disconnect in this turn has dropped them from ringPages.
        final MappedGrants[] ringsThisTurn = ringPages;
        try {
            final StateWatch w = watch;
            // The watch's flag is an atomic read-modify-write: while requests flow it is looked
            // at once in BlkFront.STATE_CHECK_TURNS turns, on every turn from the second idle one
            // in a row on (the first idle turn is the one after each batch of a frontend that
            // waits for its answers: not once per batch) and when not connected.
            if (w != null && (idleTurns > 1 || !machine.isConnected() || (++busyTurns & (BlkFront.STATE_CHECK_TURNS - 1)) == 0)
                && w.changed()) {
                work++;
                followFrontend();
            }
            if (disk.sizeBytes() != advertisedBytes) {
                work++;
                resized();
            }
            if (machine.isConnected()) {
                work += serve();
            }
        } catch (final RuntimeException e) {
            // Nothing leaves the agent loop (R10): the device stops with the reason.
            fail("internal", explainRingFailure(ringsThisTurn, e).toString());
        }
        return work;
    }

    /**
     * The store changed size: as Linux's {@code xen_vbd_resize}, rewrite {@code sectors} and, in
     * the same transaction, the unchanged {@code state}, whose watch tells a connected frontend to
     * read the new size. Requests are checked against the new size from now on.
     */
    private void resized() {
        final long size = disk.sizeBytes();
        final long old = advertisedBytes;
        advertisedBytes = size;
        validator = validator.withSize(size);
        final int state = machine.state();
        store.transaction(16, tx -> {
            tx.write(device.backend(BlkifFeatures.SECTORS), Long.toString(size / Blkif.SECTOR_SIZE));
            XenbusStates.write(tx, device.backend(), state);
            return Boolean.TRUE;
        });
        LOG.log(System.Logger.Level.INFO, () -> "blkback dom" + host.domid() + " " + device.name() + ": resized from "
            + old + " to " + size + " bytes");
    }

    private void followFrontend() {
        final int feState = XenbusStates.read(store, device.frontend());
        final XenbusAction action = machine.onFrontendState(feState);
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
            case RESTART -> advertise();
            case SETUP, NONE -> {
                // Nothing to do for this frontend state.
            }
        }
    }

    private @Nullable String readOptional(final String node) {
        try {
            return store.read(device.frontend(node));
        } catch (final XenStoreException e) {
            if (e.is("ENOENT")) {
                return null;
            }
            throw e;
        }
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
        final String protocol = readOptional(BlkifFeatures.PROTOCOL);
        final BlkifAbi chosen = BlkifAbi.ofProtocol(protocol);
        if (chosen == null) {
            throw new IllegalArgumentException("protocol=" + protocol + " is neither x86_64-abi nor x86_32-abi");
        }
        abi = chosen;
        final String orderText = readOptional(BlkifFeatures.RING_PAGE_ORDER);
        final int order = orderText == null ? 0
            : (int) parseUnsigned(BlkifFeatures.RING_PAGE_ORDER, orderText, config.maxRingPageOrder());
        final String queuesText = readOptional(BlkifFeatures.MULTI_QUEUE_NUM_QUEUES);
        // Range-checked: a hostile frontend must not make us map or bind without bound.
        final int count = queuesText == null ? 1
            : (int) parseUnsigned(BlkifFeatures.MULTI_QUEUE_NUM_QUEUES, queuesText, config.maxQueues());
        if (count < 1) {
            throw new IllegalArgumentException(BlkifFeatures.MULTI_QUEUE_NUM_QUEUES + "=0");
        }
        final int pages = 1 << order;
        usePersistent = config.persistentGrants() && "1".equals(readOptional(BlkifFeatures.FEATURE_PERSISTENT));
        final List<MappedGrants> mapped = new ArrayList<>();
        final List<BackRing> made = new ArrayList<>();
        final List<EventChannel> bound = new ArrayList<>();
        try {
            for (int q = 0; q < count; q++) {
                final String dir = queuesText == null ? "" : "queue-" + q + "/";
                final int[] refs = new int[pages];
                if (orderText == null) {
                    refs[0] = (int) parseUnsigned(dir + BlkifFeatures.RING_REF, readOptional(dir + BlkifFeatures.RING_REF), 0xFFFF_FFFFL);
                } else {
                    for (int i = 0; i < pages; i++) {
                        refs[i] = (int) parseUnsigned(dir + "ring-ref" + i, readOptional(dir + BlkifFeatures.RING_REF_PREFIX + i), 0xFFFF_FFFFL);
                    }
                }
                final int port = (int) parseUnsigned(dir + BlkifFeatures.EVENT_CHANNEL, readOptional(dir + BlkifFeatures.EVENT_CHANNEL), 0xFFFF_FFFFL);
                final MappedGrants m = host.grantTables().map(device.frontendDomid(), refs, true);
                mapped.add(m);
                // The plain buffer where the HAL gives one: every index and slot access of the ring
                // is Agrona's own, with its bounds check, not the view's per-access checks. Only
                // this agent uses it and disconnect() drops the ring before it unmaps.
                made.add(new BackRing(device.name() + "-q" + q, abi.requestLength, abi.responseLength).init(m.plainBuffer()));
                // The handler only unmasks: doWork polls the ring every time, so a lost or merged
                // event costs latency, never a request, and a flood costs one dispatch per unmask.
                bound.add(host.eventChannels().bindInterdomain(device.frontendDomid(), port, EventChannel::unmask));
            }
        } catch (final RuntimeException e) {
            bound.forEach(EventChannel::close);
            mapped.forEach(MappedGrants::close);
            throw e;
        }
        ringPages = mapped.toArray(MappedGrants[]::new);
        rings = made.toArray(BackRing[]::new);
        channels = bound.toArray(EventChannel[]::new);
        LOG.log(System.Logger.Level.DEBUG, () -> "blkback dom" + host.domid() + " " + device.name() + ": connected, "
            + abi.protocol() + ", " + count + " queue(s) of " + pages + " ring page(s)");
    }

    private void disconnect() {
        // A transfer left pending by a failure is dropped with the pages it was for.
        pendingCount = 0;
        pendingPage = null;
        persistent.values().forEach(MappedGrants::close);
        persistent.clear();
        persistentViews.clear();
        java.util.Arrays.fill(keptByRef, null);
        java.util.Arrays.fill(segments, null);
        for (final EventChannel c : channels) {
            c.close();
        }
        for (final MappedGrants m : ringPages) {
            m.close();
        }
        channels = new EventChannel[0];
        ringPages = new MappedGrants[0];
        rings = new BackRing[0];
        ring = null;
    }

    private int serve() {
        if (rings.length == 0) {
            return 0;
        }
        int work = 0;
        for (int q = 0; q < rings.length && broken == null; q++) {
            final BackRing r = rings[q];
            ring = r;
            // Only the bytes a request uses are copied out of its slot (R2 holds: see SlotCopy):
            // the prefix, then what its private header names.
            final int consumed = r.pollRequests(requestHandler, abi.requestPrefixLength, BATCH);
            flushPending();
            work += consumed;
            if (r.isBroken()) {
                final RingViolation v = r.violation();
                fail(v == null ? "ring" : v.securityRule() + " " + v.name(), r.name() + ": " + r.brokenReason());
                return work;
            }
            if (consumed > 0 && r.pushResponsesAndCheckNotify()) {
                channels[q].notifyPeer();
            }
        }
        // Every ring is polled on every turn, so the frontend's notifications matter only to a
        // loop that waits in awaitEvent. The final check (RING_FINAL_CHECK_FOR_REQUESTS) arms
        // req_event, which makes the frontend notify for its next request: it is done from the
        // second idle turn in a row on, not on every turn that found the ring empty, so that a
        // frontend whose requests keep coming notifies none (a host call each, in the simulated
        // host a lock and a domain look-up). The first idle turn asks for one more turn instead
        // (returns 1), so a loop that waits when a turn did nothing has armed before it waits.
        // Events likewise are drained from the second idle turn on; until then a delivered port
        // stays masked and notifications fold into it.
        idleTurns = work == 0 ? idleTurns + 1 : 0;
        if (idleTurns == 1) {
            return 1;
        }
        if (idleTurns > 1 && broken == null) {
            for (final BackRing r : rings) {
                if (r.finalCheckForRequests()) {
                    work++;
                }
            }
            host.eventChannels().poll(BATCH);
        }
        return work;
    }

    private void onRequest(final io.xen4j.rings.SlotCopy slot) {
        if (usePersistent && servedKept(slot)) {
            return;
        }
        final BlkRequestCopy req = request.decode(abi, slot);
        final int op = req.operation;
        final boolean data = op == Blkif.BLKIF_OP_READ || op == Blkif.BLKIF_OP_WRITE || op == Blkif.BLKIF_OP_INDIRECT;
        if (!data) {
            // A flush, barrier or discard comes after every request before it: do those first.
            flushPending();
        }
        BlkifRule rule = validator.checkHeader(req);
        deferred = false;
        if (rule == BlkifRule.OK) {
            mayDefer = data;
            rule = execute(req);
            mayDefer = false;
        }
        if (deferred) {
            // Part of the pending transfer: answered when it is done.
            pendingIds[pendingCount] = req.id;
            pendingOps[pendingCount] = op;
            pendingCount++;
            return;
        }
        // Answers go in ring order: the pending ones first.
        flushPending();
        if (rule != BlkifRule.OK) {
            rejected.merge(rule, 1L, Long::sum);
        }
        respond(req.id, op, rule.status());
    }

    /**
     * The common request in one pass over the slot's private copy: a read or write of direct
     * segments whose grants are all kept persistent grants and whose pages are one run of memory
     * (one segment, or the pages of a frontend's granted buffer) joins the pending transfer
     * straight away. Each value is read once from the private copy, and the request is checked by
     * the same rules as on the general path (segment count, read-only, each segment's sectors, the
     * range on the disk, the grants among this connection's); anything else, a request that breaks
     * a rule included, returns false before anything is done, and the general path serves or
     * rejects it (it decodes the same private copy).
     */
    private boolean servedKept(final io.xen4j.rings.SlotCopy slot) {
        final DirectBuffer copy = slot.buffer();
        final int header = copy.getInt(BlkifAbi.OPERATION_OFFSET, ByteOrder.LITTLE_ENDIAN);
        final int op = header & 0xFF;
        final int n = header >>> 8 * BlkifAbi.BYTE1_OFFSET & 0xFF;
        final boolean read = op == Blkif.BLKIF_OP_READ;
        if ((!read && (op != Blkif.BLKIF_OP_WRITE || validator.readOnly())) || n < 1 || n > Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST) {
            return false;
        }
        final int segOffset = abi.segOffset;
        if (n > 1 && slot.copyUpTo(segOffset + n * BlkifRequestSegment.LENGTH) < segOffset + n * BlkifRequestSegment.LENGTH) {
            return false;
        }
        DirectPage first = null;
        DirectPage last = null;
        int from = 0;
        int lastSect = 0;
        long sectors = 0;
        for (int i = 0; i < n; i++) {
            final long segment = copy.getLong(segOffset + i * BlkifRequestSegment.LENGTH, ByteOrder.LITTLE_ENDIAN);
            final int ref = (int) (segment >>> 8 * BlkifRequestSegment.GREF_OFFSET);
            final int firstSect = (int) (segment >>> 8 * BlkifRequestSegment.FIRST_SECT_OFFSET) & 0xFF;
            lastSect = (int) (segment >>> 8 * BlkifRequestSegment.LAST_SECT_OFFSET) & 0xFF;
            final Kept k = keptByRef[ref & (keptByRef.length - 1)];
            if (firstSect > lastSect || lastSect > Blkif.MAX_SECTOR_IN_PAGE || k == null || k.ref != ref) {
                return false;
            }
            final DirectPage d = k.direct;
            if (d == null) {
                return false;
            }
            if (last == null) {
                first = d;
                from = d.at + firstSect * Blkif.SECTOR_SIZE;
            } else if (!followsInMemory(last, d) || firstSect != 0) {
                return false;
            }
            if (i < n - 1 && lastSect != Blkif.MAX_SECTOR_IN_PAGE) {
                return false;
            }
            segments[i] = k;
            sectors += lastSect - firstSect + 1;
            last = d;
        }
        final long sector = copy.getLong(abi.sectorOffset, ByteOrder.LITTLE_ENDIAN);
        if (first == null || last == null || validator.checkRange(sector, sectors) != BlkifRule.OK) {
            return false;
        }
        // Through the HAL's views, as the general path: a mapping revoked or unmapped (its domain
        // dying) fails here as every access of the view does. The run is whole pages inside.
        for (int i = 0; i < n; i++) {
            java.util.Objects.requireNonNull(segments[i]).view.boundsCheck(0, PAGE);
        }
        spanFrom = from;
        spanTo = last.at + (lastSect + 1) * Blkif.SECTOR_SIZE;
        joinPending(first, read, sector * Blkif.SECTOR_SIZE);
        pendingIds[pendingCount] = copy.getLong(abi.idOffset, ByteOrder.LITTLE_ENDIAN);
        pendingOps[pendingCount] = op;
        pendingCount++;
        servedInOnePass++;
        return true;
    }

    /** Requests {@link #servedKept} took (for tests: which path a request went). */
    long servedInOnePass() {
        return servedInOnePass;
    }

    /**
     * Makes the run {@link #spanFrom}..{@link #spanTo} of {@code first}'s buffer the next part of
     * the pending transfer: it continues the transfer when the sectors and the memory continue
     * it (a block layer's merge of bios), else the transfer is done first and a new one starts.
     * The caller records the request's id.
     */
    private void joinPending(final DirectPage first, final boolean read, final long position) {
        final DirectPage p = pendingPage;
        if (pendingCount > 0 && (p == null || pendingRead != read || pendingPosition + (pendingTo - pendingFrom) != position
            || !sameBuffer(p.region, first.region) || pendingTo != spanFrom || pendingCount == BATCH)) {
            flushPending();
        }
        if (pendingCount == 0) {
            pendingPage = first;
            pendingRead = read;
            pendingPosition = position;
            pendingFrom = spanFrom;
        }
        pendingTo = spanTo;
    }

    /**
     * Does the pending transfer (reads or writes of consecutive sectors whose pages are one run
     * of memory, such as the two ring requests of a 64 KiB request in a frontend's granted
     * buffer without indirect segments) as one store call, then answers each of its requests,
     * all OKAY or all ERROR.
     */
    private void flushPending() {
        final int count = pendingCount;
        final DirectPage page = pendingPage;
        if (count == 0 || page == null) {
            return;
        }
        pendingCount = 0;
        pendingPage = null;
        BlkifRule rule = BlkifRule.OK;
        try {
            if (pendingRead) {
                disk.read(pendingPosition, page.memory, pendingFrom, pendingTo - pendingFrom);
            } else {
                disk.write(pendingPosition, page.memory, pendingFrom, pendingTo - pendingFrom);
            }
            served += count;
        } catch (final IOException e) {
            LOG.log(System.Logger.Level.WARNING, "blkback dom" + host.domid() + " " + device.name() + ": I/O error on requests id="
                + pendingIds[0] + ".." + pendingIds[count - 1] + " (" + count + " merged): " + e.getMessage());
            rule = BlkifRule.IO_ERROR;
            rejected.merge(rule, (long) count, Long::sum);
        }
        for (int i = 0; i < count; i++) {
            respond(pendingIds[i], pendingOps[i], rule.status());
        }
    }

    private BlkifRule execute(final BlkRequestCopy req) {
        try {
            switch (req.operation) {
                case Blkif.BLKIF_OP_FLUSH_DISKCACHE:
                    disk.flush();
                    return BlkifRule.OK;
                case Blkif.BLKIF_OP_WRITE_BARRIER:
                    return barrier(req);
                case Blkif.BLKIF_OP_DISCARD:
                    disk.discard(req.sector * Blkif.SECTOR_SIZE, req.discardSectors * Blkif.SECTOR_SIZE,
                        (req.discardFlag & Blkif.BLKIF_DISCARD_SECURE) != 0);
                    return BlkifRule.OK;
                case Blkif.BLKIF_OP_INDIRECT:
                    final BlkifRule loaded = loadIndirect(req);
                    return loaded != BlkifRule.OK ? loaded : readWrite(req);
                default:
                    return readWrite(req);
            }
        } catch (final IOException e) {
            LOG.log(System.Logger.Level.WARNING, "blkback dom" + host.domid() + " " + device.name() + ": I/O error on request id="
                + req.id + ": " + e.getMessage());
            return BlkifRule.IO_ERROR;
        }
    }

    /**
     * {@code BLKIF_OP_WRITE_BARRIER}: every earlier request of the ring is complete (requests are
     * served one at a time, in ring order), so flush them, write, and flush the write before the
     * response lets the frontend issue anything later, as Linux's drain plus PREFLUSH|FUA.
     */
    private BlkifRule barrier(final BlkRequestCopy req) throws IOException {
        if (req.nrSegments > 0) {
            final BlkifRule segments = validator.checkSegments(req);
            if (segments != BlkifRule.OK) {
                return segments;
            }
        }
        disk.flush();
        if (req.nrSegments > 0) {
            final BlkifRule written = readWrite(req);
            if (written != BlkifRule.OK) {
                return written;
            }
            disk.flush();
        }
        barriers++;
        return BlkifRule.OK;
    }

    private BlkifRule loadIndirect(final BlkRequestCopy req) {
        final int pages = req.indirectPages();
        if (usePersistent) {
            return loadIndirectPersistent(req, pages);
        }
        final int[] refs = refArrays[pages];
        System.arraycopy(req.indirectGrefs, 0, refs, 0, pages);
        final MappedGrants m;
        try {
            m = host.grantTables().map(device.frontendDomid(), refs, false);
        } catch (final RuntimeException e) {
            return mapFailed(e);
        }
        try {
            // Copied out once (R2): the frontend may rewrite the page while we work.
            req.loadIndirectSegments(m.buffer());
        } finally {
            m.close();
        }
        return BlkifRule.OK;
    }

    /**
     * The indirect pages of a request on a persistent connection: kept mapped like its data
     * pages, as Linux's blkback keeps every grant of such a connection (the frontend grants them
     * from its persistent pool, read-write), so a frontend that reuses its indirect pages costs
     * a look-up per page instead of a map and an unmap. Beyond the persistent limit a page is
     * mapped for this request only. Like the data pages (and as in Linux) the map is read-write:
     * an indirect page granted read-only on such a connection fails its request ({@code GRANT_MAP}).
     */
    private BlkifRule loadIndirectPersistent(final BlkRequestCopy req, final int pages) {
        for (int p = 0; p < pages; p++) {
            final int ref = req.indirectGrefs[p];
            final Kept k = persistentGrant(ref);
            if (k != null) {
                // Copied out once (R2), as below.
                req.loadIndirectSegments(k.view, p);
                continue;
            }
            final MappedGrants m;
            try {
                m = host.grantTables().map(device.frontendDomid(), ref, true);
            } catch (final RuntimeException e) {
                return mapFailed(e);
            }
            final AtomicBuffer view = m.buffer();
            if (persistent.size() < MAX_PERSISTENT) {
                keep(new Kept(ref, m, view, directPage(view), true));
                req.loadIndirectSegments(view, p);
            } else {
                try {
                    req.loadIndirectSegments(view, p);
                } finally {
                    m.close();
                }
            }
        }
        return BlkifRule.OK;
    }

    /** The persistent grant kept for {@code ref}, or null: {@link #keptByRef} first, the map on a miss. */
    private @Nullable Kept persistentGrant(final int ref) {
        final int slot = ref & (keptByRef.length - 1);
        final Kept k = keptByRef[slot];
        if (k != null && k.ref == ref) {
            return k;
        }
        final Kept found = persistentViews.get(ref);
        if (found != null) {
            keptByRef[slot] = found;
        }
        return found;
    }

    /** Keeps a new persistent grant; the caller checked {@link #MAX_PERSISTENT}. */
    private void keep(final Kept kept) {
        persistent.put(kept.ref, kept.map);
        persistentViews.put(kept.ref, kept);
        keptByRef[kept.ref & (keptByRef.length - 1)] = kept;
    }

    private BlkifRule readWrite(final BlkRequestCopy req) throws IOException {
        final BlkifRule segments = validator.checkSegments(req);
        if (segments != BlkifRule.OK) {
            return segments;
        }
        final int n = req.nrSegments;
        final boolean read = req.dataOperation == Blkif.BLKIF_OP_READ;
        if (usePersistent) {
            return readWritePersistent(req, read);
        }
        final int[] refs = refArrays[n];
        System.arraycopy(req.grefs, 0, refs, 0, n);
        flushPending();
        final MappedGrants m;
        try {
            // The HAL maps the grants one by one and undoes a partial map before it throws.
            m = host.grantTables().map(device.frontendDomid(), refs, read);
        } catch (final RuntimeException e) {
            return mapFailed(e);
        }
        try {
            final MutableDirectBuffer pages = m.buffer();
            final long position = req.sector * Blkif.SECTOR_SIZE;
            io.clear();
            if (read) {
                int total = 0;
                for (int i = 0; i < n; i++) {
                    total += (req.lastSect[i] - req.firstSect[i] + 1) * Blkif.SECTOR_SIZE;
                }
                disk.read(position, ioMemory, 0, total);
                int at = 0;
                for (int i = 0; i < n; i++) {
                    final int len = (req.lastSect[i] - req.firstSect[i] + 1) * Blkif.SECTOR_SIZE;
                    pages.putBytes(i * PAGE + req.firstSect[i] * Blkif.SECTOR_SIZE, io, at, len);
                    at += len;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    final int len = (req.lastSect[i] - req.firstSect[i] + 1) * Blkif.SECTOR_SIZE;
                    pages.getBytes(i * PAGE + req.firstSect[i] * Blkif.SECTOR_SIZE, io, len);
                }
                disk.write(position, ioMemory, 0, io.position());
            }
        } finally {
            m.close();
        }
        served++;
        return BlkifRule.OK;
    }

    /**
     * Read or write through persistent grants: each segment's grant is mapped once (read-write,
     * as the frontend reuses the page for both) and kept, up to {@link #MAX_PERSISTENT}; grants
     * beyond that are mapped for this request only.
     */
    private BlkifRule readWritePersistent(final BlkRequestCopy req, final boolean read) throws IOException {
        final int n = req.nrSegments;
        int transientFrom = n;
        try {
            for (int i = 0; i < n; i++) {
                final int ref = req.grefs[i];
                final Kept k = persistentGrant(ref);
                if (k != null) {
                    segments[i] = k;
                    continue;
                }
                final MappedGrants m = host.grantTables().map(device.frontendDomid(), ref, true);
                final AtomicBuffer view = m.buffer();
                if (persistent.size() < MAX_PERSISTENT) {
                    final Kept kept = new Kept(ref, m, view, directPage(view), true);
                    keep(kept);
                    segments[i] = kept;
                } else {
                    // Beyond the persistent limit: mapped for this request only, no direct page.
                    segments[i] = new Kept(ref, m, view, null, false);
                    transientFrom = Math.min(transientFrom, i);
                }
            }
        } catch (final RuntimeException e) {
            releaseTransient(n);
            return mapFailed(e);
        }
        try {
            final long position = req.sector * Blkif.SECTOR_SIZE;
            final DirectPage first = directSpan(req, n);
            if (first != null && mayDefer) {
                // The segments are one run of memory (one segment, or the pages of a frontend's
                // granted buffer): straight between the store and the pages, no bounce through
                // io; and merged with the requests before it in this batch when they continue
                // each other on the disk and in memory, as a block layer merges bios.
                joinPending(first, read, position);
                deferred = true;
                return BlkifRule.OK;
            }
            flushPending();
            if (first != null) {
                // A barrier's write: straight too, alone.
                if (read) {
                    disk.read(position, first.memory, spanFrom, spanTo - spanFrom);
                } else {
                    disk.write(position, first.memory, spanFrom, spanTo - spanFrom);
                }
                served++;
                return BlkifRule.OK;
            }
            // Scattered pages keep the bounce: one pread of the whole range and a copy per page
            // measured no slower than a readv into the pages (and need no lseek).
            io.clear();
            if (read) {
                int total = 0;
                for (int i = 0; i < n; i++) {
                    total += (req.lastSect[i] - req.firstSect[i] + 1) * Blkif.SECTOR_SIZE;
                }
                disk.read(position, ioMemory, 0, total);
                int at = 0;
                for (int i = 0; i < n; i++) {
                    final int len = (req.lastSect[i] - req.firstSect[i] + 1) * Blkif.SECTOR_SIZE;
                    java.util.Objects.requireNonNull(segments[i]).view.putBytes(req.firstSect[i] * Blkif.SECTOR_SIZE, io, at, len);
                    at += len;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    final int len = (req.lastSect[i] - req.firstSect[i] + 1) * Blkif.SECTOR_SIZE;
                    java.util.Objects.requireNonNull(segments[i]).view.getBytes(req.firstSect[i] * Blkif.SECTOR_SIZE, io, len);
                }
                disk.write(position, ioMemory, 0, io.position());
            }
        } finally {
            if (transientFrom < n) {
                releaseTransient(n);
            }
        }
        served++;
        return BlkifRule.OK;
    }

    /**
     * The first page of a request's segments when they are one run of memory, with the run in
     * {@link #spanFrom} and {@link #spanTo}; null when they are not: every
     * segment a kept persistent page with a direct buffer, each page right after the one before
     * in the same buffer, and the sectors in between whole pages.
     */
    private @Nullable DirectPage directSpan(final BlkRequestCopy req, final int n) {
        DirectPage first = null;
        DirectPage last = null;
        for (int i = 0; i < n; i++) {
            // A mapping for this request only has no direct page.
            final DirectPage d = java.util.Objects.requireNonNull(segments[i]).direct;
            if (d == null) {
                return null;
            }
            if (last == null) {
                first = d;
            } else if (!followsInMemory(last, d) || req.firstSect[i] != 0
                || req.lastSect[i - 1] != PAGE / Blkif.SECTOR_SIZE - 1) {
                return null;
            }
            last = d;
        }
        if (first == null || last == null) {
            return null;
        }
        // Checked through the HAL's views first: a mapping revoked or unmapped (its domain dying)
        // fails here as every access of the view does.
        for (int i = 0; i < n; i++) {
            final int from = req.firstSect[i] * Blkif.SECTOR_SIZE;
            java.util.Objects.requireNonNull(segments[i]).view.boundsCheck(from, (req.lastSect[i] + 1) * Blkif.SECTOR_SIZE - from);
        }
        spanFrom = first.at + req.firstSect[0] * Blkif.SECTOR_SIZE;
        spanTo = last.at + (req.lastSect[n - 1] + 1) * Blkif.SECTOR_SIZE;
        return first;
    }

    /** Whether {@code next} is the page right after {@code last} in the same buffer: the two are one run of memory. */
    private static boolean followsInMemory(final DirectPage last, final DirectPage next) {
        return sameBuffer(next.region, last.region) && next.at == last.at + PAGE;
    }

    /** The same buffer object: identity, not contents (a ByteBuffer's equals compares the bytes left). */
    @SuppressWarnings("ReferenceEquality")
    private static boolean sameBuffer(final ByteBuffer a, final ByteBuffer b) {
        return a == b;
    }

    /**
     * Where the first page of a mapping is in a writable direct {@link ByteBuffer}, or null where
     * the HAL gives none for it (stitched or read-only views, or a HAL whose views have none).
     */
    private static @Nullable DirectPage directPage(final AtomicBuffer view) {
        final ByteBuffer whole = view.byteBuffer();
        if (whole == null || !whole.isDirect() || whole.isReadOnly() || view.capacity() < PAGE) {
            return null;
        }
        // For a direct buffer the wrap adjustment is the view's offset into it.
        final int at = view.wrapAdjustment();
        return at < 0 || at > whole.capacity() - PAGE ? null : new DirectPage(whole, at);
    }

    /**
     * A failed grant map fails the request, unless this domain itself is being destroyed
     * ({@code ESRCH}): then no response may go out (the request was not served, the frontend
     * issues it again to the next backend), so the failure stops the device instead.
     */
    private static BlkifRule mapFailed(final RuntimeException e) {
        if (e instanceof XenHalException x && x.errno() == Errno.ESRCH) {
            throw e;
        }
        return BlkifRule.GRANT_MAP;
    }

    /** Unmaps the segment mappings of a request that are not kept as persistent grants. */
    private void releaseTransient(final int n) {
        for (int i = 0; i < n; i++) {
            final Kept k = segments[i];
            if (k != null && !k.persistent && !k.map.isClosed()) {
                k.map.close();
            }
            segments[i] = null;
        }
    }

    /**
     * Persistent grants currently mapped.
     *
     * @return the count
     */
    public int persistentGrants() {
        return persistent.size();
    }

    private void respond(final long id, final int operation, final int status) {
        final BackRing r = ring;
        if (r == null) {
            return;
        }
        final int slot = r.claimResponse();
        if (slot == BackRing.NO_SLOT) {
            return;
        }
        final MutableDirectBuffer b = r.buffer();
        b.putLong(slot + BlkifAbi.RSP_ID_OFFSET, id, ByteOrder.LITTLE_ENDIAN);
        // operation, its padding byte and status in one store: each access of the mapped ring is checked.
        b.putInt(slot + BlkifAbi.RSP_OPERATION_OFFSET, (operation & 0xFF)
            | (status & 0xFFFF) << 8 * (BlkifAbi.RSP_STATUS_OFFSET - BlkifAbi.RSP_OPERATION_OFFSET), ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * A ring on the HAL's plain buffer that was unmapped or revoked under this agent (a close from
     * another thread, the domain destroyed) fails Agrona's bounds check ("capacity=0"): the ring's
     * mapping turns that into the error the checked view gives, naming the grant references, the
     * domains and why the mapping is gone.
     */
    private static RuntimeException explainRingFailure(final MappedGrants[] ringMappings, final RuntimeException e) {
        for (final MappedGrants m : ringMappings) {
            final RuntimeException explained = m.explainAccessFailure(e);
            if (!explained.equals(e)) {
                return explained;
            }
        }
        return e;
    }

    private void fail(final String rule, final String reason) {
        if (broken != null) {
            return;
        }
        broken = "blkback dom" + host.domid() + " device " + device.name() + " (frontend dom" + device.frontendDomid()
            + ", " + device.backend() + "): " + rule + ": " + reason + "; the device is stopped";
        LOG.log(System.Logger.Level.ERROR, broken);
        try {
            disconnect();
            XenbusStates.write(store, device.backend(), XenbusState.XENBUS_STATE_CLOSING);
        } catch (final RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "blkback " + device.name() + ": closing after failure: " + e);
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
     * Whether the rings are mapped and requests served.
     *
     * @return true when connected and not broken
     */
    public boolean isConnected() {
        return broken == null && machine.isConnected();
    }

    /**
     * Read and write requests served with data.
     *
     * @return the count
     */
    public long served() {
        return served;
    }

    /**
     * Barrier requests served.
     *
     * @return the count
     */
    public long barriers() {
        return barriers;
    }

    /**
     * Requests answered with an error, by the name of the rule they broke (such as
     * {@code SEGMENT_SECTORS}).
     *
     * @return a snapshot
     */
    public Map<String, Long> rejectedByRule() {
        final Map<String, Long> out = new java.util.TreeMap<>();
        rejected.forEach((k, v) -> out.put(k.name(), v));
        return out;
    }

    /**
     * Stops at once, as a backend that crashes: unmaps and unbinds, writes nothing to xenstore.
     * For fault tests.
     */
    public void crash() {
        broken = "blkback " + device.name() + ": crashed (test)";
        disconnect();
        final StateWatch w = watch;
        if (w != null) {
            w.close();
        }
    }

    /** Closes the device: unmaps the ring, unbinds the channel, writes Closed. */
    @Override
    public void close() {
        machine.close();
        disconnect();
        final StateWatch w = watch;
        watch = null;
        if (w != null) {
            w.close();
        }
        try {
            XenbusStates.write(store, device.backend(), XenbusState.XENBUS_STATE_CLOSED);
        } catch (final RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "blkback " + device.name() + ": writing Closed: " + e);
        }
    }
}
