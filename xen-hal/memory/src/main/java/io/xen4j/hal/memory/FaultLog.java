package io.xen4j.hal.memory;

import java.util.ArrayList;
import java.util.List;

/**
 * Every fault a {@link SimulatedXen} injected, in order, with the seed and plan that reproduce
 * them. Each entry is also logged to the {@code System.Logger} named {@value #LOGGER_NAME} at
 * level {@code DEBUG}. Thread-safe.
 */
public final class FaultLog {
    /** The name of the {@code System.Logger} every injected fault goes to. */
    public static final String LOGGER_NAME = "io.xen4j.hal.memory.faults";

    private static final System.Logger LOG = System.getLogger(LOGGER_NAME);

    private final long seed;
    private final FaultPlan plan;
    private final List<InjectedFault> entries = new ArrayList<>();

    FaultLog(final long seed, final FaultPlan plan) {
        this.seed = seed;
        this.plan = plan;
    }

    synchronized InjectedFault add(
        final long timeNanos, final FaultKind kind, final int actor, final FaultRule rule, final String detail) {
        final InjectedFault f = new InjectedFault(entries.size() + 1L, timeNanos, kind, actor, rule, detail);
        entries.add(f);
        LOG.log(System.Logger.Level.DEBUG, "xen4j simulated fault (seed {0}): {1}", seed, f);
        return f;
    }

    /**
     * The seed of the run.
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /**
     * The plan of the run.
     *
     * @return the plan
     */
    public FaultPlan plan() {
        return plan;
    }

    /**
     * The injected faults so far, in order.
     *
     * @return a copy
     */
    public synchronized List<InjectedFault> entries() {
        return List.copyOf(entries);
    }

    /**
     * How many faults were injected.
     *
     * @return the count
     */
    public synchronized int size() {
        return entries.size();
    }

    /**
     * How many faults of one kind were injected.
     *
     * @param kind the kind
     * @return the count
     */
    public synchronized int count(final FaultKind kind) {
        int n = 0;
        for (final InjectedFault f : entries) {
            if (f.kind() == kind) {
                n++;
            }
        }
        return n;
    }

    /**
     * How to replay the run, for a failing test's message.
     *
     * @return e.g. {@code "replay with SimulatedXen.builder().seed(42).faultPlan(...)"}
     */
    public String replayHint() {
        return "replay with SimulatedXen.builder().seed(" + seed + "L) and fault plan " + plan;
    }

    @Override
    public synchronized String toString() {
        final StringBuilder sb = new StringBuilder("fault log (seed ").append(seed).append(", plan ").append(plan)
            .append("): ").append(entries.size()).append(" injected");
        for (final InjectedFault f : entries) {
            sb.append(System.lineSeparator()).append("  ").append(f);
        }
        return sb.toString();
    }
}
