/**
 * Xen platform detection (the xenpci role): whether the JVM runs on Xen and how, read from a
 * root directory's sysfs and procfs, and the HAL backend chosen from it.
 */
module io.xen4j.platform {
    // GuestType, XenHosts and the providers the choice is made among.
    requires transitive io.xen4j.hal;
    // @NullMarked and @Nullable annotations, needed at compile time only.
    requires static org.jspecify;

    exports io.xen4j.platform;

    // XenHosts.open() asks this selector whenever the module is present.
    provides io.xen4j.hal.spi.BackendSelector with io.xen4j.platform.PlatformBackendSelector;
}
