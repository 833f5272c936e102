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

    private static PolicyEngine engine(boolean g711Plc) {
        CodecTable codecs = CodecTable.defaults(g711Plc);
        TierTable tiers = TierTable.overheadAware(TierTable.overheadAwareTiers(), codecs, 0.8, 1, 18);
        return new PolicyEngine(tiers, codecs, new Hysteresis(2, 0.1), 3, 3, 2.0, 0.8, 1, 18);
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
        Optional<PolicyEngine.Change> first = engine.apply(s, tcp(Direction.DOWNLINK, 2_000_000));
        assertEquals("high", first.orElseThrow().tier());
        assertNull(first.get().previousTier());
        Optional<PolicyEngine.Change> second = engine.apply(s, tcp(Direction.UPLINK, 33_000));
        assertEquals("low", second.orElseThrow().tier(), "a call needs both directions");
        assertEquals(33_000L, s.estimateBps);
        assertEquals("high", second.get().previousTier());
        assertTrue(second.get().text().contains("downgrade from high"), second.get().text());
    }

    @Test
    void oneOutlierDoesNotMoveTheMedian() {
        PolicyEngine engine = engine(true);
        EndpointState s = EndpointState.fresh("pbx1", "1001", 3);
        engine.apply(s, tcp(Direction.DOWNLINK, 144_000));
        engine.apply(s, tcp(Direction.DOWNLINK, 150_000));
        assertEquals("high", s.tier);
        assertTrue(engine.apply(s, tcp(Direction.DOWNLINK, 20_000)).isEmpty(), "one low outlier");
        assertEquals(144_000L, s.estimateBps);
        assertEquals("high", s.tier);
        Optional<PolicyEngine.Change> confirmed = engine.apply(s, tcp(Direction.DOWNLINK, 21_000));
        assertEquals("low", confirmed.orElseThrow().tier(), "a second low result confirms the drop");
    }

    @Test
    void failuresNeverChangeTheTierAndMarkTheEndpointUnmeasured() {
        PolicyEngine engine = engine(true);
        EndpointState s = EndpointState.fresh("pbx1", "1001", 3);
        engine.apply(s, tcp(Direction.DOWNLINK, 150_000));
        assertEquals(EndpointStatus.MEASURED, s.status);
        assertTrue(engine.apply(s, failed(Outcome.UNREACHABLE)).isEmpty());
        assertTrue(engine.apply(s, failed(Outcome.TIMEOUT)).isEmpty());
        assertEquals(EndpointStatus.MEASURED, s.status);
        assertTrue(engine.apply(s, failed(Outcome.ERROR)).isEmpty());
        assertEquals(EndpointStatus.UNMEASURED, s.status);
        assertEquals("high", s.tier);
        assertEquals(150_000L, s.estimateBps);
        engine.apply(s, tcp(Direction.DOWNLINK, 150_000));
        assertEquals(EndpointStatus.MEASURED, s.status);
        assertEquals(0, s.consecutiveFailures);
    }

    @Test
    void deferredProbesAreNotFailures() {
        PolicyEngine engine = engine(true);
        EndpointState s = EndpointState.fresh("pbx1", "1001", 3);
        for (int i = 0; i < 5; i++) {
            engine.apply(s, failed(Outcome.DEFERRED_ACTIVE_CALL));
        }
        assertEquals(EndpointStatus.PENDING, s.status);
        assertEquals(0, s.consecutiveFailures);
        assertEquals("DEFERRED_ACTIVE_CALL", s.lastOutcome);
    }

    @Test
    void withoutQualityDataTheConfiguredOrderStands() {
        PolicyEngine engine = engine(false);
        EndpointState s = EndpointState.fresh("pbx1", "1001", 3);
        PolicyEngine.Change c = engine.apply(s, tcp(Direction.DOWNLINK, 2_000_000)).orElseThrow();
        assertEquals(List.of("ulaw", "alaw", "opus", "g729", "gsm"), c.codecs());
        assertNull(c.mos());
    }

    @Test
    void eModelRanksFittingCodecsByPredictedQuality() {
        EndpointState clean = EndpointState.fresh("pbx1", "1001", 3);
        PolicyEngine plc = engine(true);
        plc.apply(clean, udp(0, 1));
        PolicyEngine.Change c = plc.apply(clean, tcp(Direction.DOWNLINK, 2_000_000)).orElseThrow();
        assertEquals(List.of("ulaw", "alaw", "g729", "opus", "gsm"), c.codecs(), "rated codecs first, by MOS");
        assertEquals(4.41, c.mos(), 0.01);

        EndpointState lossy = EndpointState.fresh("pbx1", "1002", 3);
        PolicyEngine noPlc = engine(false);
        noPlc.apply(lossy, udp(5, 1));
        PolicyEngine.Change l = noPlc.apply(lossy, tcp(Direction.DOWNLINK, 2_000_000)).orElseThrow();
        assertEquals("g729", l.codecs().get(0), "G.711 without PLC suffers more from 5 % loss than G.729A");
        assertTrue(l.mos() < 4.0, "MOS " + l.mos());
    }

    @Test
    void codecsThatDoNotFitAreNotRankedFirst() {
        PolicyEngine engine = engine(true);
        EndpointState s = EndpointState.fresh("pbx1", "1001", 3);
        engine.apply(s, udp(0, 1));
        PolicyEngine.Change c = engine.apply(s, tcp(Direction.DOWNLINK, 45_000)).orElseThrow();
        assertEquals("medium", c.tier());
        assertEquals(List.of("g729", "opus", "gsm", "ulaw", "alaw"), c.codecs(),
                "G.711 rates higher but needs 109 kbit/s: it stays behind");
    }
}
