package io.xen4j.hal.linux;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A contract test that cannot run on the live test bed, skipped there with the reason given:
 * most need two distinct domains, which the bed does not have (its privileged, guest and other
 * hosts are three processes' worth of devices in dom0); some expect what the simulated host does
 * where real Xen does otherwise. The contract suites' test methods cannot be overridden from this
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
     * Why it cannot run here, starting with "one domain only" or "real Xen differs".
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
