/**
 * The PV console ({@code xen/io/console.h}, Xen's {@code docs/misc/console.txt}): the guest's
 * side as streams ({@link io.xen4j.console.GuestConsole}, {@link io.xen4j.console.SecondaryConsoleFront}),
 * the toolstack's nodes ({@link io.xen4j.console.ConsoleToolstack}) and a xenconsoled-like backend
 * ({@link io.xen4j.console.ConsoleBackend}) with its sinks ({@link io.xen4j.console.ConsoleSink}:
 * timestamped log files, Java streams, pseudo-terminals).
 */
@NullMarked
package io.xen4j.console;

import org.jspecify.annotations.NullMarked;
