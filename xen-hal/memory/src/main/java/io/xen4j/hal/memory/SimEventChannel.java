package io.xen4j.hal.memory;

import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.EventHandler;

/**
 * One port bound through a simulated evtchn device.
 */
final class SimEventChannel extends SimHandle implements EventChannel {
    final SimEventChannels channels;
    final EventHandler handler;
    private final Kind kind;
    private final int remoteDomid;
    private final int virq;
    private final int remotePortAtBind;
    int port;

    SimEventChannel(
        final SimEventChannels channels, final EventHandler handler, final Kind kind,
        final int remoteDomid, final int remotePort, final int virq) {
        super(channels.host);
        this.channels = channels;
        this.handler = handler;
        this.kind = kind;
        this.remoteDomid = remoteDomid;
        this.remotePortAtBind = remotePort;
        this.virq = virq;
    }

    @Override
    public String describe() {
        return switch (kind) {
            case UNBOUND -> "event channel dom" + domain.domid + " port " + port + " (unbound for dom" + remoteDomid + ")";
            case INTERDOMAIN -> "event channel dom" + domain.domid + " port " + port + " (to dom" + remoteDomid
                + " port " + remotePortAtBind + ")";
            case VIRQ -> "event channel dom" + domain.domid + " port " + port + " (VIRQ " + virq + ")";
        };
    }

    @Override
    public int localPort() {
        return port;
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public int remoteDomid() {
        return remoteDomid;
    }

    @Override
    public int virq() {
        return virq;
    }

    @Override
    public void notifyPeer() {
        hv.lock.lock();
        try {
            checkUsable("notify");
            // A constant: this runs per notification, and the error messages of send() name the
            // port themselves (no string built on the data path).
            hv.events.send(domain, port, "notify");
        } finally {
            hv.lock.unlock();
        }
    }

    @Override
    public void unmask() {
        hv.lock.lock();
        try {
            checkUsable("unmask");
            hv.events.unmask(domain, port);
        } finally {
            hv.lock.unlock();
        }
    }

    @Override
    void revokeLocked(final String reason) {
        // The hypervisor closes the domain's ports itself.
    }

    @Override
    void releaseLocked() {
        hv.events.close(domain, port);
    }
}
