package io.xen4j.hal.linux;

import io.xen4j.hal.contract.GrantTablesContract;
import io.xen4j.hal.contract.XenTestBed;

/** The {@link GrantTablesContract} on the Linux HAL inside dom0: gntalloc shares, gntdev maps back. */
@LiveXen
@LiveXenSkip(test = "onlyTheNamedDomainMayMapAGrant",
    why = "one domain only (dom0): the intruder must be another domain than the one the grant names")
@LiveXenSkip(test = "copyByADomainTheGrantDoesNotNameFails",
    why = "one domain only (dom0): the copier must be another domain than the one the grant names")
final class LinuxGrantTablesContractTest extends GrantTablesContract {
    @Override
    protected XenTestBed createTestBed() {
        return new LinuxTestBed();
    }
}
