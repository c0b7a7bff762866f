package io.xen4j.hal.memory;

import io.xen4j.hal.contract.HypercallsContract;
import io.xen4j.hal.contract.XenTestBed;

/** The {@link HypercallsContract} on the simulated host. */
final class MemoryHypercallsTest extends HypercallsContract {
    @Override
    protected XenTestBed createTestBed() {
        return new SimulatedTestBed();
    }
}
