package io.xen4j.abi.sysctl;

import io.xen4j.abi.AbiChecks;
import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of the {@code sysctl} hypercall ({@code __HYPERVISOR_sysctl}): a command, the interface
 * version and a 128-byte union of per-command arguments, of which xen4j uses {@link #getPmstat()}.
 * Only the control domain may make it, and Xen refuses an {@code interface_version} other than its
 * own ({@link Sysctl#XEN_SYSCTL_INTERFACE_VERSION}).
 *
 * <pre>{@code
 * struct xen_sysctl {
 *     uint32_t cmd;
 *     uint32_t interface_version; // XEN_SYSCTL_INTERFACE_VERSION
 *     union {
 *         struct xen_sysctl_readconsole       readconsole;
 *         ...
 *         struct xen_sysctl_get_pmstat        get_pmstat;
 *         ...
 *         uint8_t                             pad[128];
 *     } u;
 * };
 * }</pre>
 */
public final class XenSysctl extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "xen_sysctl";
    /** Offset of {@code cmd}. */
    public static final int CMD_OFFSET = 0;
    /** Offset of {@code interface_version}. */
    public static final int INTERFACE_VERSION_OFFSET = CMD_OFFSET + Integer.BYTES;
    /** Offset of {@code u}: 8-byte aligned, as its 64-bit members need, with no padding before it. */
    public static final int U_OFFSET = INTERFACE_VERSION_OFFSET + Integer.BYTES;
    /** {@code sizeof(struct xen_sysctl)}. */
    public static final int LENGTH = 136;
    /** Bytes of the union {@code u}: its {@code pad} member sizes it. */
    public static final int U_LENGTH = LENGTH - U_OFFSET;

    private final XenSysctlGetPmstat getPmstat = new XenSysctlGetPmstat();

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public XenSysctl wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code cmd}: the command, a {@code XEN_SYSCTL_*}.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int cmd() {
        return buffer.getInt(offset + CMD_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code cmd}.
     *
     * @param value the value
     * @return this
     */
    public XenSysctl cmd(final int value) {
        buffer.putInt(offset + CMD_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code interface_version}: {@code XEN_SYSCTL_INTERFACE_VERSION}.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int interfaceVersion() {
        return buffer.getInt(offset + INTERFACE_VERSION_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code interface_version}.
     *
     * @param value the value
     * @return this
     */
    public XenSysctl interfaceVersion(final int value) {
        buffer.putInt(offset + INTERFACE_VERSION_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code u.pad[index]}: a byte of the argument union.
     *
     * @param index byte index, 0..{@value #U_LENGTH} - 1
     * @return the value, zero-extended
     */
    public int pad(final int index) {
        return buffer.getByte(uOffset(index)) & 0xFF;
    }

    /**
     * Writes {@code u.pad[index]}.
     *
     * @param index byte index, 0..{@value #U_LENGTH} - 1
     * @param value the value
     * @return this
     */
    public XenSysctl pad(final int index, final int value) {
        buffer.putByte(uOffset(index), (byte) value);
        return this;
    }

    /**
     * The {@code u.get_pmstat} member, a flyweight over this structure's bytes, for
     * {@code cmd == XEN_SYSCTL_get_pmstat}. The view is owned by this flyweight: it follows the
     * next call, not later re-wraps of this flyweight.
     *
     * @return the view, wrapped at {@code offset() + U_OFFSET}
     */
    public XenSysctlGetPmstat getPmstat() {
        return getPmstat.wrap(buffer, offset + U_OFFSET);
    }

    private int uOffset(final int index) {
        AbiChecks.checkIndex(STRUCT_NAME, "u.pad", index, U_LENGTH);
        return offset + U_OFFSET + index * Byte.BYTES;
    }
}
