package io.xen4j.hal.api;

/**
 * What a backend knows of the platform: whether this is Xen, how the domain is virtualised, the
 * hypervisor version and whether the domain is privileged.
 *
 * @param xen           whether the domain runs on Xen
 * @param guestType     how it is virtualised; {@link GuestType#NONE} when not on Xen
 * @param versionMajor  Xen major version ({@code XENVER_version >> 16}); 0 when not on Xen
 * @param versionMinor  Xen minor version ({@code XENVER_version & 0xffff})
 * @param versionExtra  {@code XENVER_extraversion}, e.g. {@code ".2"}; empty when unknown
 * @param privileged    whether the domain may use privileged operations (foreign mappings,
 *                      platform operations): the control domain or a driver domain allowed by XSM
 * @param initialDomain whether it is the initial domain (dom0)
 * @param domid         the domain's id
 */
public record PlatformInfo(
    boolean xen,
    GuestType guestType,
    int versionMajor,
    int versionMinor,
    String versionExtra,
    boolean privileged,
    boolean initialDomain,
    int domid) {

    /**
     * The version as Xen prints it.
     *
     * @return e.g. {@code "4.17.2"}, or {@code "none"} when not on Xen
     */
    public String version() {
        return xen ? versionMajor + "." + versionMinor + versionExtra : "none";
    }

    /**
     * The version in the packed form {@code XENVER_version} returns.
     *
     * @return {@code major << 16 | minor}
     */
    public int packedVersion() {
        return versionMajor << 16 | versionMinor & 0xFFFF;
    }
}
