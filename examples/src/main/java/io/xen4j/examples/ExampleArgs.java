package io.xen4j.examples;

import java.util.HashMap;
import java.util.Map;

/**
 * The command line of the HAL examples: {@code --live} runs on the Xen host the JVM is in
 * (through platform detection) instead of the simulated one; {@code --peer N}, {@code --ref R} and
 * {@code --gfn G} name another domain's grant or frame to use on a live host.
 *
 * @param live   whether to use the live host
 * @param values the numeric options given, by name without dashes
 */
record ExampleArgs(boolean live, Map<String, Long> values) {
    static ExampleArgs parse(final String[] args) {
        boolean live = false;
        final Map<String, Long> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            final String a = args[i];
            if (a.equals("--live")) {
                live = true;
            } else if (a.equals("--peer") || a.equals("--ref") || a.equals("--gfn")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a number");
                }
                try {
                    final long v = Long.decode(args[++i]);
                    if (v < 0) {
                        throw new NumberFormatException("negative");
                    }
                    values.put(a.substring(2), v);
                } catch (final NumberFormatException e) {
                    throw new IllegalArgumentException(a + " " + args[i] + ": not a non-negative number", e);
                }
            } else {
                throw new IllegalArgumentException("unknown argument " + a + "; use [--live] [--peer N] [--ref R] [--gfn G]");
            }
        }
        return new ExampleArgs(live, Map.copyOf(values));
    }

    boolean has(final String name) {
        return values.containsKey(name);
    }

    long get(final String name, final long fallback) {
        final Long v = values.get(name);
        return v == null ? fallback : v;
    }
}
