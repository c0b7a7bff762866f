package io.xen4j.hal.linux.internal;

import io.xen4j.hal.linux.LinuxXenException;
import io.xen4j.hal.linux.internal.LinuxPaths.Device;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Memory the hypervisor may read and write during a hypercall: pages of
 * {@code /dev/xen/hypercall} where the kernel has it (Linux 4.18 and later: those pages are never
 * moved or swapped while the hypervisor uses them, what libxencall relies on), else anonymous
 * memory, which a PV kernel passes through unchanged.
 */
public final class HypercallBuffer implements AutoCloseable {
    private final long address;
    private final long length;
    private final MemorySegment segment;
    private final AtomicBoolean closed = new AtomicBoolean();

    private HypercallBuffer(final long address, final long length) {
        this.address = address;
        this.length = length;
        this.segment = MemorySegment.ofAddress(address).reinterpret(length);
    }

    /**
     * Allocates zeroed pages.
     *
     * @param host      the host, whose {@code /dev/xen/hypercall} is used when it exists
     * @param bytes     how many bytes at least
     * @param operation what they are for, for messages
     * @return the buffer
     */
    public static HypercallBuffer allocate(final HostCore host, final long bytes, final String operation) {
        if (bytes < 1 || bytes > (long) Native.MAX_PAGES * Native.PAGE_SIZE) {
            throw new IllegalArgumentException(operation + ": hypercall buffer of " + bytes + " bytes");
        }
        final long length = (bytes + Native.PAGE_SIZE - 1) & -Native.PAGE_SIZE;
        if (host.paths().exists(Device.HYPERCALL)) {
            final DeviceFile dev = host.device(Device.HYPERCALL, operation);
            final long a = dev.mmap(length, Libc.PROT_READ | Libc.PROT_WRITE, 0);
            if (a < 0) {
                throw dev.failure(operation, "mmap", (int) -a);
            }
            final HypercallBuffer b = new HypercallBuffer(a, length);
            // The device hands out fresh pages; clear anyway: every byte the hypervisor reads is set.
            b.segment.fill((byte) 0);
            return b;
        }
        final long a = Libc.mmap(length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
        if (a < 0) {
            throw new LinuxXenException(operation, "anonymous memory", "mmap", (int) -a, "");
        }
        return new HypercallBuffer(a, length);
    }

    /**
     * The buffer's memory.
     *
     * @return the segment
     */
    public MemorySegment segment() {
        if (closed.get()) {
            throw new IllegalStateException("hypercall buffer at 0x" + Long.toHexString(address) + " is closed");
        }
        return segment;
    }

    /**
     * The address to pass to the hypervisor.
     *
     * @return the address
     */
    public long address() {
        return address;
    }

    /**
     * Unmaps the pages. Closing twice is harmless.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            Libc.munmap(address, length);
        }
    }
}
