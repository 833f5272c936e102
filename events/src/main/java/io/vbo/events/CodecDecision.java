package io.vbo.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The codecs an endpoint should allow, in order. On the compacted topic the latest per key is the desired state.
 *
 * @param schema       contract version, {@link #SCHEMA}
 * @param decisionId   unique; echoed back in {@link ConfigApplied}
 * @param pbxId        which PBX
 * @param endpoint     PJSIP endpoint name
 * @param tier         tier name from the policy ({@code "pinned"} for an administrator's pin)
 * @param codecs       ordered codec names for {@code allow=}
 * @param previousTier the tier before this decision, {@code null} for the first one
 * @param reason       why: estimate, thresholds, MOS
 * @param decidedAt    when
 * @param ceiling      the endpoint's ceiling the codecs were chosen within (empty when a pin overrides it)
 * @param transcodable the PBX's transcodable codecs used for the decision
 * @param excluded     each codec of the ceiling left out, and why
 * @param noCodecFits  true when no codec fitted the link and the leanest transcodable one of the ceiling was given
 * @param site         the endpoint's site when the decision was made for the site's shared uplink, else {@code null}
 */
public record CodecDecision(
        int schema, UUID decisionId, String pbxId, String endpoint, String tier, List<String> codecs,
        String previousTier, Reason reason, Instant decidedAt, List<String> ceiling, List<String> transcodable,
        List<Exclusion> excluded, boolean noCodecFits, String site) {
    public static final int SCHEMA = 1;

    /** Why a codec of the ceiling is not in the decision. */
    public enum ExclusionCause { BANDWIDTH, NOT_TRANSCODABLE, NOT_IN_CEILING }

    /**
     * One codec left out.
     *
     * @param codec  the codec
     * @param cause  why
     * @param detail the numbers, e.g. {@code "needs 87.2 kbit/s per call x 1, budget 32.0 kbit/s"}
     */
    public record Exclusion(String codec, ExclusionCause cause, String detail) {
        public Exclusion {
            Validate.codecs("excluded.codec", List.of(Validate.required("excluded.codec", codec)));
            Validate.required("excluded.cause", cause);
            detail = detail == null ? "" : Validate.text("excluded.detail", detail, Validate.MAX_TEXT);
        }
    }

    /**
     * The explanation an operator reads.
     *
     * @param preset        policy preset that decided ({@code overhead-aware}, {@code seed-compatible}, {@code pin})
     * @param estimateBps   smoothed estimate the tier was chosen on, {@code null} for a pin
     * @param thresholdsBps the bandwidth each tier needed, by tier name
     * @param mos           predicted MOS of the first codec, when loss/jitter/RTT were known
     * @param text          one sentence
     */
    public record Reason(String preset, Long estimateBps, Map<String, Long> thresholdsBps, Double mos, String text) {
        public Reason {
            Validate.requiredText("reason.preset", preset, Validate.MAX_NAME);
            thresholdsBps = thresholdsBps == null ? Map.of() : Map.copyOf(thresholdsBps);
            Validate.size("reason.thresholdsBps", thresholdsBps.keySet(), Validate.MAX_ITEMS)
                    .forEach(tier -> Validate.text("reason.thresholdsBps", tier, Validate.MAX_NAME));
            if (mos != null) {
                Validate.range("reason.mos", mos, 1.0, 5.0);
            }
            text = text == null ? "" : Validate.text("reason.text", text, Validate.MAX_TEXT);
        }
    }

    public CodecDecision {
        Validate.schema(schema, SCHEMA);
        Validate.required("decisionId", decisionId);
        Validate.pbxId("pbxId", pbxId);
        Validate.endpoint("endpoint", endpoint);
        Validate.requiredText("tier", tier, Validate.MAX_NAME);
        Validate.text("previousTier", previousTier, Validate.MAX_NAME);
        codecs = Validate.codecs("codecs", codecs);
        Validate.required("reason", reason);
        Validate.instant("decidedAt", decidedAt);
        ceiling = ceiling == null || ceiling.isEmpty() ? List.of() : Validate.codecs("ceiling", ceiling);
        transcodable = transcodable == null || transcodable.isEmpty() ? List.of()
                : Validate.codecs("transcodable", transcodable);
        excluded = excluded == null ? List.of() : List.copyOf(Validate.size("excluded", excluded, Validate.MAX_ITEMS));
        if (site != null) {
            Validate.site("site", site);
        }
    }

    public String key() {
        return EventKeys.key(pbxId, endpoint);
    }
}
