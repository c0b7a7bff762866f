package io.xen4j.hal.memory;

import io.xen4j.abi.grant.GrantTable;

/**
 * One grant entry of a simulated domain as it is in its grant table now, for tests that check
 * the {@code GTF_*} bits Xen and the guest set.
 *
 * @param ref   the reference
 * @param flags {@code flags}: type and {@code GTF_*} subflags
 * @param domid {@code domid}: the domain granted access
 * @param frame {@code frame}: the granted guest frame
 */
public record GrantEntrySnapshot(int ref, int flags, int domid, int frame) {
    /**
     * Whether the entry permits access ({@code GTF_permit_access}).
     *
     * @return true for a valid access grant
     */
    public boolean permitsAccess() {
        return (flags & GrantTable.GTF_TYPE_MASK) == GrantTable.GTF_PERMIT_ACCESS;
    }

    /**
     * Whether the entry is read-only ({@code GTF_readonly}).
     *
     * @return true if the grantee may only read
     */
    public boolean readonly() {
        return (flags & GrantTable.GTF_READONLY) != 0;
    }

    /**
     * Whether Xen marks the entry mapped for reading ({@code GTF_reading}).
     *
     * @return true while the grantee maps or copies from it
     */
    public boolean reading() {
        return (flags & GrantTable.GTF_READING) != 0;
    }

    /**
     * Whether Xen marks the entry mapped for writing ({@code GTF_writing}).
     *
     * @return true while the grantee maps it writable or copies into it
     */
    public boolean writing() {
        return (flags & GrantTable.GTF_WRITING) != 0;
    }
}
