package io.xen4j.hal.memory;

import io.xen4j.hal.api.XenHost;
import io.xen4j.hal.contract.XenHostContract;
import io.xen4j.hal.contract.XenTestBed;

/** The {@link XenHostContract} on the simulated host. */
final class MemoryXenHostTest extends XenHostContract {
    private SimulatedTestBed bed = new SimulatedTestBed();

    @Override
    protected XenTestBed createTestBed() {
        bed = new SimulatedTestBed();
        return bed;
    }

    @Override
    protected XenHost openGuestHost() {
        return bed.guest.openHost();
    }
}
