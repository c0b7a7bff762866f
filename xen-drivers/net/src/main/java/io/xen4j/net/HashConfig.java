package io.xen4j.net;

import io.xen4j.abi.netif.Netif;
import java.util.Arrays;

/**
 * Receive hashing a frontend asks its backend for, over the netif control ring: the Toeplitz key,
 * the hash types ({@code XEN_NETIF_CTRL_HASH_TYPE_*} bits) and the table that maps a hash to a
 * receive queue. With it set, the backend spreads received frames over the queues by the hash and
 * hands each frame's hash to the frontend ({@link Offload#hash()}).
 *
 * <p>The limits are those of Linux netback, which the backend enforces too: a key of at most 40
 * bytes, a mapping of at most 128 entries, each naming a queue in use.
 */
public final class HashConfig {
    /** Longest key a backend takes ({@code XEN_NETBK_MAX_HASH_KEY_SIZE}). */
    public static final int MAX_KEY = 40;
    /** Largest mapping table a backend takes ({@code XEN_NETBK_MAX_HASH_MAPPING_SIZE}). */
    public static final int MAX_MAPPING = 128;
    /** Every hash type netif defines. */
    public static final int ALL_TYPES = Netif.XEN_NETIF_CTRL_HASH_TYPE_IPV4 | Netif.XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP
        | Netif.XEN_NETIF_CTRL_HASH_TYPE_IPV6 | Netif.XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP;

    private final byte[] key;
    private final int types;
    private final int[] mapping;

    /**
     * Validates and copies the values.
     *
     * @param key     the Toeplitz key, 0 to 40 bytes (Microsoft's RSS uses 40)
     * @param types   a non-empty set of {@code XEN_NETIF_CTRL_HASH_TYPE_*} bits
     * @param mapping queue per hash modulo its length, 0 to 128 entries (0: hash modulo the queue count)
     * @throws IllegalArgumentException naming the bad value
     */
    public HashConfig(final byte[] key, final int types, final int[] mapping) {
        if (key.length > MAX_KEY) {
            throw new IllegalArgumentException("hash config: key of " + key.length + " bytes, at most " + MAX_KEY);
        }
        if (types == 0 || (types & ~ALL_TYPES) != 0) {
            throw new IllegalArgumentException("hash config: types=0x" + Integer.toHexString(types)
                + " must be a non-empty set of XEN_NETIF_CTRL_HASH_TYPE_* bits");
        }
        if (mapping.length > MAX_MAPPING) {
            throw new IllegalArgumentException("hash config: mapping of " + mapping.length + " entries, at most " + MAX_MAPPING);
        }
        for (int i = 0; i < mapping.length; i++) {
            if (mapping[i] < 0 || mapping[i] >= NetBackConfig.MAX_QUEUES) {
                throw new IllegalArgumentException("hash config: mapping[" + i + "]=" + mapping[i] + " is not a queue");
            }
        }
        this.key = key.clone();
        this.types = types;
        this.mapping = mapping.clone();
    }

    /**
     * The key.
     *
     * @return a copy
     */
    public byte[] key() {
        return key.clone();
    }

    /**
     * The hash types.
     *
     * @return {@code XEN_NETIF_CTRL_HASH_TYPE_*} bits
     */
    public int types() {
        return types;
    }

    /**
     * The mapping table.
     *
     * @return a copy
     */
    public int[] mapping() {
        return mapping.clone();
    }

    int keyLength() {
        return key.length;
    }

    byte keyByte(final int i) {
        return key[i];
    }

    int mappingLength() {
        return mapping.length;
    }

    int mappingEntry(final int i) {
        return mapping[i];
    }

    @Override
    public String toString() {
        return "HashConfig[key=" + key.length + " bytes, types=0x" + Integer.toHexString(types) + ", mapping="
            + Arrays.toString(mapping) + "]";
    }
}
