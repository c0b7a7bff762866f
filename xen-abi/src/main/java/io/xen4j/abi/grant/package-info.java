/**
 * Grant tables, {@code xen/grant_table.h}: v1 and v2 entries, {@code GTF_*} flags, {@code GNTST_*} status codes and the grant-table operation structures.
 */
@NullMarked
package io.xen4j.abi.grant;

import org.jspecify.annotations.NullMarked;
