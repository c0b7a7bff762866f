package io.xen4j.hal.memory;

import io.xen4j.hal.contract.GrantTablesContract;
import io.xen4j.hal.contract.XenTestBed;

/** The {@link GrantTablesContract} on the simulated host. */
final class MemoryGrantTablesTest extends GrantTablesContract {
    @Override
    protected XenTestBed createTestBed() {
        return new SimulatedTestBed();
    }
}
