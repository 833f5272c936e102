package io.vbo.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class VoiceLadderTest {

    @Test
    void rungsAreTheBuiltInStreamsAscendingByWireRate() {
        List<VoiceLadder.Rung> rungs = VoiceLadder.rungs(CodecProfiles.defaults(true), 18);
        assertEquals(List.of(
                new VoiceLadder.Rung(List.of("ilbc"), 62, 30),
                new VoiceLadder.Rung(List.of("g729"), 32, 20),
                new VoiceLadder.Rung(List.of("gsm"), 45, 20),
                new VoiceLadder.Rung(List.of("g726"), 92, 20),
                new VoiceLadder.Rung(List.of("opus"), 140, 20),
                new VoiceLadder.Rung(List.of("alaw", "g722", "ulaw"), 172, 20)), rungs);
        // (62 + 28 + 18) × 8 × 1000 / 30 = 28,800; G.711: (172 + 46) × 8 × 50 = 87,200 (policy's 87.2k need at u = 1).
        assertEquals(List.of(28_800L, 31_200L, 36_400L, 55_200L, 74_400L, 87_200L),
                rungs.stream().map(r -> r.wireBps(18, 1)).toList());
        assertEquals(137_600L, rungs.get(5).udpBitsPerSecond(2));
        assertEquals(160_000L, rungs.get(5).wireBps(0, 2));
    }

    @Test
    void withoutLayer2BytesG729AndIlbcTieAndKeepTheNameOrder() {
        List<VoiceLadder.Rung> rungs = VoiceLadder.rungs(CodecProfiles.defaults(true), 0);
        assertEquals(List.of("g729"), rungs.get(0).codecs());
        assertEquals(List.of("ilbc"), rungs.get(1).codecs());
        assertEquals(24_000L, rungs.get(0).wireBps(0, 1));
        assertEquals(24_000L, rungs.get(1).wireBps(0, 1));
    }

    @Test
    void aRungCostsWhatPolicyChargesItsCodec() {
        CodecProfile ulaw = CodecProfiles.defaults(true).get("ulaw");
        assertEquals(ulaw.wireBps(18), VoiceLadder.rungs(CodecProfiles.defaults(true), 18).get(5).wireBps(18, 1));
    }
}
