/**
 * Runnable xen4j programs: {@link io.xen4j.examples.Demo} runs on the simulated Xen host.
 */
@NullMarked
package io.xen4j.examples;

import org.jspecify.annotations.NullMarked;
