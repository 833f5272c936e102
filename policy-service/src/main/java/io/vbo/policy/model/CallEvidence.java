package io.vbo.policy.model;

import io.vbo.events.CallQuality;
import io.vbo.events.CodecProfile;
import io.vbo.events.EModel;
import java.util.Locale;

/**
 * Judges one finished call (its {@link CallQuality.Summary}) as evidence for or against the endpoint's tier: bad when
 * its loss or mean jitter is above an explicit limit, or when the E-model puts the call's codec below the MOS target
 * with the call's loss, jitter and round trip. Codecs without ITU-T factors (G.722, Opus, GSM …) are judged as G.711
 * would be: the most tolerant rated codec, so no unrated codec is held to a stricter standard.
 */
public final class CallEvidence {
    /** What a call says about the tier it ran on. */
    public enum Verdict { GOOD, BAD, NEUTRAL }

    /**
     * A call's judgement.
     *
     * @param verdict    good, bad, or no evidence (not measured, too short, no loss figure)
     * @param mos        the MOS the policy computed ({@code null} when it did not rate the call)
     * @param text       why, for the decision's reason
     */
    public record Judgement(Verdict verdict, Double mos, String text) {
    }

    /**
     * The limits.
     *
     * @param mosTarget      a call whose E-model MOS is below this is bad
     * @param maxLossPercent a call losing more than this (either direction) is bad, {@code null} for no explicit limit
     * @param maxJitterMs    a call whose mean jitter is above this is bad, {@code null} for no explicit limit
     * @param minReports     RTCP reports a call needs to count at all (a few seconds of media prove nothing)
     * @param downgradeAfter consecutive bad calls on one tier before it goes one tier down
     * @param passiveAfter   consecutive UNREACHABLE probes (contact reachable) before an endpoint is PASSIVE
     */
    public record Rules(double mosTarget, Double maxLossPercent, Double maxJitterMs, int minReports, int downgradeAfter,
            int passiveAfter) {
        /** The defaults of {@code vbo.policy.calls.*}. */
        public static final Rules DEFAULT = new Rules(3.6, null, null, 2, 2, 1);

        public Rules {
            if (mosTarget < 1 || mosTarget > 4.5) {
                throw new IllegalArgumentException("vbo.policy.calls.mos-target must be in [1, 4.5], got " + mosTarget);
            }
            if (minReports < 1 || downgradeAfter < 1 || passiveAfter < 1) {
                throw new IllegalArgumentException(
                        "vbo.policy.calls.min-reports, downgrade-after and passive-after must be at least 1");
            }
        }
    }

    private final Rules rules;
    private final CodecTable codecs;
    private final double jitterBufferFactor;

    public CallEvidence(Rules rules, CodecTable codecs, double jitterBufferFactor) {
        this.rules = rules;
        this.codecs = codecs;
        this.jitterBufferFactor = jitterBufferFactor;
    }

    public Rules rules() {
        return rules;
    }

    /**
     * @param codec            the call's codec, {@code null} when unknown
     * @param qualifyRttMicros the contact's qualify RTT, used when the call has no RTCP round trip
     */
    public Judgement judge(CallQuality.Summary call, String codec, Long qualifyRttMicros) {
        if (call.mediaPath() == CallQuality.MediaPath.NOT_MEASURED) {
            return new Judgement(Verdict.NEUTRAL, null, "not measured (no RTCP report showed media)");
        }
        if (call.reports() < rules.minReports() || call.lossPercent() == null) {
            return new Judgement(Verdict.NEUTRAL, null, call.reports() + " RTCP report(s) with"
                    + (call.lossPercent() == null ? "out a loss figure" : " loss") + ", fewer than needed ("
                    + rules.minReports() + ")");
        }
        double loss = call.lossPercent();
        double jitter = call.meanJitterMs() == null ? 0 : call.meanJitterMs();
        double rtt = call.rttMs() != null ? call.rttMs() : qualifyRttMicros != null ? qualifyRttMicros / 1000.0 : 0;
        CodecProfile profile = codecs.get(codec).filter(CodecProfile::rated)
                .orElseGet(() -> codecs.get("ulaw").orElseThrow());
        double mos = EModel.mos(EModel.rating(profile, EModel.oneWayDelayMs(rtt, jitter, jitterBufferFactor, profile),
                loss));
        String figures = String.format(Locale.ROOT, "%s call, loss %.1f %%, jitter %.1f ms, RTT %.0f ms, MOS %.2f%s",
                codec == null ? "unknown-codec" : codec, loss, jitter, rtt, mos,
                profile.name().equals(codec) ? "" : " (rated as " + profile.name() + ")");
        if (rules.maxLossPercent() != null && loss > rules.maxLossPercent()) {
            return new Judgement(Verdict.BAD, mos, figures + ": loss above the limit " + rules.maxLossPercent() + " %");
        }
        if (rules.maxJitterMs() != null && jitter > rules.maxJitterMs()) {
            return new Judgement(Verdict.BAD, mos, figures + ": jitter above the limit " + rules.maxJitterMs() + " ms");
        }
        if (mos < rules.mosTarget()) {
            return new Judgement(Verdict.BAD, mos, figures + ": below the MOS target " + rules.mosTarget());
        }
        return new Judgement(Verdict.GOOD, mos, figures);
    }
}
