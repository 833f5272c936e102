package io.vbo.policy.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TierTableTest {
    private static TierTable overheadAware(double utilisation, int calls) {
        return TierTable.overheadAware(TierTable.overheadAwareTiers(), CodecTable.defaults(true), utilisation, calls, 18);
    }

    /** The original: {@code if rate > 0.064: ... elif rate > 0.008: ... else: ...} on Mbit/s. */
    private static String original(double mbps) {
        if (mbps > 0.064) {
            return "ulaw,alaw,opus,g729,gsm";
        } else if (mbps > 0.008) {
            return "g729,opus,ulaw,alaw,gsm";
        }
        return "opus,gsm,ulaw,alaw,g729";
    }

    @ParameterizedTest(name = "{0} bit/s → {1}")
    @CsvSource({
            "0, opus;gsm;ulaw;alaw;g729",
            "1, opus;gsm;ulaw;alaw;g729",
            "7999, opus;gsm;ulaw;alaw;g729",
            "8000, opus;gsm;ulaw;alaw;g729",
            "8001, g729;opus;ulaw;alaw;gsm",
            "33000, g729;opus;ulaw;alaw;gsm",
            "63999, g729;opus;ulaw;alaw;gsm",
            "64000, g729;opus;ulaw;alaw;gsm",
            "64001, ulaw;alaw;opus;g729;gsm",
            "938000, ulaw;alaw;opus;g729;gsm",
            "7550000, ulaw;alaw;opus;g729;gsm" })
    void seedCompatibleMatchesTheOriginalAroundEachThreshold(long bps, String expected) {
        TierTable seed = TierTable.seedCompatible(TierTable.seedTiers());
        String codecs = String.join(",", seed.fitting(bps).codecs());
        assertEquals(expected.replace(';', ','), codecs);
        assertEquals(original(bps / 1_000_000.0), codecs, "same as the original's float comparison");
    }

    @Test
    void overheadAwareThresholdsComeFromWireBandwidth() {
        TierTable table = overheadAware(0.8, 1);
        assertEquals(List.of(109_000L, 39_000L, 0L), table.tiers().stream().map(Tier::thresholdBps).toList());
        assertEquals("low", table.fitting(33_000).name(), "the 40 kbit/s phone of the design measured 33 kbit/s");
        assertEquals("low", table.fitting(38_999).name());
        assertEquals("medium", table.fitting(39_000).name());
        assertEquals("medium", table.fitting(108_999).name());
        assertEquals("high", table.fitting(109_000).name());
        assertEquals("high", table.fitting(144_000).name(), "the 150 kbit/s phone");
        assertEquals("ilbc", table.fitting(10_000).codecs().get(0));
    }

    @Test
    void concurrentCallsAndUtilisationScaleTheNeed() {
        assertEquals(218_000L, overheadAware(0.8, 2).tiers().get(0).thresholdBps());
        assertEquals(87_200L, overheadAware(1.0, 1).tiers().get(0).thresholdBps());
        assertEquals("medium", overheadAware(0.8, 2).fitting(144_000).name());
    }

    @Test
    void badConfigurationIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> overheadAware(0, 1));
        assertThrows(IllegalArgumentException.class, () -> overheadAware(0.8, 0));
        assertThrows(IllegalArgumentException.class, () -> TierTable.overheadAware(
                List.of(new TierTable.PolicyTierSpec("a", List.of("speex")), new TierTable.PolicyTierSpec("b", List.of("ulaw"))),
                CodecTable.defaults(true), 0.8, 1, 18), "a tier led by a codec without a profile");
        assertThrows(RuntimeException.class, () -> TierTable.seedCompatible(
                List.of(new TierTable.PolicyTierSpec("a", List.of("nonsense")))));
        assertThrows(IllegalArgumentException.class, () -> TierTable.overheadAware(
                List.of(new TierTable.PolicyTierSpec("pinned", List.of("ulaw"))), CodecTable.defaults(true), 0.8, 1, 18));
    }
}
