package io.xen4j.abi.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The {@code XENMEMF_*} helpers round-trip; their values against C are checked through
 * {@link XenMemMacroSamples} and {@code memory.spec}.
 */
final class XenMemTest {
    @Test
    void nodeAndAddressBitsRoundTrip() {
        for (int node = 0; node < 255; node++) {
            final int flags = XenMem.xenmemfExactNode(node) | XenMem.xenmemfAddressBits(32);
            assertEquals(node, XenMem.xenmemfGetNode(flags));
            assertEquals(32, XenMem.xenmemfGetAddressBits(flags));
            assertEquals(XenMem.XENMEMF_EXACT_NODE_REQUEST, flags & XenMem.XENMEMF_EXACT_NODE_REQUEST);
        }
    }
}
