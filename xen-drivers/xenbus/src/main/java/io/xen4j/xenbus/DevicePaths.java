package io.xen4j.xenbus;

/**
 * Where one split device lives in xenstore: the frontend directory
 * {@code /local/domain/<frontend>/device/<type>/<devid>} and the backend directory
 * {@code /local/domain/<backend>/backend/<type>/<frontend>/<devid>}, as libxl lays them out.
 *
 * @param type          the device class, such as {@code vbd} or {@code vif}
 * @param frontendDomid the domain using the device
 * @param backendDomid  the domain serving it
 * @param devid         the device number ({@code 51712} for xvda)
 */
public record DevicePaths(String type, int frontendDomid, int backendDomid, int devid) {
    /** Largest domain id: {@code domid_t} is 16 bits. */
    public static final int DOMID_MAX = 0xFFFF;

    /**
     * Validates the parts, so that a path built from them is always well formed.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public DevicePaths {
        if (type.isEmpty() || !type.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
            throw new IllegalArgumentException("xenbus device: type=" + type + " must be [a-z0-9_-]+");
        }
        checkDomid("frontendDomid", frontendDomid);
        checkDomid("backendDomid", backendDomid);
        if (devid < 0) {
            throw new IllegalArgumentException("xenbus device: devid=" + devid + " must be >= 0");
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
     * @return {@code /local/domain/<backend>/backend/<type>/<frontend>/<devid>}
     */
    public String backend() {
        return backendRoot(backendDomid, type) + "/" + frontendDomid + "/" + devid;
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
