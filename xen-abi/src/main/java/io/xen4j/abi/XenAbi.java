package io.xen4j.abi;

/**
 * The guest ABIs whose shared-memory layouts differ, named by the {@code protocol} string a
 * frontend writes to xenstore ({@code io/protocols.h}).
 *
 * <p>A frontend that writes no {@code protocol} node uses the backend's native ABI; for a 64-bit
 * JVM that is {@link #X86_64}.
 */
public enum XenAbi {
    /** 32-bit x86 guests: 64-bit fields are 4-byte aligned. */
    X86_32(Protocols.XEN_IO_PROTO_ABI_X86_32),
    /** 64-bit x86 guests, and the native ABI of xen4j. */
    X86_64(Protocols.XEN_IO_PROTO_ABI_X86_64);

    private final String protocol;

    XenAbi(final String protocol) {
        this.protocol = protocol;
    }

    /**
     * The {@code protocol} string of this ABI, as in {@code io/protocols.h}.
     *
     * @return for example {@code "x86_64-abi"}
     */
    public String protocol() {
        return protocol;
    }

    /**
     * The ABI a frontend asked for with its {@code protocol} node.
     *
     * @param protocol the node's value, or {@code null} or empty when the frontend wrote none
     * @return the ABI; {@link #X86_64} when none was asked for
     * @throws IllegalArgumentException for an ABI xen4j does not serve (such as {@code arm-abi}),
     *                                  naming the value
     */
    public static XenAbi fromProtocol(final @org.jspecify.annotations.Nullable String protocol) {
        if (protocol == null || protocol.isEmpty()) {
            return X86_64;
        }
        for (final XenAbi abi : values()) {
            if (abi.protocol.equals(protocol)) {
                return abi;
            }
        }
        throw new IllegalArgumentException("unsupported protocol=" + protocol
            + " (expected " + X86_32.protocol + " or " + X86_64.protocol + ")");
    }
}
