package io.xen4j.hal.api;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;

/**
 * A thread that delivers the events of one {@link EventChannels} to their handlers: an Agrona
 * {@link AgentRunner} whose agent calls {@link EventChannels#poll(int)} and whose idle strategy
 * blocks in {@link EventChannels#awaitEvent(long)} instead of spinning.
 *
 * <p>An exception thrown by a handler goes to the error handler and the loop carries on: nothing
 * throws out of the loop (SECURITY-RULES R10).
 *
 * <pre>{@code
 * try (EventLoop loop = EventLoop.start(host.eventChannels(), "blkback-dom3", Throwable::printStackTrace)) {
 *     ...
 * }
 * }</pre>
 */
public final class EventLoop implements AutoCloseable {
    /** Handlers called per {@link EventChannels#poll(int)}: bounds the latency of one duty cycle. */
    public static final int DEFAULT_BATCH = 64;
    /** How long one idle wait lasts before the runner checks whether it was closed. */
    public static final long DEFAULT_IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final AgentRunner runner;

    private EventLoop(final AgentRunner runner) {
        this.runner = runner;
    }

    /**
     * Starts a loop thread with the defaults.
     *
     * @param channels     the channels to deliver
     * @param name         the agent's role name, also the thread's name
     * @param errorHandler receives exceptions thrown by handlers
     * @return the running loop
     */
    public static EventLoop start(final EventChannels channels, final String name, final ErrorHandler errorHandler) {
        return start(channels, name, errorHandler, DEFAULT_BATCH, DEFAULT_IDLE_WAIT_NANOS);
    }

    /**
     * Starts a loop thread.
     *
     * @param channels      the channels to deliver
     * @param name          the agent's role name, also the thread's name
     * @param errorHandler  receives exceptions thrown by handlers
     * @param batch         handlers called per poll, at least 1
     * @param idleWaitNanos how long one idle wait lasts, at least 1
     * @return the running loop
     */
    public static EventLoop start(
        final EventChannels channels,
        final String name,
        final ErrorHandler errorHandler,
        final int batch,
        final long idleWaitNanos) {
        Objects.requireNonNull(channels, "channels");
        if (batch < 1 || idleWaitNanos < 1) {
            throw new IllegalArgumentException("batch=" + batch + " idleWaitNanos=" + idleWaitNanos + ": both must be >= 1");
        }
        final AgentRunner runner = new AgentRunner(
            new AwaitEventIdleStrategy(channels, idleWaitNanos), errorHandler, null, new PollAgent(channels, name, batch));
        AgentRunner.startOnThread(runner, r -> {
            final Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        return new EventLoop(runner);
    }

    /**
     * An agent that polls one {@link EventChannels}, for callers who compose their own
     * {@code AgentRunner} or {@code CompositeAgent}.
     *
     * @param channels the channels to deliver
     * @param name     the role name
     * @param batch    handlers called per duty cycle, at least 1
     * @return the agent
     */
    public static Agent agent(final EventChannels channels, final String name, final int batch) {
        return new PollAgent(channels, name, batch);
    }

    /**
     * An idle strategy that blocks until an event is pending, for the runner of {@link #agent}.
     *
     * @param channels      the channels whose events end the wait
     * @param idleWaitNanos the longest single wait
     * @return the strategy
     */
    public static IdleStrategy idleStrategy(final EventChannels channels, final long idleWaitNanos) {
        return new AwaitEventIdleStrategy(channels, idleWaitNanos);
    }

    /**
     * Whether the loop was closed.
     *
     * @return true after {@link #close()}
     */
    public boolean isClosed() {
        return runner.isClosed();
    }

    /**
     * Stops the loop and waits for its thread to end.
     */
    @Override
    public void close() {
        runner.close();
    }

    private static final class PollAgent implements Agent {
        private final EventChannels channels;
        private final String name;
        private final int batch;

        PollAgent(final EventChannels channels, final String name, final int batch) {
            this.channels = channels;
            this.name = name;
            this.batch = batch;
        }

        @Override
        public int doWork() {
            return channels.poll(batch);
        }

        @Override
        public String roleName() {
            return name;
        }
    }

    private static final class AwaitEventIdleStrategy implements IdleStrategy {
        private final EventChannels channels;
        private final long waitNanos;

        AwaitEventIdleStrategy(final EventChannels channels, final long waitNanos) {
            this.channels = channels;
            this.waitNanos = waitNanos;
        }

        @Override
        public void idle(final int workCount) {
            if (workCount <= 0) {
                idle();
            }
        }

        @Override
        public void idle() {
            // Returns early on an event or an interrupt; AgentRunner checks its state after each
            // idle, so a bounded wait is what lets close() end the thread.
            channels.awaitEvent(waitNanos);
        }

        @Override
        public void reset() {
        }

        @Override
        public String alias() {
            return "await-event";
        }
    }
}
