package io.xen4j.store;

import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.abi.xenstore.XsWireHeader;
import io.xen4j.abi.xenstore.XsdErrors;
import io.xen4j.store.wire.ParseResult;
import io.xen4j.store.wire.XsEncoder;
import io.xen4j.store.wire.XsMessage;
import io.xen4j.store.wire.XsParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A minimal xenstored for the client's tests, until the in-memory xenstored of xen-hal-memory is
 * merged: a node tree with implicit parents, permissions checked for unprivileged connections,
 * transactions that conflict on any intervening commit, watches, DIRECTORY_PART, and the domain
 * messages as no-ops. Not a reference: the in-memory xenstored is.
 */
final class FakeXenstored {
    static final int DIRECTORY_LIMIT = XsWire.XENSTORE_PAYLOAD_MAX;

    /** One node. */
    private static final class Node {
        byte[] value = new byte[0];
        List<String> perms;
        final LinkedHashSet<String> children = new LinkedHashSet<>();
        long generation;

        Node(final List<String> perms, final long generation) {
            this.perms = perms;
            this.generation = generation;
        }

        Node copy() {
            final Node n = new Node(perms, generation);
            n.value = value;
            n.children.addAll(children);
            return n;
        }
    }

    /** A client connection: where its replies go, and who it is. */
    final class Conn {
        final int domid;
        final Consumer<XsMessage> out;
        final Map<Integer, Map<String, Node>> transactions = new HashMap<>();
        final Map<Integer, Long> txStart = new HashMap<>();

        Conn(final int domid, final Consumer<XsMessage> out) {
            this.domid = domid;
            this.out = out;
        }

        void handle(final XsMessage m) {
            final Consumer<XsMessage> tap = requestTap;
            if (tap != null) {
                tap.accept(m);
            }
            final List<Event> events = new ArrayList<>();
            final XsMessage reply;
            synchronized (FakeXenstored.this) {
                requests++;
                reply = process(this, m, events);
            }
            if (reply != null) {
                out.accept(reply);
            }
            for (final Event e : events) {
                e.conn().out.accept(e.message());
            }
        }
    }

    private record Watch(Conn conn, String path, String token) {
    }

    private record Event(Conn conn, XsMessage message) {
    }

    private Map<String, Node> nodes = new HashMap<>();
    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    private long generation = 1;
    private long commits;
    private int nextTx = 1;
    long requests;
    /** Answer every request of this type with this error, for tests of error mapping. */
    volatile @Nullable String forcedError;
    volatile int forcedErrorType = -1;
    /** Sees every request as it arrives, for tests that compare other clients' bytes. */
    volatile @Nullable Consumer<XsMessage> requestTap;
    /** Make the next N commits fail with EAGAIN. */
    volatile int forcedConflicts;

    FakeXenstored() {
        nodes.put("/", new Node(List.of("n0"), 0));
        mkdirs(nodes, "/local/domain/0", List.of("n0"));
    }

    Conn connect(final int domid, final Consumer<XsMessage> out) {
        return new Conn(domid, out);
    }

    synchronized long requestCount() {
        return requests;
    }

    // ------------------------------------------------------------------ serving byte streams

    /** Serves one connection: reads requests from {@code in}, writes replies to {@code out}. */
    void serve(final int domid, final ReadableByteChannel in, final WritableByteChannel out) {
        final Object writeLock = new Object();
        final Conn conn = connect(domid, m -> {
            synchronized (writeLock) {
                try {
                    final ByteBuffer b = ByteBuffer.wrap(XsEncoder.toBytes(m));
                    while (b.hasRemaining()) {
                        out.write(b);
                    }
                } catch (final IOException e) {
                    // Client gone.
                }
            }
        });
        final XsParser parser = new XsParser(false);
        final ByteBuffer buf = ByteBuffer.allocate(8192);
        try {
            while (true) {
                buf.clear();
                if (in.read(buf) < 0) {
                    break;
                }
                buf.flip();
                while (buf.hasRemaining()) {
                    final ParseResult r = parser.parse(buf);
                    if (r instanceof ParseResult.Packet p) {
                        conn.handle(p.message());
                    } else if (r instanceof ParseResult.Failed) {
                        return;
                    }
                }
            }
        } catch (final IOException e) {
            // Connection closed.
        } finally {
            disconnect(conn);
        }
    }

    void disconnect(final Conn conn) {
        watches.removeIf(w -> w.conn() == conn);
    }

    // ------------------------------------------------------------------ processing

    private @Nullable XsMessage process(final Conn c, final XsMessage m, final List<Event> events) {
        final int req = m.reqId();
        final int tx = m.txId();
        if (forcedError != null && m.type() == forcedErrorType) {
            return XsMessage.error(req, tx, forcedError);
        }
        final Map<String, Node> tree;
        if (tx != 0 && m.type() != XsWire.XS_WATCH && m.type() != XsWire.XS_UNWATCH) {
            final Map<String, Node> t = c.transactions.get(tx);
            if (t == null) {
                return XsMessage.error(req, tx, XsdErrors.ENOENT);
            }
            tree = t;
        } else {
            tree = nodes;
        }
        final List<String> s = m.strings();
        try {
            return switch (m.type()) {
                case XsWire.XS_READ -> {
                    final Node n = readable(c, tree, path(c, s));
                    yield XsMessage.of(XsWire.XS_READ, req, tx, n.value);
                }
                case XsWire.XS_WRITE -> {
                    final String p = path(c, List.of(m.firstString()));
                    write(c, tree, p, m.bytesAfterFirstNul(), tx == 0 ? events : null);
                    yield XsMessage.ok(XsWire.XS_WRITE, req, tx);
                }
                case XsWire.XS_MKDIR -> {
                    final String p = path(c, s);
                    if (!tree.containsKey(p)) {
                        create(c, tree, p, tx == 0 ? events : null);
                    }
                    yield XsMessage.ok(XsWire.XS_MKDIR, req, tx);
                }
                case XsWire.XS_RM -> {
                    final String p = path(c, s);
                    if (tree.containsKey(p)) {
                        writable(c, tree, p);
                        remove(tree, p);
                        touch(p, tx == 0 ? events : null);
                    } else if (!tree.containsKey(parent(p))) {
                        throw new Err(XsdErrors.ENOENT);
                    }
                    yield XsMessage.ok(XsWire.XS_RM, req, tx);
                }
                case XsWire.XS_DIRECTORY -> {
                    final Node n = readable(c, tree, path(c, s));
                    final byte[] list = childList(n);
                    if (list.length > DIRECTORY_LIMIT) {
                        throw new Err(XsdErrors.E2BIG);
                    }
                    yield XsMessage.of(XsWire.XS_DIRECTORY, req, tx, list);
                }
                case XsWire.XS_DIRECTORY_PART -> directoryPart(c, tree, m, s);
                case XsWire.XS_GET_PERMS -> {
                    final Node n = readable(c, tree, path(c, s));
                    yield XsMessage.ofStrings(XsWire.XS_GET_PERMS, req, tx, n.perms.toArray(String[]::new));
                }
                case XsWire.XS_SET_PERMS -> {
                    final String p = path(c, s);
                    final Node n = writable(c, tree, p);
                    if (c.domid != 0 && !n.perms.get(0).substring(1).equals(Integer.toString(c.domid))) {
                        throw new Err(XsdErrors.EPERM);
                    }
                    final List<String> perms = s.subList(1, s.size());
                    for (final String perm : perms) {
                        try {
                            XsPermission.parse(perm);
                        } catch (final IllegalArgumentException e) {
                            throw new Err(XsdErrors.EINVAL);
                        }
                    }
                    if (perms.isEmpty()) {
                        throw new Err(XsdErrors.EINVAL);
                    }
                    n.perms = List.copyOf(perms);
                    touch(p, tx == 0 ? events : null);
                    yield XsMessage.ok(XsWire.XS_SET_PERMS, req, tx);
                }
                case XsWire.XS_WATCH -> {
                    if (s.size() < 2) {
                        throw new Err(XsdErrors.EINVAL);
                    }
                    for (final Watch w : watches) {
                        if (w.conn() == c && w.path().equals(s.get(0)) && w.token().equals(s.get(1))) {
                            throw new Err(XsdErrors.EEXIST);
                        }
                    }
                    watches.add(new Watch(c, s.get(0), s.get(1)));
                    events.add(new Event(c, XsMessage.watchEvent(s.get(0), s.get(1))));
                    yield XsMessage.ok(XsWire.XS_WATCH, req, tx);
                }
                case XsWire.XS_UNWATCH -> {
                    final boolean removed = watches.removeIf(w -> w.conn() == c && w.path().equals(s.get(0))
                        && w.token().equals(s.get(1)));
                    if (!removed) {
                        throw new Err(XsdErrors.ENOENT);
                    }
                    yield XsMessage.ok(XsWire.XS_UNWATCH, req, tx);
                }
                case XsWire.XS_TRANSACTION_START -> {
                    if (tx != 0) {
                        throw new Err(XsdErrors.EBUSY);
                    }
                    final int id = nextTx++;
                    final Map<String, Node> copy = new HashMap<>();
                    for (final Map.Entry<String, Node> e : nodes.entrySet()) {
                        copy.put(e.getKey(), e.getValue().copy());
                    }
                    c.transactions.put(id, copy);
                    c.txStart.put(id, commits);
                    yield XsMessage.ofStrings(XsWire.XS_TRANSACTION_START, req, 0, Integer.toUnsignedString(id));
                }
                case XsWire.XS_TRANSACTION_END -> {
                    final Map<String, Node> t = c.transactions.remove(tx);
                    final Long start = c.txStart.remove(tx);
                    if (t == null || start == null) {
                        throw new Err(XsdErrors.ENOENT);
                    }
                    if ("T".equals(m.firstString())) {
                        if (forcedConflicts > 0) {
                            forcedConflicts--;
                            throw new Err(XsdErrors.EAGAIN);
                        }
                        if (start != commits) {
                            throw new Err(XsdErrors.EAGAIN);
                        }
                        final List<String> changed = new ArrayList<>();
                        for (final Map.Entry<String, Node> e : t.entrySet()) {
                            final Node old = nodes.get(e.getKey());
                            if (old == null || old.generation != e.getValue().generation) {
                                changed.add(e.getKey());
                            }
                        }
                        for (final String p : nodes.keySet()) {
                            if (!t.containsKey(p)) {
                                changed.add(p);
                            }
                        }
                        nodes = t;
                        for (final String p : changed) {
                            touch(p, events);
                        }
                    }
                    yield XsMessage.ok(XsWire.XS_TRANSACTION_END, req, tx);
                }
                case XsWire.XS_GET_DOMAIN_PATH ->
                    XsMessage.ofStrings(XsWire.XS_GET_DOMAIN_PATH, req, tx, "/local/domain/" + domid(s));
                case XsWire.XS_INTRODUCE, XsWire.XS_RELEASE, XsWire.XS_RESUME, XsWire.XS_SET_TARGET -> {
                    privileged(c);
                    domid(s);
                    yield XsMessage.ok(m.type(), req, tx);
                }
                case XsWire.XS_IS_DOMAIN_INTRODUCED ->
                    XsMessage.ofStrings(XsWire.XS_IS_DOMAIN_INTRODUCED, req, tx, domid(s) == 0 ? "T" : "F");
                case XsWire.XS_RESET_WATCHES -> {
                    watches.removeIf(w -> w.conn() == c);
                    c.transactions.clear();
                    c.txStart.clear();
                    yield XsMessage.ok(XsWire.XS_RESET_WATCHES, req, tx);
                }
                case XsWire.XS_CONTROL -> {
                    privileged(c);
                    yield XsMessage.ofStrings(XsWire.XS_CONTROL, req, tx,
                        "print".equals(m.firstString()) ? "OK" : String.join(" ", s));
                }
                default -> XsMessage.error(req, tx, XsdErrors.ENOSYS);
            };
        } catch (final Err e) {
            return XsMessage.error(req, tx, e.name);
        }
    }

    private XsMessage directoryPart(final Conn c, final Map<String, Node> tree, final XsMessage m, final List<String> s)
        throws Err {
        if (s.size() < 2) {
            throw new Err(XsdErrors.EINVAL);
        }
        final Node n = readable(c, tree, path(c, s));
        final int offset;
        try {
            offset = Integer.parseInt(s.get(1));
        } catch (final NumberFormatException e) {
            throw new Err(XsdErrors.EINVAL);
        }
        final byte[] list = childList(n);
        if (offset > list.length) {
            throw new Err(XsdErrors.EINVAL);
        }
        final byte[] gen = (Long.toString(n.generation)).getBytes(StandardCharsets.US_ASCII);
        final int room = XsWire.XENSTORE_PAYLOAD_MAX - gen.length - 2;
        int end = offset;
        // Whole names only, as many as fit.
        int scan = offset;
        while (scan < list.length) {
            int nul = scan;
            while (list[nul] != 0) {
                nul++;
            }
            if (nul + 1 - offset > room) {
                break;
            }
            end = nul + 1;
            scan = end;
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(gen);
        out.write(0);
        out.write(list, offset, end - offset);
        if (end == list.length) {
            out.write(0);
        }
        return XsMessage.of(XsWire.XS_DIRECTORY_PART, m.reqId(), m.txId(), out.toByteArray());
    }

    private static byte[] childList(final Node n) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final String child : n.children) {
            out.writeBytes(child.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    private static final class Err extends Exception {
        private static final long serialVersionUID = 1L;
        final String name;

        Err(final String name) {
            super(name, null, false, false);
            this.name = name;
        }
    }

    private static int domid(final List<String> s) throws Err {
        try {
            return Integer.parseInt(s.get(0));
        } catch (final RuntimeException e) {
            throw new Err(XsdErrors.EINVAL);
        }
    }

    private static void privileged(final Conn c) throws Err {
        if (c.domid != 0) {
            throw new Err(XsdErrors.EACCES);
        }
    }

    private static String path(final Conn c, final List<String> s) throws Err {
        if (s.isEmpty() || s.get(0).isEmpty()) {
            throw new Err(XsdErrors.EINVAL);
        }
        String p = s.get(0);
        if (!p.startsWith("/")) {
            p = "/local/domain/" + c.domid + "/" + p;
        }
        if (p.length() > XsWire.XENSTORE_ABS_PATH_MAX || (p.length() > 1 && p.endsWith("/")) || p.contains("//")) {
            throw new Err(XsdErrors.EINVAL);
        }
        return p;
    }

    private static String parent(final String p) {
        final int slash = p.lastIndexOf('/');
        return slash <= 0 ? "/" : p.substring(0, slash);
    }

    private static boolean canRead(final Conn c, final Node n) {
        if (c.domid == 0) {
            return true;
        }
        final XsPermission owner = XsPermission.parse(n.perms.get(0));
        if (owner.domid() == c.domid) {
            return true;
        }
        for (int i = 1; i < n.perms.size(); i++) {
            final XsPermission p = XsPermission.parse(n.perms.get(i));
            if (p.domid() == c.domid) {
                return p.access().canRead();
            }
        }
        return owner.access().canRead();
    }

    private static boolean canWrite(final Conn c, final Node n) {
        if (c.domid == 0) {
            return true;
        }
        final XsPermission owner = XsPermission.parse(n.perms.get(0));
        if (owner.domid() == c.domid) {
            return true;
        }
        for (int i = 1; i < n.perms.size(); i++) {
            final XsPermission p = XsPermission.parse(n.perms.get(i));
            if (p.domid() == c.domid) {
                return p.access().canWrite();
            }
        }
        return owner.access().canWrite();
    }

    private static Node readable(final Conn c, final Map<String, Node> tree, final String p) throws Err {
        final Node n = tree.get(p);
        if (n == null) {
            throw new Err(XsdErrors.ENOENT);
        }
        if (!canRead(c, n)) {
            throw new Err(XsdErrors.EACCES);
        }
        return n;
    }

    private static Node writable(final Conn c, final Map<String, Node> tree, final String p) throws Err {
        final Node n = tree.get(p);
        if (n == null) {
            throw new Err(XsdErrors.ENOENT);
        }
        if (!canWrite(c, n)) {
            throw new Err(XsdErrors.EACCES);
        }
        return n;
    }

    private void write(final Conn c, final Map<String, Node> tree, final String p, final byte[] value,
        final @Nullable List<Event> events) throws Err {
        Node n = tree.get(p);
        if (n == null) {
            n = create(c, tree, p, events);
        } else {
            writable(c, tree, p);
        }
        n.value = value;
        n.generation = ++generation;
        touch(p, events);
    }

    private Node create(final Conn c, final Map<String, Node> tree, final String p,
        final @Nullable List<Event> events) throws Err {
        final String parentPath = parent(p);
        Node parent = tree.get(parentPath);
        if (parent == null) {
            parent = create(c, tree, parentPath, events);
        }
        if (!canWrite(c, parent)) {
            throw new Err(XsdErrors.EACCES);
        }
        final List<String> perms = c.domid == 0 ? parent.perms
            : List.of("n" + c.domid);
        final Node n = new Node(perms, ++generation);
        tree.put(p, n);
        parent.children.add(p.substring(p.lastIndexOf('/') + 1));
        parent.generation = ++generation;
        touch(p, events);
        return n;
    }

    private void mkdirs(final Map<String, Node> tree, final String p, final List<String> perms) {
        String at = "";
        for (final String part : p.substring(1).split("/")) {
            final String parentPath = at.isEmpty() ? "/" : at;
            at = at + "/" + part;
            if (!tree.containsKey(at)) {
                tree.put(at, new Node(perms, ++generation));
                java.util.Objects.requireNonNull(tree.get(parentPath)).children.add(part);
            }
        }
    }

    private void remove(final Map<String, Node> tree, final String p) {
        final Node n = tree.remove(p);
        if (n == null) {
            return;
        }
        for (final String child : n.children) {
            remove(tree, p.equals("/") ? "/" + child : p + "/" + child);
        }
        final Node parent = tree.get(parent(p));
        if (parent != null) {
            parent.children.remove(p.substring(p.lastIndexOf('/') + 1));
            parent.generation = ++generation;
        }
    }

    private void touch(final String p, final @Nullable List<Event> events) {
        if (events == null) {
            return;
        }
        // Any change outside a transaction makes every open transaction conflict.
        commits++;
        for (final Watch w : watches) {
            final String eventPath;
            if (under(p, w.path())) {
                eventPath = p;
            } else if (under(w.path(), p)) {
                eventPath = w.path();
            } else {
                continue;
            }
            events.add(new Event(w.conn(), XsMessage.watchEvent(eventPath, w.token())));
        }
    }

    private static boolean under(final String child, final String parent) {
        return child.equals(parent) || parent.equals("/") || child.startsWith(parent + "/");
    }

    static int headerLength() {
        return XsWireHeader.LENGTH;
    }
}
