package io.xen4j.hal.linux;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A contract test that needs two distinct domains, which the live test bed does not have (its
 * privileged, guest and other hosts are three processes' worth of devices in dom0): skipped there
 * with the reason given. The contract suites' test methods cannot be overridden from this
 * package, hence an annotation on the subclass naming them.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Repeatable(SkipOnSingleDomain.List.class)
public @interface SkipOnSingleDomain {
    /**
     * The test method's name.
     *
     * @return the name
     */
    String test();

    /**
     * Why it cannot run with one domain.
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
        SkipOnSingleDomain[] value();
    }
}
