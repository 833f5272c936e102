package io.vbo.policy.model;

import io.vbo.events.CallQuality;
import io.vbo.events.CodecDecision.Exclusion;
import io.vbo.events.CodecProfile;
import io.vbo.events.EModel;
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
 * Capacity comes from TCP results or from ladders (median per direction, the smaller direction wins: a call needs
 * both; a ladder counts as the need of the highest step it passed, see {@link OverheadAware#ladderEstimate}, and a
 * ladder below its direction's median is that direction's estimate at once; the two
 * kinds are never mixed in one window and a TCP figure right after a ladder does not decide, see
 * {@link CapacityKind}); loss and
 * jitter from UDP (voice-profile) results and the ladders' highest passing steps; RTT from the contact's qualify time. Under {@code overhead-aware} the
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
    private final CallEvidence calls;

    /** With the default call rules ({@link CallEvidence.Rules#DEFAULT}). */
    public PolicyEngine(TierTable seedTiers, OverheadAware overhead, CodecTable codecs, Hysteresis hysteresis,
            int window, int unmeasuredAfter, double jitterBufferFactor) {
        this(seedTiers, overhead, codecs, hysteresis, window, unmeasuredAfter, jitterBufferFactor,
                new CallEvidence(CallEvidence.Rules.DEFAULT, codecs, jitterBufferFactor));
    }

    /**
     * @param seedTiers the {@code seed-compatible} tiers, {@code null} under {@code overhead-aware}
     * @param overhead  the {@code overhead-aware} rule (used for its cost figures under either preset)
     */
    public PolicyEngine(TierTable seedTiers, OverheadAware overhead, CodecTable codecs, Hysteresis hysteresis,
            int window, int unmeasuredAfter, double jitterBufferFactor, CallEvidence calls) {
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
        this.calls = calls;
    }

    /**
     * A change of an endpoint's codecs, to publish.
     *
     * @param previousTier tier before, {@code null} for the first
     * @param tier         new tier
     * @param codecs       ordered codecs
     * @param estimateBps  estimate it was decided on, {@code null} for a PASSIVE endpoint never measured
     * @param mos          predicted MOS of the first codec, if computable
     * @param text         the operator's explanation
     * @param thresholds   what each tier (seed) or each candidate codec (overhead-aware) needs, bit/s
     * @param ceiling      the ceiling it was chosen within, empty when unknown
     * @param transcodable the transcodable set used
     * @param excluded     the ceiling's codecs left out
     * @param noCodecFits  whether nothing fitted and the leanest codec was given
     */
    public record Change(String previousTier, String tier, List<String> codecs, Long estimateBps, Double mos,
            String text, Map<String, Long> thresholds, List<String> ceiling, List<String> transcodable,
            List<Exclusion> excluded, boolean noCodecFits) {
    }

    public int window() {
        return window;
    }

    /** The same policy for a link shared by {@code concurrentCalls} calls (a site's K, docs/sites.md). */
    public PolicyEngine withCalls(int concurrentCalls) {
        OverheadAware shared = overhead.withCalls(concurrentCalls);
        return shared == overhead ? this : new PolicyEngine(seedTiers, shared, codecs, hysteresis, window,
                unmeasuredAfter, jitterBufferFactor, calls);
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

    public CallEvidence calls() {
        return calls;
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
            // probe-service only probes a contact that answers qualify (the RTT it reports): an unreachable iperf3
            // port then means the phone runs no iperf3 server, and its calls are all the policy will get.
            if (r.outcome() == ProbeResult.Outcome.UNREACHABLE && r.rttMicros() != null && !s.passive
                    && s.consecutiveFailures >= calls.rules().passiveAfter() && overheadAware()) {
                s.passive = true;
                return decide(s, in, false, false);
            }
            refreshStatus(s, in);
            return Optional.empty();
        }
        s.consecutiveFailures = 0;
        s.passive = false;
        if (s.lastSuccessAt == null || r.startedAt().isAfter(s.lastSuccessAt)) {
            s.lastSuccessAt = r.startedAt();
        }
        if (r.protocol().measuresVoice()) {
            if (r.lossPercent() != null) {
                s.loss.add(r.lossPercent());
                s.lossPercent = s.loss.median();
            }
            if (r.jitterMs() != null) {
                s.jitter.add(r.jitterMs());
                s.jitterMs = s.jitter.median();
            }
        }
        if (!r.protocol().measuresCapacity()) {
            refreshStatus(s, in);
            return Optional.empty();
        }
        boolean ladder = r.protocol() == ProbeResult.Protocol.LADDER;
        boolean down = r.direction() == ProbeResult.Direction.DOWNLINK;
        MedianWindow window = down ? s.downlink : s.uplink;
        CapacityKind before = down ? s.downlinkKind : s.uplinkKind;
        if (!ladder && before == CapacityKind.LADDER) {
            setKind(s, down, CapacityKind.LADDER_THEN_TCP);
            refreshStatus(s, in);
            return Optional.empty();
        }
        CapacityKind held = before == null ? (window.isEmpty() ? null : CapacityKind.TCP)
                : before == CapacityKind.TCP ? CapacityKind.TCP : CapacityKind.LADDER;
        CapacityKind now = ladder ? CapacityKind.LADDER : CapacityKind.TCP;
        if (held != null && held != now) {
            window.clear();
        }
        setKind(s, down, now);
        long value = ladder ? overhead.ladderEstimate(r.ladder()) : r.bitsPerSecond();
        window.add(value);
        // A ladder's drop counts at once: its failing step failed every re-run, so the link does not carry that
        // stream now, and a median would keep the old codecs on it for two more probes. Rises still take the median
        // (and the hysteresis' consecutive estimates), so one lucky ladder upgrades nothing.
        long estimate = ladder ? Math.min(Math.round(window.median()), value) : Math.round(window.median());
        if (down) {
            s.downlinkBps = estimate;
        } else {
            s.uplinkBps = estimate;
        }
        s.estimateBps = s.downlinkBps == null ? s.uplinkBps
                : s.uplinkBps == null ? s.downlinkBps : Math.min(s.downlinkBps, s.uplinkBps);
        return decide(s, in, false, ladder);
    }

    private static void setKind(EndpointState s, boolean down, CapacityKind kind) {
        if (down) {
            s.downlinkKind = kind;
        } else {
            s.uplinkKind = kind;
        }
    }

    /**
     * Decides again after the endpoint's ceiling or its PBX's transcodable set changed, on the current estimate: the
     * current tier is kept when it still exists, otherwise the best tier the estimate fits is taken at once (the old
     * tier means nothing for a new set of codecs). Empty when nothing changed or nothing can be decided.
     */
    public Optional<Change> redecide(EndpointState s, Inputs in) {
        return decide(s, in, true, false);
    }

    /**
     * Decides a site member on its site's capacity ({@link SiteShare#capacityBps()}) after that capacity was
     * measured again through another phone of the site: one hysteresis step, as a result of its own would be.
     */
    public Optional<Change> decideShared(EndpointState s, Inputs in) {
        return decide(s, in, false, false);
    }

    /** {@code ladder}: the estimate is a ladder's, so an upgrade needs no margin (see {@link Hysteresis#next}). */
    private Optional<Change> decide(EndpointState s, Inputs in, boolean inputsChanged, boolean ladder) {
        double margin = ladder ? 0 : hysteresis.margin();
        s.transcodable = in.used();
        // A site member is decided on the site's shared capacity, not on what its own link measured.
        Long shared = s.site != null && s.site.capacityBps() != null ? s.site.capacityBps() : s.estimateBps;
        if (shared == null && s.passive && overheadAware()) {
            return decidePassive(s, in, inputsChanged);
        }
        if (shared == null) {
            refreshStatus(s, in);
            return Optional.empty();
        }
        long estimate = shared;
        return overheadAware() ? decideOverheadAware(s, in, estimate, inputsChanged, margin)
                : decideSeed(s, in, estimate, inputsChanged, margin);
    }

    /** The original's rule: tiers of the original, no ceiling, no transcodable set (only reported). */
    private Optional<Change> decideSeed(EndpointState s, Inputs in, long estimate, boolean inputsChanged,
            double margin) {
        refreshStatus(s, in);
        if (inputsChanged) {
            return Optional.empty();
        }
        String previous = s.tier;
        Hysteresis.Step step = hysteresis.next(seedTiers, new Hysteresis.State(s.tier, s.streak, s.streakTier), estimate,
                margin);
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

    private Optional<Change> decideOverheadAware(EndpointState s, Inputs in, long estimate, boolean inputsChanged,
            double margin) {
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
            if (s.callCap != null && table.byName(s.callCap).isEmpty()) {
                s.callCap = null;
            }
            if (tierChanged) {
                s.streak = 0;
                s.streakTier = null;
            }
        } else {
            Hysteresis.Step step = hysteresis.next(table, new Hysteresis.State(s.tier, s.streak, s.streakTier), estimate,
                    margin);
            s.streak = step.state().streak();
            s.streakTier = step.state().streakTier();
            tier = capped(table, table.byName(step.state().tier()).orElseThrow(), s);
            tierChanged = !tier.name().equals(s.tier);
        }
        boolean noCodecFits = OverheadAware.NO_CODEC_FITS.equals(tier.name());
        List<String> ordered = tierChanged || inputsChanged || s.codecs == null ? rankByQuality(tier.codecs(), s)
                : s.codecs;
        List<Exclusion> excluded = overhead.excluded(levels, tier, estimate, s.callCap != null
                && s.callCap.equals(tier.name()) ? capNote(s) : "an upgrade needs " + hysteresis.upgradeAfter()
                        + " estimates at need + " + Math.round(hysteresis.margin() * 100) + " %");
        if (!adopt(s, in, tier, ordered, excluded, noCodecFits)) {
            return Optional.empty();
        }
        String how = inputsChanged ? (previous == null ? "first decision" : "ceiling or transcodable set changed")
                : how(previous, tier, table);
        return Optional.of(new Change(previous, tier.name(), ordered, estimate, s.mos,
                how + ": " + overheadText(s, in, levels, tier, estimate, ordered), new LinkedHashMap<>(levels.needs()),
                in.ceiling(), in.used(), excluded, noCodecFits));
    }

    /** The tier, lowered to the call cap when calls have capped the endpoint below it. */
    private static Tier capped(TierTable table, Tier tier, EndpointState s) {
        if (s.callCap == null) {
            return tier;
        }
        return table.byName(s.callCap).filter(cap -> cap.rank() < tier.rank()).orElse(tier);
    }

    private String capNote(EndpointState s) {
        return "calls cap the endpoint at tier " + s.callCap + " until " + hysteresis.upgradeAfter()
                + " good calls in a row";
    }

    /**
     * A PASSIVE endpoint without a capacity estimate: its tier comes from its calls. The first decision is the best
     * tier of its ceiling (calls then take it down if they suffer); a new ceiling or transcodable set keeps the tier
     * when it still exists.
     */
    private Optional<Change> decidePassive(EndpointState s, Inputs in, boolean inputsChanged) {
        if (in.ceiling() == null) {
            s.note = "awaiting the endpoint's ceiling (its own allowed codecs, from the config writer or PUT …/ceiling)";
            refreshStatus(s, in);
            return Optional.empty();
        }
        OverheadAware.Levels levels = overhead.levels(in);
        if (levels.empty()) {
            return decideOverheadAware(s, in, 0, inputsChanged, hysteresis.margin());
        }
        TierTable table = levels.table();
        Optional<Tier> kept = s.tier == null ? Optional.empty() : table.byName(s.tier);
        Tier tier = kept.orElseGet(() -> capped(table, table.tiers().get(0), s));
        String how = kept.isPresent() ? (inputsChanged ? "ceiling or transcodable set changed" : "now PASSIVE")
                : "first decision (PASSIVE: the best tier of the ceiling; calls take it down)";
        return moveTo(s, in, levels, tier, how, "no iperf3 server (probe port unreachable, contact reachable): decided "
                + "from calls and qualify RTT");
    }

    /**
     * Folds one finished call into the endpoint (its loss and jitter join the E-model windows) and, under
     * {@code overhead-aware}, counts it on the current tier: {@code downgrade-after} bad calls in a row take the tier
     * one down and cap it there; {@code upgrade-after} good calls in a row raise the cap one tier, and move a PASSIVE
     * endpoint (which no probe can upgrade) one tier up. A call counts only on the codecs of the current decision:
     * a call on another codec ran before the last change (or on a pin). Empty when nothing changed.
     */
    public Optional<Change> applyCall(EndpointState s, String codec, CallQuality.Summary call,
            CallEvidence.Judgement judgement, Inputs in) {
        if (judgement.verdict() != CallEvidence.Verdict.NEUTRAL) {
            s.loss.add(call.lossPercent());
            s.lossPercent = s.loss.median();
            if (call.meanJitterMs() != null) {
                s.jitter.add(call.meanJitterMs());
                s.jitterMs = s.jitter.median();
            }
        }
        if (judgement.verdict() == CallEvidence.Verdict.NEUTRAL || !overheadAware() || s.pinned() || s.tier == null
                || s.codecs == null || !s.codecs.contains(codec) || in.ceiling() == null) {
            return Optional.empty();
        }
        OverheadAware.Levels levels = overhead.levels(in);
        Optional<Tier> current = levels.empty() ? Optional.empty() : levels.table().byName(s.tier);
        if (current.isEmpty()) {
            return Optional.empty();
        }
        if (!s.tier.equals(s.callTier)) {
            s.callTier = s.tier;
            s.badCalls = 0;
            s.goodCalls = 0;
        }
        TierTable table = levels.table();
        int rank = current.get().rank();
        if (judgement.verdict() == CallEvidence.Verdict.BAD) {
            s.goodCalls = 0;
            s.badCalls++;
            // Never into no-codec-fits: it gives the same leanest codec and says the link is too thin, which calls
            // cannot tell.
            Optional<Tier> lower = byRank(table, rank - 1).filter(t -> t.rank() > 0);
            if (s.badCalls < calls.rules().downgradeAfter() || lower.isEmpty()) {
                return Optional.empty();
            }
            s.callCap = lower.get().name();
            return moveTo(s, in, levels, lower.get(), "downgrade from " + s.tier + " after " + s.badCalls
                    + " bad calls in a row", "last call: " + judgement.text());
        }
        s.badCalls = 0;
        s.goodCalls++;
        if (s.goodCalls < hysteresis.upgradeAfter()) {
            return Optional.empty();
        }
        s.goodCalls = 0;
        if (s.callCap != null) {
            int top = table.tiers().get(0).rank();
            s.callCap = table.byName(s.callCap).flatMap(c -> byRank(table, c.rank() + 1))
                    .filter(t -> t.rank() < top).map(Tier::name).orElse(null);
        }
        Optional<Tier> higher = byRank(table, rank + 1).map(t -> capped(table, t, s)).filter(t -> t.rank() > rank);
        if (!s.passive || higher.isEmpty()) {
            return Optional.empty();
        }
        return moveTo(s, in, levels, higher.get(), "upgrade from " + s.tier + " after " + hysteresis.upgradeAfter()
                + " good calls in a row (PASSIVE: no probe can upgrade it)", "last call: " + judgement.text());
    }

    /** Makes {@code tier} with {@code ordered} codecs the endpoint's; {@code true} when its decision changed. */
    private boolean adopt(EndpointState s, Inputs in, Tier tier, List<String> ordered, List<Exclusion> excluded,
            boolean noCodecFits) {
        Double mos = qualityKnown(s) ? codecs.get(ordered.get(0)).filter(CodecProfile::rated).map(p -> mos(p, s))
                .orElse(null) : null;
        boolean changed = !tier.name().equals(s.tier) || !ordered.equals(s.codecs) || noCodecFits != s.noCodecFits;
        s.tier = tier.name();
        s.codecs = ordered;
        s.mos = mos;
        s.excluded = excluded;
        s.noCodecFits = noCodecFits;
        s.note = null;
        refreshStatus(s, in);
        return changed;
    }

    private static Optional<Tier> byRank(TierTable table, int rank) {
        return table.tiers().stream().filter(t -> t.rank() == rank).findFirst();
    }

    /** Moves the endpoint to a tier chosen by calls (not by an estimate) and says so. */
    private Optional<Change> moveTo(EndpointState s, Inputs in, OverheadAware.Levels levels, Tier tier, String how,
            String basis) {
        String previous = s.tier;
        boolean noCodecFits = OverheadAware.NO_CODEC_FITS.equals(tier.name());
        List<String> ordered = rankByQuality(tier.codecs(), s);
        String held = s.callCap != null && s.callCap.equals(tier.name()) ? capNote(s) : basis;
        List<Exclusion> excluded = s.estimateBps == null ? overhead.excludedWithout(levels, tier, held)
                : overhead.excluded(levels, tier, s.estimateBps, held);
        if (!adopt(s, in, tier, ordered, excluded, noCodecFits)) {
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder(how).append(": ").append(basis).append(" → ")
                .append(String.join(",", ordered)).append(" (tier ").append(tier.name()).append(")");
        if (s.estimateBps != null) {
            text.append("; ").append(measured(s.estimateBps, s));
        }
        inputsText(text, in);
        return Optional.of(new Change(previous, tier.name(), ordered, s.estimateBps, s.mos, text.toString(),
                new LinkedHashMap<>(levels.needs()), in.ceiling(), in.used(), excluded, noCodecFits));
    }

    /** Status from the state: failures first, then what the policy could (not) decide. */
    private void refreshStatus(EndpointState s, Inputs in) {
        if (s.passive && overheadAware()) {
            s.status = in.ceiling() == null ? EndpointStatus.AWAITING_CEILING
                    : s.noCodecFits ? EndpointStatus.NO_CODEC_FITS : EndpointStatus.PASSIVE;
        } else if (s.consecutiveFailures >= unmeasuredAfter) {
            s.status = EndpointStatus.UNMEASURED;
        } else if (s.lastSuccessAt == null && (s.site == null || s.site.capacityBps() == null)) {
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
        inputsText(text, in);
        if (OverheadAware.NO_CODEC_FITS.equals(tier.name())) {
            text.append("; NO CODEC FITS: the leanest transcodable codec of the ceiling, ").append(levels.leanest())
                    .append(", needs ").append(kbps(levels.needs().get(levels.leanest()))).append(" and is given anyway");
        }
        return text.toString();
    }

    private static void inputsText(StringBuilder text, Inputs in) {
        text.append("; ceiling ").append(String.join(",", in.ceiling())).append(" (").append(in.ceilingSource())
                .append(")");
        text.append("; transcodable ").append(in.assumed() ? "assumed: " : "").append(in.transcodableOrigin());
        if (!in.passThrough().isEmpty()) {
            text.append("; pass-through ").append(String.join(",", in.passThrough()));
        }
    }

    public static String kbps(long bps) {
        return String.format(Locale.ROOT, "%.1f kbit/s", bps / 1000.0);
    }
}
