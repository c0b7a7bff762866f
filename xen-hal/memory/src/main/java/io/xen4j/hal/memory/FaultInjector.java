package io.xen4j.hal.memory;

import java.util.List;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Decides, at each point where the simulated host can fail, whether a {@link FaultRule} fires.
 * Deterministic: the decisions depend only on the plan, the seed and the sequence of eligible
 * operations. Guarded by the hypervisor lock.
 */
final class FaultInjector {
    private final List<FaultRule> rules;
    private final long[] seen;
    private final long[] fired;
    private final SplittableRandom random;
    private final FaultLog log;

    FaultInjector(final FaultPlan plan, final long seed, final FaultLog log) {
        this.rules = plan.rules();
        this.seen = new long[rules.size()];
        this.fired = new long[rules.size()];
        this.random = new SplittableRandom(seed);
        this.log = log;
    }

    boolean enabled() {
        return !rules.isEmpty();
    }

    /**
     * Counts one eligible operation and says which rule, if any, fires on it.
     *
     * @param kind  the fault the operation is eligible for
     * @param actor the domain performing it
     * @return the rule that fires, or null
     */
    @Nullable FaultRule check(final FaultKind kind, final int actor) {
        for (int i = 0; i < seen.length; i++) {
            final FaultRule rule = rules.get(i);
            if (rule.kind() != kind || (rule.actor() != FaultRule.ANY_DOMAIN && rule.actor() != actor)
                || fired[i] >= rule.limit()) {
                continue;
            }
            final long count = ++seen[i];
            final boolean fire = switch (rule.trigger()) {
                case ALWAYS -> true;
                case NTH -> count == rule.n();
                case EVERY_NTH -> count % rule.n() == 0;
                case PROBABILITY -> random.nextDouble() < rule.probability();
            };
            if (fire) {
                fired[i]++;
                return rule;
            }
        }
        return null;
    }

    /** A choice among {@code bound} options from the seeded source. */
    int choose(final int bound) {
        return bound <= 1 ? 0 : random.nextInt(bound);
    }

    void record(final long now, final FaultRule rule, final int actor, final String detail) {
        log.add(now, rule.kind(), actor, rule, detail);
    }
}
