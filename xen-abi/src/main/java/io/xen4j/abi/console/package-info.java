/**
 * The PV console page of {@code xen/io/console.h}: {@code xencons_interface}.
 */
@NullMarked
package io.xen4j.abi.console;

import org.jspecify.annotations.NullMarked;
