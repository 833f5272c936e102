package io.vbo.policy.model;

import io.vbo.events.ProbeResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The decision rule, free of I/O: folds one probe result into an endpoint's state and says when its tier changed.
 * Capacity comes from TCP results (median per direction, the smaller direction wins: a call needs both); loss and
 * jitter from UDP (voice-profile) results; RTT from the contact's qualify time.
 */
public final class PolicyEngine {
    private final TierTable tiers;
    private final CodecTable codecs;
    private final Hysteresis hysteresis;
    private final int window;
    private final int unmeasuredAfter;
    private final double jitterBufferFactor;
    private final double utilisation;
    private final int calls;
    private final int layer2Bytes;

    public PolicyEngine(TierTable tiers, CodecTable codecs, Hysteresis hysteresis, int window, int unmeasuredAfter,
            double jitterBufferFactor, double utilisation, int calls, int layer2Bytes) {
        if (unmeasuredAfter < 1) {
            throw new IllegalArgumentException("vbo.policy.hysteresis.unmeasured-after must be at least 1");
        }
        this.tiers = tiers;
        this.codecs = codecs;
        this.hysteresis = hysteresis;
        this.window = window;
        this.unmeasuredAfter = unmeasuredAfter;
        this.jitterBufferFactor = jitterBufferFactor;
        this.utilisation = utilisation;
        this.calls = calls;
        this.layer2Bytes = layer2Bytes;
    }

    /**
     * A tier change.
     *
     * @param previousTier tier before, {@code null} for the first
     * @param tier         new tier
     * @param codecs       ordered codecs
     * @param estimateBps  estimate it was decided on
     * @param mos          predicted MOS of the first codec, if computable
     * @param text         the operator's explanation
     */
    public record Change(String previousTier, String tier, List<String> codecs, long estimateBps, Double mos,
            String text) {
    }

    public int window() {
        return window;
    }

    public TierTable tiers() {
        return tiers;
    }

    /** Applies one result; returns the tier change it caused, if any. The caller skips redelivered results. */
    public Optional<Change> apply(EndpointState s, ProbeResult r) {
        if (s.lastResultAt == null || !r.startedAt().isBefore(s.lastResultAt)) {
            s.lastResultAt = r.startedAt();
            s.lastOutcome = r.outcome().name();
        }
        if (r.rttMicros() != null) {
            s.rttMicros = r.rttMicros();
        }
        if (r.outcome() == ProbeResult.Outcome.DEFERRED_ACTIVE_CALL) {
            return Optional.empty();
        }
        if (r.outcome() != ProbeResult.Outcome.OK) {
            s.consecutiveFailures++;
            if (s.consecutiveFailures >= unmeasuredAfter) {
                s.status = EndpointStatus.UNMEASURED;
            }
            return Optional.empty();
        }
        s.consecutiveFailures = 0;
        s.status = EndpointStatus.MEASURED;
        if (s.lastSuccessAt == null || r.startedAt().isAfter(s.lastSuccessAt)) {
            s.lastSuccessAt = r.startedAt();
        }
        if (r.protocol() == ProbeResult.Protocol.UDP) {
            if (r.lossPercent() != null) {
                s.loss.add(r.lossPercent());
                s.lossPercent = s.loss.median();
            }
            if (r.jitterMs() != null) {
                s.jitter.add(r.jitterMs());
                s.jitterMs = s.jitter.median();
            }
            return Optional.empty();
        }
        (r.direction() == ProbeResult.Direction.DOWNLINK ? s.downlink : s.uplink).add(r.bitsPerSecond());
        s.downlinkBps = s.downlink.isEmpty() ? null : Math.round(s.downlink.median());
        s.uplinkBps = s.uplink.isEmpty() ? null : Math.round(s.uplink.median());
        long estimate = s.downlinkBps == null ? s.uplinkBps
                : s.uplinkBps == null ? s.downlinkBps : Math.min(s.downlinkBps, s.uplinkBps);
        s.estimateBps = estimate;
        String previous = s.tier;
        Hysteresis.Step step = hysteresis.next(tiers, new Hysteresis.State(s.tier, s.streak, s.streakTier), estimate);
        s.tier = step.state().tier();
        s.streak = step.state().streak();
        s.streakTier = step.state().streakTier();
        if (!step.changed()) {
            return Optional.empty();
        }
        Tier tier = tiers.byName(s.tier).orElseThrow();
        Ranked ranked = rank(tier, estimate, s);
        s.codecs = ranked.codecs();
        s.mos = ranked.mos();
        return Optional.of(new Change(previous, tier.name(), ranked.codecs(), estimate, ranked.mos(),
                explain(previous, tier, estimate, s)));
    }

    /** The ordered codecs of a tier and the MOS of the first. */
    public record Ranked(List<String> codecs, Double mos) {
    }

    /**
     * Orders a tier's codecs: under {@code overhead-aware}, when loss, jitter and RTT are known, the codecs that fit
     * the estimate and that the E-model can rate come first by predicted MOS (ties keep the configured order), then
     * the rest in configured order. Otherwise the configured order.
     */
    public Ranked rank(Tier tier, long estimateBps, EndpointState s) {
        boolean known = s.lossPercent != null && s.jitterMs != null && s.rttMicros != null;
        List<String> ordered = new ArrayList<>(tier.codecs());
        if (known && TierTable.OVERHEAD_AWARE.equals(tiers.preset())) {
            List<String> rated = new ArrayList<>();
            List<String> rest = new ArrayList<>();
            for (String codec : tier.codecs()) {
                boolean rank = codecs.get(codec).filter(CodecProfile::rated).filter(p -> fits(p, estimateBps)).isPresent();
                (rank ? rated : rest).add(codec);
            }
            rated.sort(Comparator.comparingDouble((String c) -> -mos(codecs.get(c).orElseThrow(), s)));
            ordered = new ArrayList<>(rated);
            ordered.addAll(rest);
        }
        Double mos = known ? codecs.get(ordered.get(0)).filter(CodecProfile::rated).map(p -> mos(p, s)).orElse(null) : null;
        return new Ranked(List.copyOf(ordered), mos);
    }

    private boolean fits(CodecProfile profile, long estimateBps) {
        return estimateBps * utilisation >= profile.wireBps(layer2Bytes) * (double) calls;
    }

    private double mos(CodecProfile profile, EndpointState s) {
        double delay = EModel.oneWayDelayMs(s.rttMicros / 1000.0, s.jitterMs, jitterBufferFactor, profile);
        return EModel.mos(EModel.rating(profile, delay, s.lossPercent));
    }

    private String explain(String previous, Tier tier, long estimate, EndpointState s) {
        String how = previous == null ? "first decision"
                : tiers.byName(previous).map(p -> p.rank() > tier.rank() ? "downgrade from " + previous
                        : "upgrade from " + previous + " after " + hysteresis.upgradeAfter() + " estimates above "
                                + Math.round(hysteresis.margin() * 100) + " % margin").orElse("replaces unknown tier " + previous);
        String need = tier.thresholdBps() == 0 ? "the lowest tier" : "needs " + kbps(tier.thresholdBps())
                + (tier.strict() ? " (exclusive)" : "");
        return "%s: estimate %s (downlink %s, uplink %s) → %s, %s (%s)".formatted(how, kbps(estimate),
                s.downlinkBps == null ? "n/a" : kbps(s.downlinkBps), s.uplinkBps == null ? "n/a" : kbps(s.uplinkBps),
                tier.name(), need, tiers.preset());
    }

    static String kbps(long bps) {
        return String.format(java.util.Locale.ROOT, "%.1f kbit/s", bps / 1000.0);
    }
}
