package io.xen4j.hal.memory;

import io.xen4j.hal.contract.TimersContract;
import io.xen4j.hal.contract.XenTestBed;

/** The {@link TimersContract} on the simulated host. */
final class MemoryTimersTest extends TimersContract {
    @Override
    protected XenTestBed createTestBed() {
        return new SimulatedTestBed();
    }
}
