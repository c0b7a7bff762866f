package io.xen4j.abi;

/**
 * Checks that the JVM was started with the flags xen4j needs, so that a missing flag fails with a
 * message that names it instead of an {@link IllegalAccessError} deep inside Agrona.
 */
public final class JvmFlags {
    /** Flag Agrona 2.x needs when it is on the class path. */
    public static final String AGRONA_FLAG_CLASS_PATH = "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED";
    /** Flag Agrona 2.x needs when it is on the module path. */
    public static final String AGRONA_FLAG_MODULE_PATH = "--add-exports java.base/jdk.internal.misc=org.agrona";

    private JvmFlags() {
    }

    /**
     * Checks that {@code jdk.internal.misc} is exported to Agrona.
     *
     * @throws IllegalStateException naming the flag to add
     */
    public static void requireAgronaAccess() {
        final Module agrona = org.agrona.DirectBuffer.class.getModule();
        if (!Object.class.getModule().isExported("jdk.internal.misc", agrona)) {
            final String flag = agrona.isNamed() ? AGRONA_FLAG_MODULE_PATH : AGRONA_FLAG_CLASS_PATH;
            throw new IllegalStateException("xen4j needs the JVM flag " + flag
                + ": Agrona's buffers use jdk.internal.misc.Unsafe");
        }
    }

    /**
     * Checks that a module may call native code through the Foreign Function and Memory API.
     *
     * @param module the module that calls native code (the Linux HAL)
     * @throws IllegalStateException naming the flag to add
     */
    public static void requireNativeAccess(final Module module) {
        if (!module.isNativeAccessEnabled()) {
            final String name = module.isNamed() ? module.getName() : "ALL-UNNAMED";
            throw new IllegalStateException("xen4j needs the JVM flag --enable-native-access=" + name
                + " to call libc for /dev/xen devices");
        }
    }
}
