package io.xen4j.console;

import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.HandleClosedException;
import io.xen4j.rings.ByteRingConsumer;
import io.xen4j.rings.ByteRingProducer;
import io.xen4j.rings.ConsoleRing;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A guest's console page ({@code struct xencons_interface}) as streams: what the guest writes goes
 * to the {@code out} ring for the backend, what the backend sends arrives on the {@code in} ring.
 * For the primary console the page and the port come from the domain builder ({@code start_info}
 * or HVM parameters, and {@code console/ring-ref}, {@code console/port} in xenstore); for a
 * secondary console {@link SecondaryConsoleFront} makes both.
 *
 * <p>Writes and reads come in a non-blocking form ({@link #tryWrite}, {@link #tryRead}: as much as
 * fits or is there, possibly nothing) and a blocking form with a timeout ({@link #write},
 * {@link #read}, and the streams). A blocked thread wakes on the channel's events through
 * {@link ConsoleWakeup} and re-checks the ring at least every millisecond, so a lost event costs
 * latency, never data. The backend is untrusted: an index outside the rules breaks the console
 * and every later call throws an {@link IOException} naming the console and the rule.
 *
 * <p>One writer and one reader may work at the same time; calls of the same direction are serialised.
 */
public final class GuestConsole implements AutoCloseable {
    /** Longest sleep between two looks at the ring: bounds the cost of a lost event. */
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final String name;
    private final ConsoleRing ring;
    private final EventChannel channel;
    private final ConsoleWakeup wakeup;
    private final Object outLock = new Object();
    private final Object inLock = new Object();
    private final UnsafeBuffer outView = new UnsafeBuffer(new byte[1]);
    private final UnsafeBuffer inView = new UnsafeBuffer(new byte[1]);
    private volatile boolean closed;

    /**
     * Attaches to a console page whose indices may already be in use (a console survives a kexec
     * or a driver reload): the rings continue where they are.
     *
     * @param name    the console's name in messages, for example {@code "console-dom5"}
     * @param page    the console page (at least {@link ConsoleRing#LENGTH} bytes)
     * @param channel the console's event channel, bound to the backend
     * @param wakeup  the handler the channel was bound with
     */
    public GuestConsole(final String name, final AtomicBuffer page, final EventChannel channel, final ConsoleWakeup wakeup) {
        this.name = name;
        this.ring = ConsoleRing.frontend(name, page).attach();
        this.channel = channel;
        this.wakeup = wakeup;
    }

    /**
     * The console's name.
     *
     * @return the name given at creation
     */
    public String name() {
        return name;
    }

    /**
     * Writes as many bytes as fit in the {@code out} ring now and tells the backend.
     *
     * @param b   the bytes
     * @param off the first byte
     * @param len how many
     * @return bytes written, 0 to {@code len}
     * @throws IOException if the console is closed or broken
     */
    public int tryWrite(final byte[] b, final int off, final int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        synchronized (outLock) {
            check();
            if (len == 0) {
                return 0;
            }
            final ByteRingProducer out = ring.producer();
            outView.wrap(b);
            final int n = out.write(outView, off, len);
            if (out.pushAndCheckNotify()) {
                notifyBackend();
            }
            check();
            return n;
        }
    }

    /**
     * Writes all bytes, waiting for room as long as the backend is reading.
     *
     * @param b       the bytes
     * @param off     the first byte
     * @param len     how many
     * @param timeout the longest wait for room
     * @throws InterruptedIOException if the timeout passed (its {@code bytesTransferred} says how
     *                                many were written) or the thread was interrupted
     * @throws IOException            if the console is closed or broken
     */
    public void write(final byte[] b, final int off, final int len, final Duration timeout) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        final long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (outLock) {
            int done = 0;
            while (true) {
                final long seen = wakeup.events();
                done += tryWrite(b, off + done, len - done);
                if (done == len) {
                    return;
                }
                awaitOrFail(seen, deadline, done, "room in the out ring (the backend is not reading)", timeout);
            }
        }
    }

    /**
     * Reads what the backend sent, without waiting.
     *
     * @param b   where the bytes go
     * @param off the first byte
     * @param len the most bytes to read
     * @return bytes read, 0 when there are none
     * @throws IOException if the console is closed or broken
     */
    public int tryRead(final byte[] b, final int off, final int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        synchronized (inLock) {
            check();
            if (len == 0) {
                return 0;
            }
            final ByteRingConsumer in = ring.consumer();
            inView.wrap(b);
            final int n = in.read(inView, off, len);
            if (in.releaseAndCheckNotify()) {
                notifyBackend();
            }
            check();
            return n;
        }
    }

    /**
     * Reads at least one byte, waiting up to the timeout.
     *
     * @param b       where the bytes go
     * @param off     the first byte
     * @param len     the most bytes to read, at least 1
     * @param timeout the longest wait
     * @return bytes read, 1 to {@code len}
     * @throws InterruptedIOException if nothing came within the timeout or the thread was interrupted
     * @throws IOException            if the console is closed or broken
     */
    public int read(final byte[] b, final int off, final int len, final Duration timeout) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        final long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (inLock) {
            while (true) {
                final long seen = wakeup.events();
                final int n = tryRead(b, off, len);
                if (n > 0) {
                    return n;
                }
                awaitOrFail(seen, deadline, 0, "input from the backend", timeout);
            }
        }
    }

    /**
     * Bytes the backend sent that can be read now.
     *
     * @return 0 to the size of the {@code in} ring; 0 when broken
     */
    public int available() {
        synchronized (inLock) {
            return ring.consumer().available();
        }
    }

    /**
     * An output stream whose writes wait for room up to {@code timeout} each.
     *
     * @param timeout the longest wait of one write
     * @return the stream; closing it closes the console
     */
    public OutputStream outputStream(final Duration timeout) {
        return new OutputStream() {
            @Override
            public void write(final int b) throws IOException {
                GuestConsole.this.write(new byte[] {(byte) b}, 0, 1, timeout);
            }

            @Override
            public void write(final byte[] b, final int off, final int len) throws IOException {
                GuestConsole.this.write(b, off, len, timeout);
            }

            @Override
            public void close() {
                GuestConsole.this.close();
            }
        };
    }

    /**
     * An input stream whose reads wait up to {@code timeout} for the first byte.
     *
     * @param timeout the longest wait of one read; it throws {@link InterruptedIOException} after it
     * @return the stream; closing it closes the console
     */
    public InputStream inputStream(final Duration timeout) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                final byte[] one = new byte[1];
                GuestConsole.this.read(one, 0, 1, timeout);
                return one[0] & 0xFF;
            }

            @Override
            public int read(final byte[] b, final int off, final int len) throws IOException {
                return GuestConsole.this.read(b, off, len, timeout);
            }

            @Override
            public int available() {
                return GuestConsole.this.available();
            }

            @Override
            public void close() {
                GuestConsole.this.close();
            }
        };
    }

    /**
     * Whether the backend broke an index rule.
     *
     * @return true once broken
     */
    public boolean isBroken() {
        return ring.isBroken();
    }

    /**
     * Why the console is broken.
     *
     * @return the reason, or the empty string
     */
    public String brokenReason() {
        return ring.brokenReason();
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed;
    }

    /** Stops the console: waiting threads wake and every later call throws. The page and channel stay with their owner. */
    @Override
    public void close() {
        closed = true;
        wakeup.wakeUp();
    }

    private void notifyBackend() throws IOException {
        try {
            channel.notifyPeer();
        } catch (final HandleClosedException e) {
            throw new IOException(name + ": the console's event channel is closed", e);
        }
    }

    private void check() throws IOException {
        if (closed) {
            throw new IOException(name + ": console closed");
        }
        if (ring.isBroken()) {
            throw new IOException(name + ": console broken by the backend: " + ring.brokenReason());
        }
    }

    private void awaitOrFail(final long seen, final long deadline, final int done, final String what, final Duration timeout)
        throws IOException {
        final long left = deadline - System.nanoTime();
        if (left <= 0) {
            final InterruptedIOException e = new InterruptedIOException(name + ": no " + what + " within "
                + timeout.toMillis() + " ms");
            e.bytesTransferred = done;
            throw e;
        }
        try {
            wakeup.await(seen, Math.min(left, RECHECK_NANOS));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            final InterruptedIOException io = new InterruptedIOException(name + ": interrupted while waiting for " + what);
            io.bytesTransferred = done;
            throw io;
        }
        check();
    }
}
