/**
 * The PV control protocol of {@code /local/domain/<domid>/control}: the toolstack writes a word
 * to {@code control/shutdown} ({@code poweroff}, {@code reboot}, {@code suspend}, {@code crash},
 * {@code halt}) or a key to {@code control/sysrq}; the guest acknowledges by clearing the node in
 * a transaction and acts. {@link io.xen4j.control.ControlGuest} is the guest's side (as Linux's
 * {@code drivers/xen/manage.c}), {@link io.xen4j.control.ControlToolstack} the toolstack's (as
 * {@code xl shutdown}, {@code xl sysrq}).
 */
@NullMarked
package io.xen4j.control;

import org.jspecify.annotations.NullMarked;
