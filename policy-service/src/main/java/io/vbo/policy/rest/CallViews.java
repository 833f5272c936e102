package io.vbo.policy.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The calls API's records. */
public final class CallViews {
    private CallViews() {
    }

    /**
     * One finished call on the phone's leg.
     *
     * @param lossPercent the worse direction's loss, what the MOS uses
     * @param mos         the E-model MOS discovery computed with the call's codec ({@code null}: not measured, or a
     *                    codec without ITU-T factors)
     * @param verdict     the policy's verdict on it: {@code GOOD}, {@code BAD} or {@code NEUTRAL} (no evidence)
     * @param policyMos   the MOS the policy judged it by, to 3 decimals (unrated codecs rated as G.711)
     */
    public record CallView(String uniqueId, String callId, String channel, String codec, Instant startedAt,
            Instant endedAt, long durationMs, String mediaPath, int reports, Long packets, Double downlinkLossPercent,
            Double uplinkLossPercent, Double lossPercent, Double meanJitterMs, Double maxJitterMs, Double rttMs,
            Double mos, Integer hangupCause, String verdict, Double policyMos) {
    }

    /** A page of calls; {@code nextCursor} continues it, null at the end. */
    public record CallPage(List<CallView> items, String nextCursor) {
    }

    /**
     * MOS of an endpoint's calls over the last 24 h.
     *
     * @param calls calls that ended in the last 24 h
     * @param rated of those, calls with a MOS
     * @param bad   of those, judged bad by the policy
     * @param p5    5th percentile MOS (the worst calls), {@code null} without a rated call
     */
    public record CallMos(Instant since, long calls, long rated, long bad, Double p5, Double p50, Double p95) {
    }

    /**
     * A PBX's calls in one time bucket.
     *
     * @param mosBands rated calls per MOS band (G.107 Annex B user satisfaction: R 90/80/70/60/50 as MOS), best first
     */
    public record CallBucketView(Instant start, long calls, long bad, Double mosP50, Map<String, Long> mosBands) {
    }
}
