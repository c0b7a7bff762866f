package io.xen4j.hal.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.EventChannels;
import io.xen4j.hal.api.XenHalException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;

/**
 * The base of every contract suite: a fresh {@link XenTestBed} per test, and helpers.
 */
public abstract class HalContract {
    private @Nullable XenTestBed bed;

    /**
     * Creates the test bed for one test.
     *
     * @return a new bed
     */
    protected abstract XenTestBed createTestBed();

    /**
     * The current test's bed.
     *
     * @return the bed
     */
    protected final XenTestBed bed() {
        return Objects.requireNonNull(bed, "test bed");
    }

    @BeforeEach
    final void openBed() {
        bed = createTestBed();
    }

    @AfterEach
    final void closeBed() {
        final XenTestBed b = bed;
        bed = null;
        if (b != null) {
            b.close();
        }
    }

    /**
     * Asserts that the call fails with a {@link XenHalException} carrying {@code errno}, and
     * returns it for further checks on the message.
     *
     * @param errno the expected errno
     * @param call  the call
     * @return the exception
     */
    protected static XenHalException assertErrno(final Errno errno, final Executable call) {
        final XenHalException e = assertThrows(XenHalException.class, call);
        assertEquals(errno, e.errno(), () -> "wrong errno in: " + e.getMessage());
        return e;
    }

    /**
     * Asserts that the message contains every fragment.
     *
     * @param e         the exception
     * @param fragments what must appear
     */
    protected static void assertMentions(final Throwable e, final String... fragments) {
        final String m = String.valueOf(e.getMessage());
        for (final String f : fragments) {
            assertTrue(m.contains(f), () -> "message lacks '" + f + "': " + m);
        }
    }

    /**
     * Polls until {@code count} handler calls happened, waiting for events in between.
     *
     * @param channels the channels to poll
     * @param count    handler calls expected
     * @return the handler calls made
     */
    protected static int pollFor(final EventChannels channels, final int count) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int done = 0;
        while (done < count) {
            done += channels.poll(count - done);
            if (done < count) {
                if (System.nanoTime() > deadline) {
                    fail("only " + done + " of " + count + " events arrived within 5 s");
                }
                channels.awaitEvent(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
        return done;
    }

    /**
     * Polls everything pending now, unmasking nothing.
     *
     * @param channels the channels
     * @return the handler calls made
     */
    protected static int drain(final EventChannels channels) {
        int total = 0;
        int n;
        while ((n = channels.poll(64)) > 0) {
            total += n;
        }
        return total;
    }

    /**
     * Drains an initial event a fresh interdomain binding may get, and unmasks the channel.
     *
     * @param channels the binder's channels
     * @param channel  the new channel
     */
    protected static void settle(final EventChannels channels, final EventChannel channel) {
        channels.awaitEvent(TimeUnit.MILLISECONDS.toNanos(1));
        drain(channels);
        channel.unmask();
        drain(channels);
    }
}
