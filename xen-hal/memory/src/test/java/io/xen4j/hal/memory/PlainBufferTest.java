package io.xen4j.hal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.xen4j.hal.api.HandleClosedException;
import io.xen4j.hal.api.MappedGrants;
import io.xen4j.hal.api.SharedPages;
import io.xen4j.hal.api.XenHalException;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The simulated host's plain buffers ({@code plainBuffer()}): an exact {@link UnsafeBuffer} for
 * writable contiguous pages (what a ring uses, so that its unchecked slot moves apply), the
 * checked view otherwise, and no access after the handle is closed or its peer is destroyed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class PlainBufferTest {
    private static final int PAGE = 4096;

    @Test
    void writableContiguousSharesAndMapsArePlainUnsafeBuffers() {
        try (SimulatedXen xen = SimulatedXen.builder().seed(1).build()) {
            final SimulatedDomain guest = xen.createDomain("guest");
            try (SharedPages s = guest.host().grantTables().share(0, 2, true);
                 MappedGrants m = xen.dom0().host().grantTables().map(guest.domid(), new int[] {s.grantRef(0), s.grantRef(1)}, true)) {
                final AtomicBuffer front = s.plainBuffer();
                final AtomicBuffer back = m.plainBuffer();
                assertEquals(UnsafeBuffer.class, front.getClass());
                assertEquals(UnsafeBuffer.class, back.getClass());
                assertEquals(2 * PAGE, front.capacity());
                assertEquals(s.buffer().addressOffset(), front.addressOffset());
                assertEquals(m.buffer().addressOffset(), back.addressOffset());
                front.putLongRelease(PAGE + 8, 0x0102_0304_0506_0708L);
                assertEquals(0x0102_0304_0506_0708L, back.getLongAcquire(PAGE + 8));
            }
        }
    }

    @Test
    void stitchedAndReadOnlyMapsKeepTheCheckedView() {
        try (SimulatedXen xen = SimulatedXen.builder().seed(1).build()) {
            final SimulatedDomain guest = xen.createDomain("guest");
            try (SharedPages s = guest.host().grantTables().share(0, 2, true);
                 MappedGrants reversed = xen.dom0().host().grantTables().map(guest.domid(), new int[] {s.grantRef(1), s.grantRef(0)}, true);
                 MappedGrants readOnly = xen.dom0().host().grantTables().map(guest.domid(), s.grantRef(0), false)) {
                assertSame(reversed.buffer(), reversed.plainBuffer(), "pages out of order have no single address");
                assertSame(readOnly.buffer(), readOnly.plainBuffer(), "a plain buffer could not refuse writes");
                assertThrows(XenHalException.class, () -> readOnly.plainBuffer().putInt(0, 1));
            }
        }
    }

    @Test
    void aBackendsPlainRingBufferFailsOnceItsOwnDomainIsDestroyedAndOutlivesItsPeer() {
        try (SimulatedXen xen = SimulatedXen.builder().seed(1).build()) {
            final SimulatedDomain guest = xen.createDomain("guest");
            final SimulatedDomain driver = xen.createDomain("driver");
            final SharedPages s = guest.host().grantTables().share(driver.domid(), 1, true);
            final MappedGrants m = driver.host().grantTables().map(guest.domid(), s.grantRef(0), true);
            final AtomicBuffer ring = m.plainBuffer();
            ring.putIntRelease(0, 5);
            assertEquals(5, s.plainBuffer().getIntAcquire(0));
            // The destroyed driver domain's mappings are revoked: nothing reaches the page any
            // more (the checked view throws HandleClosedException, the plain one has capacity 0).
            final AtomicBuffer checked = m.buffer();
            driver.destroy();
            assertEquals(0, ring.capacity());
            assertThrows(IndexOutOfBoundsException.class, () -> ring.getIntAcquire(0));
            assertThrows(IndexOutOfBoundsException.class, () -> ring.putIntRelease(0, 6));
            assertThrows(HandleClosedException.class, () -> checked.getInt(0));
            assertEquals(5, s.buffer().getIntAcquire(0), "the refused write did not reach the guest's page");
        }
    }
}
