package io.xen4j.hal.linux;

import io.xen4j.hal.contract.ForeignMemoryContract;
import io.xen4j.hal.contract.XenTestBed;

/** The {@link ForeignMemoryContract} on the Linux HAL inside dom0: privcmd maps dom0's own frames. */
@LiveXen
@LiveXenSkip(test = "theGuestsGrantTableCanBeMappedAsAResource",
    why = "one domain per process: XENMEM_acquire_resource maps only another domain's resources (Xen refuses the caller's own with EPERM)"
        + " and the bed's guest is dom0; the domU's table runs as LinuxSecondDomainTest.theDomUsGrantTableCanBeMappedAsAResource")
@LiveXenSkip(test = "anUnprivilegedGuestHasNoForeignMemory", why = "needs the HAL inside an unprivileged domain: the bed's guest is dom0, which is privileged, and the domU runs no JVM"
        + " (see live-xen/README.md, 'What the live run does not cover')")
@LiveXenSkip(test = "aFrameThatCannotBeMappedHasItsOwnErrorAndFailsOnAccess",
    why = "one domain only (dom0): the bed maps dom0's own frames, and for those Xen takes a frame number that is not"
        + " RAM (the case's 1 << 40) for I/O memory, which dom0 may map; the case means a guest's absent frame, and runs with the"
        + " domU's frames as LinuxSecondDomainTest.aFrameTheDomUDoesNotHaveHasItsOwnErrorAndFailsOnAccess")
final class LinuxForeignMemoryContractTest extends ForeignMemoryContract {
    @Override
    protected XenTestBed createTestBed() {
        return new LinuxTestBed();
    }
}
