package io.xen4j.hal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void aDetachedPlainBufferFailureIsExplainedAsTheCheckedViewWould() {
        try (SimulatedXen xen = SimulatedXen.builder().seed(1).build()) {
            final SimulatedDomain guest = xen.createDomain("guest");
            final SimulatedDomain driver = xen.createDomain("driver");
            final SharedPages s = guest.host().grantTables().share(driver.domid(), 1, true);
            final int ref = s.grantRef(0);
            final MappedGrants m = driver.host().grantTables().map(guest.domid(), ref, true);
            final AtomicBuffer mapRing = m.plainBuffer();
            final AtomicBuffer shareRing = s.plainBuffer();
            final IndexOutOfBoundsException live = new IndexOutOfBoundsException("index=9000");
            assertSame(live, m.explainAccessFailure(live), "a failure while mapped is a bug of its own");

            m.close();
            final IndexOutOfBoundsException unmapped = assertThrows(IndexOutOfBoundsException.class, () -> mapRing.getIntVolatile(0));
            final RuntimeException e1 = m.explainAccessFailure(unmapped);
            assertEquals(HandleClosedException.class, e1.getClass());
            assertSame(unmapped, e1.getCause());
            assertEquals("grant mapping dom" + guest.domid() + " refs [" + ref + "] in dom" + driver.domid()
                + " (closed): access through the plain buffer (unmapped) failed: EBADF (9): the handle was closed", e1.getMessage());
            final IllegalStateException other = new IllegalStateException("not an access");
            assertSame(other, m.explainAccessFailure(other));

            guest.destroy();
            final IndexOutOfBoundsException revoked = assertThrows(IndexOutOfBoundsException.class, () -> shareRing.putIntOrdered(0, 1));
            final String e2 = String.valueOf(s.explainAccessFailure(revoked).getMessage());
            assertTrue(e2.startsWith("shared pages of dom" + guest.domid() + " for dom" + driver.domid() + " refs [" + ref
                + "] (closed): access through the plain buffer (dom" + guest.domid() + " was destroyed"), e2);
        }
    }

    @Test
    void aClosedShareNamesItselfToo() {
        try (SimulatedXen xen = SimulatedXen.builder().seed(1).build()) {
            final SimulatedDomain guest = xen.createDomain("guest");
            final SharedPages s = guest.host().grantTables().share(0, 1, true);
            final AtomicBuffer ring = s.plainBuffer();
            s.close();
            final IndexOutOfBoundsException closed = assertThrows(IndexOutOfBoundsException.class, () -> ring.getLong(8));
            final String e = String.valueOf(s.explainAccessFailure(closed).getMessage());
            assertTrue(e.startsWith("shared pages of dom" + guest.domid() + " for dom0 refs ["), e);
            assertTrue(e.contains("(closed): access through the plain buffer (closed)"), e);
        }
    }
}
