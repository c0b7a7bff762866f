package io.xen4j.blk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.xen4j.abi.blkif.Blkif;
import io.xen4j.blk.RawBackend.Request;
import io.xen4j.blk.RawFrontend.Response;
import io.xen4j.blk.internal.BlkifAbi;
import io.xen4j.blk.spi.MemoryBlockStore;
import io.xen4j.xenbus.testing.HostileSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The steps the fuzz and counted hostile tests drive: one hostile request at blkback, one hostile
 * response at blkfront. Each step checks the invariants (no exception, an answer with the id
 * echoed and a known status, or a broken device with a reason; nothing pending after a break).
 */
final class BlkHostileDriver {
    private static final long DISK = 1L << 20;

    private BlkHostileDriver() {
    }

    static RawFrontend newFrontend(final BlkifAbi abi, final boolean persistent) {
        return new RawFrontend(abi, new MemoryBlockStore(DISK, 512, 512, false), new BlkBackConfig(0, 32, true, true), persistent);
    }

    static void check(final boolean ok, final String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    private static void checkStatus(final int status, final String where) {
        check(status == Blkif.BLKIF_RSP_OKAY || status == Blkif.BLKIF_RSP_ERROR || status == Blkif.BLKIF_RSP_EOPNOTSUPP,
            where + ": status " + status);
    }

    /**
     * One hostile request at the backend.
     *
     * @return false if the device broke (the caller makes a new one)
     */
    static boolean hostileRequest(final RawFrontend f, final HostileSource src) {
        final int kind = src.nextInt(0, 22);
        final long id = src.nextLong();
        final List<Response> rsp;
        int expectOp = -1;
        switch (kind) {
            case 0 -> {
                f.hostileReqProd((int) src.nextLong());
                f.drain();
                final String why = f.back.brokenReason();
                check(why == null || why.contains("R3") || why.contains("R4") || why.contains("RING"), "break reason: " + why);
                // A req_prod the backend accepted made it answer slots this guest never filled, so
                // the guest's own ring is out of step: start afresh either way.
                return false;
            }
            case 1, 2, 3 -> rsp = f.raw(src.bytes(f.abi.requestLength));
            case 4, 5 -> {
                rsp = f.discard(id, src.nextInt(0, 255), src.nextLong(), src.nextLong());
                expectOp = Blkif.BLKIF_OP_DISCARD;
            }
            case 6, 7 -> {
                final int op = src.nextInt(0, 3) == 0 ? src.nextInt(0, 255) : src.nextInt(0, 1);
                rsp = f.indirect(op, src.nextInt(0, 40), id, src.nextInt(0, 3000),
                    src.nextInt(0, 1) == 0 ? f.gref(15) : (int) src.nextLong(), src.bytes(src.nextInt(0, 400)));
                expectOp = Blkif.BLKIF_OP_INDIRECT;
            }
            case 8, 9, 10 -> {
                // Close to a valid request on the guest's first pages (which a persistent backend
                // keeps once mapped, and then takes in one pass), with one value off now and then.
                final int op = src.nextInt(0, 1);
                final int n = src.nextInt(1, 3);
                final int[] grefs = new int[n];
                final int[] first = new int[n];
                final int[] last = new int[n];
                final int page = src.nextInt(0, 3);
                for (int i = 0; i < n; i++) {
                    grefs[i] = f.gref(page + i);
                    last[i] = 7;
                }
                final long sector = 8L * src.nextInt(0, 260);
                switch (src.nextInt(0, 7)) {
                    case 0 -> first[0] = src.nextInt(0, 9);
                    case 1 -> last[n - 1] = src.nextInt(0, 9);
                    case 2 -> grefs[n - 1] = f.gref(src.nextInt(0, 15));
                    case 3 -> last[0] = src.nextInt(0, 7);
                    default -> {
                        // As valid as it gets (a sector past the disk's end aside).
                    }
                }
                final int slot = f.ring.claimRequest();
                f.putRw(f.ring.buffer(), slot, op, n, id, sector, grefs, first, last);
                rsp = f.push();
                expectOp = op;
            }
            default -> {
                final int op = src.nextInt(0, 4) == 0 ? src.nextInt(0, 255) : src.nextInt(0, 1);
                final int gref = src.nextInt(0, 3) == 0 ? (int) src.nextLong() : f.gref(src.nextInt(0, 15));
                final long sector = src.nextInt(0, 1) == 0 ? src.nextInt(0, 2100) : src.nextLong();
                rsp = f.rw(op, src.nextInt(0, 14), id, sector, gref, src.nextInt(0, 9), src.nextInt(0, 9));
                expectOp = op;
            }
        }
        final String why = f.back.brokenReason();
        check(why == null || !why.contains("internal"), "backend failed internally: " + why);
        if (why != null) {
            return false;
        }
        check(rsp.size() == 1, "one response per request, got " + rsp);
        checkStatus(rsp.get(0).status(), "backend");
        if (expectOp >= 0) {
            check(rsp.get(0).id() == id, "id echoed: sent " + id + " got " + rsp.get(0).id());
            check(rsp.get(0).operation() == (expectOp & 0xFF), "operation echoed");
        }
        return true;
    }

    /**
     * One request from blkfront answered by a hostile backend.
     *
     * @return false if the device broke (the caller makes a new one)
     */
    static boolean hostileResponse(final RawBackend b, final HostileSource src) {
        final List<CompletableFuture<Void>> pending = new ArrayList<>();
        final List<ByteBuf> granted = new ArrayList<>();
        final int n = src.nextInt(1, 3);
        // Ring requests: a 64 KiB request is two (11 pages and 5).
        int onRing = 0;
        for (int i = 0; i < n; i++) {
            final long offset = 4096L * src.nextInt(0, 255);
            final long bigOffset = 65536L * src.nextInt(0, 15);
            // Ordinary buffers, and the frontend's granted buffers (put on the ring at submission,
            // a 64 KiB one as two ring requests whose first holds the request until both are answered).
            final int kind = src.nextInt(0, 5);
            onRing += kind >= 4 ? 2 : 1;
            pending.add(switch (kind) {
                case 0 -> b.front.read(offset, 4096, Unpooled.buffer(4096));
                case 1 -> b.front.write(offset, Unpooled.wrappedBuffer(new byte[4096]));
                case 2 -> b.front.read(offset, 4096, keep(granted, b.front.allocateBuffer(4096)));
                case 3 -> b.front.write(offset, keep(granted, b.front.allocateBuffer(4096)).writeZero(4096));
                case 4 -> b.front.read(bigOffset, 65536, keep(granted, b.front.allocateBuffer(65536)));
                default -> b.front.write(bigOffset, keep(granted, b.front.allocateBuffer(65536)).writeZero(65536));
            });
        }
        try {
            return answerHostilely(b, src, pending, onRing);
        } finally {
            granted.forEach(ByteBuf::release);
        }
    }

    private static ByteBuf keep(final List<ByteBuf> granted, final ByteBuf buf) {
        granted.add(buf);
        return buf;
    }

    private static boolean answerHostilely(final RawBackend b, final HostileSource src, final List<CompletableFuture<Void>> pending,
                                           final int onRing) {
        final List<Request> reqs = b.requests();
        check(reqs.size() == onRing, "requests on the ring: " + reqs.size() + ", expected " + onRing);
        boolean allAnswered = true;
        for (final Request r : reqs) {
            final int action = src.nextInt(0, 7);
            // A random id may hit another outstanding request, a random rsp_prod may be a valid
            // one: the backend then simply did not answer some request, which is not a hang.
            allAnswered &= action != 0 && action != 3;
            switch (action) {
                case 0 -> b.respond(src.nextLong(), r.operation(), 0);
                case 1 -> b.respond(r.id(), src.nextInt(0, 255), 0);
                case 2 -> b.respond(r.id(), r.operation(), (short) src.nextInt(-32768, 32767));
                case 3 -> b.hostileRspProd((int) src.nextLong());
                case 4 -> b.respond(r.id(), r.operation(), Blkif.BLKIF_RSP_ERROR);
                default -> b.respond(r.id(), r.operation(), 0);
            }
            if (b.front.brokenReason() != null) {
                break;
            }
        }
        final String why = b.front.brokenReason();
        check(why == null || !why.contains("internal"), "frontend failed internally: " + why);
        if (why != null) {
            for (final CompletableFuture<Void> f : pending) {
                check(f.isDone(), "a request still pending after the device broke");
            }
            return false;
        }
        if (!allAnswered) {
            // Some requests may legitimately stay outstanding: start afresh.
            return false;
        }
        for (final CompletableFuture<Void> f : pending) {
            check(f.isDone(), "a request still pending although every request was answered");
        }
        return true;
    }
}
