package io.vbo.policy.model;

import java.util.List;

/**
 * One codec tier.
 *
 * @param name         published as the decision's tier
 * @param rank         higher is better quality; the lowest tier has rank 0
 * @param codecs       ordered codec list
 * @param thresholdBps estimate the tier needs (0 for the lowest tier: it always fits)
 * @param strict       whether the estimate must exceed the threshold ({@code >}, the original's rule) or reach it
 */
public record Tier(String name, int rank, List<String> codecs, long thresholdBps, boolean strict) {
    public Tier {
        codecs = List.copyOf(codecs);
    }

    public boolean fits(long estimateBps) {
        return strict ? estimateBps > thresholdBps : estimateBps >= thresholdBps;
    }

    /** Whether the estimate clears the threshold by the upgrade margin. */
    public boolean fitsWithMargin(long estimateBps, double margin) {
        double needed = thresholdBps * (1 + margin);
        return strict ? estimateBps > needed : estimateBps >= needed;
    }
}
