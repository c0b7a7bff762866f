package io.xen4j.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.abi.blkif.BlkifRequest;
import io.xen4j.abi.blkif.BlkifRequestSegment;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

final class AbiBasicsTest {
    @Test
    void wrappingWhereTheStructDoesNotFitNamesStructOffsetAndCapacity() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final BlkifRequest request = new BlkifRequest();
        request.wrap(buffer, 16); // 16 + 112 == 128 fits exactly
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> request.wrap(buffer, 17));
        assertEquals("blkif_request does not fit: offset=17 length=112 capacity=128", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> request.wrap(buffer, -1));
        assertThrows(IllegalArgumentException.class, () -> new BlkifRequestSegment().wrap(buffer, Integer.MAX_VALUE));
    }

    @Test
    void arrayIndicesAreChecked() {
        final BlkifRequest request = new BlkifRequest().wrap(new UnsafeBuffer(new byte[BlkifRequest.LENGTH]), 0);
        final IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> request.segmentGref(11));
        assertEquals("blkif_request.seg: index=11 count=11", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> request.segment(-1, 0, 0, 7));
    }

    @Test
    void clearZeroesTheWholeStructIncludingPadding() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[BlkifRequest.LENGTH + 2]);
        buffer.setMemory(0, buffer.capacity(), (byte) 0x5A);
        new BlkifRequest().wrap(buffer, 1).clear();
        assertEquals(0x5A, buffer.getByte(0));
        for (int i = 1; i <= BlkifRequest.LENGTH; i++) {
            assertEquals(0, buffer.getByte(i), "byte " + i);
        }
        assertEquals(0x5A, buffer.getByte(BlkifRequest.LENGTH + 1));
    }

    @Test
    void protocolStringsPickTheAbi() {
        assertEquals(XenAbi.X86_32, XenAbi.fromProtocol("x86_32-abi"));
        assertEquals(XenAbi.X86_64, XenAbi.fromProtocol("x86_64-abi"));
        assertEquals(XenAbi.X86_64, XenAbi.fromProtocol(null));
        assertEquals(XenAbi.X86_64, XenAbi.fromProtocol(""));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> XenAbi.fromProtocol("arm-abi"));
        assertTrue(String.valueOf(e.getMessage()).contains("protocol=arm-abi"), e.getMessage());
    }

    @Test
    void agronaAccessIsGrantedInTheTestJvm() {
        // Surefire passes --add-exports java.base/jdk.internal.misc=ALL-UNNAMED; without it this throws
        // an IllegalStateException naming that flag.
        JvmFlags.requireAgronaAccess();
    }

    @Test
    void missingNativeAccessIsNamed() {
        final Module unnamed = AbiBasicsTest.class.getModule();
        if (!unnamed.isNativeAccessEnabled()) {
            final IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> JvmFlags.requireNativeAccess(unnamed));
            assertTrue(String.valueOf(e.getMessage()).contains("--enable-native-access=ALL-UNNAMED"), e.getMessage());
        } else {
            JvmFlags.requireNativeAccess(unnamed);
        }
    }
}
