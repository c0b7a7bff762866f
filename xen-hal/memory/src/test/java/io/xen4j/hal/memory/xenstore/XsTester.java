package io.xen4j.hal.memory.xenstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.store.wire.XsMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One client of a {@link XenstoreCore} in a test: sends requests, returns the reply, and keeps
 * the watch events that arrived in between. Checks every reply against the rules every reply must
 * follow (ids echoed, type echoed or XS_ERROR, payload within 4096 bytes).
 */
final class XsTester {
    final XenstoreCore core;
    final XsConnection conn;
    final List<String> events = new ArrayList<>();
    private int nextReqId = 1;

    XsTester(final XenstoreCore core, final XsConnection conn) {
        this.core = core;
        this.conn = conn;
    }

    static XsTester dom0(final XenstoreCore core) {
        return new XsTester(core, core.connect(0));
    }

    /** A guest: introduces the domain and creates its home if needed, then connects. */
    static XsTester guest(final XenstoreCore core, final int domid) {
        if (!core.isIntroduced(domid)) {
            core.introduceDomain(domid);
            core.createDomainHome(domid, "guest" + domid);
        }
        return new XsTester(core, core.connect(domid));
    }

    XsMessage request(final int type, final int tx, final byte[] payload) {
        final int reqId = nextReqId++;
        core.handle(conn, XsMessage.of(type, reqId, tx, payload));
        XsMessage reply = null;
        XsMessage m;
        while ((m = conn.pollOutput()) != null) {
            assertTrue(m.payloadLength() <= XsWire.XENSTORE_PAYLOAD_MAX);
            if (m.type() == XsWire.XS_WATCH_EVENT) {
                assertEquals(0, m.reqId());
                assertEquals(0, m.txId());
                events.add(eventString(m));
            } else {
                assertEquals(null, reply, "two replies to one request");
                reply = m;
            }
        }
        assertNotNull(reply, "no reply");
        assertEquals(reqId, reply.reqId());
        assertEquals(tx, reply.txId());
        assertTrue(reply.type() == type || reply.type() == XsWire.XS_ERROR, "reply type " + reply.type());
        assertEquals(0, core.internalErrors(), "internal error in the core");
        return reply;
    }

    static String eventString(final XsMessage m) {
        final List<String> s = XenstoreCore.strings(m.payload());
        assertEquals(2, s.size(), "watch event payload");
        return s.get(0) + " " + s.get(1);
    }

    XsMessage request(final int type, final int tx, final String... strings) {
        return request(type, tx, XenstoreCore.nulTerminated(strings));
    }

    /** Sends a request that must succeed; returns its reply. */
    XsMessage ok(final int type, final int tx, final String... strings) {
        final XsMessage r = request(type, tx, strings);
        assertFalse(r.isError(), () -> XsMessageDebug.describe(type, strings) + " failed: " + r.errorName());
        return r;
    }

    /** Sends a request that must fail with {@code error}. */
    void fails(final String error, final int type, final int tx, final String... strings) {
        final XsMessage r = request(type, tx, strings);
        assertTrue(r.isError(), () -> XsMessageDebug.describe(type, strings) + " succeeded, expected " + error);
        assertEquals(error, r.errorName(), () -> XsMessageDebug.describe(type, strings));
    }

    XsMessage writeRequest(final int tx, final String path, final byte[] value) {
        final byte[] p = path.getBytes(StandardCharsets.ISO_8859_1);
        final byte[] payload = Arrays.copyOf(p, p.length + 1 + value.length);
        System.arraycopy(value, 0, payload, p.length + 1, value.length);
        return request(XsWire.XS_WRITE, tx, payload);
    }

    void write(final String path, final String value) {
        write(0, path, value);
    }

    void write(final int tx, final String path, final String value) {
        final XsMessage r = writeRequest(tx, path, value.getBytes(StandardCharsets.ISO_8859_1));
        assertFalse(r.isError(), () -> "write " + path + " failed: " + r.errorName());
    }

    String writeError(final String path, final String value) {
        final XsMessage r = writeRequest(0, path, value.getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(r.isError(), "write " + path + " succeeded");
        return r.errorName();
    }

    String read(final String path) {
        return read(0, path);
    }

    String read(final int tx, final String path) {
        return new String(ok(XsWire.XS_READ, tx, path).payload(), StandardCharsets.ISO_8859_1);
    }

    String readError(final String path) {
        final XsMessage r = request(XsWire.XS_READ, 0, path);
        assertTrue(r.isError(), () -> "read " + path + " succeeded");
        return r.errorName();
    }

    List<String> dir(final String path) {
        return dir(0, path);
    }

    List<String> dir(final int tx, final String path) {
        return XenstoreCore.strings(ok(XsWire.XS_DIRECTORY, tx, path).payload());
    }

    void mkdir(final String path) {
        ok(XsWire.XS_MKDIR, 0, path);
    }

    void rm(final String path) {
        ok(XsWire.XS_RM, 0, path);
    }

    void rm(final int tx, final String path) {
        ok(XsWire.XS_RM, tx, path);
    }

    List<String> perms(final String path) {
        return XenstoreCore.strings(ok(XsWire.XS_GET_PERMS, 0, path).payload());
    }

    void setPerms(final String path, final String... perms) {
        final String[] all = new String[perms.length + 1];
        all[0] = path;
        System.arraycopy(perms, 0, all, 1, perms.length);
        ok(XsWire.XS_SET_PERMS, 0, all);
    }

    String setPermsError(final String path, final String... perms) {
        final String[] all = new String[perms.length + 1];
        all[0] = path;
        System.arraycopy(perms, 0, all, 1, perms.length);
        final XsMessage r = request(XsWire.XS_SET_PERMS, 0, all);
        assertTrue(r.isError(), "set perms succeeded");
        return r.errorName();
    }

    void watch(final String path, final String token) {
        ok(XsWire.XS_WATCH, 0, path, token);
    }

    void unwatch(final String path, final String token) {
        ok(XsWire.XS_UNWATCH, 0, path, token);
    }

    int start() {
        return Integer.parseUnsignedInt(ok(XsWire.XS_TRANSACTION_START, 0, "").firstString());
    }

    void commit(final int tx) {
        ok(XsWire.XS_TRANSACTION_END, tx, "T");
    }

    String commitError(final int tx) {
        final XsMessage r = request(XsWire.XS_TRANSACTION_END, tx, "T");
        assertTrue(r.isError(), "commit succeeded");
        return r.errorName();
    }

    void abort(final int tx) {
        ok(XsWire.XS_TRANSACTION_END, tx, "F");
    }

    /** Events received so far, then forgets them. */
    List<String> takeEvents() {
        // Pick up events caused by other connections since the last request.
        XsMessage m;
        while ((m = conn.pollOutput()) != null) {
            assertEquals(XsWire.XS_WATCH_EVENT, m.type(), "unexpected reply");
            events.add(eventString(m));
        }
        final List<String> copy = List.copyOf(events);
        events.clear();
        return copy;
    }

    /** A string of {@code n} copies of {@code c}. */
    static String fill(final char c, final int n) {
        return String.valueOf(c).repeat(n);
    }

    /** Names a request in assertion messages. */
    static final class XsMessageDebug {
        private XsMessageDebug() {
        }

        static String describe(final int type, final String... strings) {
            final StringBuilder sb = new StringBuilder(io.xen4j.store.wire.XsMessageTypes.name(type));
            for (final String s : strings) {
                sb.append(' ').append(s.length() > 60 ? s.substring(0, 60) + "..." : s);
            }
            return sb.toString();
        }
    }
}
