package io.xen4j.hal.linux.internal;

import io.xen4j.abi.xenstore.XsWire;
import io.xen4j.abi.xenstore.XsWireHeader;
import io.xen4j.hal.api.GuestType;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.agrona.concurrent.UnsafeBuffer;
import org.jspecify.annotations.Nullable;

/**
 * What Linux tells a process about the Xen platform it runs on: {@code /sys/hypervisor/type},
 * {@code guest_type} and {@code version/*}, and {@code /proc/xen/capabilities} ({@code control_d}
 * in the control domain, dom0).
 *
 * @param xen           whether the kernel runs on Xen
 * @param guestType     PV, HVM or PVH; NONE when not on Xen
 * @param versionMajor  {@code version/major}, 0 when unknown
 * @param versionMinor  {@code version/minor}
 * @param versionExtra  {@code version/extra}, e.g. {@code ".7"}
 * @param versionKnown  whether sysfs gave the version
 * @param controlDomain whether {@code /proc/xen/capabilities} says {@code control_d}
 */
public record PlatformFacts(
    boolean xen, GuestType guestType, int versionMajor, int versionMinor, String versionExtra,
    boolean versionKnown, boolean controlDomain) {

    /**
     * Reads the facts. Missing files mean "not on Xen" or "unknown", never an error.
     *
     * @param paths where to look
     * @return the facts
     */
    public static PlatformFacts read(final LinuxPaths paths) {
        final String type = readTrimmed(paths.sysHypervisor().resolve("type"));
        final String caps = readTrimmed(paths.procXen().resolve("capabilities"));
        final boolean xen = "xen".equals(type) || caps != null || Files.exists(paths.devXen());
        final String guest = readTrimmed(paths.sysHypervisor().resolve("guest_type"));
        final GuestType guestType;
        if (!xen) {
            guestType = GuestType.NONE;
        } else if (guest == null) {
            // Kernels before 4.15 lack guest_type; those ran dom0 and most guests as PV.
            guestType = GuestType.PV;
        } else {
            guestType = switch (guest.toUpperCase(Locale.ROOT)) {
                case "HVM" -> GuestType.HVM;
                case "PVH" -> GuestType.PVH;
                default -> GuestType.PV;
            };
        }
        final Integer major = readInt(paths.sysHypervisor().resolve("version/major"));
        final Integer minor = readInt(paths.sysHypervisor().resolve("version/minor"));
        final String extra = readTrimmed(paths.sysHypervisor().resolve("version/extra"));
        final boolean known = major != null && minor != null;
        final int maj = major == null ? 0 : major;
        final int min = minor == null ? 0 : minor;
        final boolean control = caps != null && caps.contains("control_d");
        return new PlatformFacts(xen, guestType, known ? maj : 0, known ? min : 0, extra == null ? "" : extra,
            known, control);
    }

    private static @Nullable String readTrimmed(final Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (final IOException | SecurityException e) {
            return null;
        }
    }

    private static @Nullable Integer readInt(final Path file) {
        final String s = readTrimmed(file);
        if (s == null) {
            return null;
        }
        try {
            return Integer.valueOf(s);
        } catch (final NumberFormatException e) {
            return null;
        }
    }

    /**
     * Reads this domain's id from xenstore ({@code domid}, relative to the domain's home) through
     * the xenbus device, with one {@code XS_READ}. Not a xenstore client: just what the HAL needs
     * to know which domain it is, where {@code /proc/xen/capabilities} does not say dom0.
     *
     * @param xenbus the xenbus device path
     * @return the domain id
     * @throws IllegalStateException saying why it could not be read
     */
    public static int readDomidFromXenstore(final Path xenbus) {
        final String path = xenbus.toString();
        final int fd = Libc.open(path, Libc.O_RDWR | Libc.O_CLOEXEC);
        if (fd < 0) {
            throw new IllegalStateException("open " + path + ": " + LinuxErrno.describe(-fd));
        }
        try (Arena arena = Arena.ofConfined()) {
            final byte[] key = "domid\0".getBytes(StandardCharsets.US_ASCII);
            final MemorySegment request = arena.allocate(XsWireHeader.LENGTH + key.length, 8);
            final UnsafeBuffer rb = Native.buffer(request);
            new XsWireHeader().wrap(rb, 0).type(XsWire.XS_READ).reqId(0x78346a).txId(0).len(key.length);
            rb.putBytes(XsWireHeader.LENGTH, key);
            final long written = Libc.write(fd, request, request.byteSize());
            if (written != request.byteSize()) {
                throw new IllegalStateException("write XS_READ domid to " + path + ": "
                    + (written < 0 ? LinuxErrno.describe((int) -written) : "short write"));
            }
            final MemorySegment reply = arena.allocate(XsWireHeader.LENGTH + 4096, 8);
            final long n = Libc.read(fd, reply, reply.byteSize());
            if (n < XsWireHeader.LENGTH) {
                throw new IllegalStateException("read the XS_READ reply from " + path + ": "
                    + (n < 0 ? LinuxErrno.describe((int) -n) : "short read"));
            }
            final UnsafeBuffer b = Native.buffer(reply);
            final int len = XsWireHeader.len(b, 0);
            if (len < 0 || len > n - XsWireHeader.LENGTH) {
                throw new IllegalStateException("malformed xenstore reply: len=" + len);
            }
            final String value = b.getStringWithoutLengthAscii(XsWireHeader.LENGTH, len).replace("\0", "").trim();
            if (XsWireHeader.type(b, 0) == XsWire.XS_ERROR) {
                throw new IllegalStateException("xenstore refused XS_READ domid: " + value);
            }
            try {
                return Integer.parseInt(value);
            } catch (final NumberFormatException e) {
                throw new IllegalStateException("xenstore's domid is not a number: \"" + value + "\"", e);
            }
        } finally {
            Libc.close(fd);
        }
    }
}
