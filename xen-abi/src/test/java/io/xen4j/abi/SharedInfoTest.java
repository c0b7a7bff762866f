package io.xen4j.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.event.EventChannelOp;
import java.nio.ByteBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The event channel bits of {@code shared_info} and {@code vcpu_info}: port to word and bit, the
 * atomic operations, and their limits, in both layouts.
 */
final class SharedInfoTest {
    @Test
    void portCountsAreThoseOfTheHeaders() {
        assertEquals(EventChannelOp.EVTCHN_2L_NR_CHANNELS, SharedInfo.NR_PORTS);
        assertEquals(EventChannelOp.EVTCHN_2L_NR_CHANNELS_X86_32, SharedInfoX86_32.NR_PORTS);
        assertEquals(SharedInfo.EVTCHN_WORDS, VcpuInfo.EVTCHN_PENDING_SEL_BITS);
        assertEquals(SharedInfoX86_32.EVTCHN_WORDS, VcpuInfoX86_32.EVTCHN_PENDING_SEL_BITS);
    }

    @Test
    void pendingBitOfAPortIsItsBitInTheLittleEndianWord() {
        final SharedInfo shared = new SharedInfo().wrap(page(), 0);
        assertFalse(shared.testAndSetEvtchnPending(0));
        assertFalse(shared.testAndSetEvtchnPending(65));
        assertFalse(shared.testAndSetEvtchnPending(4095));
        assertTrue(shared.testAndSetEvtchnPending(65));
        assertEquals(1L, shared.evtchnPending(0));
        assertEquals(1L << 1, shared.evtchnPending(1));
        assertEquals(Long.MIN_VALUE, shared.evtchnPending(63));
        assertTrue(shared.isEvtchnPending(65));
        assertFalse(shared.isEvtchnPending(64));
        assertTrue(shared.testAndClearEvtchnPending(65));
        assertFalse(shared.testAndClearEvtchnPending(65));
        assertEquals(0L, shared.evtchnPending(1));
        assertEquals(0L, shared.evtchnMask(1), "the mask bitmap is untouched");
    }

    @Test
    void maskBitsOfTheX86_32LayoutUse32BitWords() {
        final SharedInfoX86_32 shared = new SharedInfoX86_32().wrap(page(), 0);
        assertFalse(shared.testAndSetEvtchnMask(33));
        assertTrue(shared.isEvtchnMasked(33));
        assertEquals(1 << 1, shared.evtchnMask(1));
        assertEquals(0, shared.evtchnPending(1));
        assertTrue(shared.testAndClearEvtchnMask(33));
        assertFalse(shared.isEvtchnMasked(33));
    }

    @Test
    void portsOutsideTheBitmapsAreRejected() {
        final SharedInfo shared = new SharedInfo().wrap(page(), 0);
        assertThrows(IndexOutOfBoundsException.class, () -> shared.testAndSetEvtchnPending(SharedInfo.NR_PORTS));
        assertThrows(IndexOutOfBoundsException.class, () -> shared.isEvtchnMasked(-1));
        final SharedInfoX86_32 shared32 = new SharedInfoX86_32().wrap(page(), 0);
        assertThrows(IndexOutOfBoundsException.class, () -> shared32.isEvtchnPending(SharedInfoX86_32.NR_PORTS));
        assertThrows(IndexOutOfBoundsException.class, () -> shared.vcpuInfoOffset(Xen.XEN_LEGACY_MAX_VCPUS));
    }

    @Test
    void atomicAccessNeedsAnAtomicBuffer() {
        final SharedInfo shared = new SharedInfo().wrap(new ExpandableArrayBuffer(4096), 0);
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> shared.isEvtchnPending(1));
        final String message = String.valueOf(e.getMessage());
        assertTrue(message.startsWith("shared_info: "), message);
    }

    @Test
    void selectorAndUpcallFlagsOfAVcpu() {
        final UnsafeBuffer page = page();
        final SharedInfo shared = new SharedInfo().wrap(page, 0);
        final VcpuInfo vcpu = new VcpuInfo().wrap(page, shared.vcpuInfoOffset(3));
        assertEquals(3 * VcpuInfo.LENGTH, vcpu.offset());
        assertFalse(vcpu.testAndSetEvtchnPendingSel(63));
        assertTrue(vcpu.testAndSetEvtchnPendingSel(63));
        vcpu.putEvtchnUpcallPendingVolatile(1);
        assertEquals(1, vcpu.getEvtchnUpcallPendingVolatile());
        assertEquals(Long.MIN_VALUE, vcpu.getAndSetEvtchnPendingSel(0));
        assertEquals(0L, vcpu.evtchnPendingSel());
        assertThrows(IndexOutOfBoundsException.class, () -> vcpu.testAndSetEvtchnPendingSel(64));

        final VcpuInfoX86_32 vcpu32 = new VcpuInfoX86_32().wrap(page, new SharedInfoX86_32().wrap(page, 0)
            .vcpuInfoOffset(1));
        assertFalse(vcpu32.testAndSetEvtchnPendingSel(31));
        assertEquals(Integer.MIN_VALUE, vcpu32.getAndSetEvtchnPendingSel(0));
        assertThrows(IndexOutOfBoundsException.class, () -> vcpu32.testAndSetEvtchnPendingSel(32));
    }

    @Test
    void wallclockSecondsJoinTheHighAndLowWords() {
        final SharedInfo shared = new SharedInfo().wrap(page(), 0);
        shared.wcSec(0xFFFF_FFFE).wcSecHi(1);
        assertEquals(0x1_FFFF_FFFEL, shared.wcSeconds());
        final SharedInfoX86_32 shared32 = new SharedInfoX86_32().wrap(page(), 0);
        shared32.wcSec(7).wcSecHi(2);
        assertEquals((2L << 32) | 7, shared32.wcSeconds());
        shared32.putWcVersionVolatile(3);
        assertEquals(3, shared32.getWcVersionVolatile());
        assertEquals(3, shared32.wcVersion());
    }

    private static UnsafeBuffer page() {
        return new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    }
}
