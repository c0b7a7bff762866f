package io.xen4j.hal.api;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Options for opening a {@link XenHost}: string keys and values that each backend documents
 * (e.g. the simulated host's {@code seed}). Immutable.
 */
public final class XenHostOptions {
    /** No options. */
    public static final XenHostOptions NONE = new XenHostOptions(Map.of());

    private final Map<String, String> values;

    private XenHostOptions(final Map<String, String> values) {
        this.values = values;
    }

    /**
     * Options from a map.
     *
     * @param values keys and values; copied
     * @return the options
     */
    public static XenHostOptions of(final Map<String, String> values) {
        return new XenHostOptions(Collections.unmodifiableMap(new TreeMap<>(values)));
    }

    /**
     * These options plus one more.
     *
     * @param key   the key
     * @param value the value
     * @return new options
     */
    public XenHostOptions with(final String key, final String value) {
        final TreeMap<String, String> copy = new TreeMap<>(values);
        copy.put(key, value);
        return new XenHostOptions(Collections.unmodifiableMap(copy));
    }

    /**
     * A value.
     *
     * @param key the key
     * @return the value, or {@code null} if absent
     */
    public @Nullable String get(final String key) {
        return values.get(key);
    }

    /**
     * A value, or a default.
     *
     * @param key          the key
     * @param defaultValue returned when the key is absent
     * @return the value
     */
    public String get(final String key, final String defaultValue) {
        final String v = values.get(key);
        return v == null ? defaultValue : v;
    }

    /**
     * A numeric value, or a default.
     *
     * @param key          the key
     * @param defaultValue returned when the key is absent
     * @return the value
     * @throws IllegalArgumentException naming the key if the value is not a number
     */
    public long getLong(final String key, final long defaultValue) {
        final String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Long.decode(v.trim());
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("option " + key + "=" + v + ": not a number", e);
        }
    }

    /**
     * Every option.
     *
     * @return an unmodifiable, sorted map
     */
    public Map<String, String> asMap() {
        return values;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
