package io.xen4j.hal.linux;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A contract test that cannot run on the live test bed, skipped there with the reason given:
 * they need two distinct domains in one process, which the bed does not have (its privileged,
 * guest and other hosts are three processes' worth of devices in dom0). Where the property can be
 * checked with dom0 on one side and a real domU on the other, the reason names the
 * {@link LinuxSecondDomainTest} case that does it. The contract suites' test methods cannot be overridden from this
 * package, hence an annotation on the subclass naming them.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Repeatable(LiveXenSkip.List.class)
public @interface LiveXenSkip {
    /**
     * The test method's name.
     *
     * @return the name
     */
    String test();

    /**
     * Why it cannot run here, starting with "one domain per process" or "needs the HAL inside an
     * unprivileged domain".
     *
     * @return the reason
     */
    String why();

    /** The container. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface List {
        /**
         * The skips.
         *
         * @return them
         */
        LiveXenSkip[] value();
    }
}
