package io.vbo.policy.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vbo.events.CallQuality;
import io.vbo.events.ProbeResult;
import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.events.ProbeResult.Protocol;
import io.vbo.policy.model.CallEvidence.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Calls as evidence: the verdict on one call, and what bad and good calls do to an endpoint's tier. */
class CallEvidenceTest {
    /** Ceiling ulaw,alaw,g722,gsm on a stock PBX: tiers 109.0k (g722,ulaw,alaw,gsm), 45.5k (gsm), no-codec-fits. */
    private static final Inputs STOCK_A = new Inputs(PolicyTableTest.CEILING_A, "FILE", PolicyTableTest.STOCK, false,
            "test", List.of());

    private final CodecTable codecs = CodecTable.defaults(true);
    private final CallEvidence evidence = new CallEvidence(CallEvidence.Rules.DEFAULT, codecs, 2.0);
    private final PolicyEngine engine = new PolicyEngine(null,
            new OverheadAware(codecs, 0.8, 1, 18, OverheadAware.DEFAULT_QUALITY_ORDER), codecs, new Hysteresis(2, 0.1),
            3, 3, 2.0, evidence);
    private Instant clock = Instant.parse("2026-12-01T10:00:00Z");

    /** A 60 s call with six RTCP reports. */
    private static CallQuality.Summary call(double loss, double jitterMs, double rttMs) {
        return new CallQuality.Summary(60_000, CallQuality.MediaPath.RTCP, 6, 6000L, loss, loss, loss, jitterMs,
                jitterMs, rttMs, null, 16);
    }

    private static final CallQuality.Summary LOSSY = call(8, 40, 150);
    private static final CallQuality.Summary CLEAN = call(0.2, 2, 20);

    private ProbeResult probe(Outcome outcome, Long bps, Long rttMicros) {
        clock = clock.plusSeconds(60);
        return new ProbeResult(1, UUID.randomUUID(), "pbx1", "1001", "10.231.0.2", Direction.DOWNLINK, Protocol.TCP,
                bps, outcome == Outcome.OK ? 0 : null, null, null, rttMicros, 3000, outcome,
                outcome == Outcome.OK ? null : "unable to connect to server: Connection refused", clock);
    }

    private Optional<PolicyEngine.Change> call(EndpointState s, String codec, CallQuality.Summary summary) {
        return engine.applyCall(s, codec, summary, evidence.judge(summary, codec, s.rttMicros), STOCK_A);
    }

    @Test
    void eightPercentLossOnG711With150msRoundTripIsBelowTheTarget() {
        CallEvidence.Judgement j = evidence.judge(LOSSY, "ulaw", null);
        assertEquals(Verdict.BAD, j.verdict());
        assertEquals(3.559, j.mos(), 0.001);
        assertEquals("ulaw call, loss 8.0 %, jitter 40.0 ms, RTT 150 ms, MOS 3.56: below the MOS target 3.6", j.text());
        assertEquals(Verdict.GOOD, evidence.judge(CLEAN, "ulaw", null).verdict());
        assertEquals(4.39, evidence.judge(CLEAN, "ulaw", null).mos(), 0.005, "Ie,eff 0.75, R 92.45");
    }

    @Test
    void unratedCodecsAreJudgedAsG711AndUnmeasuredOrShortCallsAreNoEvidence() {
        CallEvidence.Judgement g722 = evidence.judge(LOSSY, "g722", null);
        assertEquals(Verdict.BAD, g722.verdict());
        assertTrue(g722.text().endsWith("MOS 3.56 (rated as ulaw): below the MOS target 3.6"), g722.text());
        CallQuality.Summary unmeasured = new CallQuality.Summary(30_000, CallQuality.MediaPath.NOT_MEASURED, 0, null,
                null, null, null, null, null, null, null, 16);
        assertEquals(Verdict.NEUTRAL, evidence.judge(unmeasured, "ulaw", null).verdict());
        CallQuality.Summary oneReport = new CallQuality.Summary(4_000, CallQuality.MediaPath.RTCP, 1, 200L, 30.0, null,
                30.0, 5.0, 5.0, 20.0, 2.4, 16);
        assertEquals(Verdict.NEUTRAL, evidence.judge(oneReport, "ulaw", null).verdict());
    }

    @Test
    void explicitLimitsMakeACallBadWhateverItsMos() {
        CallEvidence strict = new CallEvidence(new CallEvidence.Rules(3.6, 2.0, 30.0, 2, 2, 1), codecs, 2.0);
        CallEvidence.Judgement loss = strict.judge(call(3, 2, 20), "ulaw", null);
        assertEquals(Verdict.BAD, loss.verdict());
        assertEquals(4.13, loss.mos(), 0.005, "3 % on G.711 with PLC: Ie,eff 10.14, R 83.06, above the target");
        assertTrue(loss.text().endsWith("loss above the limit 2.0 %"), loss.text());
        assertEquals(Verdict.BAD, strict.judge(call(0, 35, 20), "ulaw", null).verdict());
        assertEquals(Verdict.GOOD, strict.judge(call(1, 10, 20), "ulaw", null).verdict());
    }

    @Test
    void twoBadCallsInARowDowngradeOneTierAndCapProbeUpgradesUntilGoodCalls() {
        EndpointState s = EndpointState.fresh("pbx1", "1001", 3);
        s.ceiling = PolicyTableTest.CEILING_A;
        engine.apply(s, probe(Outcome.OK, 2_000_000L, 40_000L), STOCK_A);
        assertEquals("109.0k", s.tier);
        assertEquals(Optional.empty(), call(s, "ulaw", LOSSY), "one bad call is not enough");
        assertEquals(Optional.empty(), call(s, "ulaw", CLEAN), "a good call in between resets the count");
        assertEquals(Optional.empty(), call(s, "ulaw", LOSSY));
        PolicyEngine.Change down = call(s, "ulaw", LOSSY).orElseThrow();
        assertEquals("45.5k", down.tier());
        assertEquals("109.0k", down.previousTier());
        assertEquals(List.of("gsm"), down.codecs());
        assertEquals(2_000_000L, down.estimateBps());
        assertTrue(down.text().startsWith("downgrade from 109.0k after 2 bad calls in a row: last call: ulaw call, "
                + "loss 8.0 %"), down.text());
        assertEquals("45.5k", s.callCap);
        assertEquals(EndpointStatus.MEASURED, s.status);

        // Probes still clear 109.0k, but the calls' cap holds.
        assertEquals(Optional.empty(), engine.apply(s, probe(Outcome.OK, 2_000_000L, 40_000L), STOCK_A));
        assertEquals(Optional.empty(), engine.apply(s, probe(Outcome.OK, 2_000_000L, 40_000L), STOCK_A));
        assertEquals("45.5k", s.tier);
        assertEquals("g722: needs 87.2 kbit/s per call x 1 = 87.2 kbit/s, budget 1600.0 kbit/s (estimate 2000.0 kbit/s "
                + "x 0.8); fits the estimate but calls cap the endpoint at tier 45.5k until 2 good calls in a row",
                s.excluded.get(0).codec() + ": " + s.excluded.get(0).detail());

        assertEquals(Optional.empty(), call(s, "ulaw", CLEAN), "a ulaw call ran before the downgrade: no evidence");
        assertEquals(Optional.empty(), call(s, "gsm", CLEAN));
        assertEquals(Optional.empty(), call(s, "gsm", CLEAN), "a measured endpoint is upgraded by its probes");
        assertNull(s.callCap, "two good calls lift the cap");
        engine.apply(s, probe(Outcome.OK, 2_000_000L, 40_000L), STOCK_A);
        PolicyEngine.Change up = engine.apply(s, probe(Outcome.OK, 2_000_000L, 40_000L), STOCK_A).orElseThrow();
        assertEquals("109.0k", up.tier());
    }

    @Test
    void anEndpointWithoutIperf3ServerIsPassiveAndDecidedFromItsCalls() {
        EndpointState s = EndpointState.fresh("pbx1", "1001", 3);
        s.ceiling = PolicyTableTest.CEILING_A;
        assertEquals(Optional.empty(), engine.apply(s, probe(Outcome.UNREACHABLE, null, null), STOCK_A),
                "no qualify RTT: the contact itself may be down");
        assertFalse(s.passive);
        assertEquals(EndpointStatus.PENDING, s.status);

        PolicyEngine.Change first = engine.apply(s, probe(Outcome.UNREACHABLE, null, 30_000L), STOCK_A).orElseThrow();
        assertEquals(EndpointStatus.PASSIVE, s.status);
        assertEquals("109.0k", first.tier());
        assertEquals(List.of("g722", "ulaw", "alaw", "gsm"), first.codecs());
        assertNull(first.estimateBps());
        assertTrue(first.text().startsWith("first decision (PASSIVE: the best tier of the ceiling; calls take it down): "
                + "no iperf3 server (probe port unreachable, contact reachable): decided from calls and qualify RTT → "
                + "g722,ulaw,alaw,gsm (tier 109.0k); ceiling ulaw,alaw,g722,gsm (FILE)"), first.text());

        assertEquals(Optional.empty(), engine.apply(s, probe(Outcome.UNREACHABLE, null, 30_000L), STOCK_A),
                "further refusals change nothing");
        call(s, "g722", LOSSY);
        PolicyEngine.Change down = call(s, "g722", LOSSY).orElseThrow();
        assertEquals("45.5k", down.tier());
        assertEquals(List.of("gsm"), down.codecs());
        assertEquals("g722: needs 109.0 kbit/s of link; no capacity estimate, calls cap the endpoint at tier 45.5k "
                + "until 2 good calls in a row", s.excluded.get(0).codec() + ": " + s.excluded.get(0).detail());
        assertEquals(EndpointStatus.PASSIVE, s.status);
        assertEquals(8.0, s.lossPercent, 1e-9, "the calls' loss feeds the E-model window");

        call(s, "gsm", LOSSY);
        assertEquals(Optional.empty(), call(s, "gsm", LOSSY), "never below the leanest tier into no-codec-fits");
        assertEquals("45.5k", s.tier);

        assertEquals(Optional.empty(), call(s, "gsm", CLEAN));
        PolicyEngine.Change up = call(s, "gsm", CLEAN).orElseThrow();
        assertEquals("109.0k", up.tier());
        assertTrue(up.text().startsWith("upgrade from 45.5k after 2 good calls in a row (PASSIVE: no probe can "
                + "upgrade it)"), up.text());
        assertNull(s.callCap);

        engine.apply(s, probe(Outcome.OK, 40_000L, 30_000L), STOCK_A);
        assertFalse(s.passive, "a successful probe ends PASSIVE");
        assertEquals(EndpointStatus.NO_CODEC_FITS, s.status);
    }
}
