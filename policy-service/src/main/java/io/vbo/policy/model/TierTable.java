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

    /** A tier as configured: name and codecs, before its threshold is known. */
    public record PolicyTierSpec(String name, List<String> codecs) {
    }

    /**
     * The {@code seed-compatible} tiers ({@code vbo.policy.tiers} or the original's). {@code overhead-aware} builds
     * its tiers per endpoint ({@link OverheadAware}), so configured tiers are refused there.
     */
    public static TierTable from(PolicyConfig config) {
        Optional<List<PolicyTierSpec>> configured = config.tiers().map(list -> list.stream()
                .map(t -> new PolicyTierSpec(t.name(), t.codecs())).toList());
        return switch (config.preset()) {
            case OVERHEAD_AWARE -> {
                if (configured.isPresent()) {
                    throw new IllegalArgumentException("vbo.policy.tiers: applies to " + SEED_COMPATIBLE + " only; "
                            + OVERHEAD_AWARE + " builds each endpoint's tiers from its ceiling (order: vbo.policy.quality-order)");
                }
                yield null;
            }
            case SEED_COMPATIBLE -> seedCompatible(configured.orElse(seedTiers()));
            default -> throw new IllegalArgumentException("vbo.policy.preset: unknown preset '" + config.preset()
                    + "' (known: " + OVERHEAD_AWARE + ", " + SEED_COMPATIBLE + ")");
        };
    }

    /** One endpoint's {@code overhead-aware} tiers, best first; the last always fits. */
    static TierTable levels(List<Tier> tiers) {
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
