package io.vbo.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EModelTest {
    private final Map<String, CodecProfile> table = CodecProfiles.defaults(true);
    private final CodecProfile ulaw = table.get("ulaw");
    private final CodecProfile g729 = table.get("g729");

    @Test
    void g711WithoutLossAndLowDelayIsTheDefaultRating() {
        double delay = EModel.oneWayDelayMs(2, 1, 2.0, ulaw);
        assertEquals(23, delay, 1e-9, "1 ms half-RTT + 2 ms jitter buffer + 20 ms packet");
        double r = EModel.rating(ulaw, delay, 0);
        assertEquals(93.2, r, 1e-9);
        assertEquals(4.41, EModel.mos(r), 0.005);
    }

    @Test
    void lossImpairmentFollowsG107Formula() {
        assertEquals(95.0 * 1 / (1 + 25.1), EModel.effectiveEquipmentImpairment(0, 25.1, 1), 1e-9);
        assertEquals(11 + 84.0 * 2 / (2 + 19), EModel.effectiveEquipmentImpairment(11, 19, 2), 1e-9);
        assertEquals(11, EModel.effectiveEquipmentImpairment(11, 19, 0), 1e-9);
        assertEquals(95, EModel.effectiveEquipmentImpairment(0, 4.3, 1e12), 1e-6, "total loss approaches 95");
    }

    @Test
    void g729CostsItsEquipmentImpairment() {
        double r = EModel.rating(g729, 30, 0);
        assertEquals(82.2, r, 1e-9);
        assertEquals(4.10, EModel.mos(r), 0.01);
    }

    @Test
    void delayBelow100msCostsNothingAndLongDelayCostsMuch() {
        assertEquals(0, EModel.delayImpairment(100), 1e-12);
        double at150 = EModel.delayImpairment(150);
        double at400 = EModel.delayImpairment(400);
        assertTrue(at150 > 0 && at150 < 1, "slight at 150 ms: " + at150);
        assertEquals(24.07, at400, 0.05);
        assertTrue(EModel.delayImpairment(600) > at400);
    }

    @Test
    void mosIsBoundedAndMonotonic() {
        assertEquals(1.0, EModel.mos(-5));
        assertEquals(1.0, EModel.mos(0));
        assertEquals(1.0, EModel.mos(3), "the cubic dips below 1 under R 6.5; MOS never does");
        assertEquals(4.5, EModel.mos(100));
        assertEquals(4.5, EModel.mos(120));
        double previous = 1.0;
        for (int r = 1; r < 100; r++) {
            double mos = EModel.mos(r);
            assertTrue(mos >= previous, "MOS(" + r + ")");
            previous = mos;
        }
    }

    @Test
    void unratedCodecIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> EModel.rating(table.get("opus"), 20, 0));
    }

    @Test
    void g711WithEightPercentLossAloneSitsRightAtMos36AndJitterTakesItBelow() {
        // G.107 with Bpl 25.1: Ie,eff = 95 * 8 / 33.1 = 22.96, R = 70.24, MOS 3.608.
        assertEquals(3.608, EModel.mos(EModel.rating(ulaw, EModel.oneWayDelayMs(20, 5, 2.0, ulaw), 8)), 0.001);
        // 150 ms round trip, 40 ms jitter: 75 + 80 + 20 = 175 ms one way, Idd 1.03.
        double mos = EModel.mos(EModel.rating(ulaw, EModel.oneWayDelayMs(150, 40, 2.0, ulaw), 8));
        assertEquals(3.559, mos, 0.001);
    }

    @Test
    void rtpClockRates() {
        assertEquals(8000, CodecProfiles.rtpClockRate("ulaw"));
        assertEquals(8000, CodecProfiles.rtpClockRate("g722"));
        assertEquals(48000, CodecProfiles.rtpClockRate("opus"));
        assertEquals(null, CodecProfiles.rtpClockRate("h264"));
    }
}
