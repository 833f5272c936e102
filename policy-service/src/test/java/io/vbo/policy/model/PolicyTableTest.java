package io.vbo.policy.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vbo.events.CodecDecision.Exclusion;
import io.vbo.events.CodecDecision.ExclusionCause;
import io.vbo.events.ProbeResult;
import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.events.ProbeResult.Protocol;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code overhead-aware} decision for every link, call count, ceiling and translator set of issue 10, with the
 * expected codecs written out by hand.
 *
 * <p>Arithmetic (utilisation 0.8, layer 2 = 18 bytes Ethernet II + FCS, IP/UDP/RTP 40 bytes, per packet):
 * <pre>
 *   G.711 / G.722  20 ms: (160 + 40 + 18) B × 8 × 50/s = 87.2 kbit/s
 *   Opus (auto)    20 ms: (128 + 40 + 18) B × 8 × 50/s = 74.4 kbit/s   (51 kbit/s → 127.5 B, a whole byte: 128)
 *   GSM            20 ms: ( 33 + 40 + 18) B × 8 × 50/s = 36.4 kbit/s
 *   G.729          20 ms: ( 20 + 40 + 18) B × 8 × 50/s = 31.2 kbit/s
 * A codec fits when wire × K ≤ link × 0.8:
 *   link kbit/s   24    32    40    64    100   150   500   2000
 *   budget        19.2  25.6  32.0  51.2  80.0  120   400   1600
 *   K  G.711/G.722  Opus   GSM    G.729
 *   1   87.2        74.4   36.4   31.2
 *   2  174.4       148.8   72.8   62.4
 *   3  261.6       223.2  109.2   93.6
 *   4  348.8       297.6  145.6  124.8
 * </pre>
 * The stock Asterisk 22 (captured {@code core show translation}) transcodes neither Opus nor G.729; the other set adds
 * {@code codec_opus}. Quality order: g722, ulaw, alaw, opus, (g726, ilbc,) gsm, g729. Ceiling A =
 * {@code ulaw,alaw,g722,gsm}, B = {@code ulaw,alaw,g722,gsm,opus,g729}. G.729 is never transcodable here, so B
 * differs from A only by Opus on the {@code codec_opus} PBX. {@code !gsm}: nothing fits, GSM (the leanest
 * transcodable codec of the ceiling) is given with NO_CODEC_FITS.
 */
class PolicyTableTest {
    static final List<String> STOCK = List.of("adpcm", "alaw", "g722", "g726", "g726aal2", "gsm", "ilbc", "lpc10", "slin",
            "slin16", "speex", "speex16", "speex32", "ulaw");
    static final List<String> WITH_OPUS = List.of("adpcm", "alaw", "g722", "g726", "g726aal2", "gsm", "ilbc", "lpc10",
            "opus", "slin", "slin16", "speex", "speex16", "speex32", "ulaw");
    static final List<String> CEILING_A = List.of("ulaw", "alaw", "g722", "gsm");
    static final List<String> CEILING_B = List.of("ulaw", "alaw", "g722", "gsm", "opus", "g729");

    static PolicyEngine engine(int calls) {
        CodecTable codecs = CodecTable.defaults(true);
        return new PolicyEngine(null, new OverheadAware(codecs, 0.8, calls, 18, OverheadAware.DEFAULT_QUALITY_ORDER),
                codecs, new Hysteresis(2, 0.10), 3, 3, 2.0);
    }

    static Inputs inputs(List<String> ceiling, List<String> transcodable) {
        return new Inputs(ceiling, "FILE", transcodable, false, "test", List.of());
    }

    static ProbeResult downlink(long bps) {
        return new ProbeResult(1, UUID.randomUUID(), "pbx1", "1001", "10.231.0.2", Direction.DOWNLINK, Protocol.TCP,
                bps, 0, null, null, 40_000L, 3000, Outcome.OK, null, Instant.parse("2026-12-01T10:00:00Z"));
    }

    /** The first decision for a link of {@code kbps}. */
    static PolicyEngine.Change decide(int kbps, int calls, List<String> ceiling, List<String> transcodable) {
        EndpointState s = EndpointState.fresh("pbx1", "1001", 3);
        return engine(calls).apply(s, downlink(kbps * 1000L), inputs(ceiling, transcodable)).orElseThrow();
    }

    private static String written(PolicyEngine.Change c) {
        return (c.noCodecFits() ? "!" : "") + String.join(";", c.codecs());
    }

    @ParameterizedTest(name = "{0} kbit/s, {1} call(s)")
    @CsvSource(delimiter = '|', textBlock = """
            # link | K | A, stock            | A, codec_opus      | B, stock           | B, codec_opus
              24   | 1 | !gsm               | !gsm               | !gsm               | !gsm
              32   | 1 | !gsm               | !gsm               | !gsm               | !gsm
              40   | 1 | !gsm               | !gsm               | !gsm               | !gsm
              64   | 1 | gsm                | gsm                | gsm                | gsm
              100  | 1 | gsm                | gsm                | gsm                | opus;gsm
              150  | 1 | g722;ulaw;alaw;gsm | g722;ulaw;alaw;gsm | g722;ulaw;alaw;gsm | g722;ulaw;alaw;opus;gsm
              500  | 1 | g722;ulaw;alaw;gsm | g722;ulaw;alaw;gsm | g722;ulaw;alaw;gsm | g722;ulaw;alaw;opus;gsm
              2000 | 1 | g722;ulaw;alaw;gsm | g722;ulaw;alaw;gsm | g722;ulaw;alaw;gsm | g722;ulaw;alaw;opus;gsm
              24   | 2 | !gsm               | !gsm               | !gsm               | !gsm
              32   | 2 | !gsm               | !gsm               | !gsm               | !gsm
              40   | 2 | !gsm               | !gsm               | !gsm               | !gsm
              64   | 2 | !gsm               | !gsm               | !gsm               | !gsm
              100  | 2 | gsm                | gsm                | gsm                | gsm
              150  | 2 | gsm                | gsm                | gsm                | gsm
              500  | 2 | g722;ulaw;alaw;gsm | g722;ulaw;alaw;gsm | g722;ulaw;alaw;gsm | g722;ulaw;alaw;opus;gsm
              2000 | 2 | g722;ulaw;alaw;gsm | g722;ulaw;alaw;gsm | g722;ulaw;alaw;gsm | g722;ulaw;alaw;opus;gsm
              24   | 3 | !gsm               | !gsm               | !gsm               | !gsm
              32   | 3 | !gsm               | !gsm               | !gsm               | !gsm
              40   | 3 | !gsm               | !gsm               | !gsm               | !gsm
              64   | 3 | !gsm               | !gsm               | !gsm               | !gsm
              100  | 3 | !gsm               | !gsm               | !gsm               | !gsm
              150  | 3 | gsm                | gsm                | gsm                | gsm
              500  | 3 | g722;ulaw;alaw;gsm | g722;ulaw;alaw;gsm | g722;ulaw;alaw;gsm | g722;ulaw;alaw;opus;gsm
              2000 | 3 | g722;ulaw;alaw;gsm | g722;ulaw;alaw;gsm | g722;ulaw;alaw;gsm | g722;ulaw;alaw;opus;gsm
              24   | 4 | !gsm               | !gsm               | !gsm               | !gsm
              32   | 4 | !gsm               | !gsm               | !gsm               | !gsm
              40   | 4 | !gsm               | !gsm               | !gsm               | !gsm
              64   | 4 | !gsm               | !gsm               | !gsm               | !gsm
              100  | 4 | !gsm               | !gsm               | !gsm               | !gsm
              150  | 4 | !gsm               | !gsm               | !gsm               | !gsm
              500  | 4 | g722;ulaw;alaw;gsm | g722;ulaw;alaw;gsm | g722;ulaw;alaw;gsm | g722;ulaw;alaw;opus;gsm
              2000 | 4 | g722;ulaw;alaw;gsm | g722;ulaw;alaw;gsm | g722;ulaw;alaw;gsm | g722;ulaw;alaw;opus;gsm
            """)
    void allowedCodecs(int kbps, int calls, String aStock, String aOpus, String bStock, String bOpus) {
        assertEquals(aStock, written(decide(kbps, calls, CEILING_A, STOCK)), "ceiling A, stock");
        assertEquals(aOpus, written(decide(kbps, calls, CEILING_A, WITH_OPUS)), "ceiling A, codec_opus");
        assertEquals(bStock, written(decide(kbps, calls, CEILING_B, STOCK)), "ceiling B, stock");
        assertEquals(bOpus, written(decide(kbps, calls, CEILING_B, WITH_OPUS)), "ceiling B, codec_opus");
    }

    @Test
    void everyCeilingCodecLeftOutIsExcludedWithItsCause() {
        PolicyEngine.Change c = decide(100, 1, CEILING_B, WITH_OPUS);
        assertEquals("93.0k", c.tier(), "tiers are named by the estimate they need: Opus 74.4 / 0.8 = 93 kbit/s");
        assertEquals(List.of("g722", "ulaw", "alaw", "g729"), c.excluded().stream().map(Exclusion::codec).toList());
        assertEquals(List.of(ExclusionCause.BANDWIDTH, ExclusionCause.BANDWIDTH, ExclusionCause.BANDWIDTH,
                ExclusionCause.NOT_TRANSCODABLE), c.excluded().stream().map(Exclusion::cause).toList());
        assertEquals("needs 87.2 kbit/s per call x 1 = 87.2 kbit/s, budget 80.0 kbit/s (estimate 100.0 kbit/s x 0.8)",
                c.excluded().get(1).detail());
        assertEquals(List.of("ulaw", "alaw", "g722", "gsm", "opus", "g729"), c.ceiling());
        assertEquals(WITH_OPUS, c.transcodable());
        assertEquals(109_000L, c.thresholds().get("g722"));
        assertEquals(93_000L, c.thresholds().get("opus"));
        assertEquals(45_500L, c.thresholds().get("gsm"));

        PolicyEngine.Change stock = decide(2000, 1, CEILING_B, STOCK);
        assertEquals(List.of(new Exclusion("opus", ExclusionCause.NOT_TRANSCODABLE,
                "no translation path to and from slin on this PBX (test)"), new Exclusion("g729",
                        ExclusionCause.NOT_TRANSCODABLE, "no translation path to and from slin on this PBX (test)")),
                stock.excluded());
    }

    @Test
    void noCodecFitsGivesTheLeanestAndSaysWhy() {
        PolicyEngine.Change c = decide(24, 1, CEILING_A, STOCK);
        assertEquals("no-codec-fits", c.tier());
        assertEquals(List.of("gsm"), c.codecs());
        assertEquals(List.of("g722", "ulaw", "alaw"), c.excluded().stream().map(Exclusion::codec).toList());
        assertEquals(true, c.text().contains("NO CODEC FITS: the leanest transcodable codec of the ceiling, gsm, "
                + "needs 45.5 kbit/s and is given anyway"), c.text());
    }

    @Test
    void aCeilingWithoutATranscodableCodecGetsNoDecision() {
        EndpointState s = EndpointState.fresh("pbx1", "1001", 3);
        Optional<PolicyEngine.Change> c = engine(1).apply(s, downlink(2_000_000), inputs(List.of("opus", "g729"), STOCK));
        assertEquals(Optional.empty(), c);
        assertEquals(EndpointStatus.NO_CODEC_FITS, s.status);
        assertEquals(true, s.noCodecFits);
        assertEquals(List.of(ExclusionCause.NOT_TRANSCODABLE, ExclusionCause.NOT_TRANSCODABLE),
                s.excluded.stream().map(Exclusion::cause).toList());
        assertEquals(true, s.note.startsWith("no codec of the ceiling opus,g729 can be transcoded"), s.note);
    }

    @Test
    void passThroughCodecsCountAsTranscodable() {
        EndpointState s = EndpointState.fresh("pbx1", "1001", 3);
        Inputs in = new Inputs(List.of("opus", "g729"), "USERS", STOCK, true, "assumed", List.of("g729"));
        PolicyEngine.Change c = engine(1).apply(s, downlink(40_000), in).orElseThrow();
        assertEquals(List.of("g729"), c.codecs(), "31.2 kbit/s fits 40 × 0.8 = 32 kbit/s");
        assertEquals(false, c.noCodecFits());
        assertEquals(List.of("adpcm", "alaw", "g722", "g726", "g726aal2", "g729", "gsm", "ilbc", "lpc10", "slin", "slin16",
                "speex", "speex16", "speex32", "ulaw"), c.transcodable());
        assertEquals(true, c.text().contains("transcodable assumed: assumed; pass-through g729"), c.text());
    }
}
