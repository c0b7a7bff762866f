package io.xen4j.hal.memory.xenstore;

/**
 * A watch of one connection.
 *
 * @param path      canonical path or special path ({@code @releaseDomain})
 * @param token     the client's token, byte for byte (ISO-8859-1 in the string)
 * @param prefixLen characters cut from event paths: the home and its slash for a watch set with a
 *                  relative path, so that its events are relative too; else 0
 */
record Watch(String path, String token, int prefixLen) {
    /** The path an event on {@code changed} carries for this watch. */
    String eventPath(final String changed) {
        return prefixLen > 0 && changed.length() > prefixLen ? changed.substring(prefixLen) : changed;
    }

    /** Memory the watch costs its domain, as C counts it. */
    long footprint() {
        return (long) path.length() + token.length();
    }
}
