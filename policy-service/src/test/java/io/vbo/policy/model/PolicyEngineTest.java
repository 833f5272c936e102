package io.vbo.policy.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vbo.events.ProbeResult;
import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.events.ProbeResult.Protocol;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PolicyEngineTest {
    private Instant clock = Instant.parse("2026-11-26T10:00:00Z");

    /** Ceiling ulaw,alaw,g722,gsm on a stock PBX (tiers 109.0k, 45.5k, no-codec-fits). */
    private static final Inputs STOCK_A = new Inputs(PolicyTableTest.CEILING_A, "FILE", PolicyTableTest.STOCK, false,
            "test", List.of());
    /** Every codec of ceiling B transcodable (a PBX with codec_opus and codec_g729). */
    private static final Inputs ALL_B = new Inputs(PolicyTableTest.CEILING_B, "FILE", PolicyTableTest.WITH_OPUS, false,
            "test", List.of("g729"));
    private static final Inputs NO_CEILING = new Inputs(null, null, PolicyTableTest.STOCK, true, "assumed", List.of());

    private static PolicyEngine engine(boolean g711Plc) {
        CodecTable codecs = CodecTable.defaults(g711Plc);
        return new PolicyEngine(null, new OverheadAware(codecs, 0.8, 1, 18, OverheadAware.DEFAULT_QUALITY_ORDER), codecs,
                new Hysteresis(2, 0.1), 3, 3, 2.0);
    }

    private static PolicyEngine seed() {
        CodecTable codecs = CodecTable.defaults(true);
        return new PolicyEngine(TierTable.seedCompatible(TierTable.seedTiers()),
                new OverheadAware(codecs, 0.8, 1, 18, OverheadAware.DEFAULT_QUALITY_ORDER), codecs,
                new Hysteresis(2, 0.1), 3, 3, 2.0);
    }

    private ProbeResult tcp(Direction direction, long bps) {
        clock = clock.plusSeconds(60);
        return new ProbeResult(1, UUID.randomUUID(), "pbx1", "1001", "10.231.0.2", direction, Protocol.TCP, bps, 0,
                null, null, 40_000L, 3000, Outcome.OK, null, clock);
    }

    private ProbeResult udp(double loss, double jitter) {
        clock = clock.plusSeconds(60);
        return new ProbeResult(1, UUID.randomUUID(), "pbx1", "1001", "10.231.0.2", Direction.DOWNLINK, Protocol.UDP,
                90_000L, null, jitter, loss, 40_000L, 3000, Outcome.OK, null, clock);
    }

    private ProbeResult failed(Outcome outcome) {
        clock = clock.plusSeconds(60);
        return new ProbeResult(1, UUID.randomUUID(), "pbx1", "1001", "10.231.0.2", Direction.DOWNLINK, Protocol.TCP,
                null, null, null, null, null, 3000, outcome, "refused", clock);
    }

    @Test
    void estimateIsTheSmallerDirectionAndTheFirstEstimateDecides() {
        PolicyEngine engine = engine(true);
        EndpointState s = EndpointState.fresh("pbx1", "1001", 3);
        Optional<PolicyEngine.Change> first = engine.apply(s, tcp(Direction.DOWNLINK, 2_000_000), STOCK_A);
        assertEquals("109.0k", first.orElseThrow().tier());
        assertNull(first.get().previousTier());
        Optional<PolicyEngine.Change> second = engine.apply(s, tcp(Direction.UPLINK, 33_000), STOCK_A);
        assertEquals("no-codec-fits", second.orElseThrow().tier(), "a call needs both directions");
        assertEquals(33_000L, s.estimateBps);
        assertEquals("109.0k", second.get().previousTier());
        assertTrue(second.get().text().contains("downgrade from 109.0k"), second.get().text());
        assertEquals(EndpointStatus.NO_CODEC_FITS, s.status);
    }

    @Test
    void oneOutlierDoesNotMoveTheMedian() {
        PolicyEngine engine = engine(true);
        EndpointState s = EndpointState.fresh("pbx1", "1001", 3);
        engine.apply(s, tcp(Direction.DOWNLINK, 144_000), STOCK_A);
        engine.apply(s, tcp(Direction.DOWNLINK, 150_000), STOCK_A);
        assertEquals("109.0k", s.tier);
        assertTrue(engine.apply(s, tcp(Direction.DOWNLINK, 20_000), STOCK_A).isEmpty(), "one low outlier");
        assertEquals(144_000L, s.estimateBps);
        assertEquals("109.0k", s.tier);
        Optional<PolicyEngine.Change> confirmed = engine.apply(s, tcp(Direction.DOWNLINK, 21_000), STOCK_A);
        assertEquals("no-codec-fits", confirmed.orElseThrow().tier(), "a second low result confirms the drop");
    }

    @Test
    void failuresNeverChangeTheTierAndMarkTheEndpointUnmeasured() {
        PolicyEngine engine = engine(true);
        EndpointState s = EndpointState.fresh("pbx1", "1001", 3);
        engine.apply(s, tcp(Direction.DOWNLINK, 150_000), STOCK_A);
        assertEquals(EndpointStatus.MEASURED, s.status);
        assertTrue(engine.apply(s, failed(Outcome.UNREACHABLE), STOCK_A).isEmpty());
        assertTrue(engine.apply(s, failed(Outcome.TIMEOUT), STOCK_A).isEmpty());
        assertEquals(EndpointStatus.MEASURED, s.status);
        assertTrue(engine.apply(s, failed(Outcome.ERROR), STOCK_A).isEmpty());
        assertEquals(EndpointStatus.UNMEASURED, s.status);
        assertEquals("109.0k", s.tier);
        assertEquals(150_000L, s.estimateBps);
        engine.apply(s, tcp(Direction.DOWNLINK, 150_000), STOCK_A);
        assertEquals(EndpointStatus.MEASURED, s.status);
        assertEquals(0, s.consecutiveFailures);
    }

    @Test
    void deferredProbesAreNotFailures() {
        PolicyEngine engine = engine(true);
        EndpointState s = EndpointState.fresh("pbx1", "1001", 3);
        for (int i = 0; i < 5; i++) {
            engine.apply(s, failed(Outcome.DEFERRED_ACTIVE_CALL), STOCK_A);
        }
        assertEquals(EndpointStatus.PENDING, s.status);
        assertEquals(0, s.consecutiveFailures);
        assertEquals("DEFERRED_ACTIVE_CALL", s.lastOutcome);
    }

    @Test
    void withoutQualityDataTheQualityOrderStands() {
        PolicyEngine engine = engine(false);
        EndpointState s = EndpointState.fresh("pbx1", "1001", 3);
        PolicyEngine.Change c = engine.apply(s, tcp(Direction.DOWNLINK, 2_000_000), ALL_B).orElseThrow();
        assertEquals(List.of("g722", "ulaw", "alaw", "opus", "gsm", "g729"), c.codecs());
        assertNull(c.mos());
    }

    @Test
    void eModelReordersOnlyTheCodecsItCanRate() {
        EndpointState clean = EndpointState.fresh("pbx1", "1001", 3);
        PolicyEngine plc = engine(true);
        plc.apply(clean, udp(0, 1), ALL_B);
        PolicyEngine.Change c = plc.apply(clean, tcp(Direction.DOWNLINK, 2_000_000), ALL_B).orElseThrow();
        assertEquals(List.of("g722", "ulaw", "alaw", "opus", "gsm", "g729"), c.codecs(),
                "G.711 (MOS 4.41) before G.729 (4.10); G.722, Opus, GSM are not rated and keep their places");
        assertNull(c.mos(), "G.722 leads and the narrowband E-model does not rate it");

        EndpointState lossy = EndpointState.fresh("pbx1", "1002", 3);
        PolicyEngine noPlc = engine(false);
        noPlc.apply(lossy, udp(5, 1), ALL_B);
        PolicyEngine.Change l = noPlc.apply(lossy, tcp(Direction.DOWNLINK, 2_000_000), ALL_B).orElseThrow();
        assertEquals(List.of("g722", "g729", "ulaw", "opus", "gsm", "alaw"), l.codecs(),
                "G.711 without PLC suffers more from 5 % loss than G.729A: G.729 takes the first rated place");
    }

    @Test
    void withoutACeilingNothingIsDecidedUntilItArrives() {
        PolicyEngine engine = engine(true);
        EndpointState s = EndpointState.fresh("pbx1", "1001", 3);
        assertTrue(engine.apply(s, tcp(Direction.DOWNLINK, 150_000), NO_CEILING).isEmpty());
        assertEquals(EndpointStatus.AWAITING_CEILING, s.status);
        assertNull(s.tier);
        assertTrue(s.note.startsWith("awaiting the endpoint's ceiling"), s.note);
        PolicyEngine.Change c = engine.redecide(s, STOCK_A).orElseThrow();
        assertEquals(List.of("g722", "ulaw", "alaw", "gsm"), c.codecs());
        assertTrue(c.text().startsWith("first decision"), c.text());
        assertEquals(EndpointStatus.MEASURED, s.status);
        assertNull(s.note);
    }

    @Test
    void aNewCeilingKeepsTheTierWhenItStillExists() {
        PolicyEngine engine = engine(true);
        EndpointState s = EndpointState.fresh("pbx1", "1001", 3);
        engine.apply(s, tcp(Direction.DOWNLINK, 150_000), STOCK_A);
        Inputs narrower = new Inputs(List.of("gsm", "ulaw"), "ADMIN", PolicyTableTest.STOCK, false, "test", List.of());
        PolicyEngine.Change c = engine.redecide(s, narrower).orElseThrow();
        assertEquals("109.0k", c.tier());
        assertEquals(List.of("ulaw", "gsm"), c.codecs());
        assertTrue(c.text().startsWith("ceiling or transcodable set changed"), c.text());
        assertTrue(engine.redecide(s, narrower).isEmpty(), "the same inputs again change nothing");
    }

    @Test
    void aCodecHeldBackByHysteresisSaysSo() {
        PolicyEngine engine = engine(true);
        EndpointState s = EndpointState.fresh("pbx1", "1001", 3);
        engine.apply(s, tcp(Direction.DOWNLINK, 60_000), STOCK_A);
        engine.apply(s, tcp(Direction.DOWNLINK, 60_000), STOCK_A);
        assertEquals("45.5k", s.tier);
        assertTrue(engine.apply(s, tcp(Direction.DOWNLINK, 125_000), STOCK_A).isEmpty(), "median still 60 kbit/s");
        assertTrue(engine.apply(s, tcp(Direction.DOWNLINK, 125_000), STOCK_A).isEmpty(), "first estimate above the margin");
        assertEquals("45.5k", s.tier);
        assertTrue(s.excluded.get(0).detail().endsWith("fits the estimate but an upgrade needs 2 estimates at need + 10 %"),
                s.excluded.get(0).detail());
        assertEquals("109.0k", engine.apply(s, tcp(Direction.DOWNLINK, 125_000), STOCK_A).orElseThrow().tier());
    }

    @Test
    void seedCompatibleIsTheOriginalAndIgnoresTheCeiling() {
        PolicyEngine engine = seed();
        EndpointState s = EndpointState.fresh("pbx1", "1001", 3);
        PolicyEngine.Change c = engine.apply(s, tcp(Direction.DOWNLINK, 40_000), NO_CEILING).orElseThrow();
        assertEquals("medium", c.tier());
        assertEquals(List.of("g729", "opus", "ulaw", "alaw", "gsm"), c.codecs());
        assertEquals(EndpointStatus.MEASURED, s.status, "no ceiling needed");
        assertTrue(engine.redecide(s, STOCK_A).isEmpty(), "a ceiling changes nothing for the original");
    }
}
