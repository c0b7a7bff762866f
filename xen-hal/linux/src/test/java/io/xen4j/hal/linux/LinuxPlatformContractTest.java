package io.xen4j.hal.linux;

import io.xen4j.hal.contract.PlatformContract;
import io.xen4j.hal.contract.XenTestBed;

/** The {@link PlatformContract} on the Linux HAL inside dom0: sysfs, xenfs and platform_op. */
@LiveXen
@LiveXenSkip(test = "thePrivilegedDomainIsPrivilegedAndTheGuestIsNot", why = "needs the HAL inside an unprivileged domain: the bed's guest is dom0, and the domU runs no JVM"
    + " (see live-xen/README.md, 'What the live run does not cover')")
@LiveXenSkip(test = "aGuestHasNoPlatformOps", why = "needs the HAL inside an unprivileged domain: the bed's guest is dom0, which has them, and the domU runs no JVM"
    + " (see live-xen/README.md, 'What the live run does not cover')")
final class LinuxPlatformContractTest extends PlatformContract {
    @Override
    protected XenTestBed createTestBed() {
        return new LinuxTestBed();
    }
}
