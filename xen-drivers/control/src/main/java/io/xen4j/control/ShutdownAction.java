package io.xen4j.control;

import org.jspecify.annotations.Nullable;

/**
 * What the toolstack may ask of a guest through {@code control/shutdown}: the words libxl writes
 * and Linux's {@code drivers/xen/manage.c} understands.
 */
public enum ShutdownAction {
    /** Power off ({@code xl shutdown}). */
    POWEROFF("poweroff"),
    /** Reboot ({@code xl reboot}). */
    REBOOT("reboot"),
    /** Suspend for save or migration ({@code xl save}, {@code xl migrate}). */
    SUSPEND("suspend"),
    /** Crash, for a dump ({@code xl trigger} and test harnesses). */
    CRASH("crash"),
    /** Halt: Linux treats it as power off. */
    HALT("halt");

    /** Longest word, so that a hostile value is rejected before any comparison. */
    static final int MAX_WORD_LENGTH = 8;

    private final String word;

    ShutdownAction(final String word) {
        this.word = word;
    }

    /**
     * The word in {@code control/shutdown}.
     *
     * @return for example {@code "poweroff"}
     */
    public String word() {
        return word;
    }

    /**
     * The node a guest writes {@code 1} to when it handles this action.
     *
     * @return for example {@code "feature-poweroff"}
     */
    public String featureNode() {
        return "feature-" + word;
    }

    /**
     * Parses the value of {@code control/shutdown} exactly, as Linux compares it with
     * {@code strcmp}: no trimming, no case folding.
     *
     * @param text the node's value, written by the toolstack (or by anyone who may write it)
     * @return the action, or null for anything else
     */
    public static @Nullable ShutdownAction ofWord(final String text) {
        if (text.isEmpty() || text.length() > MAX_WORD_LENGTH) {
            return null;
        }
        for (final ShutdownAction a : values()) {
            if (a.word.equals(text)) {
                return a;
            }
        }
        return null;
    }
}
