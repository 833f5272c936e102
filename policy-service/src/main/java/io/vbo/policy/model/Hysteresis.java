package io.vbo.policy.model;

/**
 * Tier changes with hysteresis: a drop below the current tier's need downgrades at once (the median estimate has
 * already confirmed it); an upgrade needs {@code upgradeAfter} consecutive estimates that clear a better tier's need
 * by the margin, and goes to the lowest tier all of them cleared.
 */
public final class Hysteresis {
    private final int upgradeAfter;
    private final double margin;

    public Hysteresis(int upgradeAfter, double margin) {
        if (upgradeAfter < 1) {
            throw new IllegalArgumentException("vbo.policy.hysteresis.upgrade-after must be at least 1");
        }
        if (margin < 0) {
            throw new IllegalArgumentException("vbo.policy.hysteresis.margin must not be negative");
        }
        this.upgradeAfter = upgradeAfter;
        this.margin = margin;
    }

    /**
     * Where an endpoint stands.
     *
     * @param tier       current tier name, {@code null} before the first decision
     * @param streak     consecutive estimates that qualified for an upgrade
     * @param streakTier the lowest tier those estimates all qualified for
     */
    public record State(String tier, int streak, String streakTier) {
        public static final State INITIAL = new State(null, 0, null);
    }

    /** The state after one new estimate. {@code changed()} tells whether the tier moved. */
    public Step next(TierTable table, State state, long estimateBps) {
        return next(table, state, estimateBps, margin);
    }

    /**
     * As {@link #next(TierTable, State, long)} with another margin: 0 for a ladder's estimate, which is exactly the
     * need of the step it passed (a margin above it could never be cleared) and so needs no headroom for error.
     */
    public Step next(TierTable table, State state, long estimateBps, double margin) {
        Tier fit = table.fitting(estimateBps);
        Tier current = state.tier() == null ? null : table.byName(state.tier()).orElse(null);
        if (current == null) {
            return new Step(new State(fit.name(), 0, null), true);
        }
        if (fit.rank() < current.rank()) {
            return new Step(new State(fit.name(), 0, null), true);
        }
        Tier up = table.fittingWithMargin(estimateBps, margin);
        if (up.rank() <= current.rank()) {
            return new Step(new State(current.name(), 0, null), false);
        }
        Tier streakTier = state.streakTier() == null ? up
                : table.byName(state.streakTier()).filter(t -> t.rank() < up.rank()).orElse(up);
        int streak = state.streak() + 1;
        if (streak >= upgradeAfter) {
            return new Step(new State(streakTier.name(), 0, null), true);
        }
        return new Step(new State(current.name(), streak, streakTier.name()), false);
    }

    /** One step's result. */
    public record Step(State state, boolean changed) {
    }

    public int upgradeAfter() {
        return upgradeAfter;
    }

    public double margin() {
        return margin;
    }
}
