package io.xen4j.hal.memory;

import io.xen4j.abi.Xen;
import io.xen4j.hal.api.Timer;
import io.xen4j.hal.api.TimerHandler;
import org.jspecify.annotations.Nullable;

/**
 * A one-shot vCPU timer of a simulated domain.
 */
final class SimTimer extends SimHandle implements Timer {
    final int vcpu;
    final long deadline;
    final TimerHandler handler;
    private boolean pending = true;
    private @Nullable Fire scheduled;

    SimTimer(final SimHost host, final int vcpu, final long deadline, final TimerHandler handler) {
        super(host);
        this.vcpu = vcpu;
        this.deadline = deadline;
        this.handler = handler;
    }

    /** The timer's entry in the hypervisor's schedule. */
    static final class Fire extends Hypervisor.Scheduled {
        final SimTimer timer;

        Fire(final long due, final long seq, final SimTimer timer) {
            super(due, seq);
            this.timer = timer;
        }

        @Override
        @Nullable Runnable fire(final Hypervisor hv) {
            final SimTimer t = timer;
            if (!t.pending) {
                return null;
            }
            t.pending = false;
            t.scheduled = null;
            t.domain.vcpuTimers[t.vcpu] = null;
            // Xen signals an expired singleshot timer with VIRQ_TIMER.
            hv.events.raiseVirq(t.domain, Xen.VIRQ_TIMER);
            final long now = hv.now();
            return () -> t.handler.onTimer(t, now);
        }
    }

    void arm() {
        final Fire f = new Fire(Math.max(deadline, hv.now()), hv.nextSeq(), this);
        scheduled = f;
        hv.add(f);
        domain.vcpuTimers[vcpu] = this;
    }

    @Override
    public String describe() {
        return "timer of dom" + domain.domid + " vcpu " + vcpu + " at " + deadline + "ns";
    }

    @Override
    public int vcpu() {
        return vcpu;
    }

    @Override
    public long deadlineNanos() {
        return deadline;
    }

    @Override
    public boolean isPending() {
        hv.lock.lock();
        try {
            return pending && !isClosed() && !isRevoked();
        } finally {
            hv.lock.unlock();
        }
    }

    private void cancel() {
        if (pending) {
            pending = false;
            final Fire f = scheduled;
            if (f != null) {
                hv.unschedule(f);
            }
            scheduled = null;
            if (domain.vcpuTimers[vcpu] == this) {
                domain.vcpuTimers[vcpu] = null;
            }
        }
    }

    @Override
    void revokeLocked(final String reason) {
        cancel();
    }

    @Override
    void releaseLocked() {
        cancel();
    }
}
