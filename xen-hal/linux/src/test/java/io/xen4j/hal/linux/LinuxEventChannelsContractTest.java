package io.xen4j.hal.linux;

import io.xen4j.hal.contract.EventChannelsContract;
import io.xen4j.hal.contract.XenTestBed;

/** The {@link EventChannelsContract} on the Linux HAL inside dom0. */
@LiveXen
@LiveXenSkip(test = "bindingAPortUnboundForAnotherDomainFailsWithEinval",
    why = "one domain only (dom0): the intruder must be another domain than the one the port is unbound for")
@LiveXenSkip(test = "allocatingForAnUnknownDomainFailsWithEsrch",
    why = "real Xen differs: EVTCHNOP_alloc_unbound stores the remote domain id without looking it up (Xen 4.17"
        + " event_channel.c), so a port for a domain that does not exist is allocated; the error comes at bind time")
final class LinuxEventChannelsContractTest extends EventChannelsContract {
    @Override
    protected XenTestBed createTestBed() {
        return new LinuxTestBed();
    }
}
