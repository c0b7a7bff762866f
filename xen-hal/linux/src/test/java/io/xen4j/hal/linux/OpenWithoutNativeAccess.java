package io.xen4j.hal.linux;

import io.xen4j.hal.api.XenHalException;
import java.nio.file.Path;

/**
 * Opens a Linux host over a fake {@code /dev/xen} (argument: its root): run by
 * {@link LinuxXenHostProviderTest} in a JVM without {@code --enable-native-access}, where it must
 * fail with a message that names the flag. Exit status 3 for that failure, 0 if it opened.
 */
public final class OpenWithoutNativeAccess {
    private OpenWithoutNativeAccess() {
    }

    /**
     * Runs it.
     *
     * @param args the fake root
     */
    public static void main(final String[] args) {
        try (LinuxXenHost h = LinuxXenHost.open(FakeXen.optionsFor(Path.of(args[0])))) {
            System.out.println("OPENED " + h);
            System.exit(0);
        } catch (final XenHalException e) {
            System.out.println(e.getMessage());
            System.exit(3);
        }
    }
}
