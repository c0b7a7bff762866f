package io.xen4j.hal.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.xen4j.abi.Xen;
import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.Hypercalls;
import io.xen4j.hal.api.XenHalException;
import io.xen4j.hal.api.XenHost;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Hypercalls}: the version hypercall every backend implements, and errors
 * that name the hypercall.
 */
public abstract class HypercallsContract extends HalContract {
    @Test
    void xenVersionMatchesThePlatform() {
        final XenHost host = bed().privileged();
        final long v = host.hypercalls().hypercall(Xen.HYPERVISOR_XEN_VERSION, Hypercalls.XENVER_VERSION, 0);
        assertEquals(host.platform().packedVersion(), v);
        assertEquals(host.platform().versionMajor(), v >> 16);
    }

    @Test
    void anUnknownHypercallFailsWithEnosysNamingIt() {
        final XenHalException e = assertErrno(Errno.ENOSYS, () -> bed().privileged().hypercalls().hypercall(63));
        assertMentions(e, "hypercall 63");
    }

    @Test
    void moreThanFiveArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class,
            () -> bed().privileged().hypercalls().hypercall(Xen.HYPERVISOR_XEN_VERSION, 0, 0, 0, 0, 0, 0));
    }
}
