package io.xen4j.hal.memory.xenstore;

import org.jspecify.annotations.Nullable;

/**
 * One node change an operation plans before it applies any: all quota checks run over the whole
 * plan first, so that a request either changes everything it asks for or nothing (XSA-414, XSA-415).
 *
 * @param path      canonical path
 * @param before    the node now, or null if it is created
 * @param after     the node after, or null if it is removed
 * @param checkSize whether the node-size quota applies (C skips it when a child entry is removed)
 */
record Change(String path, @Nullable Node before, @Nullable Node after, boolean checkSize) {
}
