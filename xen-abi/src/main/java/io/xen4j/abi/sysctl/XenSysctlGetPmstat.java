package io.xen4j.abi.sysctl;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code XEN_SYSCTL_get_pmstat}: which statistics ({@code type}, a {@code PMSTAT_*})
 * of which physical CPU; the category of {@code type} picks the member of {@code u}:
 * {@link #getpx()} for {@code PMSTAT_PX}, {@link #getcx()} for {@code PMSTAT_CX}.
 *
 * <pre>{@code
 * struct xen_sysctl_get_pmstat {
 *     uint32_t type;
 *     uint32_t cpuid;
 *     union {
 *         struct pm_px_stat getpx;
 *         struct pm_cx_stat getcx;
 *         // other struct for tx, etc
 *     } u;
 * };
 * }</pre>
 */
public final class XenSysctlGetPmstat extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "xen_sysctl_get_pmstat";
    /** Offset of {@code type}. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of {@code cpuid}. */
    public static final int CPUID_OFFSET = TYPE_OFFSET + Integer.BYTES;
    /** Offset of {@code u}: 8-byte aligned, as its 64-bit members need, with no padding before it. */
    public static final int U_OFFSET = CPUID_OFFSET + Integer.BYTES;
    /** {@code sizeof(struct xen_sysctl_get_pmstat)}: {@code u} is as long as {@code getcx}. */
    public static final int LENGTH = U_OFFSET + PmCxStat.LENGTH;

    private final PmPxStat getpx = new PmPxStat();
    private final PmCxStat getcx = new PmCxStat();

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public XenSysctlGetPmstat wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code type}: the request, a {@code PMSTAT_*} of {@link Sysctl}.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int type() {
        return buffer.getInt(offset + TYPE_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code type}.
     *
     * @param value the value
     * @return this
     */
    public XenSysctlGetPmstat type(final int value) {
        buffer.putInt(offset + TYPE_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code cpuid}: the physical CPU asked about.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int cpuid() {
        return buffer.getInt(offset + CPUID_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code cpuid}.
     *
     * @param value the value
     * @return this
     */
    public XenSysctlGetPmstat cpuid(final int value) {
        buffer.putInt(offset + CPUID_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * The {@code u.getpx} member, a flyweight over this structure's bytes. The view is owned by
     * this flyweight: it follows the next call, not later re-wraps of this flyweight.
     *
     * @return the view, wrapped at {@code offset() + U_OFFSET}
     */
    public PmPxStat getpx() {
        return getpx.wrap(buffer, offset + U_OFFSET);
    }

    /**
     * The {@code u.getcx} member, a flyweight over this structure's bytes. The view is owned by
     * this flyweight: it follows the next call, not later re-wraps of this flyweight.
     *
     * @return the view, wrapped at {@code offset() + U_OFFSET}
     */
    public PmCxStat getcx() {
        return getcx.wrap(buffer, offset + U_OFFSET);
    }
}
