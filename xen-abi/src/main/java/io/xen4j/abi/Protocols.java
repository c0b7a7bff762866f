package io.xen4j.abi;

/**
 * ABI names of {@code xen/io/protocols.h}, written by a frontend to its {@code protocol} node.
 *
 * <pre>{@code
 * #define XEN_IO_PROTO_ABI_X86_32     "x86_32-abi"
 * #define XEN_IO_PROTO_ABI_X86_64     "x86_64-abi"
 * #define XEN_IO_PROTO_ABI_ARM        "arm-abi"
 * }</pre>
 */
public final class Protocols {
    /** 32-bit x86 guests. */
    public static final String XEN_IO_PROTO_ABI_X86_32 = "x86_32-abi";
    /** 64-bit x86 guests. */
    public static final String XEN_IO_PROTO_ABI_X86_64 = "x86_64-abi";
    /** Arm guests (32 and 64 bit share one layout). */
    public static final String XEN_IO_PROTO_ABI_ARM = "arm-abi";

    private Protocols() {
    }
}
