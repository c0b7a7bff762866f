package io.xen4j.hal.memory;

import java.util.Objects;

/**
 * When to inject one {@link FaultKind}: on which eligible operations (every one, the n-th, every
 * n-th, or with a probability drawn from the host's seeded random source), for which acting
 * domain, how many times at most, with which parameter. Immutable; each method returns a new rule.
 *
 * <pre>{@code
 * FaultRule.of(FaultKind.DROP_NOTIFICATION).nth(1)                     // the first notification
 * FaultRule.of(FaultKind.DELAY_NOTIFICATION).probability(0.1).parameter(5_000_000)
 * FaultRule.of(FaultKind.FAIL_MAP).actor(0).everyNth(3).limit(2)
 * }</pre>
 */
public final class FaultRule {
    /** The rule's actor when any domain matches. */
    public static final int ANY_DOMAIN = -1;
    /** No limit on how many times the rule fires. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    /** How a rule picks the operations it applies to. */
    public enum Trigger {
        /** Every eligible operation. */
        ALWAYS,
        /** Only the n-th eligible operation (1-based). */
        NTH,
        /** Every n-th eligible operation. */
        EVERY_NTH,
        /** Each eligible operation with a probability, drawn from the seeded random source. */
        PROBABILITY
    }

    private final FaultKind kind;
    private final Trigger trigger;
    private final long n;
    private final double probability;
    private final int actor;
    private final long limit;
    private final long parameter;

    private FaultRule(
        final FaultKind kind, final Trigger trigger, final long n, final double probability,
        final int actor, final long limit, final long parameter) {
        this.kind = kind;
        this.trigger = trigger;
        this.n = n;
        this.probability = probability;
        this.actor = actor;
        this.limit = limit;
        this.parameter = parameter;
    }

    /**
     * A rule that injects {@code kind} on every eligible operation, with the kind's default
     * parameter.
     *
     * @param kind the fault
     * @return the rule
     */
    public static FaultRule of(final FaultKind kind) {
        Objects.requireNonNull(kind, "kind");
        return new FaultRule(kind, Trigger.ALWAYS, 0, 1.0, ANY_DOMAIN, UNLIMITED, defaultParameter(kind));
    }

    private static long defaultParameter(final FaultKind kind) {
        return switch (kind) {
            case DELAY_NOTIFICATION -> 1_000_000L;
            case STALL_CONSUMER -> 10L;
            default -> 0L;
        };
    }

    /**
     * Fires on the n-th eligible operation only.
     *
     * @param nth which one, from 1
     * @return the new rule
     */
    public FaultRule nth(final long nth) {
        if (nth < 1) {
            throw new IllegalArgumentException("nth=" + nth + ": must be >= 1");
        }
        return new FaultRule(kind, Trigger.NTH, nth, probability, actor, limit, parameter);
    }

    /**
     * Fires on every n-th eligible operation.
     *
     * @param every the period, at least 1
     * @return the new rule
     */
    public FaultRule everyNth(final long every) {
        if (every < 1) {
            throw new IllegalArgumentException("everyNth=" + every + ": must be >= 1");
        }
        return new FaultRule(kind, Trigger.EVERY_NTH, every, probability, actor, limit, parameter);
    }

    /**
     * Fires on each eligible operation with a probability.
     *
     * @param p the probability, in {@code [0, 1]}
     * @return the new rule
     */
    public FaultRule probability(final double p) {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException("probability=" + p + ": must be in [0, 1]");
        }
        return new FaultRule(kind, Trigger.PROBABILITY, 0, p, actor, limit, parameter);
    }

    /**
     * Applies only to operations of one acting domain.
     *
     * @param domid the domain, or {@link #ANY_DOMAIN}
     * @return the new rule
     */
    public FaultRule actor(final int domid) {
        return new FaultRule(kind, trigger, n, probability, domid, limit, parameter);
    }

    /**
     * Fires at most this many times.
     *
     * @param max the most injections, at least 0
     * @return the new rule
     */
    public FaultRule limit(final long max) {
        if (max < 0) {
            throw new IllegalArgumentException("limit=" + max + ": must be >= 0");
        }
        return new FaultRule(kind, trigger, n, probability, actor, max, parameter);
    }

    /**
     * Sets the kind's parameter: the delay in nanoseconds for
     * {@link FaultKind#DELAY_NOTIFICATION}, the stalled polls for
     * {@link FaultKind#STALL_CONSUMER}; ignored by the other kinds.
     *
     * @param value the parameter, at least 0
     * @return the new rule
     */
    public FaultRule parameter(final long value) {
        if (value < 0) {
            throw new IllegalArgumentException("parameter=" + value + ": must be >= 0");
        }
        return new FaultRule(kind, trigger, n, probability, actor, limit, value);
    }

    /**
     * The fault this rule injects.
     *
     * @return the kind
     */
    public FaultKind kind() {
        return kind;
    }

    /**
     * How the rule picks operations.
     *
     * @return the trigger
     */
    public Trigger trigger() {
        return trigger;
    }

    /**
     * The n of {@link Trigger#NTH} and {@link Trigger#EVERY_NTH}.
     *
     * @return n, or 0
     */
    public long n() {
        return n;
    }

    /**
     * The probability of {@link Trigger#PROBABILITY}.
     *
     * @return the probability
     */
    public double probability() {
        return probability;
    }

    /**
     * The acting domain the rule is limited to.
     *
     * @return the domain id, or {@link #ANY_DOMAIN}
     */
    public int actor() {
        return actor;
    }

    /**
     * The most times the rule fires.
     *
     * @return the limit, or {@link #UNLIMITED}
     */
    public long limit() {
        return limit;
    }

    /**
     * The kind's parameter.
     *
     * @return the parameter
     */
    public long parameter() {
        return parameter;
    }

    @Override
    public String toString() {
        final StringBuilder sb = new StringBuilder(kind.name()).append(' ');
        switch (trigger) {
            case ALWAYS -> sb.append("always");
            case NTH -> sb.append("nth=").append(n);
            case EVERY_NTH -> sb.append("everyNth=").append(n);
            case PROBABILITY -> sb.append("p=").append(probability);
        }
        if (actor != ANY_DOMAIN) {
            sb.append(" actor=dom").append(actor);
        }
        if (limit != UNLIMITED) {
            sb.append(" limit=").append(limit);
        }
        if (parameter != 0) {
            sb.append(" parameter=").append(parameter);
        }
        return sb.toString();
    }
}
