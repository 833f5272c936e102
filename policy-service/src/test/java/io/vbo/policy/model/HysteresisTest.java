package io.vbo.policy.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HysteresisTest {
    /** Ceiling ulaw,alaw,g722,gsm on a stock PBX: tiers 109.0k (G.711/G.722 and GSM), 45.5k (GSM), no-codec-fits. */
    private final TierTable table = new OverheadAware(CodecTable.defaults(true), 0.8, 1, 18,
            OverheadAware.DEFAULT_QUALITY_ORDER).levels(new Inputs(List.of("ulaw", "alaw", "g722", "gsm"), "FILE",
                    PolicyTableTest.STOCK, false, "test", List.of())).table();
    private static final String NONE = "no-codec-fits";
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
        assertEquals(List.of("109.0k"), run(150_000));
        assertEquals(List.of(NONE), run(20_000));
    }

    @Test
    void downgradeOnFirstConfirmedDrop() {
        assertEquals(List.of("109.0k", "45.5k", NONE), run(150_000, 100_000, 30_000));
    }

    @Test
    void upgradeNeedsTwoEstimatesAboveThresholdPlusMargin() {
        // 109.0k needs 109 kbit/s, with margin 119.9 kbit/s
        assertEquals(List.of("45.5k", "45.5k", "109.0k"), run(100_000, 125_000, 125_000));
        assertEquals(List.of("45.5k", "45.5k", "45.5k", "45.5k"), run(100_000, 115_000, 115_000, 115_000),
                "above the threshold but inside the margin: no upgrade");
    }

    @Test
    void alternatingEstimatesDoNotFlap() {
        List<String> tiers = run(100_000, 130_000, 100_000, 130_000, 100_000, 130_000, 100_000, 130_000);
        assertEquals(List.of("45.5k"), tiers.stream().distinct().toList());
        List<String> fromHigh = run(130_000, 100_000, 130_000, 100_000, 130_000, 100_000);
        assertEquals(List.of("109.0k", "45.5k", "45.5k", "45.5k", "45.5k", "45.5k"), fromHigh,
                "one downgrade, then stable");
    }

    @Test
    void streakBreaksOnAnEstimateBelowTheMargin() {
        // 45.5k with margin: 50.05 kbit/s; 48 kbit/s fits the tier but not the margin and breaks the streak
        assertEquals(List.of(NONE, NONE, NONE, NONE, "45.5k"), run(30_000, 55_000, 48_000, 55_000, 55_000));
    }

    @Test
    void upgradeGoesToTheLowestTierTheWholeStreakCleared() {
        assertEquals(List.of(NONE, NONE, "45.5k"), run(30_000, 200_000, 55_000));
        assertEquals(List.of(NONE, NONE, "109.0k"), run(30_000, 200_000, 200_000));
    }

    @Test
    void upgradeAfterOneMeansNoDelay() {
        Hysteresis eager = new Hysteresis(1, 0);
        Hysteresis.State s = eager.next(table, Hysteresis.State.INITIAL, 30_000).state();
        Hysteresis.Step step = eager.next(table, s, 109_000);
        assertEquals("109.0k", step.state().tier());
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
