package io.xen4j.abi.xenstore;

import java.util.List;

/**
 * The error names of {@code xsd_errors[]} in {@code xen/io/xs_wire.h}: the payload of an
 * {@link XsWire#XS_ERROR} reply is one of these strings (plus a NUL), never an errno number,
 * so that the wire does not depend on the daemon's operating system.
 *
 * <p>A peer may send any string; {@link #isKnown(String)} tells the names of the header from the
 * rest. The header only ever appends names, so {@link #NAMES} keeps its order.
 *
 * <pre>{@code
 * struct xsd_errors
 * {
 *     int errnum;
 *     const char *errstring;
 * };
 * #define XSD_ERROR(x) { x, #x }
 * static const struct xsd_errors xsd_errors[] = {
 *     // New errors should be added at the end of the array.
 *     XSD_ERROR(EINVAL), XSD_ERROR(EACCES), ...
 * };
 * }</pre>
 */
public final class XsdErrors {
    /** Invalid argument. */
    public static final String EINVAL = "EINVAL";
    /** Permission denied. */
    public static final String EACCES = "EACCES";
    /** The node exists. */
    public static final String EEXIST = "EEXIST";
    /** Is a directory. */
    public static final String EISDIR = "EISDIR";
    /** No such node. */
    public static final String ENOENT = "ENOENT";
    /** The daemon is out of memory. */
    public static final String ENOMEM = "ENOMEM";
    /** No space left: a quota is exhausted. */
    public static final String ENOSPC = "ENOSPC";
    /** Input/output error. */
    public static final String EIO = "EIO";
    /** The directory is not empty. */
    public static final String ENOTEMPTY = "ENOTEMPTY";
    /** Function not implemented. */
    public static final String ENOSYS = "ENOSYS";
    /** Read-only file system. */
    public static final String EROFS = "EROFS";
    /** Device or resource busy. */
    public static final String EBUSY = "EBUSY";
    /** Try again: a transaction that ends with it conflicted with another change and may be retried. */
    public static final String EAGAIN = "EAGAIN";
    /** Already connected. */
    public static final String EISCONN = "EISCONN";
    /** Argument list too long: a request or reply larger than one payload. */
    public static final String E2BIG = "E2BIG";
    /** The operation is not permitted. */
    public static final String EPERM = "EPERM";

    /** Number of entries of {@code xsd_errors[]}. */
    public static final int COUNT = 16;

    /** Every name of {@code xsd_errors[]}, in the header's order. */
    public static final List<String> NAMES = List.of(
        EINVAL, EACCES, EEXIST, EISDIR, ENOENT, ENOMEM, ENOSPC, EIO,
        ENOTEMPTY, ENOSYS, EROFS, EBUSY, EAGAIN, EISCONN, E2BIG, EPERM);

    private XsdErrors() {
    }

    /**
     * Whether {@code name} is one of the error names of the header.
     *
     * @param name the payload of an {@code XS_ERROR} reply, without its NUL
     * @return true if {@link #NAMES} holds it
     */
    public static boolean isKnown(final String name) {
        return NAMES.contains(name);
    }
}
