package io.xen4j.hal.memory;

import io.xen4j.hal.contract.ForeignMemoryContract;
import io.xen4j.hal.contract.XenTestBed;

/** The {@link ForeignMemoryContract} on the simulated host. */
final class MemoryForeignMemoryTest extends ForeignMemoryContract {
    @Override
    protected XenTestBed createTestBed() {
        return new SimulatedTestBed();
    }
}
