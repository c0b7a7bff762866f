package io.xen4j.hal.memory.xenstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.abi.xenstore.XsWireHeader;
import io.xen4j.store.wire.ParseResult;
import io.xen4j.store.wire.XsParser;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Drives the daemon with hostile clients: byte streams made of headers with any type, ids and
 * length and payloads built from xenstore-like pieces or random bytes, fed in any chunking by a
 * guest and by dom0 at once. After every step the daemon must have thrown nothing, counted no
 * internal error, kept its tree and accounting consistent, and sent only well-formed messages of
 * at most 4096 bytes. The choices come from a {@link Source}: Jazzer's data provider when fuzzing,
 * a seeded random generator in the always-on test.
 */
final class HostilePeer {
    /** Where the choices come from. */
    interface Source {
        int pick(int bound);

        boolean chance();

        byte[] bytes(int max);

        boolean exhausted();
    }

    private static final String[] PATHS = {
        "/", "/a", "/a/b", "/a/b/c", "data", "data/x", "data/x/y", "/local/domain/5", "/local/domain/5/data",
        "/local/domain/6/data/q", "/local/domain/0", "/tool", "@releaseDomain", "@introduceDomain", "@other", "",
        "//", "/a/", "name", "/local/domain/5/" + "p".repeat(2040), "/" + "q".repeat(3071), "control/shutdown",
    };
    private static final String[] WORDS = {"T", "F", "0", "1", "5", "6", "-1", "4096", "n0", "r5", "b6", "w0", "x1",
        "help", "quota", "print", "check", "tok", "", "65535", "99999999999"};
    private static final int[] TYPES = {
        XsWire.XS_READ, XsWire.XS_WRITE, XsWire.XS_MKDIR, XsWire.XS_RM, XsWire.XS_DIRECTORY, XsWire.XS_GET_PERMS,
        XsWire.XS_SET_PERMS, XsWire.XS_WATCH, XsWire.XS_UNWATCH, XsWire.XS_TRANSACTION_START,
        XsWire.XS_TRANSACTION_END, XsWire.XS_DIRECTORY_PART, XsWire.XS_RESET_WATCHES, XsWire.XS_GET_DOMAIN_PATH,
        XsWire.XS_INTRODUCE, XsWire.XS_RELEASE, XsWire.XS_IS_DOMAIN_INTRODUCED, XsWire.XS_RESUME,
        XsWire.XS_SET_TARGET, XsWire.XS_CONTROL, XsWire.XS_WATCH_EVENT, XsWire.XS_ERROR, 20, 23, 0xFFFF, -1,
    };

    private final Source source;
    private final XenstoreCore core;
    private final XsByteStream[] streams;
    private final XsParser[] replies = {new XsParser(), new XsParser()};
    private long messagesOut;

    HostilePeer(final Source source) {
        this.source = source;
        this.core = new XenstoreCore(XenstoreQuotas.defaults().withPendingEvents(64));
        core.createDomainHome(0, "Domain-0");
        core.introduceDomain(5);
        core.createDomainHome(5, "guest5");
        core.introduceDomain(6);
        core.createDomainHome(6, "guest6");
        this.streams = new XsByteStream[] {
            new XsByteStream(core, core.connect(5)), new XsByteStream(core, core.connect(0))};
    }

    /** Runs until the source is exhausted or {@code maxSteps} steps; returns the messages the daemon sent. */
    long run(final int maxSteps) {
        for (int step = 0; step < maxSteps && !source.exhausted(); step++) {
            final int who = source.pick(2);
            if (streams[who].isBroken()) {
                // The daemon dropped the client (or dom0 released the guest); it connects again.
                if (who == 0 && !core.isIntroduced(5)) {
                    core.introduceDomain(5);
                }
                streams[who] = new XsByteStream(core, core.connect(who == 0 ? 5 : 0));
                replies[who].reset();
            }
            final XsByteStream stream = streams[who];
            final byte[] bytes = source.pick(16) == 0 ? source.bytes(64) : message();
            int at = 0;
            while (at < bytes.length && !stream.isBroken()) {
                final int chunk = 1 + source.pick(bytes.length - at);
                final int n = stream.receive(bytes, at, chunk);
                at += n;
                check();
                if (n < chunk) {
                    // Held back by the outstanding-reply quota: the client reads, then goes on.
                    drain(who, 1 + source.pick(4096));
                }
            }
            if (source.chance()) {
                drain(who, 1 + source.pick(8192));
            }
            if (source.pick(64) == 0) {
                final int domid = 5 + source.pick(2);
                core.destroyDomain(domid);
                core.introduceDomain(domid);
                core.createDomainHome(domid, "again");
                if (domid == 5) {
                    streams[0] = new XsByteStream(core, core.connect(5));
                    replies[0].reset();
                }
                check();
            }
        }
        drain(0, 1 << 20);
        drain(1, 1 << 20);
        return messagesOut;
    }

    private byte[] message() {
        final int type = source.chance() ? TYPES[source.pick(TYPES.length)] : source.pick(32);
        final int reqId = source.pick(1000);
        final int txId = source.chance() ? 0 : source.pick(4);
        final ByteArrayOutputStream payload = new ByteArrayOutputStream();
        final int parts = source.pick(5);
        for (int i = 0; i < parts; i++) {
            final int kind = source.pick(4);
            final String s = switch (kind) {
                case 0 -> PATHS[source.pick(PATHS.length)];
                case 1 -> WORDS[source.pick(WORDS.length)];
                case 2 -> PATHS[source.pick(PATHS.length)] + "/" + WORDS[source.pick(WORDS.length)];
                default -> new String(source.bytes(40), StandardCharsets.ISO_8859_1);
            };
            payload.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            if (source.pick(8) != 0) {
                payload.write(0);
            }
        }
        byte[] body = payload.toByteArray();
        if (source.pick(16) == 0) {
            body = java.util.Arrays.copyOf(body, source.pick(XsWire.XENSTORE_PAYLOAD_MAX + 1));
        }
        if (body.length > XsWire.XENSTORE_PAYLOAD_MAX) {
            body = java.util.Arrays.copyOf(body, XsWire.XENSTORE_PAYLOAD_MAX);
        }
        int len = body.length;
        if (source.pick(64) == 0) {
            // A lying length: longer than the payload (the stream goes out of step) or over the limit.
            len = source.chance() ? body.length + source.pick(64) : XsWire.XENSTORE_PAYLOAD_MAX + 1 + source.pick(1 << 20);
        }
        final ByteBuffer b = ByteBuffer.allocate(XsWireHeader.LENGTH + body.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(type).putInt(reqId).putInt(txId).putInt(len).put(body);
        return b.array();
    }

    private void drain(final int who, final int size) {
        final XsByteStream stream = streams[who];
        final ByteBuffer out = ByteBuffer.allocate(size);
        while (true) {
            out.clear();
            if (stream.drainTo(out) == 0) {
                break;
            }
            final byte[] bytes = java.util.Arrays.copyOf(out.array(), out.position());
            int at = 0;
            while (at < bytes.length) {
                final ParseResult r = replies[who].parse(bytes, at, bytes.length - at);
                at += replies[who].consumed();
                if (r instanceof ParseResult.Failed f) {
                    fail("the daemon sent a bad message: " + f.describe());
                }
                if (r instanceof ParseResult.Packet p) {
                    assertTrue(p.message().payloadLength() <= XsWire.XENSTORE_PAYLOAD_MAX);
                    messagesOut++;
                }
            }
            stream.resume();
            check();
        }
    }

    private void check() {
        assertEquals(0, core.internalErrors(), "internal error in the daemon");
        final String problem = core.consistencyProblem();
        if (problem != null) {
            fail("daemon state inconsistent: " + problem);
        }
    }
}
