package io.xen4j.hal.linux;

import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.contract.XenHostContract;
import io.xen4j.hal.contract.XenTestBed;

/** The {@link XenHostContract} on the Linux HAL inside dom0. */
@LiveXen
final class LinuxXenHostContractTest extends XenHostContract {
    @Override
    protected XenTestBed createTestBed() {
        return new LinuxTestBed();
    }

    @Override
    protected XenHost openGuestHost() {
        return LinuxTestBed.openHost();
    }
}
