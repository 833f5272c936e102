package io.vbo.policy.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TierTableTest {
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
    void badConfigurationIsRefused() {
        assertThrows(RuntimeException.class, () -> TierTable.seedCompatible(
                List.of(new TierTable.PolicyTierSpec("a", List.of("nonsense")))));
        assertThrows(IllegalArgumentException.class, () -> TierTable.seedCompatible(
                List.of(new TierTable.PolicyTierSpec("a", List.of("ulaw")))), "seed-compatible has three tiers");
        assertThrows(IllegalArgumentException.class, () -> TierTable.seedCompatible(List.of(
                new TierTable.PolicyTierSpec("pinned", List.of("ulaw")), new TierTable.PolicyTierSpec("b", List.of("gsm")),
                new TierTable.PolicyTierSpec("c", List.of("g729")))));
    }
}
