package io.vbo.policy.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vbo.events.CodecProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

class OverheadAwareTest {
    private static OverheadAware rule(double utilisation, int calls) {
        return new OverheadAware(CodecTable.defaults(true), utilisation, calls, 18, OverheadAware.DEFAULT_QUALITY_ORDER);
    }

    private static Inputs ceiling(String... codecs) {
        return new Inputs(List.of(codecs), "FILE", PolicyTableTest.WITH_OPUS, false, "test", List.of());
    }

    @Test
    void eachDistinctNeedIsATierBestFirst() {
        TierTable table = rule(0.8, 1).levels(ceiling("gsm", "opus", "ulaw", "alaw", "g722")).table();
        assertEquals(List.of("109.0k", "93.0k", "45.5k", "no-codec-fits"), table.tiers().stream().map(Tier::name).toList());
        assertEquals(List.of(109_000L, 93_000L, 45_500L, 0L), table.tiers().stream().map(Tier::thresholdBps).toList());
        assertEquals(List.of("g722", "ulaw", "alaw", "opus", "gsm"), table.tiers().get(0).codecs(),
                "in quality order, not in the ceiling's order");
        assertEquals(List.of("opus", "gsm"), table.tiers().get(1).codecs());
        assertEquals(List.of("gsm"), table.tiers().get(3).codecs(), "nothing fits: the leanest");
        assertEquals("45.5k", table.fitting(45_500).name());
        assertEquals("no-codec-fits", table.fitting(45_499).name());
    }

    @Test
    void concurrentCallsAndUtilisationScaleTheNeed() {
        CodecProfile ulaw = CodecTable.defaults(true).get("ulaw").orElseThrow();
        assertEquals(109_000L, rule(0.8, 1).need(ulaw));
        assertEquals(218_000L, rule(0.8, 2).need(ulaw));
        assertEquals(436_000L, rule(0.8, 4).need(ulaw));
        assertEquals(87_200L, rule(1.0, 1).need(ulaw));
    }

    @Test
    void codecsTheOrderDoesNotNameFollowInTheCeilingsOrder() {
        assertEquals(List.of("g722", "gsm", "speex", "lpc10"), rule(0.8, 1).byQuality(List.of("speex", "gsm", "lpc10", "g722")));
    }

    @Test
    void badConfigurationIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> rule(0, 1));
        assertThrows(IllegalArgumentException.class, () -> rule(1.1, 1));
        assertThrows(IllegalArgumentException.class, () -> rule(0.8, 0));
    }
}
