/**
 * Per-vCPU operations, {@code xen/vcpu.h}: the single-shot timer.
 */
@NullMarked
package io.xen4j.abi.vcpu;

import org.jspecify.annotations.NullMarked;
