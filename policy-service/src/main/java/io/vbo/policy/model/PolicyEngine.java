package io.vbo.policy.model;

import io.vbo.events.CodecDecision.Exclusion;
import io.vbo.events.ProbeResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The decision rule, free of I/O: folds one probe result into an endpoint's state and says when its codecs changed.
 * Capacity comes from TCP results (median per direction, the smaller direction wins: a call needs both); loss and
 * jitter from UDP (voice-profile) results; RTT from the contact's qualify time. Under {@code overhead-aware} the
 * tiers are the endpoint's own ({@link OverheadAware}); under {@code seed-compatible} the original's.
 */
public final class PolicyEngine {
    private final TierTable seedTiers;
    private final OverheadAware overhead;
    private final CodecTable codecs;
    private final Hysteresis hysteresis;
    private final int window;
    private final int unmeasuredAfter;
    private final double jitterBufferFactor;

    /**
     * @param seedTiers the {@code seed-compatible} tiers, {@code null} under {@code overhead-aware}
     * @param overhead  the {@code overhead-aware} rule (used for its cost figures under either preset)
     */
    public PolicyEngine(TierTable seedTiers, OverheadAware overhead, CodecTable codecs, Hysteresis hysteresis,
            int window, int unmeasuredAfter, double jitterBufferFactor) {
        if (unmeasuredAfter < 1) {
            throw new IllegalArgumentException("vbo.policy.hysteresis.unmeasured-after must be at least 1");
        }
        this.seedTiers = seedTiers;
        this.overhead = overhead;
        this.codecs = codecs;
        this.hysteresis = hysteresis;
        this.window = window;
        this.unmeasuredAfter = unmeasuredAfter;
        this.jitterBufferFactor = jitterBufferFactor;
    }

    /**
     * A change of an endpoint's codecs, to publish.
     *
     * @param previousTier tier before, {@code null} for the first
     * @param tier         new tier
     * @param codecs       ordered codecs
     * @param estimateBps  estimate it was decided on
     * @param mos          predicted MOS of the first codec, if computable
     * @param text         the operator's explanation
     * @param thresholds   what each tier (seed) or each candidate codec (overhead-aware) needs, bit/s
     * @param ceiling      the ceiling it was chosen within, empty when unknown
     * @param transcodable the transcodable set used
     * @param excluded     the ceiling's codecs left out
     * @param noCodecFits  whether nothing fitted and the leanest codec was given
     */
    public record Change(String previousTier, String tier, List<String> codecs, long estimateBps, Double mos,
            String text, Map<String, Long> thresholds, List<String> ceiling, List<String> transcodable,
            List<Exclusion> excluded, boolean noCodecFits) {
    }

    public int window() {
        return window;
    }

    public String preset() {
        return seedTiers == null ? TierTable.OVERHEAD_AWARE : TierTable.SEED_COMPATIBLE;
    }

    public boolean overheadAware() {
        return seedTiers == null;
    }

    public OverheadAware overhead() {
        return overhead;
    }

    /** The {@code seed-compatible} tiers, {@code null} under {@code overhead-aware}. */
    public TierTable seedTiers() {
        return seedTiers;
    }

    /** Applies one result; returns the change it caused, if any. The caller skips redelivered results. */
    public Optional<Change> apply(EndpointState s, ProbeResult r, Inputs in) {
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
            refreshStatus(s, in);
            return Optional.empty();
        }
        s.consecutiveFailures = 0;
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
            refreshStatus(s, in);
            return Optional.empty();
        }
        (r.direction() == ProbeResult.Direction.DOWNLINK ? s.downlink : s.uplink).add(r.bitsPerSecond());
        s.downlinkBps = s.downlink.isEmpty() ? null : Math.round(s.downlink.median());
        s.uplinkBps = s.uplink.isEmpty() ? null : Math.round(s.uplink.median());
        s.estimateBps = s.downlinkBps == null ? s.uplinkBps
                : s.uplinkBps == null ? s.downlinkBps : Math.min(s.downlinkBps, s.uplinkBps);
        return decide(s, in, false);
    }

    /**
     * Decides again after the endpoint's ceiling or its PBX's transcodable set changed, on the current estimate: the
     * current tier is kept when it still exists, otherwise the best tier the estimate fits is taken at once (the old
     * tier means nothing for a new set of codecs). Empty when nothing changed or nothing can be decided.
     */
    public Optional<Change> redecide(EndpointState s, Inputs in) {
        return decide(s, in, true);
    }

    private Optional<Change> decide(EndpointState s, Inputs in, boolean inputsChanged) {
        s.transcodable = in.used();
        if (s.estimateBps == null) {
            refreshStatus(s, in);
            return Optional.empty();
        }
        long estimate = s.estimateBps;
        return overheadAware() ? decideOverheadAware(s, in, estimate, inputsChanged)
                : decideSeed(s, in, estimate, inputsChanged);
    }

    /** The original's rule: tiers of the original, no ceiling, no transcodable set (only reported). */
    private Optional<Change> decideSeed(EndpointState s, Inputs in, long estimate, boolean inputsChanged) {
        refreshStatus(s, in);
        if (inputsChanged) {
            return Optional.empty();
        }
        String previous = s.tier;
        Hysteresis.Step step = hysteresis.next(seedTiers, new Hysteresis.State(s.tier, s.streak, s.streakTier), estimate);
        s.tier = step.state().tier();
        s.streak = step.state().streak();
        s.streakTier = step.state().streakTier();
        if (!step.changed()) {
            return Optional.empty();
        }
        Tier tier = seedTiers.byName(s.tier).orElseThrow();
        s.codecs = tier.codecs();
        s.mos = null;
        return Optional.of(new Change(previous, tier.name(), tier.codecs(), estimate, null,
                how(previous, tier, seedTiers) + ": " + seedText(tier, estimate, s), seedTiers.thresholds(),
                s.ceiling == null ? List.of() : s.ceiling, in.used(), List.of(), false));
    }

    private Optional<Change> decideOverheadAware(EndpointState s, Inputs in, long estimate, boolean inputsChanged) {
        if (in.ceiling() == null) {
            s.note = "awaiting the endpoint's ceiling (its own allowed codecs, from the config writer or PUT …/ceiling)";
            refreshStatus(s, in);
            return Optional.empty();
        }
        OverheadAware.Levels levels = overhead.levels(in);
        if (levels.empty()) {
            s.noCodecFits = true;
            s.excluded = levels.unusable();
            s.note = "no codec of the ceiling " + String.join(",", in.ceiling()) + " can be transcoded on this PBX ("
                    + in.transcodableOrigin() + "): no decision; allow a transcodable codec or list a pass-through one";
            refreshStatus(s, in);
            return Optional.empty();
        }
        TierTable table = levels.table();
        String previous = s.tier;
        Tier tier;
        boolean tierChanged;
        if (inputsChanged) {
            Optional<Tier> kept = s.tier == null ? Optional.empty() : table.byName(s.tier);
            tier = kept.orElseGet(() -> table.fitting(estimate));
            tierChanged = kept.isEmpty();
            if (tierChanged) {
                s.streak = 0;
                s.streakTier = null;
            }
        } else {
            Hysteresis.Step step = hysteresis.next(table, new Hysteresis.State(s.tier, s.streak, s.streakTier), estimate);
            s.streak = step.state().streak();
            s.streakTier = step.state().streakTier();
            tier = table.byName(step.state().tier()).orElseThrow();
            tierChanged = step.changed();
        }
        boolean noCodecFits = OverheadAware.NO_CODEC_FITS.equals(tier.name());
        List<String> ordered = tierChanged || inputsChanged || s.codecs == null ? rankByQuality(tier.codecs(), s)
                : s.codecs;
        Double mos = qualityKnown(s) ? codecs.get(ordered.get(0)).filter(CodecProfile::rated).map(p -> mos(p, s))
                .orElse(null) : null;
        List<Exclusion> excluded = overhead.excluded(levels, tier, estimate, "an upgrade needs "
                + hysteresis.upgradeAfter() + " estimates at need + " + Math.round(hysteresis.margin() * 100) + " %");
        boolean changed = !tier.name().equals(s.tier) || !ordered.equals(s.codecs) || noCodecFits != s.noCodecFits;
        s.tier = tier.name();
        s.codecs = ordered;
        s.mos = mos;
        s.excluded = excluded;
        s.noCodecFits = noCodecFits;
        s.note = null;
        refreshStatus(s, in);
        if (!changed) {
            return Optional.empty();
        }
        String how = inputsChanged ? (previous == null ? "first decision" : "ceiling or transcodable set changed")
                : how(previous, tier, table);
        return Optional.of(new Change(previous, tier.name(), ordered, estimate, mos,
                how + ": " + overheadText(s, in, levels, tier, estimate, ordered), new LinkedHashMap<>(levels.needs()),
                in.ceiling(), in.used(), excluded, noCodecFits));
    }

    /** Status from the state: failures first, then what the policy could (not) decide. */
    private void refreshStatus(EndpointState s, Inputs in) {
        if (s.consecutiveFailures >= unmeasuredAfter) {
            s.status = EndpointStatus.UNMEASURED;
        } else if (s.lastSuccessAt == null) {
            s.status = EndpointStatus.PENDING;
        } else if (overheadAware() && in.ceiling() == null) {
            s.status = EndpointStatus.AWAITING_CEILING;
        } else if (overheadAware() && s.noCodecFits) {
            s.status = EndpointStatus.NO_CODEC_FITS;
        } else {
            s.status = EndpointStatus.MEASURED;
        }
    }

    /** The endpoint's tier rank (higher = better; {@code 0} is no-codec-fits), {@code -1} when it has no tier. */
    public int rank(EndpointState s, Inputs in) {
        if (s.tier == null) {
            return -1;
        }
        TierTable table = overheadAware() ? (in.ceiling() == null ? null : overhead.levels(in).table()) : seedTiers;
        return table == null ? -1 : table.byName(s.tier).map(Tier::rank).orElse(-1);
    }

    private static boolean qualityKnown(EndpointState s) {
        return s.lossPercent != null && s.jitterMs != null && s.rttMicros != null;
    }

    /**
     * Orders fitting codecs: the quality order, except that when loss, jitter and RTT are known the codecs the
     * E-model can rate are sorted by predicted MOS among the places they hold (ties keep the quality order); the
     * codecs it cannot rate (G.722: wideband; Opus, iLBC, GSM, G.726: no G.113 values) keep their places.
     */
    List<String> rankByQuality(List<String> fitting, EndpointState s) {
        List<String> ordered = new ArrayList<>(overhead.byQuality(fitting));
        if (!qualityKnown(s)) {
            return List.copyOf(ordered);
        }
        List<Integer> places = new ArrayList<>();
        List<String> rated = new ArrayList<>();
        for (int i = 0; i < ordered.size(); i++) {
            if (codecs.get(ordered.get(i)).filter(CodecProfile::rated).isPresent()) {
                places.add(i);
                rated.add(ordered.get(i));
            }
        }
        rated.sort(Comparator.comparingDouble((String c) -> -mos(codecs.get(c).orElseThrow(), s)));
        for (int i = 0; i < places.size(); i++) {
            ordered.set(places.get(i), rated.get(i));
        }
        return List.copyOf(ordered);
    }

    private double mos(CodecProfile profile, EndpointState s) {
        double delay = EModel.oneWayDelayMs(s.rttMicros / 1000.0, s.jitterMs, jitterBufferFactor, profile);
        return EModel.mos(EModel.rating(profile, delay, s.lossPercent));
    }

    private String how(String previous, Tier tier, TierTable table) {
        return previous == null ? "first decision"
                : table.byName(previous).map(p -> p.rank() > tier.rank() ? "downgrade from " + previous
                        : "upgrade from " + previous + " after " + hysteresis.upgradeAfter() + " estimates above "
                                + Math.round(hysteresis.margin() * 100) + " % margin")
                        .orElse("replaces tier " + previous);
    }

    private static String measured(long estimate, EndpointState s) {
        return "estimate %s (downlink %s, uplink %s)".formatted(kbps(estimate),
                s.downlinkBps == null ? "n/a" : kbps(s.downlinkBps), s.uplinkBps == null ? "n/a" : kbps(s.uplinkBps));
    }

    private String seedText(Tier tier, long estimate, EndpointState s) {
        String need = tier.thresholdBps() == 0 ? "the lowest tier" : "needs " + kbps(tier.thresholdBps())
                + (tier.strict() ? " (exclusive)" : "");
        return "%s → %s, %s (%s: the original's thresholds and orderings, no ceiling or transcodable check)"
                .formatted(measured(estimate, s), tier.name(), need, TierTable.SEED_COMPATIBLE);
    }

    private String overheadText(EndpointState s, Inputs in, OverheadAware.Levels levels, Tier tier, long estimate,
            List<String> ordered) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%s x %s for %d call%s = budget %s → %s (tier %s)",
                measured(estimate, s), overhead.utilisation(), overhead.calls(), overhead.calls() == 1 ? "" : "s",
                kbps(Math.round(estimate * overhead.utilisation())), String.join(",", ordered), tier.name()));
        text.append("; ceiling ").append(String.join(",", in.ceiling())).append(" (").append(in.ceilingSource())
                .append(")");
        text.append("; transcodable ").append(in.assumed() ? "assumed: " : "").append(in.transcodableOrigin());
        if (!in.passThrough().isEmpty()) {
            text.append("; pass-through ").append(String.join(",", in.passThrough()));
        }
        if (OverheadAware.NO_CODEC_FITS.equals(tier.name())) {
            text.append("; NO CODEC FITS: the leanest transcodable codec of the ceiling, ").append(levels.leanest())
                    .append(", needs ").append(kbps(levels.needs().get(levels.leanest()))).append(" and is given anyway");
        }
        return text.toString();
    }

    static String kbps(long bps) {
        return String.format(Locale.ROOT, "%.1f kbit/s", bps / 1000.0);
    }
}
