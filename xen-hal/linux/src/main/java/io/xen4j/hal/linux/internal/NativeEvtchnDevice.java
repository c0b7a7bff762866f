package io.xen4j.hal.linux.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.xen4j.abi.linux.IoctlEvtchnBindInterdomain;
import io.xen4j.abi.linux.IoctlEvtchnBindUnboundPort;
import io.xen4j.abi.linux.IoctlEvtchnBindVirq;
import io.xen4j.abi.linux.IoctlEvtchnNotify;
import io.xen4j.abi.linux.IoctlEvtchnUnbind;
import io.xen4j.hal.api.XenHandle;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@link EvtchnDevice} over the real {@code /dev/xen/evtchn}, opened non-blocking: ioctl
 * arguments written with xen-abi's flyweights, pending ports read as 32-bit words, a port
 * unmasked by writing it back, and {@code poll(2)} to wait.
 */
public final class NativeEvtchnDevice implements EvtchnDevice {
    /** Ports read per {@code read(2)} at most. */
    static final int READ_BATCH = 64;

    private final DeviceFile file;
    /** Only the polling thread reads, as {@link io.xen4j.hal.api.EventChannels} requires. */
    private final MemorySegment readBuffer;

    /**
     * Wraps an open device.
     *
     * @param file  the open {@code /dev/xen/evtchn}
     * @param arena where the read buffer lives, as long as the host
     */
    public NativeEvtchnDevice(final DeviceFile file, final Arena arena) {
        this.file = file;
        this.readBuffer = arena.allocate((long) READ_BATCH * Integer.BYTES, 8);
    }

    @Override
    public int bindUnbound(final String operation, final int remoteDomid) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment arg = arena.allocate(IoctlEvtchnBindUnboundPort.LENGTH, 8);
            new IoctlEvtchnBindUnboundPort().wrap(Native.buffer(arg), 0).remoteDomain(remoteDomid);
            return file.ioctlOrThrow(operation, Ioctl.EVTCHN_BIND_UNBOUND_PORT, arg, 0);
        }
    }

    @Override
    public int bindInterdomain(final String operation, final int remoteDomid, final int remotePort) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment arg = arena.allocate(IoctlEvtchnBindInterdomain.LENGTH, 8);
            new IoctlEvtchnBindInterdomain().wrap(Native.buffer(arg), 0).remoteDomain(remoteDomid).remotePort(remotePort);
            return file.ioctlOrThrow(operation, Ioctl.EVTCHN_BIND_INTERDOMAIN, arg, 0);
        }
    }

    @Override
    public int bindVirq(final String operation, final int virq) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment arg = arena.allocate(IoctlEvtchnBindVirq.LENGTH, 8);
            new IoctlEvtchnBindVirq().wrap(Native.buffer(arg), 0).virq(virq);
            return file.ioctlOrThrow(operation, Ioctl.EVTCHN_BIND_VIRQ, arg, 0);
        }
    }

    @Override
    public void unbind(final XenHandle channel, final int port) {
        final MemorySegment arg = Native.word().asSlice(0, IoctlEvtchnUnbind.LENGTH);
        arg.set(JAVA_INT, IoctlEvtchnUnbind.PORT_OFFSET, port);
        final int r = file.ioctl(Ioctl.EVTCHN_UNBIND, arg, 0);
        if (r < 0 && !file.isClosed()) {
            throw file.failure("unbind " + channel.describe(), Ioctl.EVTCHN_UNBIND.call(), -r);
        }
    }

    @Override
    public void notify(final XenHandle channel, final int port) {
        final MemorySegment arg = Native.word().asSlice(0, IoctlEvtchnNotify.LENGTH);
        arg.set(JAVA_INT, IoctlEvtchnNotify.PORT_OFFSET, port);
        final int r = file.ioctl(Ioctl.EVTCHN_NOTIFY, arg, 0);
        if (r < 0) {
            throw file.failure("notify " + channel.describe(), Ioctl.EVTCHN_NOTIFY.call(), -r);
        }
    }

    @Override
    public void unmask(final XenHandle channel, final int port) {
        final MemorySegment word = Native.word().asSlice(0, Integer.BYTES);
        word.set(JAVA_INT, 0, port);
        final long r = file.write(word, Integer.BYTES);
        if (r < 0) {
            throw file.failure("unmask " + channel.describe(), "write", (int) -r);
        }
    }

    @Override
    public int read(final int[] ports, final int max) {
        final int n = Math.min(Math.min(max, ports.length), READ_BATCH);
        if (n <= 0) {
            return 0;
        }
        final long r = file.read(readBuffer, (long) n * Integer.BYTES);
        if (r < 0) {
            final int errno = (int) -r;
            if (errno == LinuxErrno.EAGAIN || errno == LinuxErrno.EINTR || errno == LinuxErrno.EBADF && file.isClosed()) {
                return 0;
            }
            if (errno == LinuxErrno.EFBIG) {
                return OVERFLOW;
            }
            throw file.failure("read pending ports", "read", errno);
        }
        final int count = (int) (r / Integer.BYTES);
        for (int i = 0; i < count; i++) {
            ports[i] = readBuffer.getAtIndex(ValueLayout.JAVA_INT, i);
        }
        return count;
    }

    @Override
    public void reset() {
        final int r = file.ioctl(Ioctl.EVTCHN_RESET, MemorySegment.NULL, 0);
        if (r < 0 && !file.isClosed()) {
            throw file.failure("reset the pending-port ring", Ioctl.EVTCHN_RESET.call(), -r);
        }
    }

    @Override
    public boolean await(final int timeoutMs) {
        final int r = file.pollIn(timeoutMs);
        if (r >= 0) {
            return r > 0;
        }
        if (-r == LinuxErrno.EINTR || file.isClosed()) {
            return false;
        }
        throw file.failure("wait for pending ports", "poll", -r);
    }

    @Override
    public boolean isClosed() {
        return file.isClosed();
    }
}
