package io.xen4j.abi.linux;

/**
 * The Linux ioctl request encoding of {@code asm-generic/ioctl.h} (x86 uses the generic one):
 * direction, size of the argument, type letter and number packed into one word. Every
 * {@code /dev/xen} request is {@code _IOC(_IOC_NONE, type, nr, sizeof(arg))}, so its number
 * changes with the size of its argument structure, which {@link #ioc} takes from the flyweight's
 * {@code LENGTH}.
 *
 * <p>Requests are {@code long}: the {@code request} parameter of {@code ioctl(2)} is an
 * {@code unsigned long} on x86_64, the ABI of a 64-bit JVM.
 */
public final class LinuxIoctl {
    /** Bits of the request number. */
    public static final int IOC_NRBITS = 8;
    /** Bits of the type letter. */
    public static final int IOC_TYPEBITS = 8;
    /** Bits of the argument size. */
    public static final int IOC_SIZEBITS = 14;
    /** Bits of the direction. */
    public static final int IOC_DIRBITS = 2;
    /** Position of the request number. */
    public static final int IOC_NRSHIFT = 0;
    /** Position of the type letter. */
    public static final int IOC_TYPESHIFT = IOC_NRSHIFT + IOC_NRBITS;
    /** Position of the argument size. */
    public static final int IOC_SIZESHIFT = IOC_TYPESHIFT + IOC_TYPEBITS;
    /** Position of the direction. */
    public static final int IOC_DIRSHIFT = IOC_SIZESHIFT + IOC_SIZEBITS;
    /** Direction: none declared; what every {@code /dev/xen} request uses, whatever it copies. */
    public static final int IOC_NONE = 0;
    /** Direction: user space writes the argument. */
    public static final int IOC_WRITE = 1;
    /** Direction: user space reads the argument. */
    public static final int IOC_READ = 2;

    private LinuxIoctl() {
    }

    /**
     * Encodes a request like the C macro {@code _IOC(dir, type, nr, size)}.
     *
     * @param dir  {@link #IOC_NONE}, {@link #IOC_WRITE}, {@link #IOC_READ} or both of the latter
     * @param type type letter of the driver, {@code 'P'} for privcmd
     * @param nr   request number within the type
     * @param size size of the argument in bytes, {@code sizeof} of its structure
     * @return the request number
     * @throws IllegalArgumentException if a part does not fit its bits
     */
    public static long ioc(final int dir, final char type, final int nr, final int size) {
        checkBits("dir", dir, IOC_DIRBITS);
        checkBits("type", type, IOC_TYPEBITS);
        checkBits("nr", nr, IOC_NRBITS);
        checkBits("size", size, IOC_SIZEBITS);
        return ((long) dir << IOC_DIRSHIFT) | ((long) type << IOC_TYPESHIFT) | ((long) nr << IOC_NRSHIFT)
            | ((long) size << IOC_SIZESHIFT);
    }

    private static void checkBits(final String part, final int value, final int bits) {
        if (value < 0 || value >= 1 << bits) {
            throw new IllegalArgumentException("ioctl " + part + "=" + value + " does not fit " + bits + " bits");
        }
    }
}
