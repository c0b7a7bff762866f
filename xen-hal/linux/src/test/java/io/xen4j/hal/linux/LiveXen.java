package io.xen4j.hal.linux;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs a real Xen domain ({@code /dev/xen/privcmd}). Without one the
 * class is skipped, whatever {@code xen4j.requireNativeChecks} says: the live-Xen run is the
 * {@code live-xen} profile, which runs these classes inside dom0 with
 * {@code -Dxen4j.liveXen.required=true}, where a missing device fails instead.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(LiveXenCondition.class)
public @interface LiveXen {
}
