package io.xen4j.hal.memory;

import io.xen4j.hal.contract.EventChannelsContract;
import io.xen4j.hal.contract.XenTestBed;

/** The {@link EventChannelsContract} on the simulated host. */
final class MemoryEventChannelsTest extends EventChannelsContract {
    @Override
    protected XenTestBed createTestBed() {
        return new SimulatedTestBed();
    }
}
