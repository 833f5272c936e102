package io.vbo.policy.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vbo.events.CodecProfiles;
import io.vbo.events.ProbeResult;
import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.events.ProbeResult.Protocol;
import io.vbo.events.VoiceLadder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Decisions from voice-rate ladders: K = 1, utilisation 0.8, 18 layer-2 bytes, ceiling ulaw,alaw,g722,gsm,opus,g729. */
class PolicyLadderTest {
    /** Tiers 109.0k (G.711/G.722), 93.0k (Opus), 45.5k (GSM), 39.0k (G.729), no-codec-fits. */
    private static final Inputs ALL_B = new Inputs(PolicyTableTest.CEILING_B, "FILE", PolicyTableTest.WITH_OPUS, false,
            "test", List.of("g729"));
    private static final List<VoiceLadder.Rung> RUNGS = VoiceLadder.rungs(CodecProfiles.defaults(true), 18);
    private Instant clock = Instant.parse("2026-11-26T10:00:00Z");

    private static PolicyEngine engine() {
        CodecTable codecs = CodecTable.defaults(true);
        return new PolicyEngine(null, new OverheadAware(codecs, 0.8, 1, 18, OverheadAware.DEFAULT_QUALITY_ORDER), codecs,
                new Hysteresis(2, 0.1), 3, 3, 2.0);
    }

    /** A ladder at {@code calls} whose first {@code passed} rungs passed and the next one (if any) failed. */
    private ProbeResult ladder(Direction direction, int calls, int passed) {
        clock = clock.plusSeconds(60);
        List<ProbeResult.Step> steps = new ArrayList<>();
        for (int i = 0; i <= passed && i < RUNGS.size(); i++) {
            VoiceLadder.Rung rung = RUNGS.get(i);
            boolean ok = i < passed;
            steps.add(new ProbeResult.Step(rung.codecs(), rung.packetBytes(), rung.packetizationMs(), 2,
                    rung.wireBps(0, calls), 100, ok ? 0.0 : 12.0, ok ? 0.3 : 9.0, ok ? 1.0 : 400.0, ok));
        }
        ProbeResult.Ladder l = new ProbeResult.Ladder(calls, steps, passed == 0 ? 0 : steps.get(passed - 1).bitsPerSecond());
        return new ProbeResult(1, UUID.randomUUID(), "pbx1", "1001", "10.231.0.2", direction, Protocol.LADDER,
                l.passedBps(), null, 0.3, 0.0, 40_000L, 9000, Outcome.OK, null, clock, l, null);
    }

    private ProbeResult tcp(Direction direction, long bps) {
        clock = clock.plusSeconds(60);
        return new ProbeResult(1, UUID.randomUUID(), "pbx1", "1001", "10.231.0.2", direction, Protocol.TCP, bps, 0,
                null, null, 40_000L, 3000, Outcome.OK, null, clock);
    }

    @Test
    void aLadderCountsAsTheNeedOfItsHighestPassingStep() {
        OverheadAware overhead = engine().overhead();
        // iLBC: (62 + 28 + 18) × 8 × 1000 / 30 = 28,800 bit/s ÷ 0.8
        assertEquals(36_000L, overhead.ladderEstimate(ladder(Direction.DOWNLINK, 1, 1).ladder()));
        // GSM: (45 + 46) × 8 × 50 = 36,400 ÷ 0.8
        assertEquals(45_500L, overhead.ladderEstimate(ladder(Direction.DOWNLINK, 1, 3).ladder()));
        // G.711: 87,200 ÷ 0.8
        assertEquals(109_000L, overhead.ladderEstimate(ladder(Direction.DOWNLINK, 1, 6).ladder()));
        assertEquals(0L, overhead.ladderEstimate(ladder(Direction.DOWNLINK, 1, 0).ladder()));
    }

    @Test
    void theWorseDirectionDecides() {
        PolicyEngine engine = engine();
        EndpointState s = EndpointState.fresh("pbx1", "1001", 3);
        Optional<PolicyEngine.Change> first = engine.apply(s, ladder(Direction.DOWNLINK, 1, 6), ALL_B);
        assertEquals("109.0k", first.orElseThrow().tier());
        Optional<PolicyEngine.Change> second = engine.apply(s, ladder(Direction.UPLINK, 1, 3), ALL_B);
        assertEquals("45.5k", second.orElseThrow().tier(), "500k down / 64k up: the uplink decides");
        assertEquals(List.of("gsm", "g729"), second.get().codecs());
        assertEquals(109_000L, s.downlinkBps);
        assertEquals(45_500L, s.uplinkBps);
        assertEquals(45_500L, s.estimateBps);
        assertTrue(second.get().text().startsWith("downgrade from 109.0k"), second.get().text());
    }

    @Test
    void noPassingStepIsNoCodecFits() {
        PolicyEngine engine = engine();
        EndpointState s = EndpointState.fresh("pbx1", "1001", 3);
        Optional<PolicyEngine.Change> change = engine.apply(s, ladder(Direction.DOWNLINK, 1, 0), ALL_B);
        assertEquals("no-codec-fits", change.orElseThrow().tier());
        assertEquals(List.of("g729"), change.get().codecs());
        assertEquals(0L, s.estimateBps);
    }

    @Test
    void aLadderUpgradesWithoutTheMarginATcpEstimateNeeds() {
        PolicyEngine engine = engine();
        EndpointState s = EndpointState.fresh("pbx1", "1001", 3);
        engine.apply(s, ladder(Direction.DOWNLINK, 1, 3), ALL_B);
        engine.apply(s, ladder(Direction.UPLINK, 1, 3), ALL_B);
        assertEquals("45.5k", s.tier);
        // Opus passes from now on: medians 69,250 / 45,500, then 93,000 / 69,250, then 93,000 / 93,000 twice.
        List<Optional<PolicyEngine.Change>> changes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            changes.add(engine.apply(s, ladder(Direction.DOWNLINK, 1, 5), ALL_B));
            changes.add(engine.apply(s, ladder(Direction.UPLINK, 1, 5), ALL_B));
        }
        assertEquals(List.of(false, false, false, false, true, false),
                changes.stream().map(Optional::isPresent).toList());
        assertEquals("93.0k", s.tier);
        assertEquals(List.of("opus", "gsm", "g729"), s.codecs);
        assertTrue(changes.get(4).orElseThrow().text().startsWith("upgrade from 45.5k"), changes.get(4).get().text());

        // The same 93,000 bit/s from TCP never clears 93,000 × 1.1.
        EndpointState t = EndpointState.fresh("pbx1", "1002", 3);
        engine.apply(t, tcp(Direction.DOWNLINK, 45_500), ALL_B);
        for (int i = 0; i < 4; i++) {
            engine.apply(t, tcp(Direction.DOWNLINK, 93_000), ALL_B);
        }
        assertEquals("45.5k", t.tier);
    }

    @Test
    void aLinkThatDropsIsDecidedOnTheFirstLadderThatShowsItAndRisesTakeTheMedian() {
        PolicyEngine engine = engine();
        EndpointState s = EndpointState.fresh("pbx1", "1001", 3);
        for (int i = 0; i < 3; i++) {
            engine.apply(s, ladder(Direction.DOWNLINK, 1, 6), ALL_B);
            engine.apply(s, ladder(Direction.UPLINK, 1, 6), ALL_B);
        }
        assertEquals("109.0k", s.tier);
        // Reshaped to 40 kbit/s: the next downlink ladder passes G.729 only. The median is still 109,000.
        Optional<PolicyEngine.Change> drop = engine.apply(s, ladder(Direction.DOWNLINK, 1, 2), ALL_B);
        assertEquals(List.of(109_000.0, 109_000.0, 39_000.0), s.downlink.values());
        assertEquals(39_000L, s.downlinkBps, "G.729: 31,200 ÷ 0.8");
        assertEquals("39.0k", drop.orElseThrow().tier(), "downgraded on the first ladder, not the third");
        assertEquals(39_000L, drop.get().estimateBps());
        // Back to 2 Mbit/s: the median (109,000) and the hysteresis' two estimates in a row, not one lucky ladder.
        assertEquals(Optional.empty(), engine.apply(s, ladder(Direction.DOWNLINK, 1, 6), ALL_B));
        assertEquals(109_000L, s.downlinkBps);
        Optional<PolicyEngine.Change> rise = engine.apply(s, ladder(Direction.DOWNLINK, 1, 6), ALL_B);
        assertEquals("109.0k", rise.orElseThrow().tier());
        assertTrue(rise.get().text().startsWith("upgrade from 39.0k"), rise.get().text());
    }

    @Test
    void aTcpFigureRightAfterALadderIsKeptOutOfTheWindowAndTheLadderStillDecides() {
        PolicyEngine engine = engine();
        EndpointState s = EndpointState.fresh("pbx1", "1001", 3);
        engine.apply(s, ladder(Direction.DOWNLINK, 1, 3), ALL_B);
        engine.apply(s, ladder(Direction.UPLINK, 1, 3), ALL_B);
        assertEquals("45.5k", s.tier);
        // An operator's TCP probe on the thin link reads 36 kbit/s down (TCP reads low there) and 40 kbit/s up.
        assertEquals(Optional.empty(), engine.apply(s, tcp(Direction.DOWNLINK, 36_000), ALL_B));
        assertEquals(Optional.empty(), engine.apply(s, tcp(Direction.UPLINK, 40_000), ALL_B));
        assertEquals("45.5k", s.tier, "a capacity figure does not downgrade what the ladder found");
        assertEquals(List.of(45_500.0), s.downlink.values());
        assertEquals(CapacityKind.LADDER_THEN_TCP, s.downlinkKind);
        // profiles=ladder,tcp: the next ladder goes on with the same window.
        engine.apply(s, ladder(Direction.DOWNLINK, 1, 3), ALL_B);
        assertEquals(List.of(45_500.0, 45_500.0), s.downlink.values());
        assertEquals(CapacityKind.LADDER, s.downlinkKind);
    }

    @Test
    void twoTcpResultsInARowMeanTheProfileIsTcpAgainAndTheWindowStartsOver() {
        PolicyEngine engine = engine();
        EndpointState s = EndpointState.fresh("pbx1", "1001", 3);
        engine.apply(s, ladder(Direction.DOWNLINK, 1, 6), ALL_B);
        engine.apply(s, ladder(Direction.UPLINK, 1, 6), ALL_B);
        assertEquals("109.0k", s.tier);
        engine.apply(s, tcp(Direction.DOWNLINK, 40_000), ALL_B);
        engine.apply(s, tcp(Direction.UPLINK, 40_000), ALL_B);
        assertEquals("109.0k", s.tier);
        Optional<PolicyEngine.Change> change = engine.apply(s, tcp(Direction.DOWNLINK, 40_000), ALL_B);
        assertEquals(List.of(40_000.0), s.downlink.values(), "no ladder estimate left in a TCP window");
        assertEquals(40_000L, change.orElseThrow().estimateBps());
        assertEquals("39.0k", change.get().tier(), "40 kbit/s by TCP: G.729 (39.0k) is the best that fits");
        engine.apply(s, tcp(Direction.UPLINK, 40_000), ALL_B);
        assertEquals(List.of(40_000.0), s.uplink.values());
        assertEquals(CapacityKind.TCP, s.uplinkKind);
        // And back: the first ladder replaces the TCP values instead of joining their median.
        engine.apply(s, ladder(Direction.DOWNLINK, 1, 6), ALL_B);
        assertEquals(List.of(109_000.0), s.downlink.values());
    }

    @Test
    void tcpValuesSavedBeforeKindsWereKeptAreNotMixedWithTheFirstLadder() {
        EndpointState s = new EndpointState("pbx1", "1001", 3, List.of(2_000_000, 2_000_000), List.of(1_000_000),
                null, null);
        engine().apply(s, ladder(Direction.DOWNLINK, 1, 3), ALL_B);
        assertEquals(List.of(45_500.0), s.downlink.values());
        assertEquals(List.of(1_000_000.0), s.uplink.values());
    }

    @Test
    void aLadderRunAtAnotherKIsScaledByBandwidth() {
        PolicyEngine engine = engine();
        EndpointState s = EndpointState.fresh("pbx1", "1001", 3);
        // Two G.729 calls passed: 2 × 31,200 = 62,400 ÷ 0.8 = 78,000: one GSM call fits, one Opus call (93,000) not.
        Optional<PolicyEngine.Change> change = engine.apply(s, ladder(Direction.DOWNLINK, 2, 2), ALL_B);
        assertEquals(78_000L, s.downlinkBps);
        assertEquals("45.5k", change.orElseThrow().tier());
    }

    @Test
    void aLadderFoldsItsTopStepsLossAndJitter() {
        PolicyEngine engine = engine();
        EndpointState s = EndpointState.fresh("pbx1", "1001", 3);
        engine.apply(s, ladder(Direction.DOWNLINK, 1, 3), ALL_B);
        assertEquals(0.0, s.lossPercent);
        assertEquals(0.3, s.jitterMs);
    }
}
