package io.xen4j.abi.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The ioctl structures that end in a {@code x[1]} array: sizing for a count, and element bounds
 * taken from the wrapped buffer.
 */
final class FlexibleArraysTest {
    @Test
    void lengthForCountsElementsButNeverGoesBelowSizeof() {
        assertEquals(IoctlGntdevMapGrantRef.LENGTH, IoctlGntdevMapGrantRef.lengthFor(0));
        assertEquals(IoctlGntdevMapGrantRef.LENGTH, IoctlGntdevMapGrantRef.lengthFor(1));
        assertEquals(IoctlGntdevMapGrantRef.REFS_OFFSET + 3 * IoctlGntdevGrantRef.LENGTH,
            IoctlGntdevMapGrantRef.lengthFor(3));
        // gref_ids[1] ends at 20 but sizeof is 24: one more id fits before the length grows
        assertEquals(IoctlGntallocAllocGref.LENGTH, IoctlGntallocAllocGref.lengthFor(2));
        assertEquals(IoctlGntallocAllocGref.GREF_IDS_OFFSET + 3 * Integer.BYTES, IoctlGntallocAllocGref.lengthFor(3));
        assertThrows(IllegalArgumentException.class, () -> IoctlGntdevMapGrantRef.lengthFor(-1));
        assertThrows(IllegalArgumentException.class, () -> IoctlGntdevMapGrantRef.lengthFor(Integer.MAX_VALUE / 8));
    }

    @Test
    void elementsAreBoundedByTheWrappedBuffer() {
        final int count = 4;
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8 + IoctlGntdevMapGrantRef.lengthFor(count)]);
        final IoctlGntdevMapGrantRef map = new IoctlGntdevMapGrantRef().wrap(buffer, 8);
        assertEquals(count, map.refsCapacity());
        map.count(count);
        for (int i = 0; i < count; i++) {
            map.grantDomid(i, 5).grantRef(i, 100 + i);
        }
        assertEquals(103, map.grantRef(3));
        assertEquals(5, buffer.getInt(8 + IoctlGntdevMapGrantRef.REFS_OFFSET + 3 * IoctlGntdevGrantRef.LENGTH));
        assertThrows(IndexOutOfBoundsException.class, () -> map.grantRef(count));
        assertThrows(IndexOutOfBoundsException.class, () -> map.grantDomid(-1, 0));
    }

    @Test
    void requestNumbersEncodeTheArgumentSize() {
        // _IOC(_IOC_NONE, 'P', 0, 48): size in bits 16..29, type in 8..15, number in 0..7
        assertEquals(0x0030_5000L, Privcmd.IOCTL_PRIVCMD_HYPERCALL);
        assertEquals(0x0000_42_01L, XenbusDev.IOCTL_XENBUS_BACKEND_SETUP);
        assertThrows(IllegalArgumentException.class, () -> LinuxIoctl.ioc(LinuxIoctl.IOC_NONE, 'P', 0, 1 << 14));
        assertThrows(IllegalArgumentException.class, () -> LinuxIoctl.ioc(4, 'P', 0, 0));
    }
}
