package io.vbo.policy.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HysteresisTest {
    private final TierTable table = TierTable.overheadAware(TierTable.overheadAwareTiers(), CodecTable.defaults(true),
            0.8, 1, 18);
    private final Hysteresis hysteresis = new Hysteresis(2, 0.10);

    /** Feeds estimates and returns the tier after each. */
    private List<String> run(long... estimates) {
        Hysteresis.State state = Hysteresis.State.INITIAL;
        List<String> tiers = new ArrayList<>();
        for (long e : estimates) {
            state = hysteresis.next(table, state, e).state();
            tiers.add(state.tier());
        }
        return tiers;
    }

    @Test
    void firstEstimateDecidesAtOnce() {
        assertEquals(List.of("high"), run(150_000));
        assertEquals(List.of("low"), run(20_000));
    }

    @Test
    void downgradeOnFirstConfirmedDrop() {
        assertEquals(List.of("high", "medium", "low"), run(150_000, 100_000, 30_000));
    }

    @Test
    void upgradeNeedsTwoEstimatesAboveThresholdPlusMargin() {
        // high needs 109 kbit/s, with margin 119.9 kbit/s
        assertEquals(List.of("medium", "medium", "high"), run(100_000, 125_000, 125_000));
        assertEquals(List.of("medium", "medium", "medium", "medium"), run(100_000, 115_000, 115_000, 115_000),
                "above the threshold but inside the margin: no upgrade");
    }

    @Test
    void alternatingEstimatesDoNotFlap() {
        List<String> tiers = run(100_000, 130_000, 100_000, 130_000, 100_000, 130_000, 100_000, 130_000);
        assertEquals(List.of("medium"), tiers.stream().distinct().toList());
        List<String> fromHigh = run(130_000, 100_000, 130_000, 100_000, 130_000, 100_000);
        assertEquals(List.of("high", "medium", "medium", "medium", "medium", "medium"), fromHigh,
                "one downgrade, then stable");
    }

    @Test
    void streakBreaksOnAnEstimateBelowTheMargin() {
        assertEquals(List.of("low", "low", "low", "low", "medium"), run(30_000, 50_000, 40_000, 50_000, 50_000));
    }

    @Test
    void upgradeGoesToTheLowestTierTheWholeStreakCleared() {
        assertEquals(List.of("low", "low", "medium"), run(30_000, 200_000, 50_000));
        assertEquals(List.of("low", "low", "high"), run(30_000, 200_000, 200_000));
    }

    @Test
    void upgradeAfterOneMeansNoDelay() {
        Hysteresis eager = new Hysteresis(1, 0);
        Hysteresis.State s = eager.next(table, Hysteresis.State.INITIAL, 30_000).state();
        Hysteresis.Step step = eager.next(table, s, 109_000);
        assertEquals("high", step.state().tier());
        assertEquals(true, step.changed());
    }

    @Test
    void seedCompatibleUsesStrictThresholds() {
        TierTable seed = TierTable.seedCompatible(TierTable.seedTiers());
        Hysteresis.State s = hysteresis.next(seed, Hysteresis.State.INITIAL, 64_000).state();
        assertEquals("medium", s.tier());
        s = hysteresis.next(seed, s, 70_401).state();
        s = hysteresis.next(seed, s, 70_401).state();
        assertEquals("high", s.tier(), "64 kbit/s × 1.1 = 70.4 kbit/s, exclusive");
    }
}
