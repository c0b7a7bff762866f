package io.xen4j.hal.memory;

import io.xen4j.hal.contract.MemoryReservationContract;
import io.xen4j.hal.contract.XenTestBed;

/** The {@link MemoryReservationContract} on the simulated host. */
final class MemoryMemoryReservationTest extends MemoryReservationContract {
    @Override
    protected XenTestBed createTestBed() {
        return new SimulatedTestBed();
    }
}
