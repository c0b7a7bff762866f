package io.xen4j.xenbus;

/**
 * Where one split device lives in xenstore: the frontend directory
 * {@code /local/domain/<frontend>/device/<type>/<devid>} and the backend directory
 * {@code /local/domain/<backend>/backend/<backendKind>/<frontend>/<devid>}, as libxl lays them out.
 *
 * <p>The backend kind is the device class for the kernel's backends ({@code vbd}, {@code vif}),
 * and another name for a backend in user space, as libxl's {@code qdisk} for QEMU's disks: a
 * Linux backend domain that loaded {@code xen-blkback} or {@code xen-netback} serves every
 * device under {@code backend/vbd} or {@code backend/vif} itself (it binds the frontend's event
 * channel first), so a user-space backend there would fight it. The frontend never looks at the
 * kind: it follows its {@code backend} node.
 *
 * @param type          the device class, such as {@code vbd} or {@code vif}: the frontend's directory
 * @param frontendDomid the domain using the device
 * @param backendDomid  the domain serving it
 * @param devid         the device number ({@code 51712} for xvda)
 * @param backendKind   the backend's directory under {@code backend/}: {@code type} for the
 *                      kernel's backends, another name for one in user space
 */
public record DevicePaths(String type, int frontendDomid, int backendDomid, int devid, String backendKind) {
    /** Largest domain id: {@code domid_t} is 16 bits. */
    public static final int DOMID_MAX = 0xFFFF;

    /**
     * Validates the parts, so that a path built from them is always well formed.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public DevicePaths {
        checkName("type", type);
        checkName("backendKind", backendKind);
        checkDomid("frontendDomid", frontendDomid);
        checkDomid("backendDomid", backendDomid);
        if (devid < 0) {
            throw new IllegalArgumentException("xenbus device: devid=" + devid + " must be >= 0");
        }
    }

    /**
     * A device whose backend directory has the device's class as its kind ({@code backend/<type>}),
     * as the kernel's backends and libxl lay it out.
     *
     * @param type          the device class, such as {@code vbd} or {@code vif}
     * @param frontendDomid the domain using the device
     * @param backendDomid  the domain serving it
     * @param devid         the device number ({@code 51712} for xvda)
     * @throws IllegalArgumentException naming the bad value
     */
    public DevicePaths(final String type, final int frontendDomid, final int backendDomid, final int devid) {
        this(type, frontendDomid, backendDomid, devid, type);
    }

    /**
     * The same device with its backend directory under another kind, such as a user-space
     * backend's name.
     *
     * @param kind the backend's directory under {@code backend/}
     * @return the device with {@code backend/<kind>/<frontend>/<devid>} as its backend directory
     * @throws IllegalArgumentException if {@code kind} is not {@code [a-z0-9_-]+}
     */
    public DevicePaths withBackendKind(final String kind) {
        return new DevicePaths(type, frontendDomid, backendDomid, devid, kind);
    }

    private static void checkName(final String what, final String name) {
        if (name.isEmpty() || !name.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
            throw new IllegalArgumentException("xenbus device: " + what + "=" + name + " must be [a-z0-9_-]+");
        }
    }

    private static void checkDomid(final String name, final int domid) {
        if (domid < 0 || domid > DOMID_MAX) {
            throw new IllegalArgumentException("xenbus device: " + name + "=" + domid + " must be 0.." + DOMID_MAX);
        }
    }

    /**
     * The frontend directory.
     *
     * @return {@code /local/domain/<frontend>/device/<type>/<devid>}
     */
    public String frontend() {
        return "/local/domain/" + frontendDomid + "/device/" + type + "/" + devid;
    }

    /**
     * The backend directory.
     *
     * @return {@code /local/domain/<backend>/backend/<backendKind>/<frontend>/<devid>}
     */
    public String backend() {
        return backendRoot(backendDomid, backendKind) + "/" + frontendDomid + "/" + devid;
    }

    /**
     * A node of the frontend directory.
     *
     * @param node a relative name such as {@code state}
     * @return the absolute path
     */
    public String frontend(final String node) {
        return frontend() + "/" + node;
    }

    /**
     * A node of the backend directory.
     *
     * @param node a relative name such as {@code state}
     * @return the absolute path
     */
    public String backend(final String node) {
        return backend() + "/" + node;
    }

    /**
     * The directory a backend domain watches for new devices of a type.
     *
     * @param backendDomid the backend domain
     * @param type         the device class
     * @return {@code /local/domain/<backend>/backend/<type>}
     */
    public static String backendRoot(final int backendDomid, final String type) {
        return "/local/domain/" + backendDomid + "/backend/" + type;
    }

    /**
     * A short name for messages: {@code vbd-<frontend>-<devid>}, as Linux names backend threads.
     *
     * @return the name
     */
    public String name() {
        return type + "-" + frontendDomid + "-" + devid;
    }
}
