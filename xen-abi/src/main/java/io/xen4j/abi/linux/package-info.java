/**
 * The Linux {@code /dev/xen/*} device ABI, {@code xen/sys/*.h}: ioctl structures and request numbers of privcmd, evtchn, gntdev, gntalloc and xenbus_dev.
 */
@NullMarked
package io.xen4j.abi.linux;

import org.jspecify.annotations.NullMarked;
