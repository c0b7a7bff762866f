package io.xen4j.hal.linux;

import io.xen4j.hal.contract.EventChannelsContract;
import io.xen4j.hal.contract.XenTestBed;

/** The {@link EventChannelsContract} on the Linux HAL inside dom0. */
@LiveXen
@LiveXenSkip(test = "bindingAPortUnboundForAnotherDomainFailsWithEinval",
    why = "one domain per process: the intruder must be another domain than the one the port is unbound for, and the bed's hosts are all dom0;"
        + " with the domU as the named domain it runs as LinuxSecondDomainTest.aPortUnboundForTheDomUCannotBeBoundByDom0")
final class LinuxEventChannelsContractTest extends EventChannelsContract {
    @Override
    protected XenTestBed createTestBed() {
        return new LinuxTestBed();
    }
}
