package io.xen4j.console;

import io.xen4j.rings.ConsoleRing;
import io.xen4j.rings.RingViolation;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.jspecify.annotations.Nullable;

/**
 * The backend's side of one connected console page, without any I/O of its own: {@link #pump}
 * reads the {@code out} ring within the rate budget into a bounded buffer, hands the buffer to
 * the sink, and moves queued input onto the {@code in} ring; notifications go through a
 * {@link Runnable}. The guest is hostile: its indices are read once per pass and validated by the
 * byte rings; a violation breaks this console for good (R10), with one reason, and nothing is
 * thrown. Used by one thread at a time (the backend's agent), except {@link #queueInput}.
 */
final class ConsoleConnection {
    private static final int SCRATCH = 4096;

    final ConsoleId id;
    private final ConsoleRing ring;
    private final Runnable notifier;
    /** Where the one line per event goes (the backend's log): the core itself does no I/O. */
    private final Consumer<String> log;
    private final ConsoleSink sink;
    /** The domain's budget, shared with its other consoles. */
    private final RateBudget budget;
    /** Output not yet taken by the sink: a circular buffer. */
    private final byte[] buffer;
    private int head;
    private int size;
    private final byte[] input;
    private int inputSize;
    private final UnsafeBuffer scratchView;
    private final UnsafeBuffer inputView;
    private final byte[] scratch = new byte[SCRATCH];
    private final byte[] flat;
    /** Set by the event handler: the guest said "look". */
    final AtomicBoolean pending;
    private volatile @Nullable String broken;
    private boolean sinkFailed;
    private boolean throttledNow;
    long bytesOut;
    long bytesIn;
    long discarded;
    long throttled;

    ConsoleConnection(final ConsoleId id, final AtomicBuffer page, final Runnable notifier, final ConsoleSink sink,
        final ConsoleBackendConfig config, final int bufferBytes, final RateBudget budget, final AtomicBoolean pending,
        final Consumer<String> log) {
        this.id = id;
        this.log = log;
        this.pending = pending;
        this.ring = ConsoleRing.backend(id.name(), page).attach();
        this.notifier = notifier;
        this.sink = sink;
        this.budget = budget;
        this.buffer = new byte[bufferBytes];
        this.flat = new byte[Math.min(bufferBytes, 64 * 1024)];
        this.input = new byte[config.inputBytes()];
        this.scratchView = new UnsafeBuffer(scratch);
        this.inputView = new UnsafeBuffer(input);
        checkRing();
    }

    /**
     * One pass: output, sink, input.
     *
     * @param nowNanos the backend's clock
     * @return work done (bytes moved), 0 when idle or broken
     */
    int pump(final long nowNanos) {
        if (broken != null) {
            return 0;
        }
        budget.refill(nowNanos);
        int work = readOutput();
        work += flushToSink();
        work += writeInput();
        return work;
    }

    /** Whether output may be waiting that the last pass left (rate limit, a slow sink, queued input). */
    boolean hasBacklog() {
        return broken == null && (throttledNow || size > 0 || inputSize > 0);
    }

    private int readOutput() {
        int total = 0;
        throttledNow = false;
        while (true) {
            final int max = (int) Math.min(budget.tokens(), SCRATCH);
            if (max <= 0) {
                // Leave the rest in the ring: the guest waits for room, the other consoles go on.
                if (ring.consumer().available() > 0) {
                    throttledNow = true;
                    throttled++;
                }
                checkRing();
                break;
            }
            // read() loads out_prod once, validates it (R1, R6) and copies each byte once (R2).
            final int n = ring.consumer().read(scratchView, 0, max);
            if (checkRing()) {
                return total;
            }
            if (n <= 0) {
                break;
            }
            budget.take(n);
            bytesOut += n;
            total += n;
            append(scratch, n);
        }
        if (ring.consumer().releaseAndCheckNotify()) {
            notifier.run();
        }
        return total;
    }

    /** Appends to the buffer, discarding the oldest bytes when it is full. */
    private void append(final byte[] data, final int n) {
        final int cap = buffer.length;
        int from = 0;
        int count = n;
        if (count > cap) {
            discarded += count - cap;
            from = count - cap;
            count = cap;
        }
        final int overflow = size + count - cap;
        if (overflow > 0) {
            head = (head + overflow) % cap;
            size -= overflow;
            discarded += overflow;
        }
        final int tail = (head + size) % cap;
        final int first = Math.min(count, cap - tail);
        System.arraycopy(data, from, buffer, tail, first);
        System.arraycopy(data, from + first, buffer, 0, count - first);
        size += count;
    }

    private int flushToSink() {
        int total = 0;
        while (size > 0) {
            final int n = Math.min(size, Math.min(flat.length, buffer.length - head));
            System.arraycopy(buffer, head, flat, 0, n);
            int taken;
            if (sinkFailed) {
                taken = n;
                discarded += n;
            } else {
                try {
                    taken = sink.write(flat, 0, n);
                } catch (final IOException | RuntimeException e) {
                    sinkFailed = true;
                    log.accept("console " + id.name() + ": its sink failed (" + e + "); its output is discarded from now on");
                    taken = 0;
                }
            }
            if (taken < 0 || taken > n) {
                taken = n;
            }
            head = (head + taken) % buffer.length;
            size -= taken;
            total += taken;
            if (taken < n && !sinkFailed) {
                break;
            }
        }
        return total;
    }

    /**
     * Queues input for the guest.
     *
     * @return bytes queued, fewer when the queue is full
     */
    synchronized int queueInput(final byte[] data, final int offset, final int length) {
        final int n = Math.min(length, input.length - inputSize);
        System.arraycopy(data, offset, input, inputSize, n);
        inputSize += n;
        return n;
    }

    private int writeInput() {
        if (!sinkFailed) {
            synchronized (this) {
                if (inputSize < input.length) {
                    try {
                        inputSize += sink.readInput(input, inputSize, input.length - inputSize);
                    } catch (final IOException | RuntimeException e) {
                        sinkFailed = true;
                        log.accept("console " + id.name() + ": input from its sink failed: " + e);
                    }
                }
            }
        }
        synchronized (this) {
            if (inputSize == 0) {
                return 0;
            }
            final int n = ring.producer().write(inputView, 0, inputSize);
            if (checkRing()) {
                return 0;
            }
            if (n > 0) {
                System.arraycopy(input, n, input, 0, inputSize - n);
                inputSize -= n;
                bytesIn += n;
                if (ring.producer().pushAndCheckNotify()) {
                    notifier.run();
                }
            }
            return n;
        }
    }

    /** True (and broken) when either ring saw a violation. */
    private boolean checkRing() {
        if (broken == null && ring.isBroken()) {
            final RingViolation v = ring.consumer().isBroken() ? ring.consumer().violation() : ring.producer().violation();
            broken = "dom" + id.domid() + " console " + id.name() + ": " + (v == null ? "ring" : v.securityRule() + " " + v.name())
                + ": " + ring.brokenReason();
            log.accept(broken + "; this console stops, the others go on");
        }
        return broken != null;
    }

    /** Why the console is broken, or null. */
    @Nullable String broken() {
        return broken;
    }

    /** Bytes buffered for the sink. */
    int buffered() {
        return size;
    }

    void close() {
        try {
            flushToSink();
        } finally {
            sink.close();
        }
    }
}
