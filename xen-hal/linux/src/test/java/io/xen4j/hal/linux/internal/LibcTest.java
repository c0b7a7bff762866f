package io.xen4j.hal.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xen4j.hal.api.Errno;
import io.xen4j.hal.linux.LinuxXenException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Libc through FFM on ordinary files: errno is captured and turned into messages that name the
 * path and the ioctl; sizes are checked before any native call.
 */
class LibcTest {
    @TempDir
    Path dir;

    @Test
    void openingAMissingDeviceGivesEnoentNamingThePath() {
        final String path = dir.resolve("no-such-device").toString();
        assertEquals(-LinuxErrno.ENOENT, Libc.open(path, Libc.O_RDWR));
        final LinuxXenException e = assertThrows(LinuxXenException.class,
            () -> DeviceFile.open("open the test device", path, Libc.O_RDWR));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals(path, e.device());
        assertEquals("open", e.call());
        assertEquals("ENOENT", e.errnoName());
        assertTrue(String.valueOf(e.getMessage()).contains(path), e.getMessage());
        assertTrue(String.valueOf(e.getMessage()).contains("ENOENT (2"), e.getMessage());
        assertTrue(String.valueOf(e.getMessage()).contains("does not exist"), e.getMessage());
    }

    @Test
    void anIoctlOnDevNullGivesEnottyNamingTheIoctl() {
        try (DeviceFile f = DeviceFile.open("open /dev/null", "/dev/null", Libc.O_RDWR);
             Arena arena = Arena.ofConfined()) {
            final MemorySegment arg = arena.allocate(64);
            assertEquals(-LinuxErrno.ENOTTY, f.ioctl(Ioctl.EVTCHN_NOTIFY, arg, 0));
            final LinuxXenException e = assertThrows(LinuxXenException.class,
                () -> f.ioctlOrThrow("notify dom0 port 5", Ioctl.EVTCHN_NOTIFY, arg, 0));
            assertEquals(25, e.errnoNumber());
            assertEquals("ENOTTY", e.errnoName());
            assertEquals("ioctl IOCTL_EVTCHN_NOTIFY", e.call());
            final String m = String.valueOf(e.getMessage());
            assertTrue(m.startsWith("notify dom0 port 5 failed"), m);
            assertTrue(m.contains("ioctl IOCTL_EVTCHN_NOTIFY on /dev/null"), m);
            assertTrue(m.contains("ENOTTY (25, Inappropriate ioctl for device)"), m);
            // The 64-bit path (syscall) reports the same errno.
            assertEquals(-LinuxErrno.ENOTTY, f.ioctlLong(Ioctl.PRIVCMD_HYPERCALL, arg));
        }
    }

    @Test
    void ioctlArgumentsSmallerThanTheRequestAreRejectedBeforeTheCall() {
        try (DeviceFile f = DeviceFile.open("open /dev/null", "/dev/null", Libc.O_RDWR);
             Arena arena = Arena.ofConfined()) {
            final MemorySegment small = arena.allocate(47);
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.ioctl(Ioctl.PRIVCMD_HYPERCALL, small, 0));
            assertTrue(String.valueOf(e.getMessage()).contains("47 bytes, the request needs 48"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> f.ioctl(Ioctl.GNTDEV_MAP_GRANT_REF, arena.allocate(24), 32));
            assertThrows(IllegalArgumentException.class, () -> f.ioctl(Ioctl.EVTCHN_NOTIFY, MemorySegment.NULL, 0));
            // A request of size 0 takes no argument.
            assertEquals(-LinuxErrno.ENOTTY, f.ioctl(Ioctl.EVTCHN_RESET, MemorySegment.NULL, 0));
        }
        assertEquals(48, Libc.ioctlArgumentSize(Ioctl.PRIVCMD_HYPERCALL.request()));
        assertThrows(IllegalArgumentException.class, () -> Libc.ioctl(-1, 0, MemorySegment.NULL));
    }

    @Test
    void mmapAndMunmapCheckLengthsAndMapAnonymousMemory() {
        assertThrows(IllegalArgumentException.class, () -> Libc.mmap(0, Libc.PROT_READ, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> Libc.mmap(100, Libc.PROT_READ, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> Libc.mmap(4096, Libc.PROT_READ, Libc.MAP_SHARED, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> Libc.mmap(4096, Libc.PROT_READ, Libc.MAP_SHARED, 3, 17));
        final long a = Libc.mmap(2 * 4096, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
        assertTrue(a > 0 && (a & 4095) == 0, Long.toHexString(a));
        final MemorySegment s = MemorySegment.ofAddress(a).reinterpret(8192);
        s.set(ValueLayout.JAVA_LONG, 8184, 42L);
        assertEquals(42L, s.get(ValueLayout.JAVA_LONG, 8184));
        assertThrows(IllegalArgumentException.class, () -> Libc.munmap(a + 1, 4096));
        assertThrows(IllegalArgumentException.class, () -> Libc.munmap(a, 4095));
        assertEquals(0, Libc.munmap(a, 8192));
    }

    @Test
    void readWriteAndPollWorkOnFilesAndCheckCounts() throws IOException {
        final Path file = dir.resolve("f");
        Files.writeString(file, "", StandardCharsets.US_ASCII);
        final int fd = Libc.open(file.toString(), Libc.O_RDWR);
        assertTrue(fd >= 0);
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment buf = arena.allocateFrom("xen4j", StandardCharsets.US_ASCII);
            assertEquals(5, Libc.write(fd, buf, 5));
            assertThrows(IllegalArgumentException.class, () -> Libc.write(fd, buf, buf.byteSize() + 1));
            assertThrows(IllegalArgumentException.class, () -> Libc.read(fd, buf, -1));
            assertTrue(Libc.poll(fd, Libc.POLLIN, 0) > 0, "a regular file is always readable");
        } finally {
            assertEquals(0, Libc.close(fd));
        }
        assertEquals("xen4j", Files.readString(file, StandardCharsets.US_ASCII));
        assertEquals(-LinuxErrno.EBADF, Libc.close(fd));
    }

    @Test
    void aClosedDeviceFileReportsEbadfWithoutTouchingTheNumber() {
        final DeviceFile f = DeviceFile.open("open /dev/null", "/dev/null", Libc.O_RDWR);
        f.close();
        f.close();
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(-LinuxErrno.EBADF, f.ioctl(Ioctl.EVTCHN_NOTIFY, arena.allocate(4), 0));
            assertEquals(-LinuxErrno.EBADF, f.read(arena.allocate(4), 4));
            assertEquals(-LinuxErrno.EBADF, f.pollIn(0));
        }
        assertTrue(f.isClosed());
    }

    @Test
    void errnoNamesCoverTheUsualNumbers() {
        assertEquals("ENOTTY (25)", LinuxErrno.describe(-25));
        assertEquals("EPERM", LinuxErrno.name(1));
        assertEquals("EFBIG", LinuxErrno.name(27));
        assertEquals("EOPNOTSUPP", LinuxErrno.name(95));
        assertEquals("errno 200", LinuxErrno.describe(200));
        assertTrue(Libc.strerror(1).toLowerCase(java.util.Locale.ROOT).contains("not permitted"));
    }
}
