package io.vbo.policy.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SiteLoadTest {
    private static final Instant H = Instant.parse("2026-12-01T10:00:00Z");

    private static SiteLoad.Call call(int fromMinute, int toMinute) {
        return new SiteLoad.Call(H.plusSeconds(fromMinute * 60L), H.plusSeconds(toMinute * 60L));
    }

    @Test
    void twoCallsOverlappingMostOfTheBusiestHourGiveTwo() {
        // 10:05-10:50 and 10:10-10:55: 0 calls for 10 min, 1 for 10 min, 2 for 40 min. 95 % of 60 min = 57 min;
        // levels 0 and 1 cover 20 min, level 2 reaches 60 min → K = 2. The lone call of 08:00 is in a quieter hour.
        SiteLoad.Learned k = SiteLoad.learn(List.of(call(5, 50), call(10, 55), call(-120, -100)), 95).orElseThrow();
        assertEquals(new SiteLoad.Learned(2, H, 2, 3), k);
    }

    @Test
    void aShortPeakBelowThePercentileDoesNotCount() {
        // 10:00-11:00 and 10:30-10:31: 2 calls for 1 min of 60 (1.7 %) → the 95th percentile is 1; the peak is 2.
        SiteLoad.Learned k = SiteLoad.learn(List.of(call(0, 60), call(30, 31)), 95).orElseThrow();
        assertEquals(new SiteLoad.Learned(1, H, 2, 2), k);
        // The 99th: 59 min at 1 is 98.3 % < 99 % → 2.
        assertEquals(2, SiteLoad.learn(List.of(call(0, 60), call(30, 31)), 99).orElseThrow().concurrentCalls());
    }

    @Test
    void aCallAcrossHoursCountsInEach() {
        // 09:30-11:30 (1 call) and 10:00-11:00 three more: hour 10 has 4 calls for 60 min → K = 4.
        SiteLoad.Learned k = SiteLoad.learn(List.of(call(-30, 90), call(0, 60), call(0, 60), call(0, 60)), 95)
                .orElseThrow();
        assertEquals(new SiteLoad.Learned(4, H, 4, 4), k);
    }

    @Test
    void noCallsNothingLearnedAndABadPercentileIsRefused() {
        assertTrue(SiteLoad.learn(List.of(), 95).isEmpty());
        assertTrue(SiteLoad.learn(List.of(call(5, 5)), 95).isEmpty(), "a zero-length call is no load");
        assertEquals("vbo.policy.site-calls.percentile must be in (0, 100], got 0.0",
                assertThrows(IllegalArgumentException.class, () -> SiteLoad.learn(List.of(), 0)).getMessage());
    }
}
