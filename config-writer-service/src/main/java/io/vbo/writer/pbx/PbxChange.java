package io.vbo.writer.pbx;

/**
 * Something happened to the Asterisk this writer serves (fired asynchronously by {@link Asterisk}): the translator
 * table may have changed, and whatever is not this writer's own reload may have moved the loaded config away from
 * the desired state.
 *
 * @param cause  what happened
 * @param detail for logs, e.g. the reloaded module
 */
public record PbxChange(Cause cause, String detail) {
    /** What happened. */
    public enum Cause {
        /** A command answered after Asterisk had been unreachable. */
        REACHABLE,
        /** The AMI event session logged in (first time or after a reconnect). */
        CONNECTED,
        /** {@code Event: FullyBooted}: Asterisk (re)started, or the event session logged in to a booted one. */
        FULLY_BOOTED,
        /** This writer reloaded res_pjsip. */
        OWN_RELOAD,
        /** {@code Event: Reload} of a reload this writer did not make. */
        OTHER_RELOAD;

        /** The {@code trigger} name in metrics and drift reports. */
        public String trigger() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Whether the loaded config may now differ from what this writer last applied. */
    public boolean mayDrift() {
        return cause != Cause.OWN_RELOAD;
    }
}
