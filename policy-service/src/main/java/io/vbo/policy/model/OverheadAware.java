package io.vbo.policy.model;

import io.vbo.events.CodecDecision.Exclusion;
import io.vbo.events.CodecDecision.ExclusionCause;
import io.vbo.events.CodecProfile;
import io.vbo.events.ProbeResult;
import io.vbo.events.VoiceLadder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The {@code overhead-aware} rule for one endpoint: its candidates are the ceiling's codecs the PBX can transcode
 * (or passes through) and that have a bandwidth profile; each candidate needs its per-call wire rate × expected calls
 * ÷ utilisation. Every distinct need is a tier (the codecs needing at most that much, in quality order); below the
 * leanest need is the {@link #NO_CODEC_FITS} tier, which still gives the leanest candidate.
 */
public final class OverheadAware {
    /** Name of the tier below every codec's need. */
    public static final String NO_CODEC_FITS = "no-codec-fits";
    /** Default quality order: wideband G.722 first, then G.711, Opus, G.726, iLBC, GSM, G.729 (docs/decisions.md). */
    public static final List<String> DEFAULT_QUALITY_ORDER = List.of("g722", "ulaw", "alaw", "opus", "g726", "ilbc",
            "gsm", "g729");

    private final CodecTable codecs;
    private final double utilisation;
    private final int calls;
    private final int layer2Bytes;
    private final List<String> qualityOrder;

    public OverheadAware(CodecTable codecs, double utilisation, int calls, int layer2Bytes, List<String> qualityOrder) {
        if (utilisation <= 0 || utilisation > 1) {
            throw new IllegalArgumentException("vbo.policy.utilisation must be in (0, 1], got " + utilisation);
        }
        if (calls < 1) {
            throw new IllegalArgumentException("vbo.policy.expected-concurrent-calls must be at least 1, got " + calls);
        }
        this.codecs = codecs;
        this.utilisation = utilisation;
        this.calls = calls;
        this.layer2Bytes = layer2Bytes;
        this.qualityOrder = List.copyOf(qualityOrder);
    }

    /**
     * One endpoint's tiers.
     *
     * @param table     best first; {@code null} when no codec of the ceiling is a candidate
     * @param needs     each candidate's need in bit/s, in quality order
     * @param unusable  ceiling codecs that are no candidates, with the cause
     * @param leanest   the candidate with the smallest need (the best-quality one among equals), {@code null} if none
     */
    public record Levels(TierTable table, Map<String, Long> needs, List<Exclusion> unusable, String leanest) {
        public boolean empty() {
            return table == null;
        }
    }

    /** The same rule for another number of concurrent calls (a site's K). */
    public OverheadAware withCalls(int concurrentCalls) {
        return concurrentCalls == calls ? this
                : new OverheadAware(codecs, utilisation, concurrentCalls, layer2Bytes, qualityOrder);
    }

    /** One call of {@code profile} on the wire, bit/s. */
    public long wireBps(CodecProfile profile) {
        return profile.wireBps(layer2Bytes);
    }

    /** Estimate a codec needs: per-call wire rate × calls ÷ utilisation, rounded up to a whole bit/s. */
    public long need(CodecProfile profile) {
        // The epsilon keeps an exact quotient (87,200 / 0.8) from rounding up on a binary-fraction artefact.
        return (long) Math.ceil(profile.wireBps(layer2Bytes) * (double) calls / utilisation - 1e-6);
    }

    /**
     * What a ladder showed one direction carries, as an estimate on the tiers' scale: the highest passing step's
     * wire rate (its datagrams + IP/UDP + layer-2 bytes, × the calls it stood for) ÷ utilisation, so a step of codec
     * c at this policy's K gives exactly c's {@link #need}. 0 when no step passed. A ladder run at another K is
     * scaled by bandwidth (wire × its K), which is exact only for the K it ran with.
     */
    public long ladderEstimate(ProbeResult.Ladder ladder) {
        return ladder.passed().stream().mapToLong(step -> (long) Math.ceil(new VoiceLadder.Rung(step.codecs(),
                step.packetBytes(), step.packetizationMs()).wireBps(layer2Bytes, ladder.calls()) / utilisation - 1e-6))
                .max().orElse(0);
    }

    public Levels levels(Inputs in) {
        Map<String, Long> needs = new LinkedHashMap<>();
        List<Exclusion> unusable = new ArrayList<>();
        for (String codec : byQuality(in.ceiling())) {
            if (!in.usable(codec)) {
                unusable.add(new Exclusion(codec, ExclusionCause.NOT_TRANSCODABLE,
                        "no translation path to and from slin on this PBX (" + in.transcodableOrigin() + ")"));
                continue;
            }
            codecs.get(codec).ifPresentOrElse(p -> needs.put(codec, need(p)), () -> unusable.add(new Exclusion(codec,
                    ExclusionCause.BANDWIDTH, "no bandwidth profile; set vbo.policy.codecs." + codec + ".payload-bps")));
        }
        if (needs.isEmpty()) {
            return new Levels(null, needs, unusable, null);
        }
        List<Long> distinct = new ArrayList<>(new TreeSet<>(needs.values()).descendingSet());
        List<Tier> tiers = new ArrayList<>();
        for (int i = 0; i < distinct.size(); i++) {
            long level = distinct.get(i);
            List<String> fitting = needs.entrySet().stream().filter(e -> e.getValue() <= level).map(Map.Entry::getKey)
                    .toList();
            tiers.add(new Tier(tierName(level), distinct.size() - i, fitting, level, false));
        }
        long least = distinct.get(distinct.size() - 1);
        String leanest = needs.entrySet().stream().filter(e -> e.getValue() == least).findFirst().orElseThrow().getKey();
        tiers.add(new Tier(NO_CODEC_FITS, 0, List.of(leanest), 0, false));
        return new Levels(TierTable.levels(tiers), needs, unusable, leanest);
    }

    /** Tier names are the estimate they need, e.g. {@code 109.0k}. */
    public static String tierName(long needBps) {
        return String.format(Locale.ROOT, "%.1fk", needBps / 1000.0);
    }

    /**
     * Every codec of the ceiling that the tier leaves out, in quality order: the unusable ones, and the candidates
     * that need more than the tier (those that would fit the estimate are held back by hysteresis, said so).
     */
    public List<Exclusion> excluded(Levels levels, Tier tier, long estimateBps, String hysteresisNote) {
        List<Exclusion> out = new ArrayList<>();
        double budget = estimateBps * utilisation;
        levels.needs().forEach((codec, need) -> {
            if (tier.codecs().contains(codec)) {
                return;
            }
            long wire = codecs.get(codec).orElseThrow().wireBps(layer2Bytes);
            String detail = String.format(Locale.ROOT, "needs %s per call x %d = %s, budget %s (estimate %s x %s)",
                    PolicyEngine.kbps(wire), calls, PolicyEngine.kbps(wire * calls), PolicyEngine.kbps(Math.round(budget)),
                    PolicyEngine.kbps(estimateBps), utilisation);
            if (estimateBps >= need) {
                detail += "; fits the estimate but " + hysteresisNote;
            }
            out.add(new Exclusion(codec, ExclusionCause.BANDWIDTH, detail));
        });
        return withUnusable(out, levels);
    }

    /** Like {@link #excluded}, for a tier chosen without an estimate (a PASSIVE endpoint's calls): {@code why} says why. */
    public List<Exclusion> excludedWithout(Levels levels, Tier tier, String why) {
        List<Exclusion> out = new ArrayList<>();
        levels.needs().forEach((codec, need) -> {
            if (!tier.codecs().contains(codec)) {
                out.add(new Exclusion(codec, ExclusionCause.BANDWIDTH, "needs " + PolicyEngine.kbps(need)
                        + " of link; no capacity estimate, " + why));
            }
        });
        return withUnusable(out, levels);
    }

    private List<Exclusion> withUnusable(List<Exclusion> out, Levels levels) {
        out.addAll(levels.unusable());
        List<String> order = byQuality(out.stream().map(Exclusion::codec).toList());
        out.sort(Comparator.comparingInt(e -> order.indexOf(e.codec())));
        return out;
    }

    /** The codecs in the quality order; codecs the order does not name follow in their own order. */
    public List<String> byQuality(List<String> list) {
        List<String> sorted = new ArrayList<>(list);
        sorted.sort(Comparator.comparingInt(c -> {
            int i = qualityOrder.indexOf(c);
            return i < 0 ? qualityOrder.size() + list.indexOf(c) : i;
        }));
        return sorted;
    }

    public List<String> qualityOrder() {
        return qualityOrder;
    }

    public int calls() {
        return calls;
    }

    public double utilisation() {
        return utilisation;
    }
}
