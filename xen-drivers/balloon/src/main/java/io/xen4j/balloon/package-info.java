/**
 * Memory ballooning as Linux's {@code drivers/xen/xen-balloon.c} and {@code balloon.c} do it,
 * and the toolstack's side as libxl writes it: {@link io.xen4j.balloon.BalloonGuest},
 * {@link io.xen4j.balloon.BalloonToolstack}, and the pure parsing and clamping of targets in
 * {@link io.xen4j.balloon.BalloonTargets}.
 */
@NullMarked
package io.xen4j.balloon;

import org.jspecify.annotations.NullMarked;
