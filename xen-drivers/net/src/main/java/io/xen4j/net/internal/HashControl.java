package io.xen4j.net.internal;

import io.netty.buffer.ByteBuf;
import io.xen4j.abi.netif.Netif;
import java.util.Arrays;

/**
 * The backend's half of the netif control ring's hash requests ({@code XEN_NETIF_CTRL_TYPE_*}),
 * as a pure core: it holds the algorithm, the hash types, the Toeplitz key and the mapping table
 * the frontend set, answers each request with a status (and a value), and picks a receive queue
 * for a frame with the Toeplitz hash of its addresses and ports. Values from the frontend are
 * range-checked as Linux netback does: a key of at most 40 bytes, a mapping of at most 128
 * entries, each naming an existing queue.
 */
public final class HashControl {
    /** Longest Toeplitz key ({@code XEN_NETBK_MAX_HASH_KEY_SIZE}). */
    public static final int MAX_KEY = 40;
    /** Largest mapping table ({@code XEN_NETBK_MAX_HASH_MAPPING_SIZE}). */
    public static final int MAX_MAPPING = 128;
    /** The hash types this backend computes. */
    public static final int SUPPORTED_TYPES = Netif.XEN_NETIF_CTRL_HASH_TYPE_IPV4 | Netif.XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP
        | Netif.XEN_NETIF_CTRL_HASH_TYPE_IPV6 | Netif.XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP;
    private static final int PAGE = 4096;

    /** Copies bytes out of a frontend grant; false when the copy fails. */
    @FunctionalInterface
    public interface GrantReader {
        /**
         * Copies {@code length} bytes from the start of the page a grant names.
         *
         * @param gref   the frontend's grant reference
         * @param dst    where to copy to
         * @param length bytes, at most 4096
         * @return true when copied
         */
        boolean read(int gref, byte[] dst, int length);
    }

    private final byte[] key = new byte[MAX_KEY];
    private final int[] mapping = new int[MAX_MAPPING];
    private final byte[] page = new byte[PAGE];
    private final byte[] input = new byte[36];
    private final Packets.Layout layout = new Packets.Layout();
    private int algorithm = Netif.XEN_NETIF_CTRL_HASH_ALGORITHM_NONE;
    private int types;
    private int size;
    /** The value a GET request answers with. */
    private int data;
    private int hashType;
    private int hashValue;

    /** Creates a control with no algorithm set. */
    public HashControl() {
    }

    /**
     * The value of the last answered request (for GET requests).
     *
     * @return the value
     */
    public int data() {
        return data;
    }

    /**
     * Answers one control request.
     *
     * @param type   {@code XEN_NETIF_CTRL_TYPE_*}
     * @param d0     {@code data[0]}
     * @param d1     {@code data[1]}
     * @param d2     {@code data[2]}
     * @param queues the queues in use (mapping entries must be below it)
     * @param reader reads grants for SET_HASH_KEY and SET_HASH_MAPPING
     * @return {@code XEN_NETIF_CTRL_STATUS_*}
     */
    public int handle(final int type, final int d0, final int d1, final int d2, final int queues, final GrantReader reader) {
        data = 0;
        switch (type) {
            case Netif.XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM -> {
                if (d0 != Netif.XEN_NETIF_CTRL_HASH_ALGORITHM_NONE && d0 != Netif.XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ) {
                    return Netif.XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
                }
                algorithm = d0;
                return Netif.XEN_NETIF_CTRL_STATUS_SUCCESS;
            }
            case Netif.XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS -> {
                data = SUPPORTED_TYPES;
                return Netif.XEN_NETIF_CTRL_STATUS_SUCCESS;
            }
            case Netif.XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS -> {
                if ((d0 & ~SUPPORTED_TYPES) != 0) {
                    return Netif.XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
                }
                types = d0;
                return Netif.XEN_NETIF_CTRL_STATUS_SUCCESS;
            }
            case Netif.XEN_NETIF_CTRL_TYPE_SET_HASH_KEY -> {
                if (Integer.compareUnsigned(d1, MAX_KEY) > 0) {
                    return Netif.XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
                }
                if (d1 > 0 && !reader.read(d0, page, d1)) {
                    return Netif.XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
                }
                Arrays.fill(key, (byte) 0);
                System.arraycopy(page, 0, key, 0, d1);
                return Netif.XEN_NETIF_CTRL_STATUS_SUCCESS;
            }
            case Netif.XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE -> {
                data = MAX_MAPPING;
                return Netif.XEN_NETIF_CTRL_STATUS_SUCCESS;
            }
            case Netif.XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE -> {
                if (Integer.compareUnsigned(d0, MAX_MAPPING) > 0) {
                    return Netif.XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
                }
                size = d0;
                Arrays.fill(mapping, 0);
                return Netif.XEN_NETIF_CTRL_STATUS_SUCCESS;
            }
            case Netif.XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING -> {
                final long len = Integer.toUnsignedLong(d1);
                final long off = Integer.toUnsignedLong(d2);
                // Unsigned and in longs: off + len cannot wrap (the check Linux needed).
                if (off + len > size || len * Integer.BYTES > PAGE) {
                    return Netif.XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
                }
                if (len > 0 && !reader.read(d0, page, (int) len * Integer.BYTES)) {
                    return Netif.XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
                }
                for (int i = 0; i < len; i++) {
                    final int q = (page[i * 4] & 0xFF) | (page[i * 4 + 1] & 0xFF) << 8 | (page[i * 4 + 2] & 0xFF) << 16
                        | (page[i * 4 + 3] & 0xFF) << 24;
                    if (Integer.compareUnsigned(q, queues) >= 0) {
                        return Netif.XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
                    }
                }
                for (int i = 0; i < len; i++) {
                    mapping[(int) off + i] = (page[i * 4] & 0xFF) | (page[i * 4 + 1] & 0xFF) << 8 | (page[i * 4 + 2] & 0xFF) << 16
                        | (page[i * 4 + 3] & 0xFF) << 24;
                }
                return Netif.XEN_NETIF_CTRL_STATUS_SUCCESS;
            }
            default -> {
                return Netif.XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED;
            }
        }
    }

    /**
     * Whether the frontend turned hashing on: the Toeplitz algorithm and at least one hash type.
     * Only then does a received frame carry a hash extra-info (a frontend that did not ask for
     * hashing is not sent one, as Linux netback since "make sure that hashes are not send to
     * unaware frontends").
     *
     * @return true when frames are hashed
     */
    public boolean enabled() {
        return algorithm == Netif.XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ && types != 0;
    }

    /**
     * Hashes a frame by the configured types, the "maximal" one first (TCP over the address-only
     * type, as netif.h asks); {@link #hashType()} and {@link #hashValue()} then hold the result.
     *
     * @param f the frame
     * @return false when hashing is off or no configured type covers the frame
     */
    public boolean compute(final ByteBuf f) {
        hashType = 0;
        hashValue = 0;
        if (!enabled()) {
            return false;
        }
        final int n = hashInput(f);
        if (n == 0) {
            return false;
        }
        hashValue = toeplitz(key, input, n);
        return true;
    }

    /**
     * The type of the last {@link #compute} that succeeded.
     *
     * @return one {@code XEN_NETIF_CTRL_HASH_TYPE_*} bit, or 0
     */
    public int hashType() {
        return hashType;
    }

    /**
     * The value of the last {@link #compute} that succeeded.
     *
     * @return the 32-bit hash
     */
    public int hashValue() {
        return hashValue;
    }

    /**
     * The queue of the last computed hash: the mapping table's entry, or the hash modulo the
     * queue count when the table is empty (netif.h: mapping size 0 means modular arithmetic).
     *
     * @param queues the queues in use, at least 1
     * @return the queue, below {@code queues}
     */
    public int queue(final int queues) {
        if (size == 0) {
            return Integer.remainderUnsigned(hashValue, queues);
        }
        final int q = mapping[Integer.remainderUnsigned(hashValue, size)];
        // Entries were checked against the queue count when set; the count only changes with a
        // reconnect, which starts a new HashControl. Still, never return an index out of range.
        return Integer.compareUnsigned(q, queues) < 0 ? q : Integer.remainderUnsigned(hashValue, queues);
    }

    /**
     * The queue a frame goes to by the frontend's mapping table.
     *
     * @param f the frame
     * @return the queue, or -1 when no Toeplitz mapping applies (the caller chooses)
     */
    public int queueFor(final ByteBuf f) {
        if (size == 0 || !compute(f)) {
            return -1;
        }
        return mapping[Integer.remainderUnsigned(hashValue, size)];
    }

    /** Fills {@link #input} with the fields the configured hash types cover; returns their length or 0. */
    private int hashInput(final ByteBuf f) {
        if (!Packets.parse(f, layout) && !parseIpOnly(f)) {
            return 0;
        }
        final boolean tcp = layout.proto == Packets.IPPROTO_TCP;
        final int addr = layout.ipv6 ? 16 : 4;
        final int from = layout.l3 + (layout.ipv6 ? 8 : 12);
        final int tcpType = layout.ipv6 ? Netif.XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP : Netif.XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP;
        final int ipType = layout.ipv6 ? Netif.XEN_NETIF_CTRL_HASH_TYPE_IPV6 : Netif.XEN_NETIF_CTRL_HASH_TYPE_IPV4;
        if (tcp && (types & tcpType) != 0) {
            f.getBytes(from, input, 0, 2 * addr);
            f.getBytes(layout.l4, input, 2 * addr, 4);
            hashType = tcpType;
            return 2 * addr + 4;
        }
        if ((types & ipType) != 0) {
            f.getBytes(from, input, 0, 2 * addr);
            hashType = ipType;
            return 2 * addr;
        }
        return 0;
    }

    private boolean parseIpOnly(final ByteBuf f) {
        // Not TCP/UDP: the address types still apply.
        final int base = f.readerIndex();
        if (f.readableBytes() < Packets.ETH_HLEN + 40) {
            return false;
        }
        final int type = f.getUnsignedShort(base + 12);
        layout.l3 = base + Packets.ETH_HLEN;
        layout.proto = -1;
        if (type == Packets.ETH_P_IP) {
            layout.ipv6 = false;
            return true;
        }
        if (type == Packets.ETH_P_IPV6) {
            layout.ipv6 = true;
            return true;
        }
        return false;
    }

    /**
     * The Toeplitz hash of {@code len} bytes with a 40-byte key, as Microsoft's RSS defines it.
     *
     * @param key   the key, 40 bytes
     * @param data  the input
     * @param len   input bytes, at most 36
     * @return the 32-bit hash
     */
    public static int toeplitz(final byte[] key, final byte[] data, final int len) {
        int result = 0;
        int window = (key[0] & 0xFF) << 24 | (key[1] & 0xFF) << 16 | (key[2] & 0xFF) << 8 | key[3] & 0xFF;
        for (int i = 0; i < len; i++) {
            final int next = i + 4 < key.length ? key[i + 4] & 0xFF : 0;
            for (int bit = 7; bit >= 0; bit--) {
                if ((data[i] >> bit & 1) != 0) {
                    result ^= window;
                }
                window = window << 1 | next >> bit & 1;
            }
        }
        return result;
    }
}
