package io.vbo.policy.model;

import io.vbo.events.Codecs;
import io.vbo.policy.config.PolicyConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The active preset's tiers, best first, each with the estimate it needs. */
public final class TierTable {
    public static final String OVERHEAD_AWARE = "overhead-aware";
    public static final String SEED_COMPATIBLE = "seed-compatible";

    /** The original's thresholds: 0.064 and 0.008 Mbit/s, compared with {@code >}. */
    public static final long SEED_HIGH_BPS = 64_000;
    public static final long SEED_MEDIUM_BPS = 8_000;

    private final String preset;
    private final List<Tier> tiers;

    private TierTable(String preset, List<Tier> tiers) {
        this.preset = preset;
        this.tiers = List.copyOf(tiers);
    }

    /** The original's three orderings, exactly. */
    public static List<PolicyTierSpec> seedTiers() {
        return List.of(
                new PolicyTierSpec("high", List.of("ulaw", "alaw", "opus", "g729", "gsm")),
                new PolicyTierSpec("medium", List.of("g729", "opus", "ulaw", "alaw", "gsm")),
                new PolicyTierSpec("low", List.of("opus", "gsm", "ulaw", "alaw", "g729")));
    }

    /** Defaults of {@code overhead-aware}: G.711 first, G.729 first, then the leanest codecs first. */
    public static List<PolicyTierSpec> overheadAwareTiers() {
        return List.of(
                new PolicyTierSpec("high", List.of("ulaw", "alaw", "opus", "g729", "gsm")),
                new PolicyTierSpec("medium", List.of("g729", "opus", "gsm", "ulaw", "alaw")),
                new PolicyTierSpec("low", List.of("ilbc", "g729", "opus", "gsm", "ulaw", "alaw")));
    }

    /** A tier as configured: name and codecs, before its threshold is known. */
    public record PolicyTierSpec(String name, List<String> codecs) {
    }

    public static TierTable from(PolicyConfig config, CodecTable codecs) {
        Optional<List<PolicyTierSpec>> configured = config.tiers().map(list -> list.stream()
                .map(t -> new PolicyTierSpec(t.name(), t.codecs())).toList());
        return switch (config.preset()) {
            case OVERHEAD_AWARE -> overheadAware(configured.orElse(overheadAwareTiers()), codecs,
                    config.utilisation(), config.expectedConcurrentCalls(), config.layer2Bytes());
            case SEED_COMPATIBLE -> seedCompatible(configured.orElse(seedTiers()));
            default -> throw new IllegalArgumentException("vbo.policy.preset: unknown preset '" + config.preset()
                    + "' (known: " + OVERHEAD_AWARE + ", " + SEED_COMPATIBLE + ")");
        };
    }

    /** Each tier needs its first codec's wire rate × calls ÷ utilisation; the last tier always fits. */
    public static TierTable overheadAware(List<PolicyTierSpec> specs, CodecTable codecs, double utilisation,
            int calls, int layer2Bytes) {
        if (utilisation <= 0 || utilisation > 1) {
            throw new IllegalArgumentException("vbo.policy.utilisation must be in (0, 1], got " + utilisation);
        }
        if (calls < 1) {
            throw new IllegalArgumentException("vbo.policy.expected-concurrent-calls must be at least 1, got " + calls);
        }
        validate(specs);
        List<Tier> tiers = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            PolicyTierSpec spec = specs.get(i);
            boolean last = i == specs.size() - 1;
            long threshold = 0;
            if (!last) {
                String primary = spec.codecs().get(0);
                CodecProfile profile = codecs.get(primary).orElseThrow(() -> new IllegalArgumentException(
                        "vbo.policy.tiers: tier '" + spec.name() + "' starts with " + primary
                                + ", which has no bandwidth profile (add vbo.policy.codecs." + primary + ".payload-bps)"));
                threshold = (long) Math.ceil(profile.wireBps(layer2Bytes) * (double) calls / utilisation);
            }
            tiers.add(new Tier(spec.name(), specs.size() - 1 - i, spec.codecs(), threshold, false));
        }
        return new TierTable(OVERHEAD_AWARE, tiers);
    }

    /** The original's rule: above 64 kbit/s the first tier, above 8 kbit/s the second, otherwise the third. */
    public static TierTable seedCompatible(List<PolicyTierSpec> specs) {
        validate(specs);
        if (specs.size() != 3) {
            throw new IllegalArgumentException("vbo.policy.tiers: seed-compatible has exactly 3 tiers, got " + specs.size());
        }
        long[] thresholds = { SEED_HIGH_BPS, SEED_MEDIUM_BPS, 0 };
        List<Tier> tiers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            PolicyTierSpec spec = specs.get(i);
            tiers.add(new Tier(spec.name(), 2 - i, spec.codecs(), thresholds[i], i < 2));
        }
        return new TierTable(SEED_COMPATIBLE, tiers);
    }

    private static void validate(List<PolicyTierSpec> specs) {
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("vbo.policy.tiers: at least one tier is needed");
        }
        List<String> names = new ArrayList<>();
        for (PolicyTierSpec spec : specs) {
            if (spec.name() == null || spec.name().isBlank() || names.contains(spec.name())) {
                throw new IllegalArgumentException("vbo.policy.tiers: tier names must be non-empty and unique");
            }
            if ("pinned".equals(spec.name())) {
                throw new IllegalArgumentException("vbo.policy.tiers: 'pinned' is reserved for administrators' pins");
            }
            names.add(spec.name());
            Codecs.parseList("vbo.policy.tiers." + spec.name() + ".codecs", String.join(",", spec.codecs()));
        }
    }

    public String preset() {
        return preset;
    }

    /** Best first. */
    public List<Tier> tiers() {
        return tiers;
    }

    public Optional<Tier> byName(String name) {
        return tiers.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** The best tier the estimate fits (the last tier always fits). */
    public Tier fitting(long estimateBps) {
        return tiers.stream().filter(t -> t.fits(estimateBps)).findFirst().orElse(tiers.get(tiers.size() - 1));
    }

    /** The best tier the estimate fits with the upgrade margin. */
    public Tier fittingWithMargin(long estimateBps, double margin) {
        return tiers.stream().filter(t -> t.fitsWithMargin(estimateBps, margin)).findFirst()
                .orElse(tiers.get(tiers.size() - 1));
    }

    /** Threshold per tier name, for a decision's reason. */
    public Map<String, Long> thresholds() {
        Map<String, Long> map = new LinkedHashMap<>();
        tiers.forEach(t -> map.put(t.name(), t.thresholdBps()));
        return map;
    }
}
