package io.xen4j.abi.grant;

/**
 * Constants of {@code xen/grant_table.h}: the {@code GNTTABOP_*} operations of
 * {@code HYPERVISOR_grant_table_op}, the {@code GTF_*} flags of a grant entry, the
 * {@code GNTMAP_*} flags of a map request, the {@code GNTCOPY_*} flags of a copy, the
 * {@code GNTST_*} status codes, the reserved entries and the grant-table versions.
 *
 * <p>C names with lower-case letters are upper-cased here ({@code GTF_permit_access} is
 * {@link #GTF_PERMIT_ACCESS}); names starting with an underscore are bit numbers
 * ({@code _GTF_readonly} is {@link #_GTF_READONLY}, and {@code GTF_readonly == 1 << _GTF_readonly}).
 * Flag words are unsigned in C and raw bits here.
 */
public final class GrantTable {
    /** Map a grant entry of another domain ({@code struct gnttab_map_grant_ref}). */
    public static final int GNTTABOP_MAP_GRANT_REF = 0;
    /** Destroy mappings made by {@link #GNTTABOP_MAP_GRANT_REF} ({@code struct gnttab_unmap_grant_ref}). */
    public static final int GNTTABOP_UNMAP_GRANT_REF = 1;
    /** Set up (and locate) the frames of a domain's grant table ({@code struct gnttab_setup_table}). */
    public static final int GNTTABOP_SETUP_TABLE = 2;
    /** Dump a grant table to the Xen console, for debugging ({@code struct gnttab_dump_table}). */
    public static final int GNTTABOP_DUMP_TABLE = 3;
    /** Transfer a page to another domain, PV guests only ({@code struct gnttab_transfer}). */
    public static final int GNTTABOP_TRANSFER = 4;
    /** Copy between frames and/or granted pages in the hypervisor ({@code struct gnttab_copy}). */
    public static final int GNTTABOP_COPY = 5;
    /** Current and maximum number of grant-table frames ({@code struct gnttab_query_size}). */
    public static final int GNTTABOP_QUERY_SIZE = 6;
    /** Unmap a grant and put another address in its page-table entry ({@code struct gnttab_unmap_and_replace}). */
    public static final int GNTTABOP_UNMAP_AND_REPLACE = 7;
    /** Choose the grant-table version, 1 or 2 ({@code struct gnttab_set_version}). */
    public static final int GNTTABOP_SET_VERSION = 8;
    /** Locate the status frames of a version 2 table ({@code struct gnttab_get_status_frames}). */
    public static final int GNTTABOP_GET_STATUS_FRAMES = 9;
    /** Grant-table version of a domain ({@code struct gnttab_get_version}). */
    public static final int GNTTABOP_GET_VERSION = 10;
    /** Swap two grant entries ({@code struct gnttab_swap_grant_ref}). */
    public static final int GNTTABOP_SWAP_GRANT_REF = 11;
    /** Cache maintenance on a granted page ({@code struct gnttab_cache_flush}). */
    public static final int GNTTABOP_CACHE_FLUSH = 12;

    /** Entries at the start of a table kept across version changes, possibly filled by the toolstack. */
    public static final int GNTTAB_NR_RESERVED_ENTRIES = 8;
    /** Reserved entry granting the console page to the console backend. */
    public static final int GNTTAB_RESERVED_CONSOLE = 0;
    /** Reserved entry granting the xenstore page to xenstored. */
    public static final int GNTTAB_RESERVED_XENSTORE = 1;

    /** Grant-table version 1: 8-byte {@code grant_entry_v1} entries (the default). */
    public static final int GRANT_TABLE_VERSION_1 = 1;
    /** Grant-table version 2: 16-byte {@code grant_entry_v2} entries and separate status frames. */
    public static final int GRANT_TABLE_VERSION_2 = 2;
    /** {@code sizeof(grant_status_t)}: one entry of a version 2 status frame. */
    public static final int GRANT_STATUS_SIZE = 2;

    /** Entry type: the entry grants nothing. */
    public static final int GTF_INVALID = 0;
    /** Entry type: {@code domid} may map and access {@code frame}. */
    public static final int GTF_PERMIT_ACCESS = 1;
    /** Entry type: {@code domid} may transfer one page to this domain; Xen writes its frame to {@code frame}. */
    public static final int GTF_ACCEPT_TRANSFER = 2;
    /** Entry type (v2): {@code domid} may use grant {@code gref} of {@code trans_domid}; copies only. */
    public static final int GTF_TRANSITIVE = 3;
    /** Mask of the entry type in {@code flags}. */
    public static final int GTF_TYPE_MASK = 3;

    /** Bit number of {@link #GTF_READONLY}. */
    public static final int _GTF_READONLY = 2;
    /** Access and transitive subflag, set by the granting guest: read-only mappings and accesses only. */
    public static final int GTF_READONLY = 1 << _GTF_READONLY;
    /** Bit number of {@link #GTF_READING}. */
    public static final int _GTF_READING = 3;
    /** Access and transitive subflag, set by Xen: the grantee has the page mapped or in use for reading. */
    public static final int GTF_READING = 1 << _GTF_READING;
    /** Bit number of {@link #GTF_WRITING}. */
    public static final int _GTF_WRITING = 4;
    /** Access and transitive subflag, set by Xen: the grantee has the page mapped or in use for writing. */
    public static final int GTF_WRITING = 1 << _GTF_WRITING;
    /** Bit number of {@link #GTF_PWT}. */
    public static final int _GTF_PWT = 5;
    /** Access subflag (x86): map the grant write-through. */
    public static final int GTF_PWT = 1 << _GTF_PWT;
    /** Bit number of {@link #GTF_PCD}. */
    public static final int _GTF_PCD = 6;
    /** Access subflag (x86): map the grant cache-disabled. */
    public static final int GTF_PCD = 1 << _GTF_PCD;
    /** Bit number of {@link #GTF_PAT}. */
    public static final int _GTF_PAT = 7;
    /** Access subflag (x86): the PAT bit of the mapping's cache attributes. */
    public static final int GTF_PAT = 1 << _GTF_PAT;
    /** Bit number of {@link #GTF_SUB_PAGE}. */
    public static final int _GTF_SUB_PAGE = 8;
    /** Access subflag (v2): only the {@code sub_page} byte range is granted, for copying, not mapping. */
    public static final int GTF_SUB_PAGE = 1 << _GTF_SUB_PAGE;

    /** Bit number of {@link #GTF_TRANSFER_COMMITTED}. */
    public static final int _GTF_TRANSFER_COMMITTED = 2;
    /** Transfer subflag, set by Xen: a transfer is under way; leave the entry alone until completed. */
    public static final int GTF_TRANSFER_COMMITTED = 1 << _GTF_TRANSFER_COMMITTED;
    /** Bit number of {@link #GTF_TRANSFER_COMPLETED}. */
    public static final int _GTF_TRANSFER_COMPLETED = 3;
    /** Transfer subflag, set by Xen after it wrote {@code frame}: the transfer is done. */
    public static final int GTF_TRANSFER_COMPLETED = 1 << _GTF_TRANSFER_COMPLETED;

    /** Bit number of {@link #GNTMAP_DEVICE_MAP}. */
    public static final int _GNTMAP_DEVICE_MAP = 0;
    /** Map for I/O devices; {@code dev_bus_addr} returns the bus address. */
    public static final int GNTMAP_DEVICE_MAP = 1 << _GNTMAP_DEVICE_MAP;
    /** Bit number of {@link #GNTMAP_HOST_MAP}. */
    public static final int _GNTMAP_HOST_MAP = 1;
    /** Map for the host CPUs at {@code host_addr}. */
    public static final int GNTMAP_HOST_MAP = 1 << _GNTMAP_HOST_MAP;
    /** Bit number of {@link #GNTMAP_READONLY}. */
    public static final int _GNTMAP_READONLY = 2;
    /** Map read-only. */
    public static final int GNTMAP_READONLY = 1 << _GNTMAP_READONLY;
    /** Bit number of {@link #GNTMAP_APPLICATION_MAP}. */
    public static final int _GNTMAP_APPLICATION_MAP = 3;
    /** Host-map subflag: the mapping is usable by the current application too, not only the guest OS. */
    public static final int GNTMAP_APPLICATION_MAP = 1 << _GNTMAP_APPLICATION_MAP;
    /** Bit number of {@link #GNTMAP_CONTAINS_PTE}. */
    public static final int _GNTMAP_CONTAINS_PTE = 4;
    /** Host-map subflag: {@code host_addr} is the machine address of the PTE to update, not a virtual address. */
    public static final int GNTMAP_CONTAINS_PTE = 1 << _GNTMAP_CONTAINS_PTE;
    /** First bit of the PTE bits available to the guest kernel ({@code XENFEAT_gnttab_map_avail_bits}). */
    public static final int _GNTMAP_GUEST_AVAIL0 = 16;
    /** Mask of the guest-available PTE bits: bits 16..31 (unsigned 32-bit). */
    public static final int GNTMAP_GUEST_AVAIL_MASK = 0xFFFF_FFFF << _GNTMAP_GUEST_AVAIL0;

    /** Bit number of {@link #GNTCOPY_SOURCE_GREF}. */
    public static final int _GNTCOPY_SOURCE_GREF = 0;
    /** Copy flag: {@code source.u} is a grant reference of {@code source.domid}, not a frame number. */
    public static final int GNTCOPY_SOURCE_GREF = 1 << _GNTCOPY_SOURCE_GREF;
    /** Bit number of {@link #GNTCOPY_DEST_GREF}. */
    public static final int _GNTCOPY_DEST_GREF = 1;
    /** Copy flag: {@code dest.u} is a grant reference of {@code dest.domid}, not a frame number. */
    public static final int GNTCOPY_DEST_GREF = 1 << _GNTCOPY_DEST_GREF;

    /** Cache-flush operation: clean (write back) the range. */
    public static final int GNTTAB_CACHE_CLEAN = 1;
    /** Cache-flush operation: invalidate the range. */
    public static final int GNTTAB_CACHE_INVAL = 1 << 1;
    /** Cache-flush flag: {@code a} is a grant reference, not a bus address (unsigned 32-bit). */
    public static final int GNTTAB_CACHE_SOURCE_GREF = 1 << 31;

    /** Status: the operation succeeded. */
    public static final int GNTST_OKAY = 0;
    /** Status: undefined error. */
    public static final int GNTST_GENERAL_ERROR = -1;
    /** Status: unknown domain id. */
    public static final int GNTST_BAD_DOMAIN = -2;
    /** Status: unknown or inappropriate grant reference. */
    public static final int GNTST_BAD_GNTREF = -3;
    /** Status: unknown or inappropriate mapping handle. */
    public static final int GNTST_BAD_HANDLE = -4;
    /** Status: inappropriate virtual address to map. */
    public static final int GNTST_BAD_VIRT_ADDR = -5;
    /** Status: inappropriate device address to unmap. */
    public static final int GNTST_BAD_DEV_ADDR = -6;
    /** Status: no space left in the I/O MMU. */
    public static final int GNTST_NO_DEVICE_SPACE = -7;
    /** Status: not enough privilege for the operation. */
    public static final int GNTST_PERMISSION_DENIED = -8;
    /** Status: the page is not valid for the operation. */
    public static final int GNTST_BAD_PAGE = -9;
    /** Status: the copy arguments cross a page boundary. */
    public static final int GNTST_BAD_COPY_ARG = -10;
    /** Status: the transferred page's address is too large. */
    public static final int GNTST_ADDRESS_TOO_BIG = -11;
    /** Status: the operation was not done; try again. */
    public static final int GNTST_EAGAIN = -12;
    /** Status: out of space (handles and the like). */
    public static final int GNTST_NO_SPACE = -13;

    private GrantTable() {
    }
}
