package io.xen4j.hal.linux;

import io.xen4j.hal.contract.PlatformContract;
import io.xen4j.hal.contract.XenTestBed;

/** The {@link PlatformContract} on the Linux HAL inside dom0: sysfs, xenfs and platform_op. */
@LiveXen
@LiveXenSkip(test = "thePrivilegedDomainIsPrivilegedAndTheGuestIsNot", why = "one domain only (dom0): the bed's guest is dom0")
@LiveXenSkip(test = "aGuestHasNoPlatformOps", why = "one domain only (dom0): the bed's guest is dom0, which has them")
final class LinuxPlatformContractTest extends PlatformContract {
    @Override
    protected XenTestBed createTestBed() {
        return new LinuxTestBed();
    }
}
