package io.xen4j.blk.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * A many-producer, one-consumer FIFO whose elements are their own links (Vyukov's intrusive
 * MPSC queue): {@link #offer} allocates nothing, unlike a linked queue that wraps each element in
 * a node, so that submitting a pooled request costs no garbage. Producers are wait-free (one
 * {@code getAndSet}); the consumer may see an element that is half linked as "empty for now" and
 * finds it on its next poll.
 *
 * <p>Ordering: a producer publishes its element with the {@code getAndSet} of the tail (a full
 * fence) and links it with a release store of the predecessor's {@code next}; the consumer reads
 * {@code next} with acquire, so the element's fields written before {@code offer} are visible.
 *
 * @param <T> the element type
 */
public final class IntrusiveMpscQueue<T extends IntrusiveMpscQueue.Node> {
    /** The link each element carries; an element is in at most one queue at a time. */
    public static class Node {
        private static final VarHandle NEXT;

        static {
            try {
                NEXT = MethodHandles.lookup().findVarHandle(Node.class, "next", Node.class);
            } catch (final ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @SuppressWarnings("unused") // accessed through NEXT only
        private @Nullable Node next;

        /** Creates an unlinked node. */
        protected Node() {
        }

        @Nullable Node nextAcquire() {
            return (Node) NEXT.getAcquire(this);
        }

        void nextRelease(final @Nullable Node n) {
            NEXT.setRelease(this, n);
        }

        void nextPlain(final @Nullable Node n) {
            NEXT.set(this, n);
        }
    }

    private static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(IntrusiveMpscQueue.class, "tail", Node.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Node stub = new Node();
    /** Consumer only. */
    private Node head = stub;
    /** Producers swap themselves in here. */
    @SuppressWarnings({"unused", "FieldMayBeFinal"}) // accessed through TAIL
    private volatile Node tail = stub;

    /** Creates an empty queue. */
    public IntrusiveMpscQueue() {
    }

    /**
     * Appends an element; any thread.
     *
     * @param element an element in no queue
     */
    public void offer(final T element) {
        push(element);
    }

    private void push(final Node n) {
        n.nextPlain(null);
        final Node prev = (Node) TAIL.getAndSet(this, n);
        prev.nextRelease(n);
    }

    /**
     * Takes the oldest element; the consumer thread only.
     *
     * @return the element, or null when empty (or the next one is still being linked)
     */
    // Identity is the point: the stub and the tail are particular nodes, not equal values.
    @SuppressWarnings({"unchecked", "ReferenceEquality"})
    public @Nullable T poll() {
        Node h = head;
        Node next = h.nextAcquire();
        if (h == stub) {
            if (next == null) {
                return null;
            }
            head = next;
            h = next;
            next = next.nextAcquire();
        }
        if (next != null) {
            head = next;
            return (T) h;
        }
        if (h != tail) {
            // A producer swapped the tail but has not linked yet: its element comes next time.
            return null;
        }
        // h is the last element: put the stub behind it, so that h can be handed out.
        push(stub);
        next = h.nextAcquire();
        if (next != null) {
            head = next;
            return (T) h;
        }
        return null;
    }
}
