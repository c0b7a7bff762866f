package io.xen4j.hal.linux;

import io.xen4j.hal.contract.GrantTablesContract;
import io.xen4j.hal.contract.XenTestBed;

/** The {@link GrantTablesContract} on the Linux HAL inside dom0: gntalloc shares, gntdev maps back. */
@LiveXen
@LiveXenSkip(test = "onlyTheNamedDomainMayMapAGrant",
    why = "one domain per process: the intruder must be another domain than the one the grant names, and the bed's hosts are all dom0;"
        + " with the domU as the named domain it runs as LinuxSecondDomainTest.aGrantForTheDomUCannotBeMappedByDom0")
@LiveXenSkip(test = "copyByADomainTheGrantDoesNotNameFails",
    why = "one domain per process: the copier must be another domain than the one the grant names, and the bed's hosts are all dom0;"
        + " with the domU as the named domain it runs as LinuxSecondDomainTest.aGrantForTheDomUCannotBeCopiedByDom0")
final class LinuxGrantTablesContractTest extends GrantTablesContract {
    @Override
    protected XenTestBed createTestBed() {
        return new LinuxTestBed();
    }
}
