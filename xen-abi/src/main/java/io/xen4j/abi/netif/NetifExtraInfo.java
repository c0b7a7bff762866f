package io.xen4j.abi.netif;

import io.xen4j.abi.AbiChecks;
import io.xen4j.abi.StructFlyweight;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * An extra-info slot: follows a tx request with {@code NETTXF_extra_info} or an rx response with
 * {@code NETRXF_extra_info}, or another extra-info slot with {@code XEN_NETIF_EXTRA_FLAG_MORE}.
 * {@code type} ({@code XEN_NETIF_EXTRA_TYPE_*}) says which member of the union {@code u} is valid:
 * the {@code gso*}, {@code mcast*} or {@code hash*} accessors. The same layout in the x86_32 and
 * x86_64 ABIs.
 *
 * <p>In a 12-byte tx slot the last 4 bytes are padding that the writer sets too (SECURITY-RULES R7).
 *
 * <pre>{@code
 * struct netif_extra_info {
 *     uint8_t type;
 *     uint8_t flags;
 *     union {
 *         struct {
 *             uint16_t size;
 *             uint8_t type;
 *             uint8_t pad;
 *             uint16_t features;
 *         } gso;
 *         struct {
 *             uint8_t addr[6];
 *         } mcast;
 *         struct {
 *             uint8_t type;
 *             uint8_t algorithm;
 *             uint8_t value[4];
 *         } hash;
 *         uint16_t pad[3];
 *     } u;
 * };
 * }</pre>
 */
public final class NetifExtraInfo extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "netif_extra_info";
    /** Offset of {@code type}. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of {@code flags}. */
    public static final int FLAGS_OFFSET = TYPE_OFFSET + Byte.BYTES;
    /** Offset of the union {@code u}. */
    public static final int U_OFFSET = FLAGS_OFFSET + Byte.BYTES;
    /** Offset of {@code u.gso.size}. */
    public static final int GSO_SIZE_OFFSET = U_OFFSET;
    /** Offset of {@code u.gso.type}. */
    public static final int GSO_TYPE_OFFSET = GSO_SIZE_OFFSET + Short.BYTES;
    /** Offset of {@code u.gso.pad}. */
    public static final int GSO_PAD_OFFSET = GSO_TYPE_OFFSET + Byte.BYTES;
    /** Offset of {@code u.gso.features}. */
    public static final int GSO_FEATURES_OFFSET = GSO_PAD_OFFSET + Byte.BYTES;
    /** Offset of {@code u.mcast.addr}. */
    public static final int MCAST_ADDR_OFFSET = U_OFFSET;
    /** Offset of {@code u.hash.type}. */
    public static final int HASH_TYPE_OFFSET = U_OFFSET;
    /** Offset of {@code u.hash.algorithm}. */
    public static final int HASH_ALGORITHM_OFFSET = HASH_TYPE_OFFSET + Byte.BYTES;
    /** Offset of {@code u.hash.value}. */
    public static final int HASH_VALUE_OFFSET = HASH_ALGORITHM_OFFSET + Byte.BYTES;
    /** Offset of {@code u.pad}. */
    public static final int PAD_OFFSET = U_OFFSET;
    /** {@code sizeof(struct netif_extra_info)}, the same in every ABI: it fits a tx and an rx slot. */
    public static final int LENGTH = 8;
    /** Bytes of {@code u.mcast.addr}: an Ethernet address. */
    public static final int MCAST_ADDR_LENGTH = 6;
    /** Bytes of {@code u.hash.value}: a 32-bit hash, least significant byte first. */
    public static final int HASH_VALUE_LENGTH = 4;

    private static final int PAD_COUNT = 3;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public NetifExtraInfo wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code type}: a {@code XEN_NETIF_EXTRA_TYPE_*}, which selects the member of {@code u}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value
     */
    public static int type(final DirectBuffer buffer, final int offset) {
        return buffer.getByte(offset + TYPE_OFFSET) & 0xFF;
    }

    /**
     * Reads {@code type}: a {@code XEN_NETIF_EXTRA_TYPE_*}, which selects the member of {@code u}.
     *
     * @return the value
     */
    public int type() {
        return type(buffer, offset);
    }

    /**
     * Writes {@code type}.
     *
     * @param value the value
     * @return this
     */
    public NetifExtraInfo type(final int value) {
        buffer.putByte(offset + TYPE_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code flags}: {@code XEN_NETIF_EXTRA_FLAG_*} bits.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value
     */
    public static int flags(final DirectBuffer buffer, final int offset) {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
    }

    /**
     * Reads {@code flags}: {@code XEN_NETIF_EXTRA_FLAG_*} bits.
     *
     * @return the value
     */
    public int flags() {
        return flags(buffer, offset);
    }

    /**
     * Writes {@code flags}.
     *
     * @param value the value
     * @return this
     */
    public NetifExtraInfo flags(final int value) {
        buffer.putByte(offset + FLAGS_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code u.gso.size}: the largest payload of a segment (the MSS for TCP); must not be 0.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value
     */
    public static int gsoSize(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + GSO_SIZE_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Reads {@code u.gso.size}: the largest payload of a segment (the MSS for TCP); must not be 0.
     *
     * @return the value
     */
    public int gsoSize() {
        return gsoSize(buffer, offset);
    }

    /**
     * Writes {@code u.gso.size}.
     *
     * @param value the value
     * @return this
     */
    public NetifExtraInfo gsoSize(final int value) {
        buffer.putShort(offset + GSO_SIZE_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code u.gso.type}: a {@code XEN_NETIF_GSO_TYPE_*}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value
     */
    public static int gsoType(final DirectBuffer buffer, final int offset) {
        return buffer.getByte(offset + GSO_TYPE_OFFSET) & 0xFF;
    }

    /**
     * Reads {@code u.gso.type}: a {@code XEN_NETIF_GSO_TYPE_*}.
     *
     * @return the value
     */
    public int gsoType() {
        return gsoType(buffer, offset);
    }

    /**
     * Writes {@code u.gso.type}.
     *
     * @param value the value
     * @return this
     */
    public NetifExtraInfo gsoType(final int value) {
        buffer.putByte(offset + GSO_TYPE_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code u.gso.pad}: padding, written as zero.
     *
     * @return the value
     */
    public int gsoPad() {
        return buffer.getByte(offset + GSO_PAD_OFFSET) & 0xFF;
    }

    /**
     * Writes {@code u.gso.pad}.
     *
     * @param value the value
     * @return this
     */
    public NetifExtraInfo gsoPad(final int value) {
        buffer.putByte(offset + GSO_PAD_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code u.gso.features}: GSO feature bits; the header defines none.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value
     */
    public static int gsoFeatures(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + GSO_FEATURES_OFFSET, XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Reads {@code u.gso.features}: GSO feature bits; the header defines none.
     *
     * @return the value
     */
    public int gsoFeatures() {
        return gsoFeatures(buffer, offset);
    }

    /**
     * Writes {@code u.gso.features}.
     *
     * @param value the value
     * @return this
     */
    public NetifExtraInfo gsoFeatures(final int value) {
        buffer.putShort(offset + GSO_FEATURES_OFFSET, (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code u.mcast.addr[index]}: one byte of the multicast address to add or remove.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @param index  element index, 0..{@value #MCAST_ADDR_LENGTH} - 1 (not checked)
     * @return the value
     */
    public static int mcastAddr(final DirectBuffer buffer, final int offset, final int index) {
        return buffer.getByte(offset + MCAST_ADDR_OFFSET + index * Byte.BYTES) & 0xFF;
    }

    /**
     * Reads {@code u.mcast.addr[index]}: one byte of the multicast address to add or remove.
     *
     * @param index element index, 0..{@value #MCAST_ADDR_LENGTH} - 1
     * @return the value
     */
    public int mcastAddr(final int index) {
        return buffer.getByte(mcastAddrOffset(index)) & 0xFF;
    }

    /**
     * Writes {@code u.mcast.addr[index]}.
     *
     * @param index element index, 0..{@value #MCAST_ADDR_LENGTH} - 1
     * @param value the value
     * @return this
     */
    public NetifExtraInfo mcastAddr(final int index, final int value) {
        buffer.putByte(mcastAddrOffset(index), (byte) value);
        return this;
    }

    /**
     * Reads {@code u.hash.type}: the bit number of the hash type, a
     * {@code XEN_NETIF_CTRL_HASH_TYPE_*_BIT}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value
     */
    public static int hashType(final DirectBuffer buffer, final int offset) {
        return buffer.getByte(offset + HASH_TYPE_OFFSET) & 0xFF;
    }

    /**
     * Reads {@code u.hash.type}: the bit number of the hash type, a
     * {@code XEN_NETIF_CTRL_HASH_TYPE_*_BIT}.
     *
     * @return the value
     */
    public int hashType() {
        return hashType(buffer, offset);
    }

    /**
     * Writes {@code u.hash.type}.
     *
     * @param value the value
     * @return this
     */
    public NetifExtraInfo hashType(final int value) {
        buffer.putByte(offset + HASH_TYPE_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code u.hash.algorithm}: a {@code XEN_NETIF_CTRL_HASH_ALGORITHM_*}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the value
     */
    public static int hashAlgorithm(final DirectBuffer buffer, final int offset) {
        return buffer.getByte(offset + HASH_ALGORITHM_OFFSET) & 0xFF;
    }

    /**
     * Reads {@code u.hash.algorithm}: a {@code XEN_NETIF_CTRL_HASH_ALGORITHM_*}.
     *
     * @return the value
     */
    public int hashAlgorithm() {
        return hashAlgorithm(buffer, offset);
    }

    /**
     * Writes {@code u.hash.algorithm}.
     *
     * @param value the value
     * @return this
     */
    public NetifExtraInfo hashAlgorithm(final int value) {
        buffer.putByte(offset + HASH_ALGORITHM_OFFSET, (byte) value);
        return this;
    }

    /**
     * Reads {@code u.hash.value[index]}: one byte of the hash.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @param index  element index, 0..{@value #HASH_VALUE_LENGTH} - 1, least significant first
     *               (not checked)
     * @return the value
     */
    public static int hashValue(final DirectBuffer buffer, final int offset, final int index) {
        return buffer.getByte(offset + HASH_VALUE_OFFSET + index * Byte.BYTES) & 0xFF;
    }

    /**
     * Reads {@code u.hash.value[index]}: one byte of the hash.
     *
     * @param index element index, 0..{@value #HASH_VALUE_LENGTH} - 1, least significant first
     * @return the value
     */
    public int hashValue(final int index) {
        return buffer.getByte(hashValueOffset(index)) & 0xFF;
    }

    /**
     * Writes {@code u.hash.value[index]}.
     *
     * @param index element index, 0..{@value #HASH_VALUE_LENGTH} - 1, least significant first
     * @param value the value
     * @return this
     */
    public NetifExtraInfo hashValue(final int index, final int value) {
        buffer.putByte(hashValueOffset(index), (byte) value);
        return this;
    }

    /**
     * Reads {@code u.pad[index]}: the union as three 16-bit words, to clear or copy it whole.
     *
     * @param index element index, 0..2
     * @return the value
     */
    public int pad(final int index) {
        return buffer.getShort(padOffset(index), XEN_BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Writes {@code u.pad[index]}.
     *
     * @param index element index, 0..2
     * @param value the value
     * @return this
     */
    public NetifExtraInfo pad(final int index, final int value) {
        buffer.putShort(padOffset(index), (short) value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads the four bytes of {@code u.hash.value} as one little-endian 32-bit hash.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return the hash (unsigned 32 bit, as an int)
     */
    public static int hash32(final DirectBuffer buffer, final int offset) {
        return buffer.getInt(offset + HASH_VALUE_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Reads the four bytes of {@code u.hash.value} as one little-endian 32-bit hash.
     *
     * @return the hash (unsigned 32 bit, as an int)
     */
    public int hash32() {
        return hash32(buffer, offset);
    }

    /**
     * Writes the four bytes of {@code u.hash.value} as one little-endian 32-bit hash.
     *
     * @param value the hash
     * @return this
     */
    public NetifExtraInfo hash32(final int value) {
        buffer.putInt(offset + HASH_VALUE_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    private int mcastAddrOffset(final int index) {
        AbiChecks.checkIndex(STRUCT_NAME, "u.mcast.addr", index, MCAST_ADDR_LENGTH);
        return offset + MCAST_ADDR_OFFSET + index * Byte.BYTES;
    }

    private int hashValueOffset(final int index) {
        AbiChecks.checkIndex(STRUCT_NAME, "u.hash.value", index, HASH_VALUE_LENGTH);
        return offset + HASH_VALUE_OFFSET + index * Byte.BYTES;
    }

    private int padOffset(final int index) {
        AbiChecks.checkIndex(STRUCT_NAME, "u.pad", index, PAD_COUNT);
        return offset + PAD_OFFSET + index * Short.BYTES;
    }
}
