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
 */
public record ConfigApplied(
        int schema, UUID decisionId, String pbxId, String endpoint, Status status, List<String> codecsReported,
        String error, Instant appliedAt) {
    public static final int SCHEMA = 1;

    /**
     * APPLIED: in the file and confirmed by Asterisk. FAILED: not written. ROLLED_BACK: written, then restored.
     * SUPERSEDED: a later decision for the same endpoint arrived in the same batch and was applied instead.
     */
    public enum Status { APPLIED, FAILED, ROLLED_BACK, SUPERSEDED }

    public ConfigApplied {
        Validate.schema(schema, SCHEMA);
        Validate.required("decisionId", decisionId);
        Validate.pbxId("pbxId", pbxId);
        Validate.endpoint("endpoint", endpoint);
        Validate.required("status", status);
        codecsReported = codecsReported == null ? List.of() : List.copyOf(codecsReported);
        Validate.required("appliedAt", appliedAt);
    }

    public String key() {
        return EventKeys.key(pbxId, endpoint);
    }
}
