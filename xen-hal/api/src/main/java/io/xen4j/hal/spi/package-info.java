/**
 * The provider SPI: how a HAL backend makes itself known to {@link io.xen4j.hal.api.XenHosts}
 * ({@link io.xen4j.hal.spi.XenHostProvider}, found with {@link java.util.ServiceLoader}); how
 * platform detection chooses among the backends ({@link io.xen4j.hal.spi.BackendSelector}); and
 * helpers backends share: {@link io.xen4j.hal.spi.AbstractXenHandle} (close once, use after close
 * fails) and {@link io.xen4j.hal.spi.PageViewBuffer} (mapped pages that refuse writes when
 * read-only and every access once unmapped).
 *
 * <p>Applications do not use this package; they call {@link io.xen4j.hal.api.XenHosts}.
 */
@NullMarked
package io.xen4j.hal.spi;

import org.jspecify.annotations.NullMarked;
