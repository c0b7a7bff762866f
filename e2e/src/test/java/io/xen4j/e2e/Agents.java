package io.xen4j.e2e;

import io.xen4j.hal.api.EventLoop;
import io.xen4j.hal.api.XenHost;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.jspecify.annotations.Nullable;

/**
 * Runs a driver agent on a thread of its own, as an application would: between two duty cycles
 * with no work the thread waits for an event on the host's channels, at most a few
 * milliseconds (xenstore watch flags are not events, so the wait is short).
 */
final class Agents implements AutoCloseable {
    private final AgentRunner runner;
    private final AtomicReference<@Nullable Throwable> error = new AtomicReference<>();

    private Agents(final XenHost host, final Agent agent) {
        this.runner = new AgentRunner(EventLoop.idleStrategy(host.eventChannels(), TimeUnit.MILLISECONDS.toNanos(5)),
            t -> error.compareAndSet(null, t), null, agent);
    }

    /**
     * Starts an agent on a daemon thread named by its role.
     *
     * @param host the host whose channels wake the thread
     * @param agent the driver
     * @return the running agent; close it to stop the thread
     */
    static Agents start(final XenHost host, final Agent agent) {
        final Agents a = new Agents(host, agent);
        AgentRunner.startOnThread(a.runner, r -> {
            final Thread t = new Thread(r, agent.roleName());
            t.setDaemon(true);
            return t;
        });
        return a;
    }

    /**
     * The first exception that left the agent, or null.
     *
     * @return the error
     */
    @Nullable Throwable error() {
        return error.get();
    }

    @Override
    public void close() {
        runner.close();
    }
}
