package io.xen4j.hal.memory.xenstore;

import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.store.wire.XsMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The daemon's side of one client connection: who the client is (its domain, whether it is
 * privileged), its watches and transactions, and the messages waiting to be sent to it (replies
 * and watch events, in the order the daemon produced them).
 *
 * <p>A connection belongs to one {@link XenstoreCore} and, like the core, is not thread-safe;
 * {@link XenstoreService} serialises access. Transports take messages with {@link #pollOutput()}.
 */
public final class XsConnection {
    private final int serial;
    private final int domid;
    private final boolean privileged;
    private final String home;
    final List<Watch> watches = new ArrayList<>();
    final HashMap<Integer, Transaction> transactions = new HashMap<>();
    private int nextTransactionId = 1;
    private final ArrayDeque<XsMessage> outbox = new ArrayDeque<>();
    private final HashSet<String> pendingEventKeys = new HashSet<>();
    private int pendingReplies;
    private int pendingEvents;
    private long droppedEvents;
    private boolean closed;
    private @Nullable String closeReason;
    private @Nullable Runnable outputListener;

    XsConnection(final int serial, final int domid, final boolean privileged) {
        this.serial = serial;
        this.domid = domid;
        this.privileged = privileged;
        this.home = XsPaths.home(domid);
    }

    /**
     * The client's domain; 0 for the Unix socket, which C xenstored treats as dom0.
     *
     * @return domain id
     */
    public int domid() {
        return domid;
    }

    /**
     * Whether the client is privileged (dom0 or the socket): it bypasses permissions and quotas and
     * may use the domain-management requests.
     *
     * @return true if privileged
     */
    public boolean isPrivileged() {
        return privileged;
    }

    /**
     * The base of the client's relative paths, {@code /local/domain/<domid>}.
     *
     * @return the home path
     */
    public String home() {
        return home;
    }

    /**
     * Whether the connection is closed: by its transport, or because its domain was released.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Why the connection was closed.
     *
     * @return the reason, or null while open
     */
    public @Nullable String closeReason() {
        return closeReason;
    }

    /**
     * Whether messages wait to be sent.
     *
     * @return true if {@link #pollOutput()} would return one
     */
    public boolean hasOutput() {
        return !outbox.isEmpty();
    }

    /**
     * Takes the next message to send to the client.
     *
     * @return the message, or null if none waits
     */
    public @Nullable XsMessage pollOutput() {
        final XsMessage m = outbox.poll();
        if (m != null) {
            if (m.type() == XsWire.XS_WATCH_EVENT) {
                pendingEvents--;
                pendingEventKeys.remove(eventKey(m));
            } else {
                pendingReplies--;
            }
        }
        return m;
    }

    /**
     * Replies produced but not yet taken: C xenstored's outstanding requests.
     *
     * @return count
     */
    public int pendingReplies() {
        return pendingReplies;
    }

    /**
     * Watch events waiting to be taken.
     *
     * @return count
     */
    public int pendingEvents() {
        return pendingEvents;
    }

    /**
     * Watch events dropped because the client did not take them fast enough (its queue was full),
     * or because they would have been longer than a payload.
     *
     * @return count
     */
    public long droppedEvents() {
        return droppedEvents;
    }

    /**
     * Whether the daemon takes another request from this client now: a privileged client always;
     * an unprivileged one while fewer than {@link XenstoreQuotas#outstanding()} replies wait.
     *
     * @param quotas the daemon's quotas
     * @return true if a request may be processed
     */
    public boolean mayProcess(final XenstoreQuotas quotas) {
        return !closed && (privileged || pendingReplies < quotas.outstanding());
    }

    /**
     * Sets the callback run when the outbox goes from empty to non-empty. It runs inside the
     * daemon (under its lock) and must not call it; it should only wake the transport.
     *
     * @param listener the callback, or null
     */
    public void outputListener(final @Nullable Runnable listener) {
        this.outputListener = listener;
    }

    int serial() {
        return serial;
    }

    int allocateTransactionId() {
        // Never 0 (no transaction) and never one in use, even after the counter wraps.
        int id = nextTransactionId;
        while (id == 0 || transactions.containsKey(id)) {
            id++;
        }
        nextTransactionId = id + 1;
        return id;
    }

    void queueReply(final XsMessage reply) {
        pendingReplies++;
        offer(reply);
    }

    /** Queues an event unless an identical one waits already or the queue is full; true if queued. */
    boolean queueEvent(final XsMessage event, final boolean special, final int limit) {
        if (closed) {
            return false;
        }
        final String key = eventKey(event);
        if (!special && pendingEventKeys.contains(key)) {
            // C xenstored drops an event identical to one still queued: the client learns nothing new.
            return false;
        }
        if (pendingEvents >= limit) {
            droppedEvents++;
            return false;
        }
        pendingEvents++;
        pendingEventKeys.add(key);
        offer(event);
        return true;
    }

    void countDroppedEvent() {
        droppedEvents++;
    }

    private void offer(final XsMessage m) {
        if (closed) {
            return;
        }
        final boolean wasEmpty = outbox.isEmpty();
        outbox.add(m);
        final Runnable l = outputListener;
        if (wasEmpty && l != null) {
            l.run();
        }
    }

    private static String eventKey(final XsMessage m) {
        return new String(m.payload(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    void markClosed(final String reason) {
        closed = true;
        closeReason = reason;
        outbox.clear();
        pendingEventKeys.clear();
        pendingReplies = 0;
        pendingEvents = 0;
    }

    @Override
    public String toString() {
        return "xenstore connection #" + serial + " of domain " + domid + (privileged ? " (privileged)" : "");
    }
}
