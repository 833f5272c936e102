package io.vbo.policy.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vbo.events.CodecProfile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CodecTableTest {
    private static final int ETHERNET = 18;

    @ParameterizedTest(name = "{0} on Ethernet: {1} bit/s")
    @CsvSource({
            "ulaw, 87200",
            "alaw, 87200",
            "g722, 87200",
            "g729, 31200",
            "gsm, 36400",
            "ilbc, 28800",
            "opus, 74400",
            "g726, 55200" })
    void wireBandwidthPerCallDirection(String codec, long expected) {
        assertEquals(expected, CodecTable.defaults(true).get(codec).orElseThrow().wireBps(ETHERNET));
    }

    @Test
    void ilbcIn20msModeNeeds38point4() {
        CodecProfile ilbc20 = new CodecProfile("ilbc", 15_200, 20, 5, null, null);
        assertEquals(38, ilbc20.payloadBytes());
        assertEquals(38_400, ilbc20.wireBps(ETHERNET));
    }

    @Test
    void headersDominateSmallPayloads() {
        CodecProfile g729 = CodecTable.defaults(true).get("g729").orElseThrow();
        assertEquals(20, g729.payloadBytes());
        assertEquals(24_000, g729.wireBps(0), "IP/UDP/RTP alone triples G.729's 8 kbit/s");
        assertEquals(8 * (10 + 40 + 18) * 100, new CodecProfile("g729", 8_000, 10, 5, 11.0, 19.0).wireBps(ETHERNET),
                "10 ms packets: twice the packets, each with 58 bytes of headers");
    }

    @Test
    void g711LossRobustnessFollowsPlcSetting() {
        assertEquals(25.1, CodecTable.defaults(true).get("ulaw").orElseThrow().bpl());
        assertEquals(4.3, CodecTable.defaults(false).get("ulaw").orElseThrow().bpl());
    }
}
