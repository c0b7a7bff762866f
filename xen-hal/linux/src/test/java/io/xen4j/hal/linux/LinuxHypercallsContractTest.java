package io.xen4j.hal.linux;

import io.xen4j.hal.contract.HypercallsContract;
import io.xen4j.hal.contract.XenTestBed;

/** The {@link HypercallsContract} on the Linux HAL inside dom0: IOCTL_PRIVCMD_HYPERCALL. */
@LiveXen
final class LinuxHypercallsContractTest extends HypercallsContract {
    @Override
    protected XenTestBed createTestBed() {
        return new LinuxTestBed();
    }
}
