package io.vbo.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What the config writer did with one decision.
 *
 * @param schema         contract version, {@link #SCHEMA}
 * @param decisionId     the {@link CodecDecision#decisionId()} this answers
 * @param pbxId          which PBX
 * @param endpoint       PJSIP endpoint name
 * @param status         outcome
 * @param codecsReported codecs Asterisk reported for the endpoint after the reload (empty when unknown)
 * @param error          why it failed or was rolled back
 * @param appliedAt      when
 * @param drift          for a reconciliation: what the files and Asterisk held instead of the decision; null otherwise
 *                       (and in messages written before drift was reported)
 */
public record ConfigApplied(
        int schema, UUID decisionId, String pbxId, String endpoint, Status status, List<String> codecsReported,
        String error, Instant appliedAt, Drift drift) {
    public static final int SCHEMA = 1;

    /**
     * APPLIED: in the file and confirmed by Asterisk. FAILED: not written. ROLLED_BACK: written, then restored.
     * SUPERSEDED: a later decision for the same endpoint arrived in the same batch and was applied instead.
     * DRIFT_REPAIRED: an endpoint already applied was found to differ from its decision (in the files, in Asterisk or
     * both) and the decision was applied again and confirmed by Asterisk.
     */
    public enum Status { APPLIED, FAILED, ROLLED_BACK, SUPERSEDED, DRIFT_REPAIRED }

    /**
     * What a reconciliation found before it re-applied the decision.
     *
     * @param files    the endpoint's audio codecs in the files (empty when none)
     * @param asterisk the audio codecs Asterisk reported for it (empty when no Asterisk is configured or it did not
     *                 know the endpoint)
     * @param desired  the decision's codecs
     * @param trigger  what started the check ({@code timer}, {@code connected}, {@code fully_booted},
     *                 {@code other_reload}, {@code reachable})
     */
    public record Drift(List<String> files, List<String> asterisk, List<String> desired, String trigger) {
        public Drift {
            files = files == null ? List.of() : List.copyOf(files);
            asterisk = asterisk == null ? List.of() : List.copyOf(asterisk);
            desired = desired == null ? List.of() : List.copyOf(desired);
            trigger = trigger == null ? "" : trigger;
        }
    }

    /** An outcome that is not a drift repair. */
    public ConfigApplied(int schema, UUID decisionId, String pbxId, String endpoint, Status status,
            List<String> codecsReported, String error, Instant appliedAt) {
        this(schema, decisionId, pbxId, endpoint, status, codecsReported, error, appliedAt, null);
    }

    public ConfigApplied {
        Validate.schema(schema, SCHEMA);
        Validate.required("decisionId", decisionId);
        Validate.pbxId("pbxId", pbxId);
        Validate.endpoint("endpoint", endpoint);
        Validate.required("status", status);
        codecsReported = codecsReported == null ? List.of()
                : List.copyOf(Validate.size("codecsReported", codecsReported, Validate.MAX_ITEMS));
        codecsReported.forEach(codec -> Validate.text("codecsReported", codec, Validate.MAX_NAME));
        Validate.text("error", error, Validate.MAX_TEXT);
        Validate.instant("appliedAt", appliedAt);
    }

    public String key() {
        return EventKeys.key(pbxId, endpoint);
    }
}
