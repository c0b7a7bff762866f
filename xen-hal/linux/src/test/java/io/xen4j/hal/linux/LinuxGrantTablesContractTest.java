package io.xen4j.hal.linux;

import io.xen4j.hal.contract.GrantTablesContract;
import io.xen4j.hal.contract.XenTestBed;

/** The {@link GrantTablesContract} on the Linux HAL inside dom0: gntalloc shares, gntdev maps back. */
@LiveXen
@SkipOnSingleDomain(test = "onlyTheNamedDomainMayMapAGrant",
    why = "the intruder must be another domain than the one the grant names")
@SkipOnSingleDomain(test = "copyByADomainTheGrantDoesNotNameFails",
    why = "the copier must be another domain than the one the grant names")
final class LinuxGrantTablesContractTest extends GrantTablesContract {
    @Override
    protected XenTestBed createTestBed() {
        return new LinuxTestBed();
    }
}
