/**
 * Helpers of the end-to-end tests that run inside the live-xen harness's dom0 (see
 * {@code live-xen/README.md}): {@link io.xen4j.e2e.GuestConsoleLog} waits, with a bound, for the
 * {@code XEN4J-DOMU:} lines the harness's guest prints when it checks a device.
 */
@NullMarked
package io.xen4j.e2e;

import org.jspecify.annotations.NullMarked;
