package io.xen4j.hal.linux.internal;

import io.xen4j.hal.api.Errno;
import io.xen4j.hal.api.EventChannel;
import io.xen4j.hal.api.EventHandler;
import io.xen4j.hal.api.XenHalException;

/**
 * One port bound through {@code /dev/xen/evtchn}.
 */
final class LinuxEventChannel extends HalHandle implements EventChannel {
    private final LinuxEventChannels owner;
    private final EvtchnDevice device;
    private final int port;
    private final Kind kind;
    private final int remoteDomid;
    private final int remotePort;
    private final int virq;
    private final EventHandler handler;

    LinuxEventChannel(
        final HostCore host, final LinuxEventChannels owner, final EvtchnDevice device, final int port,
        final Kind kind, final int remoteDomid, final int remotePort, final int virq, final EventHandler handler) {
        super(host);
        this.owner = owner;
        this.device = device;
        this.port = port;
        this.kind = kind;
        this.remoteDomid = remoteDomid;
        this.remotePort = remotePort;
        this.virq = virq;
        this.handler = handler;
    }

    EventHandler handler() {
        return handler;
    }

    @Override
    int closeRank() {
        return CLOSE_LAST;
    }

    @Override
    public String describe() {
        final String what = switch (kind) {
            case UNBOUND -> "unbound for dom" + remoteDomid;
            case INTERDOMAIN -> "interdomain with dom" + remoteDomid + " port " + remotePort;
            case VIRQ -> "VIRQ " + virq;
        };
        return "event channel dom" + host.domid() + " port " + port + " (" + what + ")";
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
        ensureOpen("notifyPeer");
        if (kind == Kind.VIRQ) {
            throw new XenHalException("notify " + describe(), Errno.EINVAL, "a VIRQ port has no peer to notify");
        }
        device.notify(this, port);
    }

    @Override
    public void unmask() {
        ensureOpen("unmask");
        device.unmask(this, port);
    }

    @Override
    protected void releaseResource() {
        try {
            if (!device.isClosed()) {
                device.unbind(this, port);
            }
        } finally {
            owner.forget(this);
        }
    }
}
