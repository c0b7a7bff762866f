package io.xen4j.blk;

import io.netty.buffer.ByteBuf;
import io.xen4j.abi.blkif.Blkif;
import io.xen4j.abi.blkif.BlkifFeatures;
import io.xen4j.abi.blkif.BlkifRequestSegment;
import io.xen4j.abi.xenbus.XenbusState;
import io.xen4j.blk.internal.BlkifAbi;
import io.xen4j.blk.internal.IntrusiveMpscQueue;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.api.XenHost;
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
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;
import org.jspecify.annotations.Nullable;

/**
 * blkfront: a {@link BlockDevice} over a disk another domain serves. An Agrona {@link Agent}:
 * each {@link #doWork()} follows the backend's XenBus state, moves submitted requests onto the
 * ring (split to the negotiated segment limits) and completes the responses.
 *
 * <p>The backend is hostile. A response must name an outstanding id, carry the operation that
 * was sent and a status of OKAY, ERROR or EOPNOTSUPP, or the device breaks with one log line
 * naming the domain, device and rule, and every pending request fails. Data pages are zeroed
 * before they are granted (no stale data, XSA-403) and never reused: a grant whose end-access
 * fails is set aside, never reused, and its end tried again at each backend state change until
 * the backend lets go (XSA-396). When the backend goes away the requests in flight are kept and
 * issued again after it comes back, so no write is lost.
 *
 * <p>Persistent grants ({@code feature-persistent}) are offered at setup and used when the
 * backend says 1 once it is Connected, as Linux's blkfront decides (Linux's blkback writes its
 * node only when it connects). With them, data pages and indirect descriptor pages come from
 * pools granted once and reused while connected, never ended under the backend: Linux's blkback
 * maps both kinds read-write through its persistent-grant cache and keeps them mapped.
 *
 * <p>Data is copied between the caller's buffer and granted pages, except in a buffer of
 * {@link #allocateBuffer}: its own pages are granted, and a request on it names them, so the
 * backend's store reads into and writes from the caller's memory directly. Such a request made
 * on the agent's own thread goes onto the ring as it is submitted and out with the agent's next
 * push; one made from a callback goes out with the push of the turn that ran the callback, so an
 * application whose completion handler issues its next request costs blkfront one turn per
 * request, not two.
 */
public final class BlkFront implements BlockDevice, Agent, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BlkFront.class.getName());
    private static final int PAGE = 4096;
    private static final int SECTOR = Blkif.SECTOR_SIZE;
    private static final int FLUSH = Blkif.BLKIF_OP_FLUSH_DISKCACHE;
    private static final int BARRIER = Blkif.BLKIF_OP_WRITE_BARRIER;
    /** A barrier carries no indirect segments (indirect_op is read or write only). */
    private static final int BARRIER_MAX_BYTES = Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST * PAGE;
    /**
     * The most ring requests one request {@link #sentAtOnce} may take (352 KiB in a granted
     * buffer without indirect segments); a longer one takes the general path, which issues its
     * fragments as the rings free up.
     */
    private static final int MAX_PARTS_AT_ONCE = 8;

    /**
     * A request of the API: a future or a callback, one or more ring requests. Pooled: taken on
     * submission (any thread), returned when it completes (the agent), so that steady-state I/O
     * allocates none; it is its own link in the submission queue.
     */
    private static final class Op extends IntrusiveMpscQueue.Node {
        int kind;
        long offset;
        long length;
        @Nullable ByteBuf buf;
        int bufBase;
        boolean secure;
        @Nullable CompletableFuture<Void> future;
        @Nullable BlockCallback callback;
        int remaining;
        @Nullable BlockIoException error;
        /**
         * The op's first fragment, its own: most ops are one ring request, which then takes no
         * fragment from the pool (a deque and its array less touched per request). Never pooled.
         */
        final Fragment first = new Fragment(this);

        Op set(final int kind, final long offset, final long length, final @Nullable ByteBuf buf, final int bufBase, final boolean secure,
               final @Nullable CompletableFuture<Void> future, final @Nullable BlockCallback callback) {
            this.kind = kind;
            this.offset = offset;
            this.length = length;
            this.buf = buf;
            this.bufBase = bufBase;
            this.secure = secure;
            this.future = future;
            this.callback = callback;
            this.remaining = 1;
            this.error = null;
            return this;
        }
    }

    /** While busy, the state watches are looked at once in this many turns (a power of two). */
    static final int STATE_CHECK_TURNS = 16;

    /** Ops kept for reuse; beyond this many idle ones, they are left to the GC. */
    private static final int OP_POOL = 1024;

    /** Ops kept for reuse by the agent's own thread, beside {@link #opPool}. */
    private static final int OWN_OPS = 64;

    /**
     * The completion of a blocking call: one per thread, reused, so that the blocking forms
     * allocate nothing per request. A call that gives up (timeout, interrupt) drops its waiter,
     * so that the late completion of its request is never taken for a later call's.
     */
    private static final class Waiter implements BlockCallback {
        private final Thread thread = Thread.currentThread();
        private volatile boolean done;
        /** Set while the thread parks: a completion that finds it clear needs no wake-up call. */
        private volatile boolean parked;
        /** Written before {@link #done}, read after it. */
        private @Nullable BlockIoException failure;

        @Override
        public void onComplete(final @Nullable BlockIoException f) {
            failure = f;
            done = true;
            if (parked) {
                LockSupport.unpark(thread);
            }
        }
    }

    private final ThreadLocal<Waiter> waiters = ThreadLocal.withInitial(Waiter::new);

    /**
     * One ring request's worth of an {@link Op}. {@code kind} is the ring operation (a barrier
     * emulated with flushes has fragments of other kinds than its op); an exclusive fragment is
     * issued only when nothing is outstanding and nothing is issued while it is (ordering).
     */
    private static final class Fragment {
        Op op;
        int kind;
        boolean exclusive;
        long offset;
        long length;
        int bufOffset;

        Fragment(final Op op) {
            this.op = op;
        }

        Fragment set(final int kind, final long offset, final long length, final int bufOffset, final boolean exclusive) {
            this.kind = kind;
            this.offset = offset;
            this.length = length;
            this.bufOffset = bufOffset;
            this.exclusive = exclusive;
            return this;
        }
    }

    private final XenHost host;
    private final XenStoreClient store;
    /**
     * Where the device lives; the backend half changes when the toolstack moves the device to a
     * new backend domain (a restarted driver domain gets a new domid). Written by the agent only.
     */
    private volatile DevicePaths device;
    /** Watches the toolstack's {@code backend-id}: a new backend domain is followed there. */
    private @Nullable StateWatch backendIdWatch;
    private final BlkFrontConfig config;
    private final BlkifAbi abi;
    private final FrontendStateMachine machine = new FrontendStateMachine();
    private final IntrusiveMpscQueue<Op> submitted = new IntrusiveMpscQueue<>();
    private final ManyToManyConcurrentArrayQueue<Op> opPool = new ManyToManyConcurrentArrayQueue<>(OP_POOL);
    /**
     * The thread that ran the last {@link #doWork()}: the agent's own thread (an AgentRunner's, or
     * the one that drives an AgentInvoker). A request it submits between or inside its turns takes
     * a pooled op from {@link #ownOps} and goes straight to {@link #ready}: no concurrent queue, no
     * atomic instruction (the submission queue and the op pool cost four per request). A thread
     * that stops driving the agent must not submit while another one takes over (the agent's
     * contract already makes a hand-over a synchronised step); any other thread uses the queues.
     */
    private volatile @Nullable Thread agentThread;
    /** Ops for reuse by {@link #agentThread}, a stack; touched by that thread only. */
    private final @Nullable Op[] ownOps = new Op[OWN_OPS];
    private int ownTop;
    /** Fragments for reuse; the agent's own. */
    private final ArrayDeque<Fragment> fragmentPool = new ArrayDeque<>();
    /** A view of a caller's buffer memory, to copy to and from granted pages without a bounce. */
    private final org.agrona.concurrent.UnsafeBuffer userView = new org.agrona.concurrent.UnsafeBuffer(0, 0);
    private final ArrayDeque<Fragment> ready = new ArrayDeque<>();
    /**
     * Pages whose grant could not be ended because the backend still mapped them: never reused,
     * their end tried again at each backend state change and at close (a backend unmaps its ring
     * and persistent grants only after this side went Closed).
     */
    private final List<SharedPages> leaked = new ArrayList<>();
    /** {@code leaked.size()}, for other threads. */
    private volatile int leakedCount;
    private final byte[] scratch = new byte[PAGE];
    private final CompletableFuture<DiskInfo> connected = new CompletableFuture<>();
    private @Nullable StateWatch watch;
    private volatile @Nullable DiskInfo info;
    /** Told of every capacity change, on the agent thread. */
    private final java.util.concurrent.CopyOnWriteArrayList<java.util.function.Consumer<DiskInfo>> capacityListeners =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Exclusive fragments (barriers and their emulation) on the ring: nothing else is issued meanwhile. */
    private int exclusiveOutstanding;
    private int ringOrder;
    private int indirectSegments;
    private static final SharedPages[] NO_PAGES = new SharedPages[0];
    private static final AtomicBuffer[] NO_VIEWS = new AtomicBuffer[0];
    /** A page granted once to the backend, with its view ({@code buffer()} costs a host call). */
    private static final class Granted {
        final SharedPages page;
        final AtomicBuffer view;
        /**
         * An indirect page's bytes from its start that may hold an earlier request's descriptors;
         * beyond them it is zero (unless the backend, which maps it read-write, wrote there: then
         * it reads its own bytes). The agent's own.
         */
        int written;

        Granted(final SharedPages page, final AtomicBuffer view) {
            this.page = page;
            this.view = view;
        }
    }

    private static final Granted[] NO_GRANTED = new Granted[0];
    /** Data pages granted once to the backend, free for the next request (feature-persistent). */
    private final ArrayDeque<SharedPages> pool = new ArrayDeque<>();
    /** The view of each page of {@link #pool}, in the same order: {@code buffer()} costs a host call. */
    private final ArrayDeque<AtomicBuffer> poolViews = new ArrayDeque<>();
    private boolean usePersistent;
    /** Most bytes of one {@link #allocateBuffer} buffer: 1024 pages, as many grants as blkback keeps persistently. */
    static final int MAX_BUFFER_BYTES = 1024 * PAGE;
    /** Released buffers' pages kept granted for later buffers; beyond this many, their grants are ended. */
    private static final int FREE_BUFFER_SHARES = 64;
    /**
     * Guards the granted buffers' bookkeeping below: buffers are allocated and released on any
     * thread, connections made and ended on the agent.
     */
    private final Object buffers = new Object();
    /** Granted buffers handed out and not released (by identity: a ByteBuf's equals compares bytes). */
    private final java.util.Set<GrantedBuffer> liveBuffers = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    /** Pages of released buffers, still granted to the connected backend, for the next buffer. */
    private final ArrayDeque<SharedPages> freeBufferPages = new ArrayDeque<>();
    /** Pages of released buffers that a backend still maps: never reused (XSA-396). */
    private final List<SharedPages> leakedBufferPages = new ArrayList<>();
    /** The backend domain new buffers are granted to; -1 while there is no connection. */
    private int bufferDomid = -1;
    /**
     * Counts connections: a buffer granted for an earlier one is copied like any other. Written
     * by the agent under {@link #buffers}, read there by other threads and freely by the agent.
     */
    private long generation;
    /** The rings: one, or {@code multi-queue-num-queues}. */
    private Queue[] queues = new Queue[0];
    /** Where the next request goes (round robin over the queues). */
    private int nextQueue;
    /** Requests {@link #sentAtOnce} put on the rings since the last push. */
    private int unpushedRequests;
    /** The rings those requests are on, a bit per queue. */
    private int unpushedRings;
    private volatile @Nullable String broken;
    private long completed;
    /** Turns in a row that did nothing while connected. */
    private int idleTurns;
    /** Busy turns, to look at the state watches every {@link #STATE_CHECK_TURNS}th. */
    private int busyTurns;
    private long reissued;

    /**
     * Creates a frontend for one device; {@link #start()} begins the handshake.
     *
     * @param host   the frontend domain's HAL
     * @param store  the frontend domain's xenstore connection
     * @param device the device's paths
     * @param config what to ask for
     */
    public BlkFront(final XenHost host, final XenStoreClient store, final DevicePaths device, final BlkFrontConfig config) {
        this.host = host;
        this.store = store;
        this.device = device;
        this.config = config;
        this.abi = Objects.requireNonNull(BlkifAbi.ofProtocol(config.protocol()), "protocol");
    }

    /** Starts following the backend's state. */
    public void start() {
        XenbusStates.write(store, device.frontend(), machine.state());
        watch = new StateWatch(store, device.backend("state"));
        backendIdWatch = new StateWatch(store, device.frontend("backend-id"));
    }

    /**
     * The toolstack may point the device at another backend domain (the driver domain died and a
     * new one serves the disk): it rewrites {@code backend-id} and {@code backend} in one
     * transaction. Follow it: end what the old backend was given, keep the requests in flight for
     * the new one, and watch the new backend's state, whose handshake then starts over.
     */
    private void followBackendId() {
        final DevicePaths d = device;
        final String idText = readOwn("backend-id");
        final String path = readOwn("backend");
        if (idText == null || path == null || idText.isEmpty() || idText.length() > 5 || !idText.chars().allMatch(Character::isDigit)) {
            return;
        }
        final int id = Integer.parseInt(idText);
        if (id == d.backendDomid() || id > DevicePaths.DOMID_MAX) {
            return;
        }
        final DevicePaths moved = new DevicePaths(d.type(), d.frontendDomid(), id, d.devid());
        if (!moved.backend().equals(path)) {
            LOG.log(System.Logger.Level.WARNING, "blkfront dom" + host.domid() + " " + d.name() + ": backend-id=" + id
                + " but backend=" + path + " is not " + moved.backend() + "; not followed");
            return;
        }
        LOG.log(System.Logger.Level.INFO, () -> "blkfront dom" + host.domid() + " " + d.name() + ": backend moved from dom"
            + d.backendDomid() + " to dom" + id + "; " + outstandingAll() + " request(s) in flight will be issued again");
        if (queues.length > 0) {
            teardown();
        }
        final StateWatch old = watch;
        if (old != null) {
            old.close();
        }
        device = moved;
        watch = new StateWatch(store, moved.backend("state"));
    }

    private @Nullable String readOwn(final String node) {
        try {
            return store.read(device.frontend(node));
        } catch (final XenStoreException e) {
            if (e.is("ENOENT")) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public String roleName() {
        return "blkfront-" + device.name();
    }

    @Override
    public CompletableFuture<DiskInfo> connected() {
        return connected;
    }

    /**
     * The disk's description, once connected.
     *
     * @return the description
     * @throws IllegalStateException before the first connection
     */
    public DiskInfo info() {
        final DiskInfo i = info;
        if (i == null) {
            throw new IllegalStateException("blkfront dom" + host.domid() + " " + device.name() + ": not connected yet");
        }
        return i;
    }

    /**
     * A buffer over pages granted to the backend once, for this connection: a read into it at a
     * sector-aligned writer index lands in place (the backend's store writes the pages) and a
     * write from it at a sector-aligned reader index is served from it, so that no data is copied
     * on this side. The pages are zeroed first; from then on the backend may read and write them
     * as it may any granted page of a request, so keep in them only what it may see.
     *
     * <p>Releasing the buffer gives the pages back: they stay granted for a later buffer, as the
     * persistent-grant pool keeps its pages. When the connection ends (the backend goes away or
     * moves) the grants of every buffer are ended; a buffer from then on is ordinary memory,
     * copied like any other. Where there is no connection, or where the HAL exposes no
     * {@link java.nio.ByteBuffer} over its granted pages, this gives an ordinary direct buffer.
     *
     * @param size bytes, 1 to 4 MiB (1024 pages)
     * @return the buffer, empty, of capacity and maximum capacity {@code size}
     */
    @Override
    public ByteBuf allocateBuffer(final int size) {
        if (size <= 0 || size > MAX_BUFFER_BYTES) {
            throw new IllegalArgumentException("blkfront dom" + host.domid() + " " + device.name() + ": buffer size=" + size
                + " must be 1.." + MAX_BUFFER_BYTES);
        }
        final int pages = (size + PAGE - 1) / PAGE;
        synchronized (buffers) {
            if (bufferDomid >= 0 && broken == null) {
                SharedPages share = null;
                for (final java.util.Iterator<SharedPages> it = freeBufferPages.iterator(); it.hasNext(); ) {
                    final SharedPages s = it.next();
                    if (s.pageCount() == pages) {
                        it.remove();
                        share = s;
                        break;
                    }
                }
                if (share == null) {
                    share = host.grantTables().share(bufferDomid, pages, true);
                }
                final AtomicBuffer view = share.buffer();
                // No stale data (XSA-403): a reused page holds an earlier buffer's bytes.
                view.setMemory(0, pages * PAGE, (byte) 0);
                final java.nio.ByteBuffer whole = view.byteBuffer();
                final int at = view.wrapAdjustment();
                if (whole != null && whole.isDirect() && !whole.isReadOnly() && at >= 0 && at <= whole.capacity() - size) {
                    final GrantedBuffer b = new GrantedBuffer(this, share, whole.slice(at, size), generation);
                    liveBuffers.add(b);
                    return b;
                }
                // This HAL's pages have no ByteBuffer for Netty to wrap: an ordinary buffer.
                endBufferPages(share);
            }
        }
        return io.netty.buffer.Unpooled.directBuffer(size, size);
    }

    /**
     * Whether a buffer is one of this frontend's granted buffers for the current connection: a
     * read or write on it at a sector boundary names its own pages, no data is copied. False for
     * the ordinary buffer {@link #allocateBuffer} falls back to, and for a buffer of an ended
     * connection.
     *
     * @param buf the buffer
     * @return true when requests on it go zero-copy
     */
    public boolean isGrantedBuffer(final ByteBuf buf) {
        synchronized (buffers) {
            return buf instanceof GrantedBuffer g && g.owner == this && g.generation == generation && bufferDomid >= 0;
        }
    }

    /** A granted buffer was released (any thread): its pages are kept for the next buffer, or ended. */
    void release(final GrantedBuffer b) {
        synchronized (buffers) {
            liveBuffers.remove(b);
            if (b.pages.isClosed()) {
                // The host closed the share (its domain went away): nothing left to end or keep.
                return;
            }
            if (b.generation == generation && bufferDomid >= 0 && freeBufferPages.size() < FREE_BUFFER_SHARES) {
                freeBufferPages.addFirst(b.pages);
            } else {
                endBufferPages(b.pages);
            }
        }
    }

    /**
     * Ends the grants of a buffer's pages and frees them; pages the backend still maps are set
     * aside, never reused (XSA-396), and ended by {@link #retryDeferredEnds} once it lets go (a
     * backend with persistent grants keeps them mapped until this side is Closed). Under
     * {@link #buffers}.
     */
    private void endBufferPages(final SharedPages pages) {
        if (pages.tryEndAccess()) {
            pages.close();
        } else {
            leakedBufferPages.add(pages);
        }
    }

    /** The buffer of a read or write if it is one of this connection's granted buffers at a sector boundary, else null. */
    private @Nullable GrantedBuffer granted(final Op op) {
        return granted(op.buf, op.bufBase);
    }

    /** {@code buf} if it is one of this connection's granted buffers and {@code bufBase} is at a sector boundary of it, else null. */
    private @Nullable GrantedBuffer granted(final @Nullable ByteBuf buf, final int bufBase) {
        return buf instanceof GrantedBuffer g && g.owner == this && g.generation == generation && (bufBase & (SECTOR - 1)) == 0 ? g : null;
    }

    @Override
    public CompletableFuture<Void> read(final long offset, final int length, final ByteBuf dst) {
        dst.ensureWritable(length);
        final CompletableFuture<Void> f = new CompletableFuture<>();
        if (!sentAtOnce(Blkif.BLKIF_OP_READ, offset, length, dst, dst.writerIndex(), f, null)) {
            submit(op().set(Blkif.BLKIF_OP_READ, offset, length, dst, dst.writerIndex(), false, f, null));
        }
        return f;
    }

    @Override
    public void read(final long offset, final int length, final ByteBuf dst, final BlockCallback callback) {
        dst.ensureWritable(length);
        Objects.requireNonNull(callback);
        if (!sentAtOnce(Blkif.BLKIF_OP_READ, offset, length, dst, dst.writerIndex(), null, callback)) {
            submit(op().set(Blkif.BLKIF_OP_READ, offset, length, dst, dst.writerIndex(), false, null, callback));
        }
    }

    @Override
    public void write(final long offset, final ByteBuf src, final BlockCallback callback) {
        Objects.requireNonNull(callback);
        if (!sentAtOnce(Blkif.BLKIF_OP_WRITE, offset, src.readableBytes(), src, src.readerIndex(), null, callback)) {
            submit(op().set(Blkif.BLKIF_OP_WRITE, offset, src.readableBytes(), src, src.readerIndex(), false, null, callback));
        }
    }

    private CompletableFuture<Void> submitWithFuture(final int kind, final long offset, final long length, final @Nullable ByteBuf buf,
                                                     final int bufBase, final boolean secure) {
        final CompletableFuture<Void> f = new CompletableFuture<>();
        if (kind != Blkif.BLKIF_OP_WRITE || buf == null || !sentAtOnce(kind, offset, length, buf, bufBase, f, null)) {
            submit(op().set(kind, offset, length, buf, bufBase, secure, f, null));
        }
        return f;
    }

    @Override
    public void readBlocking(final long offset, final int length, final ByteBuf dst) throws BlockIoException {
        dst.ensureWritable(length);
        final Waiter w = waiters.get();
        submit(op().set(Blkif.BLKIF_OP_READ, offset, length, dst, dst.writerIndex(), false, null, w));
        await(w);
    }

    @Override
    public void writeBlocking(final long offset, final ByteBuf src) throws BlockIoException {
        blocking(Blkif.BLKIF_OP_WRITE, offset, src.readableBytes(), src, src.readerIndex(), false);
    }

    @Override
    public void flushBlocking() throws BlockIoException {
        blocking(FLUSH, 0, 0, null, 0, false);
    }

    @Override
    public void writeBarrierBlocking(final long offset, final ByteBuf src) throws BlockIoException {
        blocking(BARRIER, offset, src.readableBytes(), src, src.readerIndex(), false);
    }

    @Override
    public void discardBlocking(final long offset, final long length, final boolean secure) throws BlockIoException {
        blocking(Blkif.BLKIF_OP_DISCARD, offset, length, null, 0, secure);
    }

    /** The blocking forms: the callback path with this thread's waiter, no future. */
    private void blocking(final int kind, final long offset, final long length, final @Nullable ByteBuf buf, final int bufBase,
                          final boolean secure) throws BlockIoException {
        final Waiter w = waiters.get();
        submit(op().set(kind, offset, length, buf, bufBase, secure, null, w));
        await(w);
    }

    /**
     * Waits for a blocking call's request as {@link BlockDevice#await} waits for a future: parks
     * until the completion wakes it; fails after {@link #BLOCKING_TIMEOUT_SECONDS} or on an
     * interrupt. It does not spin first: on a machine whose cores are shared, a caller that spins
     * takes the time the agent thread needs to serve it (measured: threaded 4 KiB reads 5 times
     * slower with a 20 us spin).
     */
    private void await(final Waiter w) throws BlockIoException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BLOCKING_TIMEOUT_SECONDS);
        while (!w.done) {
            final long left = deadline - System.nanoTime();
            if (left <= 0) {
                waiters.remove();
                throw new BlockIoException("blkfront dom" + host.domid() + " device " + device.name()
                    + ": block request not done after " + BLOCKING_TIMEOUT_SECONDS + " s", 0);
            }
            w.parked = true;
            if (!w.done) {
                LockSupport.parkNanos(this, left);
            }
            w.parked = false;
            if (!w.done && Thread.interrupted()) {
                waiters.remove();
                Thread.currentThread().interrupt();
                throw new BlockIoException("blkfront dom" + host.domid() + " device " + device.name()
                    + ": interrupted while waiting for a block request", 0);
            }
        }
        final BlockIoException failure = w.failure;
        w.failure = null;
        w.done = false;
        if (failure != null) {
            throw failure;
        }
    }

    private Op op() {
        if (ownTop > 0 && Thread.currentThread() == agentThread) {
            final Op own = Objects.requireNonNull(ownOps[--ownTop]);
            ownOps[ownTop] = null;
            return own;
        }
        final Op pooled = opPool.poll();
        return pooled != null ? pooled : new Op();
    }

    /** Completes an op once: its future or callback, then back to the pool. */
    private void finish(final Op op, final @Nullable BlockIoException failure) {
        final CompletableFuture<Void> f = op.future;
        final BlockCallback cb = op.callback;
        op.buf = null;
        op.future = null;
        op.callback = null;
        op.error = null;
        // Back in the pool before the caller hears of it: a callback may submit the next request.
        if (ownTop < OWN_OPS && Thread.currentThread() == agentThread) {
            ownOps[ownTop++] = op;
        } else {
            opPool.offer(op);
        }
        tell(f, cb, failure);
    }

    /** Tells the caller of a request that it completed: its future, or its callback. */
    private void tell(final @Nullable CompletableFuture<Void> f, final @Nullable BlockCallback cb, final @Nullable BlockIoException failure) {
        if (f != null) {
            if (failure != null) {
                f.completeExceptionally(failure);
            } else {
                f.complete(null);
            }
        }
        if (cb != null) {
            try {
                cb.onComplete(failure);
            } catch (final RuntimeException e) {
                // The caller's failure is its own; the device goes on.
                LOG.log(System.Logger.Level.WARNING, "blkfront " + device.name() + ": completion callback failed: " + e);
            }
        }
    }

    private Fragment fragment(final Op op, final int kind, final long offset, final long length, final int bufOffset, final boolean exclusive) {
        Fragment f = fragmentPool.pollFirst();
        if (f == null) {
            f = new Fragment(op);
        }
        f.op = op;
        return f.set(kind, offset, length, bufOffset, exclusive);
    }

    private void release(final Fragment f) {
        // An op's own first fragment stays with it.
        if (f != f.op.first && fragmentPool.size() < OP_POOL) {
            fragmentPool.addLast(f);
        }
    }

    @Override
    public CompletableFuture<Void> write(final long offset, final ByteBuf src) {
        return submitWithFuture(Blkif.BLKIF_OP_WRITE, offset, src.readableBytes(), src, src.readerIndex(), false);
    }

    @Override
    public CompletableFuture<Void> flush() {
        return submitWithFuture(FLUSH, 0, 0, null, 0, false);
    }

    @Override
    public CompletableFuture<Void> writeBarrier(final long offset, final ByteBuf src) {
        return submitWithFuture(BARRIER, offset, src.readableBytes(), src, src.readerIndex(), false);
    }

    @Override
    public long capacityBytes() {
        return info().sizeBytes();
    }

    @Override
    public void addCapacityListener(final java.util.function.Consumer<DiskInfo> listener) {
        capacityListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public CompletableFuture<Void> discard(final long offset, final long length, final boolean secure) {
        return submitWithFuture(Blkif.BLKIF_OP_DISCARD, offset, length, null, 0, secure);
    }

    private void submit(final Op op) {
        // A barrier may be empty (a pure ordering point); reads, writes and discards may not.
        final boolean empty = op.kind == FLUSH || (op.kind == BARRIER && op.length == 0);
        if (!empty && (op.offset < 0 || op.length <= 0 || op.offset % SECTOR != 0 || op.length % SECTOR != 0)) {
            finish(op, error(op, "offset and length must be positive multiples of 512", 0));
            return;
        }
        final String b = broken;
        if (b != null) {
            finish(op, new BlockIoException(b, 0));
            return;
        }
        if (Thread.currentThread() == agentThread) {
            // The agent's own thread: straight to the ready queue, after what other threads
            // submitted before (a barrier keeps its place after them).
            takeSubmitted();
            enqueue(op);
            return;
        }
        submitted.offer(op);
    }

    /**
     * Puts the common request on a ring as it is submitted, with no {@link Op}, past the ready
     * queue and {@link #issue()}: a read or write of the agent's own thread in one of this
     * connection's granted buffers, when nothing waits before it and no barrier is outstanding.
     * One that spans more pages than a ring request's direct segments goes as consecutive
     * requests of {@link Blkif#BLKIF_MAX_SEGMENTS_PER_REQUEST} pages each (at most
     * {@link #MAX_PARTS_AT_ONCE}, all on one ring with room for them), split where the general
     * path splits it, when no indirect segments were negotiated (with them the general path sends
     * one indirect request). The first part's {@link Sent} holds what the completion needs and
     * counts the parts not yet answered; the caller hears once, when the last is. It is pushed
     * (and the backend notified if it asked) at the agent's next turn, with whatever else that
     * turn issues: a batch submitted between two turns still costs one push. Anything else,
     * including every request that breaks a rule, returns false and takes the general path,
     * which explains the error.
     */
    private boolean sentAtOnce(final int kind, final long offset, final long length, final ByteBuf buf, final int bufBase,
                               final @Nullable CompletableFuture<Void> future, final @Nullable BlockCallback callback) {
        final DiskInfo disk = info;
        if (Thread.currentThread() != agentThread || broken != null || disk == null || !machine.isConnected()) {
            return false;
        }
        // What other threads submitted before goes first: to the ready queue, and then so does this.
        takeSubmitted();
        final GrantedBuffer g = granted(buf, bufBase);
        if (g == null || exclusiveOutstanding > 0 || !ready.isEmpty() || offset < 0 || length <= 0
            || length > (long) MAX_PARTS_AT_ONCE * BARRIER_MAX_BYTES || checkAgainstDisk(disk, kind, offset, length, false) != null) {
            return false;
        }
        // The pages the bytes span: a start inside a page costs one more.
        final int end = bufBase + (int) length;
        final int firstPage = bufBase / PAGE;
        final int lastPage = (end - 1) / PAGE;
        final int parts = (lastPage - firstPage) / Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST + 1;
        if (parts > 1 && (indirectSegments > 0 || parts > MAX_PARTS_AT_ONCE)) {
            return false;
        }
        final Queue q = pickQueue();
        if (q == null || (parts > 1 && (q.freeTop < parts || q.ring.freeRequests() < parts))) {
            return false;
        }
        final FrontRing r = q.ring;
        final MutableDirectBuffer b = r.buffer();
        final int handle = device.devid() & 0xFFFF;
        final int leader = q.freeIds[q.freeTop - 1];
        for (int page = firstPage; page <= lastPage; page += Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST) {
            final int id = q.freeIds[--q.freeTop];
            final int slot = r.claimRequest();
            // Whole pages but at the ends, as issue() splits it: each part starts at a page boundary but the first.
            final int from = Math.max(bufBase, page * PAGE);
            final int to = Math.min(end, (page + Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST) * PAGE);
            putGrantedDirect(b, slot, kind, Math.min(Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST, lastPage - page + 1), handle, id,
                (offset + from - bufBase) / SECTOR, g.pages, page, from, to);
            final Sent part = q.sent[id];
            part.operation = kind;
            part.indirectOp = kind;
            part.bare = true;
            part.leader = leader;
        }
        final Sent sent = q.sent[leader];
        sent.partsLeft = parts;
        sent.partsStatus = Blkif.BLKIF_RSP_OKAY;
        sent.future = future;
        sent.callback = callback;
        sent.buf = buf;
        sent.bufBase = bufBase;
        sent.offset = offset;
        sent.length = (int) length;
        q.outstanding += parts;
        unpushedRequests += parts;
        unpushedRings |= 1 << q.index;
        return true;
    }

    /** Moves what other threads submitted to the ready queue; the agent's thread only. */
    private int takeSubmitted() {
        int n = 0;
        for (Op op = submitted.poll(); op != null; op = submitted.poll()) {
            enqueue(op);
            n++;
        }
        return n;
    }

    /** An op as its first fragment at the end of the ready queue; the agent's thread only. */
    private void enqueue(final Op op) {
        ready.addLast(firstFragment(op));
    }

    /** The op's own first fragment, set to the whole op. */
    private static Fragment firstFragment(final Op op) {
        return op.first.set(op.kind, op.offset, op.length, 0, op.kind == BARRIER);
    }

    private BlockIoException error(final Op op, final String why, final int status) {
        return error(op.kind, op.offset, op.length, why, status);
    }

    private BlockIoException error(final int kind, final long offset, final long length, final String why, final int status) {
        return new BlockIoException("blkfront dom" + host.domid() + " device " + device.name() + " (backend dom"
            + device.backendDomid() + "): " + kindName(kind) + " offset=" + offset + " length=" + length
            + ": " + why, status);
    }

    private static String kindName(final int kind) {
        return switch (kind) {
            case Blkif.BLKIF_OP_READ -> "read";
            case Blkif.BLKIF_OP_WRITE -> "write";
            case FLUSH -> "flush";
            case BARRIER -> "write barrier";
            case Blkif.BLKIF_OP_DISCARD -> "discard";
            default -> "op" + kind;
        };
    }

    @Override
    public int doWork() {
        final Thread self = Thread.currentThread();
        if (agentThread != self) {
            agentThread = self;
        }
        if (broken != null) {
            return failQueued();
        }
        int work = 0;
        // The queues of this turn, kept to explain a failed ring access even when a teardown in
        // this turn (or a close from another thread) has dropped them.
        final Queue[] queuesThisTurn = queues;
        try {
            // A watch's flag is an atomic read-modify-write: while requests flow it is looked at
            // every STATE_CHECK_TURNS turns, and on every turn when idle or not connected (a
            // backend that goes away stops answering, so its frontend soon turns idle).
            if (idleTurns > 0 || !machine.isConnected() || (++busyTurns & (STATE_CHECK_TURNS - 1)) == 0) {
                final StateWatch bw = backendIdWatch;
                if (bw != null && bw.changed()) {
                    work++;
                    followBackendId();
                }
                final StateWatch w = watch;
                if (w != null && w.changed()) {
                    work++;
                    followBackend();
                }
            }
            if (queues.length > 0 && machine.isConnected() && broken == null) {
                for (final Queue q : queues) {
                    final FrontRing r = q.ring;
                    work += r.pollResponses(q.handler, r.size());
                    if (r.isBroken()) {
                        final RingViolation v = r.violation();
                        fail((v == null ? "ring" : v.securityRule() + " " + v.name()) + ": " + r.brokenReason());
                        return work;
                    }
                    if (broken != null) {
                        return work;
                    }
                }
                work += takeSubmitted();
                work += issue();
                idleTurns = work == 0 ? idleTurns + 1 : 0;
                if (idleTurns > 1) {
                    // The rings are polled on every turn, so an event only matters to a loop
                    // that waits in awaitEvent: drain them from the second idle turn in a row
                    // on, not once per request (each poll is a host call; on Linux a read of
                    // /dev/xen/evtchn). Until then a delivered port stays masked and further
                    // notifications fold into it.
                    host.eventChannels().poll(16);
                }
                if (idleTurns == 1) {
                    // As blkback: the final check arms rsp_event, which makes the backend notify
                    // for its next response; a frontend whose responses keep coming needs none,
                    // so it is done from the second idle turn on, one more turn asked for first.
                    return 1;
                }
                if (work == 0) {
                    for (final Queue q : queues) {
                        if (q.outstanding > 0 && q.ring.finalCheckForResponses()) {
                            work++;
                        }
                    }
                }
            }
        } catch (final RuntimeException e) {
            // Nothing leaves the agent loop (R10).
            fail("internal error: " + explainRingFailure(queuesThisTurn, e));
        }
        return work;
    }

    // ------------------------------------------------------------------ xenbus

    private void followBackend() {
        // A backend lets go of what it mapped when it changes state (blkback unmaps its ring and
        // persistent grants once this side is Closed, then goes Closed itself).
        retryDeferredEnds();
        // A RESTART re-reads at once: the backend may already be in InitWait.
        for (int round = 0; round < 3; round++) {
            final int beState = readBackendState();
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
                    XenbusStates.write(store, device.frontend(), machine.state());
                    continue;
                }
                case NONE -> {
                    if (beState == XenbusState.XENBUS_STATE_CONNECTED && machine.isConnected()) {
                        // Connected again while connected: blkback rewrites its state after a
                        // resize (xen_vbd_resize), as blkfront_connect re-reads sectors.
                        refreshCapacity();
                    }
                }
            }
            return;
        }
    }

    /**
     * The backend's state; a node we may no longer read is as good as gone (its domain died and
     * xenstored removed its nodes), as Linux's {@code xenbus_read_driver_state} reads any error
     * as Unknown.
     */
    private int readBackendState() {
        try {
            return XenbusStates.read(store, device.backend());
        } catch (final XenStoreException e) {
            if (e.is("EACCES")) {
                return XenbusState.XENBUS_STATE_UNKNOWN;
            }
            throw e;
        }
    }

    private @Nullable String readBackend(final String node) {
        try {
            return store.read(device.backend(node));
        } catch (final XenStoreException e) {
            if (e.is("ENOENT")) {
                return null;
            }
            throw e;
        }
    }

    /** A backend node as a bounded number; missing or garbled gives {@code fallback}. */
    private long backendNumber(final String node, final long fallback, final long max) {
        final String text = readBackend(node);
        if (text == null || text.isEmpty() || text.length() > 19 || !text.chars().allMatch(Character::isDigit)) {
            return fallback;
        }
        final long v = Long.parseLong(text);
        return v > max ? fallback : v;
    }

    private void setup() {
        final int maxOrder = (int) backendNumber(BlkifFeatures.MAX_RING_PAGE_ORDER, 0, BlkBackConfig.MAX_RING_PAGE_ORDER);
        ringOrder = Math.min(maxOrder, config.ringPageOrder());
        // Decided at Connected (connectInfo): Linux's blkback writes its feature-persistent only
        // then, and no request goes out before it.
        usePersistent = false;
        final int maxQueues = (int) backendNumber(BlkifFeatures.MULTI_QUEUE_MAX_QUEUES, 1, BlkBackConfig.MAX_QUEUES);
        final int count = Math.max(1, Math.min(maxQueues, config.queues()));
        final int pages = 1 << ringOrder;
        final Queue[] made = new Queue[count];
        for (int qi = 0; qi < count; qi++) {
            final SharedPages shared = host.grantTables().share(device.backendDomid(), pages, true);
            shared.buffer().setMemory(0, pages * PAGE, (byte) 0);
            // The plain buffer where the HAL gives one (as blkback): the ring's accesses skip the
            // view's per-access checks; teardown drops the queues before it ends the share.
            final FrontRing r = new FrontRing(device.name() + "-q" + qi, abi.requestLength, abi.responseLength).init(shared.plainBuffer());
            final EventChannel c = host.eventChannels().allocateUnbound(device.backendDomid(), EventChannel::unmask);
            made[qi] = new Queue(qi, shared, r, c);
        }
        queues = made;
        nextQueue = 0;
        synchronized (buffers) {
            bufferDomid = device.backendDomid();
        }
        store.transaction(16, tx -> {
            // What a previous connection wrote must not mislead the new backend.
            for (final String stale : tx.directory(device.frontend())) {
                if (stale.startsWith("ring-") || stale.startsWith("queue-") || stale.equals(BlkifFeatures.MULTI_QUEUE_NUM_QUEUES)
                    || stale.equals(BlkifFeatures.EVENT_CHANNEL)) {
                    tx.rm(device.frontend(stale));
                }
            }
            if (ringOrder > 0) {
                tx.write(device.frontend(BlkifFeatures.RING_PAGE_ORDER), Integer.toString(ringOrder));
            }
            if (count > 1) {
                tx.write(device.frontend(BlkifFeatures.MULTI_QUEUE_NUM_QUEUES), Integer.toString(count));
            }
            for (int qi = 0; qi < count; qi++) {
                // One queue keeps the classic top-level nodes; several go under queue-<n>/.
                final String dir = count > 1 ? "queue-" + qi + "/" : "";
                final Queue q = made[qi];
                if (ringOrder == 0) {
                    tx.write(device.frontend(dir + BlkifFeatures.RING_REF), Integer.toUnsignedString(q.ringPages.grantRef(0)));
                } else {
                    for (int i = 0; i < pages; i++) {
                        tx.write(device.frontend(dir + BlkifFeatures.RING_REF_PREFIX + i), Integer.toUnsignedString(q.ringPages.grantRef(i)));
                    }
                }
                tx.write(device.frontend(dir + BlkifFeatures.EVENT_CHANNEL), Integer.toString(q.channel.localPort()));
            }
            tx.write(device.frontend(BlkifFeatures.PROTOCOL), abi.protocol());
            // What this frontend supports; used when the backend says 1 too (read at Connected).
            tx.write(device.frontend(BlkifFeatures.FEATURE_PERSISTENT), config.persistentGrants() ? "1" : "0");
            tx.write(device.frontend("state"), Integer.toString(machine.state()));
            return Boolean.TRUE;
        });
    }

    private void connectInfo() {
        final long sectors = backendNumber(BlkifFeatures.SECTORS, -1, Long.MAX_VALUE / SECTOR);
        final int sectorSize = (int) backendNumber(BlkifFeatures.SECTOR_SIZE, SECTOR, 1 << 16);
        final int physical = (int) backendNumber(BlkifFeatures.PHYSICAL_SECTOR_SIZE, sectorSize, 1 << 20);
        if (sectors < 0 || sectorSize < SECTOR || Integer.bitCount(sectorSize) != 1 || physical % sectorSize != 0
            || sectors * SECTOR % sectorSize != 0) {
            fail("backend wrote an invalid geometry: sectors=" + readBackend(BlkifFeatures.SECTORS) + " sector-size="
                + readBackend(BlkifFeatures.SECTOR_SIZE) + " physical-sector-size=" + readBackend(BlkifFeatures.PHYSICAL_SECTOR_SIZE));
            return;
        }
        final long vdisk = backendNumber(BlkifFeatures.INFO, 0, 0xFFFF_FFFFL);
        final boolean flush = backendNumber(BlkifFeatures.FEATURE_FLUSH_CACHE, 0, 1) == 1;
        final boolean discard = backendNumber(BlkifFeatures.FEATURE_DISCARD, 0, 1) == 1;
        int indirect = (int) Math.min(backendNumber(BlkifFeatures.FEATURE_MAX_INDIRECT_SEGMENTS, 0, BlkBackConfig.MAX_INDIRECT_SEGMENTS),
            config.maxIndirectSegments());
        if (indirect <= Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST) {
            indirect = 0;
        }
        indirectSegments = indirect;
        // Read at Connected, as Linux's blkfront gathers the backend's features: Linux's blkback
        // writes feature-persistent in its connect(), after InitWait (seen live against Linux
        // 6.1), and a backend that wrote it at InitWait still has it now.
        usePersistent = config.persistentGrants() && backendNumber(BlkifFeatures.FEATURE_PERSISTENT, 0, 1) == 1;
        final DiskInfo i = new DiskInfo(sectors, sectorSize, physical, (vdisk & Blkif.VDISK_READONLY) != 0,
            flush, discard, discard && backendNumber(BlkifFeatures.DISCARD_SECURE, 0, 1) == 1, indirect, 1 << ringOrder,
            abi.protocol(), queues.length, usePersistent, backendNumber(BlkifFeatures.FEATURE_BARRIER, 0, 1) == 1,
            (vdisk & Blkif.VDISK_CDROM) != 0, (vdisk & Blkif.VDISK_REMOVABLE) != 0);
        final DiskInfo before = info;
        info = i;
        XenbusStates.write(store, device.frontend(), machine.state());
        connected.complete(i);
        LOG.log(System.Logger.Level.DEBUG, () -> "blkfront dom" + host.domid() + " " + device.name() + ": connected " + i);
        if (before != null && before.sectors() != i.sectors()) {
            // A new backend (restart) may serve a disk of another size.
            tellCapacity(i);
        }
    }

    /** Re-reads {@code sectors} of a connected disk; a changed size replaces the info and is told. */
    private void refreshCapacity() {
        final DiskInfo old = info;
        if (old == null) {
            return;
        }
        final long sectors = backendNumber(BlkifFeatures.SECTORS, -1, Long.MAX_VALUE / SECTOR);
        if (sectors < 0 || sectors * SECTOR % old.sectorSize() != 0) {
            // As blkfront: a garbled size is logged and ignored; I/O keeps the old bounds.
            LOG.log(System.Logger.Level.WARNING, "blkfront dom" + host.domid() + " " + device.name() + ": backend dom"
                + device.backendDomid() + " wrote an invalid sectors=" + readBackend(BlkifFeatures.SECTORS) + " on resize; ignored");
            return;
        }
        if (sectors == old.sectors()) {
            return;
        }
        final DiskInfo resized = old.withSectors(sectors);
        info = resized;
        LOG.log(System.Logger.Level.INFO, () -> "blkfront dom" + host.domid() + " " + device.name() + ": capacity changed from "
            + old.sizeBytes() + " to " + resized.sizeBytes() + " bytes");
        tellCapacity(resized);
    }

    private void tellCapacity(final DiskInfo now) {
        for (final java.util.function.Consumer<DiskInfo> l : capacityListeners) {
            try {
                l.accept(now);
            } catch (final RuntimeException e) {
                // A listener's failure is its own; the device goes on.
                LOG.log(System.Logger.Level.WARNING, "blkfront " + device.name() + ": capacity listener failed: " + e);
            }
        }
    }

    /** Ends the connection; requests in flight go back to the front of the queue, to be issued again. */
    private void teardown() {
        for (final Queue q : queues) {
            for (int id = q.sent.length - 1; id >= 0; id--) {
                final Sent sent = q.sent[id];
                if (sent.partsLeft > 0) {
                    // Issued again to the next backend as an op, from its granted buffer (which is
                    // ordinary memory to that one: copied); whole, parts already answered too (a
                    // read or write of the same bytes again, as the caller has not been told).
                    final Op op = op().set(sent.operation, sent.offset, sent.length, sent.buf, sent.bufBase, false, sent.future, sent.callback);
                    sent.clearBare();
                    ready.addFirst(firstFragment(op));
                    reissued++;
                    continue;
                }
                if (sent.bare) {
                    // A later part of a request sent at submission: its first part's op covers it.
                    sent.bare = false;
                    continue;
                }
                final Fragment frag = sent.fragment;
                if (frag != null) {
                    endGrants(sent.dataPages);
                    endGrants(sent.indirectPages);
                    returnToPool(sent);
                    returnIndirectToPool(q, sent);
                    sent.dataPages = null;
                    sent.indirectPages = null;
                    sent.fragment = null;
                    ready.addFirst(frag);
                    reissued++;
                }
            }
            q.outstanding = 0;
            q.freeTop = 0;
            exclusiveOutstanding = 0;
            q.channel.close();
            // A backend unmaps the ring (and its persistent grants) only after this side went
            // Closed, which is written after this: what it still maps is set aside and ended at
            // its next state change (seen live: Linux's blkback still mapped the ring here).
            endGrants(q.ringPages);
            for (Granted g = q.indirectPool.pollFirst(); g != null; g = q.indirectPool.pollFirst()) {
                endGrants(g.page);
            }
        }
        queues = new Queue[0];
        unpushedRequests = 0;
        unpushedRings = 0;
        // Persistent grants end with the connection: a new backend gets fresh ones.
        for (SharedPages page = pool.pollFirst(); page != null; page = pool.pollFirst()) {
            endGrants(page);
        }
        poolViews.clear();
        // The granted buffers were for this backend: end their grants; from now on they are
        // ordinary memory to the next connection. One still mapped is ended when released.
        synchronized (buffers) {
            generation++;
            bufferDomid = -1;
            for (SharedPages pages = freeBufferPages.pollFirst(); pages != null; pages = freeBufferPages.pollFirst()) {
                endBufferPages(pages);
            }
            for (final GrantedBuffer b : liveBuffers) {
                if (!b.pages.isClosed()) {
                    b.pages.tryEndAccess();
                }
            }
        }
    }

    /**
     * Gives the persistent pages of a request back to the pool, on top: the pool is a stack, so
     * the next request takes the page just used, still in the cache of both sides (a queue cycled
     * through every page the largest request ever needed).
     */
    private void returnToPool(final Sent sent) {
        final @Nullable SharedPages[] pages = sent.persistentPages;
        final @Nullable AtomicBuffer[] views = sent.persistentViews;
        for (int i = sent.persistentCount - 1; i >= 0; i--) {
            pool.addFirst(Objects.requireNonNull(pages[i]));
            poolViews.addFirst(Objects.requireNonNull(views[i]));
            pages[i] = null;
            views[i] = null;
        }
        sent.persistentCount = 0;
    }

    /**
     * Gives the persistent indirect pages of a request back to its ring's pool, still granted:
     * the backend may keep them mapped (Linux's blkback does), so they are never ended while
     * connected, and the next request writes its descriptors into the same grants.
     */
    private static void returnIndirectToPool(final Queue q, final Sent sent) {
        final @Nullable Granted[] kept = sent.keptIndirect;
        for (int i = sent.keptIndirectCount - 1; i >= 0; i--) {
            q.indirectPool.addFirst(Objects.requireNonNull(kept[i]));
            kept[i] = null;
        }
        sent.keptIndirectCount = 0;
    }

    /**
     * Ends a share's grants and closes it; a share the backend still maps is set aside instead,
     * never reused (XSA-396), and ended later by {@link #retryDeferredEnds}.
     *
     * @return true when ended (or nothing to end), false when set aside
     */
    private boolean endGrants(final @Nullable SharedPages pages) {
        if (pages == null) {
            return true;
        }
        if (pages.tryEndAccess()) {
            pages.close();
            return true;
        }
        leaked.add(pages);
        leakedCount = leaked.size();
        return false;
    }

    /** Tries again to end what the backend still mapped; what it let go of is closed. */
    private void retryDeferredEnds() {
        if (!leaked.isEmpty()) {
            endReleased(leaked);
            leakedCount = leaked.size();
        }
        synchronized (buffers) {
            endReleased(leakedBufferPages);
        }
    }

    /** Ends and closes each share of {@code aside} the backend no longer maps, and drops it from the list. */
    private static void endReleased(final List<SharedPages> aside) {
        for (final java.util.Iterator<SharedPages> it = aside.iterator(); it.hasNext(); ) {
            final SharedPages p = it.next();
            if (p.tryEndAccess()) {
                p.close();
                it.remove();
            }
        }
    }

    // ------------------------------------------------------------------ data path

    private int maxFragmentBytes() {
        return (indirectSegments > 0 ? indirectSegments : Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST) * PAGE;
    }

    private int outstandingAll() {
        int n = 0;
        for (final Queue q : queues) {
            n += q.outstanding;
        }
        return n;
    }

    /** The next queue, round robin, with a free slot and id; null when every ring is full. */
    private @Nullable Queue pickQueue() {
        final Queue[] all = queues;
        // Wrapped by a compare, not a remainder: this runs per ring request.
        int at = nextQueue;
        for (int i = 0; i < all.length; i++) {
            if (at >= all.length) {
                at = 0;
            }
            final Queue q = all[at++];
            if (q.freeTop > 0 && q.ring.freeRequests() > 0) {
                nextQueue = at;
                return q;
            }
        }
        return null;
    }

    private int issue() {
        // What went onto the rings at submission is pushed with this turn's requests.
        int issued = unpushedRequests;
        int touched = unpushedRings;
        unpushedRequests = 0;
        unpushedRings = 0;
        while (!ready.isEmpty()) {
            if (exclusiveOutstanding > 0) {
                // A barrier is on the ring: nothing after it may start before it completes.
                break;
            }
            Fragment f = ready.peekFirst();
            if ((f.kind == FLUSH || f.exclusive) && outstandingAll() > 0) {
                // A flush covers the writes completed before it, on every queue, and a barrier
                // orders after them: wait for them.
                break;
            }
            final Queue q = pickQueue();
            if (q == null) {
                break;
            }
            ready.pollFirst();
            if (f.offset == f.op.offset && f.bufOffset == 0 && f.kind == f.op.kind) {
                // The op's first fragment: check it once against the disk as it is now.
                final String invalid = checkAgainstDisk(f.op);
                if (invalid != null) {
                    final Op op = f.op;
                    release(f);
                    fragmentDone(op, error(op, invalid, Blkif.BLKIF_RSP_EOPNOTSUPP));
                    continue;
                }
                if (f.kind == BARRIER && !Objects.requireNonNull(info).barrier()) {
                    // No feature-barrier but a flush (checked above): flush, write, flush, each
                    // alone on the rings, as blkfront falls back to flushes.
                    f = emulateBarrier(f);
                }
            }
            int max = f.kind == BARRIER || (f.exclusive && f.kind == Blkif.BLKIF_OP_WRITE) ? BARRIER_MAX_BYTES : maxFragmentBytes();
            // Looked up once per fragment: send uses it too.
            final GrantedBuffer g = f.length > 0 ? granted(f.op) : null;
            if (g != null) {
                // A granted buffer's segments are its pages: a start inside a page costs one more.
                max -= (f.op.bufBase + f.bufOffset) & (PAGE - 1);
            }
            if ((f.kind == Blkif.BLKIF_OP_READ || f.kind == Blkif.BLKIF_OP_WRITE || f.kind == BARRIER) && f.length > max) {
                ready.addFirst(fragment(f.op, f.kind, f.offset + max, f.length - max, f.bufOffset + max, f.exclusive));
                f.op.remaining++;
                f.length = max;
            }
            send(q, f, g);
            touched |= 1 << q.index;
            issued++;
        }
        for (int i = 0; i < queues.length; i++) {
            if ((touched & 1 << i) != 0 && queues[i].ring.pushRequestsAndCheckNotify()) {
                queues[i].channel.notifyPeer();
            }
        }
        return issued;
    }

    /**
     * Replaces a barrier the backend does not serve by exclusive fragments: flush, the write (if
     * any), flush. Returns the first; the others go to the front of the ready queue.
     */
    private Fragment emulateBarrier(final Fragment f) {
        final Op op = f.op;
        final Fragment first = fragment(op, FLUSH, 0, 0, 0, true);
        ready.addFirst(fragment(op, FLUSH, 0, 0, 0, true));
        op.remaining++;
        if (f.length > 0) {
            ready.addFirst(fragment(op, Blkif.BLKIF_OP_WRITE, f.offset, f.length, f.bufOffset, true));
            op.remaining++;
        }
        release(f);
        return first;
    }

    private @Nullable String checkAgainstDisk(final Op op) {
        return checkAgainstDisk(Objects.requireNonNull(info), op.kind, op.offset, op.length, op.secure);
    }

    /** Why a request of {@code kind} cannot go to the disk {@code i} is now, or null when it can. */
    private static @Nullable String checkAgainstDisk(final DiskInfo i, final int kind, final long offset, final long length,
                                                     final boolean secure) {
        if (kind == FLUSH) {
            return i.flush() ? null : "the backend does not offer feature-flush-cache (EOPNOTSUPP)";
        }
        if (kind == BARRIER && !i.barrier() && !i.flush()) {
            return "the backend offers neither feature-barrier nor feature-flush-cache (EOPNOTSUPP)";
        }
        if (kind == BARRIER && length == 0) {
            return null;
        }
        // The sector size is a power of two (connectInfo checks it): a mask, not two divisions per request.
        if (((offset | length) & (i.sectorSize() - 1)) != 0) {
            return "not aligned to the sector size " + i.sectorSize();
        }
        if (length > i.sizeBytes() - offset || offset > i.sizeBytes()) {
            return "outside the disk of " + i.sizeBytes() + " bytes";
        }
        if (kind != Blkif.BLKIF_OP_READ && i.readOnly()) {
            return "the disk is read-only (EROFS)";
        }
        if (kind == Blkif.BLKIF_OP_DISCARD && (!i.discard() || (secure && !i.discardSecure()))) {
            return "the backend does not offer " + (secure ? "discard-secure" : "feature-discard") + " (EOPNOTSUPP)";
        }
        return null;
    }

    private void send(final Queue q, final Fragment f, final @Nullable GrantedBuffer g) {
        final FrontRing r = q.ring;
        final int id = q.freeIds[--q.freeTop];
        final Op op = f.op;
        final int slot = r.claimRequest();
        final MutableDirectBuffer b = r.buffer();
        final int handle = device.devid() & 0xFFFF;
        int operation = f.kind;
        if (f.kind == FLUSH || (f.kind == BARRIER && f.length == 0)) {
            // nr_segments 0: a flush, or a barrier that only orders.
            b.putByte(slot + BlkifAbi.OPERATION_OFFSET, (byte) f.kind);
            b.putByte(slot + BlkifAbi.BYTE1_OFFSET, (byte) 0);
            b.putShort(slot + BlkifAbi.SHORT2_OFFSET, (short) handle, ByteOrder.LITTLE_ENDIAN);
            b.putLong(slot + abi.idOffset, id, ByteOrder.LITTLE_ENDIAN);
        } else if (f.kind == Blkif.BLKIF_OP_DISCARD) {
            b.putByte(slot + BlkifAbi.OPERATION_OFFSET, (byte) Blkif.BLKIF_OP_DISCARD);
            b.putByte(slot + BlkifAbi.BYTE1_OFFSET, (byte) (op.secure ? Blkif.BLKIF_DISCARD_SECURE : 0));
            b.putShort(slot + BlkifAbi.SHORT2_OFFSET, (short) handle, ByteOrder.LITTLE_ENDIAN);
            b.putLong(slot + abi.idOffset, id, ByteOrder.LITTLE_ENDIAN);
            b.putLong(slot + abi.sectorOffset, f.offset / SECTOR, ByteOrder.LITTLE_ENDIAN);
            b.putLong(slot + abi.discardNrSectorsOffset, f.length / SECTOR, ByteOrder.LITTLE_ENDIAN);
        } else {
            operation = sendData(q, b, slot, id, f, handle, g);
        }
        final Sent sent = q.sent[id];
        sent.operation = operation;
        sent.indirectOp = f.kind;
        sent.fragment = f;
        q.outstanding++;
        if (f.exclusive) {
            exclusiveOutstanding++;
        }
    }

    private int sendData(final Queue q, final MutableDirectBuffer b, final int slot, final int id, final Fragment f, final int handle,
                         final @Nullable GrantedBuffer g) {
        final Op op = f.op;
        final int length = (int) f.length;
        final int nseg = (length + PAGE - 1) / PAGE;
        if (g != null) {
            return sendGranted(q, b, slot, id, f, handle, g);
        }
        if (usePersistent) {
            return sendPersistent(q, b, slot, id, f, handle, nseg);
        }
        // The backend writes into pages of a read: grant them writable; a write's only readable.
        final SharedPages data = host.grantTables().share(device.backendDomid(), nseg, f.kind == Blkif.BLKIF_OP_READ);
        final AtomicBuffer pb = data.buffer();
        // No stale data in what the backend can see (XSA-403): zero, then fill.
        pb.setMemory(0, nseg * PAGE, (byte) 0);
        if (f.kind != Blkif.BLKIF_OP_READ) {
            copyIn(Objects.requireNonNull(op.buf), op.bufBase + f.bufOffset, pb, 0, length);
        }
        q.sent[id].dataPages = data;
        final long sector = f.offset / SECTOR;
        if (nseg <= Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST) {
            putDirectHeader(b, slot, f.kind, nseg, handle, id, sector);
            for (int i = 0; i < nseg; i++) {
                writeSegment(b, slot + abi.segOffset + i * BlkifRequestSegment.LENGTH, data.grantRef(i), length, i);
            }
            return f.kind;
        }
        final int ipages = indirectPages(nseg);
        final AtomicBuffer ib = shareIndirectPages(q, b, slot, id, ipages);
        for (int i = 0; i < nseg; i++) {
            writeSegment(ib, i * BlkifRequestSegment.LENGTH, data.grantRef(i), length, i);
        }
        putIndirectHeader(b, slot, f.kind, nseg, handle, id, sector);
        return Blkif.BLKIF_OP_INDIRECT;
    }

    /**
     * A read or write through persistent grants: each segment uses a page from the pool (granted
     * read-write once, on first use, and zeroed then: XSA-403), its descriptors an indirect page
     * of the ring's pool. A pool page is not zeroed again before a read: it holds only what this
     * backend wrote into it or was sent to it, and the pools end with the connection.
     */
    private int sendPersistent(final Queue q, final MutableDirectBuffer b, final int slot, final int id, final Fragment f, final int handle,
                               final int nseg) {
        final Op op = f.op;
        final int length = (int) f.length;
        // Per-slot arrays, grown to the largest request seen: no allocation at steady state.
        final Sent sent = q.sent[id];
        if (sent.persistentPages.length < nseg) {
            sent.persistentPages = new SharedPages[nseg];
            sent.persistentViews = new AtomicBuffer[nseg];
        }
        final @Nullable SharedPages[] pages = sent.persistentPages;
        final @Nullable AtomicBuffer[] views = sent.persistentViews;
        for (int i = 0; i < nseg; i++) {
            SharedPages page = pool.pollFirst();
            AtomicBuffer view = poolViews.pollFirst();
            if (page == null || view == null) {
                page = host.grantTables().share(device.backendDomid(), 1, true);
                view = page.buffer();
                // No stale data (XSA-403): zeroed before the backend first sees it. A page of the
                // pool is not zeroed again: it only ever holds what this backend wrote into it or
                // was sent by this guest, nothing the backend has not seen; the pool is ended
                // with the connection, so a next backend never gets one of these pages.
                view.setMemory(0, PAGE, (byte) 0);
            }
            pages[i] = page;
            views[i] = view;
            sent.persistentCount = i + 1;
            if (f.kind != Blkif.BLKIF_OP_READ) {
                final int n = Math.min(PAGE, length - i * PAGE);
                copyIn(Objects.requireNonNull(op.buf), op.bufBase + f.bufOffset + i * PAGE, view, 0, n);
            }
        }
        final long sector = f.offset / SECTOR;
        if (nseg <= Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST) {
            putDirectHeader(b, slot, f.kind, nseg, handle, id, sector);
            for (int i = 0; i < nseg; i++) {
                writeSegment(b, slot + abi.segOffset + i * BlkifRequestSegment.LENGTH, Objects.requireNonNull(pages[i]).grantRef(0), length, i);
            }
            return f.kind;
        }
        final int ipages = indirectPages(nseg);
        final @Nullable Granted[] ind = takeIndirectPages(q, b, slot, id, nseg, ipages);
        for (int i = 0; i < nseg; i++) {
            writeSegment(Objects.requireNonNull(ind[i / BlkifRequestSegment.PER_INDIRECT_PAGE]).view,
                (i % BlkifRequestSegment.PER_INDIRECT_PAGE) * BlkifRequestSegment.LENGTH, Objects.requireNonNull(pages[i]).grantRef(0), length, i);
        }
        putIndirectHeader(b, slot, f.kind, nseg, handle, id, sector);
        return Blkif.BLKIF_OP_INDIRECT;
    }

    /**
     * A read or write in a granted buffer: its segments are the buffer's own pages, so nothing
     * is copied; the backend moves the data between its store and the pages.
     */
    private int sendGranted(final Queue q, final MutableDirectBuffer b, final int slot, final int id, final Fragment f, final int handle,
                            final GrantedBuffer g) {
        final int start = f.op.bufBase + f.bufOffset;
        final int end = start + (int) f.length;
        final int firstPage = start / PAGE;
        final int nseg = (end - 1) / PAGE - firstPage + 1;
        final long sector = f.offset / SECTOR;
        if (nseg <= Blkif.BLKIF_MAX_SEGMENTS_PER_REQUEST) {
            putGrantedDirect(b, slot, f.kind, nseg, handle, id, sector, g.pages, firstPage, start, end);
            return f.kind;
        }
        final int ipages = indirectPages(nseg);
        if (usePersistent) {
            // Linux's blkback keeps every grant of a persistent connection mapped, indirect pages
            // included: they must come from the ring's pool here too.
            final @Nullable Granted[] ind = takeIndirectPages(q, b, slot, id, nseg, ipages);
            for (int i = 0; i < nseg; i++) {
                grantedSegment(Objects.requireNonNull(ind[i / BlkifRequestSegment.PER_INDIRECT_PAGE]).view,
                    (i % BlkifRequestSegment.PER_INDIRECT_PAGE) * BlkifRequestSegment.LENGTH, g.pages, firstPage + i, start, end);
            }
        } else {
            final AtomicBuffer ib = shareIndirectPages(q, b, slot, id, ipages);
            for (int i = 0; i < nseg; i++) {
                grantedSegment(ib, i * BlkifRequestSegment.LENGTH, g.pages, firstPage + i, start, end);
            }
        }
        putIndirectHeader(b, slot, f.kind, nseg, handle, id, sector);
        return Blkif.BLKIF_OP_INDIRECT;
    }

    /** A direct request whose segments are the pages of a granted buffer holding the bytes {@code [start, end)} of it. */
    private void putGrantedDirect(final MutableDirectBuffer b, final int slot, final int kind, final int nseg, final int handle, final int id,
                                  final long sector, final SharedPages pages, final int firstPage, final int start, final int end) {
        putDirectHeader(b, slot, kind, nseg, handle, id, sector);
        for (int i = 0; i < nseg; i++) {
            grantedSegment(b, slot + abi.segOffset + i * BlkifRequestSegment.LENGTH, pages, firstPage + i, start, end);
        }
    }

    /** The segment of page {@code page} of a granted buffer for the bytes {@code [start, end)} of it. */
    private static void grantedSegment(final MutableDirectBuffer b, final int at, final SharedPages pages, final int page, final int start,
                                       final int end) {
        final int base = page * PAGE;
        final int from = Math.max(start, base) - base;
        final int to = Math.min(end, base + PAGE) - base;
        putSegment(b, at, pages.grantRef(page), from / SECTOR, to / SECTOR - 1);
    }

    /**
     * Writes one {@code blkif_request_segment} (gref, first_sect, last_sect, two bytes of
     * padding) as one little-endian store: each access of a shared page's view is checked, so
     * one store costs a third of three.
     */
    private static void putSegment(final MutableDirectBuffer b, final int at, final int gref, final int firstSect, final int lastSect) {
        b.putLong(at + BlkifRequestSegment.GREF_OFFSET, (gref & 0xFFFF_FFFFL) | (long) (firstSect & 0xFF) << 8 * BlkifRequestSegment.FIRST_SECT_OFFSET
            | (long) (lastSect & 0xFF) << 8 * BlkifRequestSegment.LAST_SECT_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The indirect descriptor pages of a request under persistent grants: from the ring's pool,
     * or granted now, once, read-write (Linux's blkback maps every grant of a persistent
     * connection read-write, indirect pages included, and keeps it mapped; a read-only grant
     * fails that map and the request with it). They go back to the pool with the response.
     */
    private @Nullable Granted[] takeIndirectPages(final Queue q, final MutableDirectBuffer b, final int slot, final int id, final int nseg,
                                                  final int ipages) {
        final Sent sent = q.sent[id];
        if (sent.keptIndirect.length < ipages) {
            sent.keptIndirect = new Granted[Blkif.BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
        }
        final @Nullable Granted[] kept = sent.keptIndirect;
        for (int i = 0; i < ipages; i++) {
            Granted g = q.indirectPool.pollFirst();
            if (g == null) {
                final SharedPages page = host.grantTables().share(device.backendDomid(), 1, true);
                g = new Granted(page, page.buffer());
                // No stale data (XSA-403) before the backend first sees it.
                g.view.setMemory(0, PAGE, (byte) 0);
            }
            kept[i] = g;
            sent.keptIndirectCount = i + 1;
            b.putInt(slot + abi.indirectGrefsOffset + i * Integer.BYTES, g.page.grantRef(0), ByteOrder.LITTLE_ENDIAN);
            // Every page but the last is written whole by this request.
            g.written = PAGE;
        }
        // The rest of the last page: zeros, as a fresh page would have (not an earlier request's
        // descriptors; nothing the backend has not seen, but it reads as the non-persistent path).
        // Only what an earlier, longer request wrote there needs clearing: the page is zero beyond
        // that (a whole-page clear per request cost about 100 ns at 64 KiB).
        final int tail = (nseg - (ipages - 1) * BlkifRequestSegment.PER_INDIRECT_PAGE) * BlkifRequestSegment.LENGTH;
        final Granted last = Objects.requireNonNull(kept[ipages - 1]);
        if (last.written > tail) {
            last.view.setMemory(tail, last.written - tail, (byte) 0);
        }
        last.written = tail;
        return kept;
    }

    /**
     * The indirect descriptor pages of a request without persistent grants: granted now,
     * read-only, zeroed (XSA-403), their references written to the request; ended with the
     * response.
     *
     * @return a view of the pages, to write the descriptors into
     */
    private AtomicBuffer shareIndirectPages(final Queue q, final MutableDirectBuffer b, final int slot, final int id, final int ipages) {
        final SharedPages ind = host.grantTables().share(device.backendDomid(), ipages, false);
        final AtomicBuffer ib = ind.buffer();
        ib.setMemory(0, ipages * PAGE, (byte) 0);
        q.sent[id].indirectPages = ind;
        for (int i = 0; i < ipages; i++) {
            b.putInt(slot + abi.indirectGrefsOffset + i * Integer.BYTES, ind.grantRef(i), ByteOrder.LITTLE_ENDIAN);
        }
        return ib;
    }

    private static int indirectPages(final int nseg) {
        return (nseg + BlkifRequestSegment.PER_INDIRECT_PAGE - 1) / BlkifRequestSegment.PER_INDIRECT_PAGE;
    }

    /** A direct request's header: operation, nr_segments and handle in one store (bytes 0-3 in both layouts), id, sector. */
    private void putDirectHeader(final MutableDirectBuffer b, final int slot, final int kind, final int nseg, final int handle, final int id,
                                 final long sector) {
        b.putInt(slot + BlkifAbi.OPERATION_OFFSET, (kind & 0xFF) | (nseg & 0xFF) << 8 * BlkifAbi.BYTE1_OFFSET
            | (handle & 0xFFFF) << 8 * BlkifAbi.SHORT2_OFFSET, ByteOrder.LITTLE_ENDIAN);
        b.putLong(slot + abi.idOffset, id, ByteOrder.LITTLE_ENDIAN);
        b.putLong(slot + abi.sectorOffset, sector, ByteOrder.LITTLE_ENDIAN);
    }

    /** A {@code BLKIF_OP_INDIRECT} request's header (its page references are written with the pages). */
    private void putIndirectHeader(final MutableDirectBuffer b, final int slot, final int kind, final int nseg, final int handle, final int id,
                                   final long sector) {
        b.putByte(slot + BlkifAbi.OPERATION_OFFSET, (byte) Blkif.BLKIF_OP_INDIRECT);
        b.putByte(slot + BlkifAbi.BYTE1_OFFSET, (byte) kind);
        b.putShort(slot + BlkifAbi.SHORT2_OFFSET, (short) nseg, ByteOrder.LITTLE_ENDIAN);
        b.putLong(slot + abi.indirectIdOffset, id, ByteOrder.LITTLE_ENDIAN);
        b.putLong(slot + abi.indirectSectorOffset, sector, ByteOrder.LITTLE_ENDIAN);
        b.putShort(slot + abi.indirectHandleOffset, (short) handle, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Copies a caller's bytes into a granted page: straight from the buffer's memory when Netty
     * exposes it (direct or heap), through a page-sized bounce otherwise.
     */
    private void copyIn(final ByteBuf src, final int index, final AtomicBuffer dst, final int dstIndex, final int length) {
        if (src.hasMemoryAddress()) {
            userView.wrap(src.memoryAddress() + index, length);
            dst.putBytes(dstIndex, userView, 0, length);
        } else if (src.hasArray()) {
            dst.putBytes(dstIndex, src.array(), src.arrayOffset() + index, length);
        } else {
            for (int at = 0; at < length; at += PAGE) {
                final int n = Math.min(PAGE, length - at);
                src.getBytes(index + at, scratch, 0, n);
                dst.putBytes(dstIndex + at, scratch, 0, n);
            }
        }
    }

    /** Copies from a granted page into a caller's buffer, as {@link #copyIn} the other way. */
    private void copyOut(final AtomicBuffer src, final int srcIndex, final ByteBuf dst, final int index, final int length) {
        if (dst.hasMemoryAddress()) {
            userView.wrap(dst.memoryAddress() + index, length);
            src.getBytes(srcIndex, userView, 0, length);
        } else if (dst.hasArray()) {
            src.getBytes(srcIndex, dst.array(), dst.arrayOffset() + index, length);
        } else {
            for (int at = 0; at < length; at += PAGE) {
                final int n = Math.min(PAGE, length - at);
                src.getBytes(srcIndex + at, scratch, 0, n);
                dst.setBytes(index + at, scratch, 0, n);
            }
        }
    }

    private static void writeSegment(final MutableDirectBuffer b, final int at, final int gref, final int length, final int index) {
        final int bytes = Math.min(PAGE, length - index * PAGE);
        putSegment(b, at, gref, 0, bytes / SECTOR - 1);
    }

    private void onResponse(final Queue q, final DirectBuffer copy, final int ringIndex) {
        if (broken != null) {
            return;
        }
        final long id = copy.getLong(BlkifAbi.RSP_ID_OFFSET, ByteOrder.LITTLE_ENDIAN);
        final int operation = copy.getByte(BlkifAbi.RSP_OPERATION_OFFSET) & 0xFF;
        final int status = copy.getShort(BlkifAbi.RSP_STATUS_OFFSET, ByteOrder.LITTLE_ENDIAN);
        final Sent[] f = q.sent;
        if (id < 0 || id >= f.length || (f[(int) id].fragment == null && !f[(int) id].bare)) {
            fail("response id=" + Long.toUnsignedString(id) + " at ring index " + Integer.toUnsignedString(ringIndex)
                + " is not an outstanding request (blkif frontend rule: ids in range and outstanding)");
            return;
        }
        final int slot = (int) id;
        final Sent sent = f[slot];
        if (operation != sent.operation && operation != sent.indirectOp) {
            fail("response id=" + id + " has operation=" + operation + " but " + sent.operation + " was sent"
                + " (blkif frontend rule: operation matches)");
            return;
        }
        if (status != Blkif.BLKIF_RSP_OKAY && status != Blkif.BLKIF_RSP_ERROR && status != Blkif.BLKIF_RSP_EOPNOTSUPP) {
            fail("response id=" + id + " has status=" + status + " (blkif frontend rule: OKAY, ERROR or EOPNOTSUPP)");
            return;
        }
        if (sent.bare) {
            completeBare(q, sent, slot, status);
            return;
        }
        final Fragment frag = Objects.requireNonNull(sent.fragment);
        final Op op = frag.op;
        final SharedPages data = sent.dataPages;
        if (status == Blkif.BLKIF_RSP_OKAY && frag.kind == Blkif.BLKIF_OP_READ && data != null) {
            final ByteBuf dst = Objects.requireNonNull(op.buf);
            copyOut(data.buffer(), 0, dst, op.bufBase + frag.bufOffset, (int) frag.length);
        }
        final int keptCount = sent.persistentCount;
        if (status == Blkif.BLKIF_RSP_OKAY && frag.kind == Blkif.BLKIF_OP_READ && keptCount > 0) {
            final ByteBuf dst = Objects.requireNonNull(op.buf);
            final @Nullable AtomicBuffer[] kept = sent.persistentViews;
            final int length = (int) frag.length;
            for (int i = 0; i < keptCount; i++) {
                final int n = Math.min(PAGE, length - i * PAGE);
                copyOut(Objects.requireNonNull(kept[i]), 0, dst, op.bufBase + frag.bufOffset + i * PAGE, n);
            }
        }
        releasePages(q, sent, slot);
        sent.fragment = null;
        q.freeIds[q.freeTop++] = slot;
        q.outstanding--;
        if (frag.exclusive) {
            exclusiveOutstanding--;
        }
        release(frag);
        completed++;
        fragmentDone(op, status == Blkif.BLKIF_RSP_OKAY ? null
            : error(op, status == Blkif.BLKIF_RSP_EOPNOTSUPP ? "backend answered EOPNOTSUPP" : "backend answered ERROR", status));
    }

    /**
     * The answer to a part of a request {@link #sentAtOnce}: no more is accepted under its id; a
     * later part's id is freed at once, the first part's (which holds the request) with the last
     * answer, when the caller is told: the first failure of any part, else success.
     */
    private void completeBare(final Queue q, final Sent part, final int id, final int status) {
        part.bare = false;
        q.outstanding--;
        completed++;
        final int leader = part.leader;
        final Sent sent = q.sent[leader];
        if (status != Blkif.BLKIF_RSP_OKAY && sent.partsStatus == Blkif.BLKIF_RSP_OKAY) {
            sent.partsStatus = status;
        }
        if (id != leader) {
            q.freeIds[q.freeTop++] = id;
        }
        if (--sent.partsLeft > 0) {
            return;
        }
        final CompletableFuture<Void> future = sent.future;
        final BlockCallback callback = sent.callback;
        final ByteBuf buf = Objects.requireNonNull(sent.buf);
        final int kind = sent.operation;
        final int outcome = sent.partsStatus;
        sent.clearBare();
        q.freeIds[q.freeTop++] = leader;
        if (outcome == Blkif.BLKIF_RSP_OKAY) {
            if (kind == Blkif.BLKIF_OP_READ) {
                buf.writerIndex(sent.bufBase + sent.length);
            }
            tell(future, callback, null);
        } else {
            tell(future, callback, error(kind, sent.offset, sent.length,
                outcome == Blkif.BLKIF_RSP_EOPNOTSUPP ? "backend answered EOPNOTSUPP" : "backend answered ERROR", outcome));
        }
    }

    /**
     * Gives back the pages of an answered request: persistent ones to their pools, the others'
     * grants ended (or set aside if the backend still maps them). A request in a granted buffer
     * has none.
     */
    private void releasePages(final Queue q, final Sent sent, final int id) {
        returnToPool(sent);
        returnIndirectToPool(q, sent);
        final boolean dataEnded = endGrants(sent.dataPages);
        final boolean indirectEnded = endGrants(sent.indirectPages);
        if (!dataEnded || !indirectEnded) {
            // Not persistent: a backend must have unmapped these before it answered.
            LOG.log(System.Logger.Level.WARNING, "blkfront dom" + host.domid() + " " + device.name() + ": backend dom"
                + device.backendDomid() + " still maps a page of request id=" + id + " after answering it; set aside, never reused");
        }
        sent.dataPages = null;
        sent.indirectPages = null;
    }

    private void fragmentDone(final Op op, final @Nullable BlockIoException failure) {
        if (failure != null && op.error == null) {
            op.error = failure;
        }
        if (--op.remaining > 0) {
            return;
        }
        final BlockIoException e = op.error;
        if (e == null && op.kind == Blkif.BLKIF_OP_READ) {
            final ByteBuf dst = Objects.requireNonNull(op.buf);
            dst.writerIndex(op.bufBase + (int) op.length);
        }
        finish(op, e);
    }

    /**
     * A ring on the HAL's plain buffer whose share was ended or revoked under this agent (a close
     * from another thread, the domain destroyed) fails Agrona's bounds check ("capacity=0"): the
     * ring's share turns that into the error the checked view gives, naming the grant
     * references, the domains and why the share is gone.
     */
    private static RuntimeException explainRingFailure(final Queue[] ringQueues, final RuntimeException e) {
        for (final Queue q : ringQueues) {
            final RuntimeException explained = q.ringPages.explainAccessFailure(e);
            if (!explained.equals(e)) {
                return explained;
            }
        }
        return e;
    }

    private void fail(final String reason) {
        if (broken != null) {
            return;
        }
        final String line = "blkfront dom" + host.domid() + " device " + device.name() + " (backend dom"
            + device.backendDomid() + ", " + device.frontend() + "): " + reason + "; the device is broken";
        broken = line;
        LOG.log(System.Logger.Level.ERROR, line);
        final BlockIoException e = new BlockIoException(line, 0);
        for (final Queue q : queues) {
            for (final Sent sent : q.sent) {
                if (sent.partsLeft > 0) {
                    final CompletableFuture<Void> future = sent.future;
                    final BlockCallback callback = sent.callback;
                    sent.clearBare();
                    tell(future, callback, e);
                    continue;
                }
                if (sent.bare) {
                    // A later part: its caller is told with the first part's.
                    sent.bare = false;
                    continue;
                }
                final Fragment frag = sent.fragment;
                if (frag != null) {
                    // Grants of a hostile backend: end them if we can, never reuse them.
                    endGrants(sent.dataPages);
                    endGrants(sent.indirectPages);
                    for (int i = 0; i < sent.persistentCount; i++) {
                        endGrants(sent.persistentPages[i]);
                        sent.persistentPages[i] = null;
                        sent.persistentViews[i] = null;
                    }
                    sent.persistentCount = 0;
                    for (int i = 0; i < sent.keptIndirectCount; i++) {
                        endGrants(Objects.requireNonNull(sent.keptIndirect[i]).page);
                        sent.keptIndirect[i] = null;
                    }
                    sent.keptIndirectCount = 0;
                    sent.fragment = null;
                    final Op op = frag.op;
                    release(frag);
                    fragmentDone(op, e);
                }
            }
        }
        for (Fragment frag = ready.pollFirst(); frag != null; frag = ready.pollFirst()) {
            final Op op = frag.op;
            release(frag);
            fragmentDone(op, e);
        }
        connected.completeExceptionally(e);
        failQueued();
        try {
            XenbusStates.write(store, device.frontend(), XenbusState.XENBUS_STATE_CLOSING);
        } catch (final RuntimeException ignored) {
            // Best effort: the device is broken either way.
        }
    }

    private int failQueued() {
        int n = 0;
        final String b = broken;
        for (Op op = submitted.poll(); op != null; op = submitted.poll()) {
            finish(op, new BlockIoException(b == null ? "blkfront closed" : b, 0));
            n++;
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
     * Shares whose grant could not be ended yet because the backend kept them mapped: never
     * reused; their end is tried again at each backend state change and at {@link #close()}.
     * After a clean detach (the backend reached Closed) it is 0.
     *
     * @return the count
     */
    public int leakedGrants() {
        synchronized (buffers) {
            return leakedCount + leakedBufferPages.size();
        }
    }

    /**
     * Ring requests completed.
     *
     * @return the count
     */
    public long completedRequests() {
        return completed;
    }

    /**
     * Ring requests that were in flight when a backend went away and were queued to be issued
     * again to the next one.
     *
     * @return the count
     */
    public long reissuedRequests() {
        return reissued;
    }

    /** Closes the device: fails what is pending, ends the grants, writes Closed. */
    @Override
    public void close() {
        if (machine.close() != XenbusAction.NONE) {
            teardown();
        }
        final StateWatch w = watch;
        watch = null;
        if (w != null) {
            w.close();
        }
        final StateWatch bw = backendIdWatch;
        backendIdWatch = null;
        if (bw != null) {
            bw.close();
        }
        if (broken == null) {
            broken = "blkfront dom" + host.domid() + " device " + device.name() + ": closed";
        }
        final BlockIoException e = new BlockIoException(Objects.requireNonNull(broken), 0);
        for (Fragment frag = ready.pollFirst(); frag != null; frag = ready.pollFirst()) {
            final Op op = frag.op;
            release(frag);
            fragmentDone(op, e);
        }
        failQueued();
        try {
            XenbusStates.write(store, device.frontend(), XenbusState.XENBUS_STATE_CLOSED);
        } catch (final RuntimeException ignored) {
            // The store may be gone with the domain.
        }
        try {
            retryDeferredEnds();
        } catch (final RuntimeException ignored) {
            // The host may be gone with the domain; the shares stay set aside either way.
        }
        final int stillMapped = leakedGrants();
        if (stillMapped > 0) {
            LOG.log(System.Logger.Level.WARNING, "blkfront dom" + host.domid() + " " + device.name() + ": backend dom"
                + device.backendDomid() + " still maps " + stillMapped + " granted share(s) at close; left granted, never reused");
        }
    }

    /** One request id of a ring: the fragment outstanding under it and what it holds until answered. */
    private static final class Sent {
        /** The fragment sent under this id, or null when the id is free. */
        @Nullable Fragment fragment;
        /** The ring operation sent (BLKIF_OP_INDIRECT for an indirect request). */
        int operation;
        /** The data operation (indirect_op of an indirect request, else the same as {@link #operation}). */
        int indirectOp;
        /** Data pages granted for this request only (no persistent grants), ended with the response. */
        @Nullable SharedPages dataPages;
        /** Indirect descriptor pages granted for this request only. */
        @Nullable SharedPages indirectPages;
        /** Persistent data pages (one single-page grant per segment), grown to the largest request seen. */
        @Nullable SharedPages[] persistentPages = NO_PAGES;
        /** The views of {@link #persistentPages}. */
        @Nullable AtomicBuffer[] persistentViews = NO_VIEWS;
        /** How many of {@link #persistentPages} the outstanding request uses. */
        int persistentCount;
        /** Persistent indirect pages of the outstanding request. */
        @Nullable Granted[] keptIndirect = NO_GRANTED;
        /** How many of {@link #keptIndirect} the outstanding request uses. */
        int keptIndirectCount;
        /**
         * Set while a part of a request {@link #sentAtOnce} is outstanding under this id: it has
         * no op (and {@link #fragment} is null). The first part's id holds the fields below, what
         * the request's completion needs, until every part is answered.
         */
        boolean bare;
        /** The id of the request's first part, which holds the request (this id for the first part). */
        int leader;
        /** On the first part: how many parts are not answered yet; 0 when no request is held here. */
        int partsLeft;
        /** On the first part: the first status other than OKAY a part was answered with, else OKAY. */
        int partsStatus;
        @Nullable CompletableFuture<Void> future;
        @Nullable BlockCallback callback;
        /** The granted buffer, its index where the bytes start, the disk offset and the length. */
        @Nullable ByteBuf buf;
        int bufBase;
        long offset;
        int length;

        /** Ends a bare request here: its fields cleared, so that nothing outlives it. */
        void clearBare() {
            bare = false;
            partsLeft = 0;
            future = null;
            callback = null;
            buf = null;
        }
    }

    /** One ring with its channel and the shadow of its outstanding requests. */
    private final class Queue {
        final SharedPages ringPages;
        final FrontRing ring;
        final EventChannel channel;
        /**
         * What is outstanding under each request id, one object per id: the response of a
         * request touches one object (a cache line or two) instead of an element of ten arrays.
         */
        final Sent[] sent;
        /**
         * Indirect descriptor pages granted once for this ring (persistent grants), free for the
         * next request; a stack, so the page just used is used again.
         */
        final ArrayDeque<Granted> indirectPool = new ArrayDeque<>();
        /** Position in {@link #queues}. */
        final int index;
        final int[] freeIds;
        final SlotHandler handler;
        int freeTop;
        int outstanding;

        Queue(final int index, final SharedPages ringPages, final FrontRing ring, final EventChannel channel) {
            this.index = index;
            this.ringPages = ringPages;
            this.ring = ring;
            this.channel = channel;
            final int size = ring.size();
            sent = new Sent[size];
            for (int i = 0; i < size; i++) {
                sent[i] = new Sent();
            }
            freeIds = new int[size];
            for (int i = 0; i < size; i++) {
                freeIds[i] = size - 1 - i;
            }
            freeTop = size;
            handler = (copy, ringIndex) -> onResponse(this, copy, ringIndex);
        }
    }
}
