package io.xen4j.net;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.xen4j.xenbus.testing.HostileSource;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile peers driven by Jazzer (fuzzing with {@code JAZZER_FUZZ=1}, the regression inputs
 * otherwise) and by a counted, seeded run: hostile tx slots at netback's request consumer and
 * hostile rx/tx responses at netfront's response consumer. Invariants are checked in
 * {@link NetHostileDriver}: no internal error, no hang, no access outside the shared pages (the
 * Agrona buffers bound every access), one response per consumed slot, well-sized frames only.
 */
final class NetHostileFuzzTest {
    // Thousands of stopped devices are expected here; their log lines are checked by the named tests.
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("io.xen4j.net");

    static {
        QUIET.setLevel(java.util.logging.Level.OFF);
    }

    /** Counted hostile steps per side in the seeded run. */
    static final int CASES = 1500;

    @FuzzTest(maxDuration = "30s")
    void hostileTxSlotsAtNetback(final FuzzedDataProvider data) {
        final HostileSource src = HostileSource.of(data);
        try (RawNetFrontend f = new RawNetFrontend(NetBackConfig.full())) {
            for (int i = 0; i < 20 && src.more(); i++) {
                if (!NetHostileDriver.hostileTx(f, src)) {
                    return;
                }
            }
        }
    }

    @FuzzTest(maxDuration = "30s")
    void hostileResponsesAtNetfront(final FuzzedDataProvider data) {
        final HostileSource src = HostileSource.of(data);
        try (RawNetBackend b = new RawNetBackend()) {
            for (int i = 0; i < 20 && src.more(); i++) {
                if (!NetHostileDriver.hostileResponse(b, src)) {
                    return;
                }
            }
        }
    }

    @FuzzTest(maxDuration = "30s")
    void hostileExtrasAtAHashingNetfront(final FuzzedDataProvider data) {
        final HostileSource src = HostileSource.of(data);
        try (RawNetBackend b = NetHostileDriver.hashingBackend()) {
            for (int i = 0; i < 20 && src.more(); i++) {
                if (!NetHostileDriver.hostileExtras(b, src)) {
                    return;
                }
            }
        }
    }

    @Test
    @Timeout(120)
    void countedHostileExtrasAtAHashingNetfront() {
        final HostileSource src = HostileSource.of(new Random(0x4A54));
        RawNetBackend b = NetHostileDriver.hashingBackend();
        int breaks = 0;
        long dropped = 0;
        final java.util.Map<String, Integer> rules = new java.util.TreeMap<>();
        try {
            for (int i = 0; i < CASES; i++) {
                if (!NetHostileDriver.hostileExtras(b, src)) {
                    breaks++;
                    rules.merge(ruleOf(java.util.Objects.requireNonNull(b.front.brokenReason())), 1, Integer::sum);
                    dropped += b.front.rxErrors();
                    b.close();
                    b = NetHostileDriver.hashingBackend();
                }
            }
            dropped += b.front.rxErrors();
        } finally {
            b.close();
        }
        System.out.println("netfront hostile extra-info chains: " + CASES + " cases, " + dropped + " frames dropped (rxErrors: bad extras, bad slots), "
            + breaks + " broke the device by a rule " + rules + ", 0 internal errors, 0 hashes of a type not asked for, 0 crashes, 0 hangs");
    }

    /** The rule a stop line names, for the tally. */
    private static String ruleOf(final String why) {
        final java.util.regex.Matcher m = java.util.regex.Pattern
            .compile("netif ([A-Z_0-9]+)|(R\\d+ [A-Z_]+)|(not a pending request|status=|response ids|offset \\+ status|still in use|extra-info chain)")
            .matcher(why);
        if (!m.find()) {
            return "other";
        }
        return m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
    }

    @Test
    @Timeout(120)
    void countedHostileTxSlotsAtNetback() {
        final HostileSource src = HostileSource.of(new Random(0x7E7));
        RawNetFrontend f = new RawNetFrontend(NetBackConfig.full());
        final java.util.Map<String, Integer> rules = new java.util.TreeMap<>();
        int stops = 0;
        long slots = 0;
        try {
            for (int i = 0; i < CASES; i++) {
                final int before = f.tx.requestProducer();
                final boolean alive = NetHostileDriver.hostileTx(f, src);
                slots += f.tx.requestProducer() - before;
                if (!alive) {
                    stops++;
                    rules.merge(ruleOf(java.util.Objects.requireNonNull(f.back.brokenReason())), 1, Integer::sum);
                    f.close();
                    f = new RawNetFrontend(NetBackConfig.full());
                }
            }
        } finally {
            f.close();
        }
        System.out.println("netback hostile tx: " + CASES + " cases, " + slots + " slots, " + stops
            + " stopped the device by a fatal rule " + rules + ", 0 internal errors, 0 missing responses, 0 crashes, 0 hangs");
    }

    @Test
    @Timeout(120)
    void countedHostileResponsesAtNetfront() {
        final HostileSource src = HostileSource.of(new Random(0xF207));
        RawNetBackend b = new RawNetBackend();
        final java.util.Map<String, Integer> rules = new java.util.TreeMap<>();
        int breaks = 0;
        try {
            for (int i = 0; i < CASES; i++) {
                if (!NetHostileDriver.hostileResponse(b, src)) {
                    breaks++;
                    rules.merge(ruleOf(java.util.Objects.requireNonNull(b.front.brokenReason())), 1, Integer::sum);
                    b.close();
                    b = new RawNetBackend();
                }
            }
        } finally {
            b.close();
        }
        System.out.println("netfront hostile responses: " + CASES + " cases, " + breaks
            + " broke the device by a rule " + rules + ", 0 internal errors, 0 crashes, 0 hangs");
    }
}
