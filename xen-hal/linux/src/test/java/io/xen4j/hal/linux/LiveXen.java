package io.xen4j.hal.linux;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs a real Xen domain ({@code /dev/xen/privcmd}). Without one the
 * class is skipped, whatever {@code xen4j.requireNativeChecks} says: the live-Xen run is the
 * {@code live-xen} profile, which runs these classes inside dom0 with
 * {@code -Dxen4j.liveXen.required=true}, where a missing device fails instead. The tag
 * {@code xen-dom0} keeps these classes out of the host's {@code ./mvnw verify} (the parent pom
 * excludes it), so the host's reports list them as not run rather than as skipped.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(LiveXenCondition.class)
@Tag("xen-dom0")
public @interface LiveXen {
}
