package io.xen4j.abi.platform;

import io.xen4j.abi.StructFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Argument of {@code XENPF_getidletime}: the idle time of physical CPUs, in nanoseconds of Xen
 * system time, and the system time of the snapshot. The caller passes a bitmap of the CPUs to ask
 * and an array with one {@code uint64} slot per bit; Xen clears the bits of CPUs that did not
 * report (offline ones) and fills the slots of the others. Xen answers {@code ENOSYS} unless it
 * was booted with {@code cpufreq=dom0-kernel}.
 *
 * <pre>{@code
 * struct xenpf_getidletime {
 *     // IN/OUT variables
 *     // IN: CPUs to interrogate; OUT: subset of IN which are present
 *     XEN_GUEST_HANDLE(uint8) cpumap_bitmap;
 *     // IN variables
 *     // Size of cpumap bitmap.
 *     uint32_t cpumap_nr_cpus;
 *     // Must be indexable for every cpu in cpumap_bitmap.
 *     XEN_GUEST_HANDLE(uint64) idletime;
 *     // OUT variables
 *     // System time when the idletime snapshots were taken.
 *     uint64_t now;
 * };
 * }</pre>
 */
public final class XenpfGetIdleTime extends StructFlyweight {
    /** C name of the structure. */
    public static final String STRUCT_NAME = "xenpf_getidletime";
    /** Offset of {@code cpumap_bitmap.p}. */
    public static final int CPUMAP_BITMAP_OFFSET = 0;
    /** Offset of {@code cpumap_nr_cpus}. */
    public static final int CPUMAP_NR_CPUS_OFFSET = CPUMAP_BITMAP_OFFSET + Long.BYTES;
    /** Offset of {@code idletime.p}: 8-byte aligned, so 4 bytes of padding follow {@code cpumap_nr_cpus}. */
    public static final int IDLETIME_OFFSET = CPUMAP_NR_CPUS_OFFSET + Integer.BYTES + Integer.BYTES;
    /** Offset of {@code now}. */
    public static final int NOW_OFFSET = IDLETIME_OFFSET + Long.BYTES;
    /** {@code sizeof(struct xenpf_getidletime)} on x86_64. */
    public static final int LENGTH = NOW_OFFSET + Long.BYTES;

    /**
     * Wraps the structure at {@code offset}.
     *
     * @param buffer buffer holding the structure
     * @param offset offset of the structure
     * @return this
     */
    public XenpfGetIdleTime wrap(final MutableDirectBuffer buffer, final int offset) {
        wrapChecked(STRUCT_NAME, LENGTH, buffer, offset);
        return this;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    /**
     * Reads {@code cpumap_bitmap.p}: the guest address of the CPU bitmap, bit {@code n} of byte
     * {@code n / 8} for CPU {@code n}.
     *
     * @return the guest virtual address (64-bit)
     */
    public long cpumapBitmap() {
        return buffer.getLong(offset + CPUMAP_BITMAP_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code cpumap_bitmap.p}.
     *
     * @param value the value
     * @return this
     */
    public XenpfGetIdleTime cpumapBitmap(final long value) {
        buffer.putLong(offset + CPUMAP_BITMAP_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code cpumap_nr_cpus}: the number of bits in the bitmap.
     *
     * @return the value: unsigned 32-bit, as the raw bits of an int
     */
    public int cpumapNrCpus() {
        return buffer.getInt(offset + CPUMAP_NR_CPUS_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code cpumap_nr_cpus}.
     *
     * @param value the value
     * @return this
     */
    public XenpfGetIdleTime cpumapNrCpus(final int value) {
        buffer.putInt(offset + CPUMAP_NR_CPUS_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code idletime.p}: the guest address of the {@code uint64} array, indexed by CPU.
     *
     * @return the guest virtual address (64-bit)
     */
    public long idletime() {
        return buffer.getLong(offset + IDLETIME_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code idletime.p}.
     *
     * @param value the value
     * @return this
     */
    public XenpfGetIdleTime idletime(final long value) {
        buffer.putLong(offset + IDLETIME_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }

    /**
     * Reads {@code now}: the Xen system time of the snapshot, in nanoseconds.
     *
     * @return the value: unsigned 64-bit, as the raw bits of a long
     */
    public long now() {
        return buffer.getLong(offset + NOW_OFFSET, XEN_BYTE_ORDER);
    }

    /**
     * Writes {@code now}.
     *
     * @param value the value
     * @return this
     */
    public XenpfGetIdleTime now(final long value) {
        buffer.putLong(offset + NOW_OFFSET, value, XEN_BYTE_ORDER);
        return this;
    }
}
