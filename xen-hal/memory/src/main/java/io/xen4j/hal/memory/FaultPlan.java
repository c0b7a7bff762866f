package io.xen4j.hal.memory;

import java.util.ArrayList;
import java.util.List;

/**
 * The faults a {@link SimulatedXen} injects: an ordered list of {@link FaultRule}s. With the
 * host's seed it fixes every injection, so a run replays exactly from the seed and the plan as
 * long as the test drives the host the same way (from one thread, or with its own ordering).
 *
 * <p>When several rules match an operation, the first that fires wins and the others are not
 * consulted for it.
 */
public final class FaultPlan {
    /** A plan that injects nothing. */
    public static final FaultPlan NONE = new FaultPlan(List.of());

    private final List<FaultRule> rules;

    private FaultPlan(final List<FaultRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * A plan of the given rules, in order.
     *
     * @param rules the rules
     * @return the plan
     */
    public static FaultPlan of(final FaultRule... rules) {
        return new FaultPlan(List.of(rules));
    }

    /**
     * A plan that injects every kind with the same probability: a soak test's chaos.
     *
     * @param probability the probability per eligible operation, in {@code [0, 1]}
     * @return the plan
     */
    public static FaultPlan chaos(final double probability) {
        final List<FaultRule> rules = new ArrayList<>();
        for (final FaultKind kind : FaultKind.values()) {
            rules.add(FaultRule.of(kind).probability(probability));
        }
        return new FaultPlan(rules);
    }

    /**
     * A builder, for plans assembled step by step.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The rules, in order.
     *
     * @return an unmodifiable list
     */
    public List<FaultRule> rules() {
        return rules;
    }

    @Override
    public String toString() {
        return rules.isEmpty() ? "no faults" : rules.toString();
    }

    /** Assembles a {@link FaultPlan}. */
    public static final class Builder {
        private final List<FaultRule> rules = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds a rule.
         *
         * @param rule the rule
         * @return this
         */
        public Builder add(final FaultRule rule) {
            rules.add(rule);
            return this;
        }

        /**
         * Builds the plan.
         *
         * @return the plan
         */
        public FaultPlan build() {
            return new FaultPlan(rules);
        }
    }
}
