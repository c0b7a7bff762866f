package io.xen4j.hal.memory;

import io.xen4j.hal.contract.PlatformContract;
import io.xen4j.hal.contract.XenTestBed;

/** The {@link PlatformContract} on the simulated host. */
final class MemoryPlatformTest extends PlatformContract {
    @Override
    protected XenTestBed createTestBed() {
        return new SimulatedTestBed();
    }
}
