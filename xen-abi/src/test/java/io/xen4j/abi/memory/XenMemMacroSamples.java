package io.xen4j.abi.memory;

/**
 * What the {@link XenMem} helpers return for sample arguments. {@code memory.spec} declares each
 * field against the C macro applied to the same arguments, so the layout test checks the helpers
 * against {@code xen/memory.h} although the checker compares constants only.
 */
public final class XenMemMacroSamples {
    /** {@code XENMEMF_address_bits(32)}. */
    public static final int ADDRESS_BITS_32 = XenMem.xenmemfAddressBits(32);
    /** {@code XENMEMF_get_address_bits(0x12345)}. */
    public static final int GET_ADDRESS_BITS_0X12345 = XenMem.xenmemfGetAddressBits(0x12345);
    /** {@code XENMEMF_node(0)}. */
    public static final int NODE_0 = XenMem.xenmemfNode(0);
    /** {@code XENMEMF_node(7)}. */
    public static final int NODE_7 = XenMem.xenmemfNode(7);
    /** {@code XENMEMF_node(254)}. */
    public static final int NODE_254 = XenMem.xenmemfNode(254);
    /** {@code XENMEMF_get_node(XENMEMF_node(7) | XENMEMF_address_bits(32))}. */
    public static final int GET_NODE_OF_NODE_7 =
        XenMem.xenmemfGetNode(XenMem.xenmemfNode(7) | XenMem.xenmemfAddressBits(32));
    /** {@code XENMEMF_get_node(0)}: no node. */
    public static final int GET_NODE_NONE = XenMem.xenmemfGetNode(0);
    /** {@code XENMEMF_exact_node(3)}. */
    public static final int EXACT_NODE_3 = XenMem.xenmemfExactNode(3);
    /** {@code XENMEM_resource_ioreq_server_frame_ioreq(2)}. */
    public static final int RESOURCE_IOREQ_SERVER_FRAME_IOREQ_2 = XenMem.xenmemResourceIoreqServerFrameIoreq(2);

    private XenMemMacroSamples() {
    }
}
