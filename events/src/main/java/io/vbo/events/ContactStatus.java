package io.vbo.events;

import java.util.Locale;

/**
 * A contact's state. Asterisk names the same five states differently per interface: CLI {@code Avail},
 * {@code Unavail}, {@code NonQual}; AMI lists and events {@code Reachable}, {@code Unreachable},
 * {@code NonQualified}; both {@code Unknown} and {@code Removed}.
 */
public enum ContactStatus {
    REACHABLE, UNREACHABLE, NON_QUALIFIED, UNKNOWN, REMOVED;

    /** Maps any of Asterisk's spellings (CLI or AMI); an unrecognised word is {@link #UNKNOWN}. */
    public static ContactStatus fromAsterisk(String word) {
        if (word == null) {
            return UNKNOWN;
        }
        return switch (word.strip().toLowerCase(Locale.ROOT)) {
            case "avail", "reachable" -> REACHABLE;
            case "unavail", "unreachable" -> UNREACHABLE;
            case "nonqual", "nonqualified" -> NON_QUALIFIED;
            case "removed" -> REMOVED;
            default -> UNKNOWN;
        };
    }

    /** Whether a probe may be sent to a contact in this state (never to one Asterisk cannot reach). */
    public boolean probeable() {
        return this == REACHABLE || this == NON_QUALIFIED || this == UNKNOWN;
    }
}
