package io.vbo.probe.iperf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.vbo.events.CodecProfiles;
import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.events.ProbeResult.Step;
import io.vbo.events.VoiceLadder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ladder's re-runs, with iperf3 replaced by scripted verdicts (the real runs on shaped links are
 * {@code LadderDecisionTest}'s): a failing run counts only when every re-run fails too.
 */
class LadderProbeTest {
    private static final List<VoiceLadder.Rung> RUNGS = VoiceLadder.rungs(CodecProfiles.defaults(true), 18);
    private static final LadderProbe.Limits LIMITS = new LadderProbe.Limits(2.0, 30, 100);
    private static final ProbeSpec SPEC = ProbeSpec.ladder("10.231.9.2", 5201, Direction.DOWNLINK, 2, 1);

    /** iperf3 stand-in: each run takes the next scripted verdict (pass when none is left) and records its spec. */
    private static final class Scripted extends Iperf3Runner {
        final Deque<Boolean> verdicts = new ArrayDeque<>();
        final List<ProbeSpec> runs = new ArrayList<>();

        Scripted(Boolean... verdicts) {
            super("iperf3", Duration.ofSeconds(1), Duration.ofSeconds(1));
            this.verdicts.addAll(List.of(verdicts));
        }

        /** Runs (1-based) that find the server's port closed, as iperf3 -s between two tests. */
        final java.util.Set<Integer> refused = new java.util.HashSet<>();

        @Override
        public Measurement run(ProbeSpec spec, StopSignal stop) {
            if (stop.given()) {
                return super.run(spec, stop);
            }
            runs.add(spec);
            if (refused.contains(runs.size())) {
                return Measurement.failed(Outcome.UNREACHABLE, "unable to connect to server: Connection refused");
            }
            boolean pass = verdicts.isEmpty() || verdicts.poll();
            // A host stall's signature from CI: datagrams unread and the end of the test late.
            return new Measurement(Outcome.OK, spec.udpBitsPerSecond(), 1000L, null, 1.0, pass ? 0.0 : 4.0, null, 100L,
                    pass ? 0.0 : 144.0, null);
        }
    }

    private static LadderProbe ladder(Scripted runner, int confirmSeconds, int retries, Duration retryPause) {
        return new LadderProbe(runner, RUNGS, 1, LIMITS, Duration.ZERO, confirmSeconds, retries, retryPause);
    }

    private static List<String> codecsRun(List<Step> steps) {
        return steps.stream().map(step -> String.join("/", step.codecs()) + (step.passed() ? "" : "!")).toList();
    }

    @Test
    void aStepThatFailsTwiceThenPassesDoesNotStopTheLadder() {
        // iLBC, G.729 pass; GSM fails twice, passes on the last re-run; everything above passes.
        Scripted runner = new Scripted(true, true, false, false, true);
        Measurement m = ladder(runner, 0, 2, Duration.ZERO).run(SPEC, new StopSignal());

        assertEquals(Outcome.OK, m.outcome());
        assertEquals(List.of("ilbc", "g729", "gsm!", "gsm!", "gsm", "g726", "opus", "alaw/g722/ulaw"),
                codecsRun(m.ladder().steps()));
        assertEquals(80_000, m.ladder().passedBps(), "G.711's 172-byte datagrams every 20 ms with IP/UDP headers");
    }

    @Test
    void aStepThatFailsEveryRunStopsTheLadderAndNothingAboveIsSent() {
        Scripted runner = new Scripted(true, true, false, false, false);
        Measurement m = ladder(runner, 0, 2, Duration.ZERO).run(SPEC, new StopSignal());

        assertEquals(List.of("ilbc", "g729", "gsm!", "gsm!", "gsm!"), codecsRun(m.ladder().steps()));
        assertEquals(24_000, m.ladder().passedBps(), "G.729 is the highest rung that held");
        assertEquals(5, runner.runs.size(), "G.726 and above never ran");
    }

    @Test
    void withoutRetriesOneFailedRunStopsTheLadder() {
        Scripted runner = new Scripted(true, false);
        Measurement m = ladder(runner, 0, 0, Duration.ZERO).run(SPEC, new StopSignal());

        assertEquals(List.of("ilbc", "g729!"), codecsRun(m.ladder().steps()));
        assertEquals(24_000, m.ladder().passedBps(), "iLBC's 62-byte datagrams every 30 ms with IP/UDP headers");
    }

    @Test
    void aConfirmationThatFailsOnceAndThenHoldsKeepsItsRung() {
        // Six steps pass, G.711's 8 s confirmation fails once, its re-run holds.
        Scripted runner = new Scripted(true, true, true, true, true, true, false, true);
        Measurement m = ladder(runner, 8, 2, Duration.ZERO).run(SPEC, new StopSignal());

        List<Step> steps = m.ladder().steps();
        assertEquals(8, steps.size());
        assertEquals(List.of(8, 8), steps.subList(6, 8).stream().map(Step::seconds).toList());
        assertEquals(80_000, m.ladder().passedBps());
    }

    @Test
    void aConfirmationRunsAgainOnceAtMostThenItsRungIsVoidedAndTheOneBelowIsConfirmed() {
        Scripted runner = new Scripted(true, true, true, true, true, true, false, false, true);
        Measurement m = ladder(runner, 8, 2, Duration.ZERO).run(SPEC, new StopSignal());

        List<Step> confirmations = m.ladder().steps().subList(6, 9);
        assertEquals(List.of("alaw/g722/ulaw!", "alaw/g722/ulaw!", "opus"), codecsRun(confirmations));
        assertEquals(List.of(8, 8, 8), confirmations.stream().map(Step::seconds).toList());
        assertEquals(67_200, m.ladder().passedBps(), "Opus holds once G.711 is voided");
    }

    @Test
    void aStopDuringTheRetryPauseEndsTheLadderAtOnceAsDeferred() {
        Scripted runner = new Scripted(false);
        StopSignal stop = new StopSignal();
        LadderProbe ladder = ladder(runner, 8, 2, Duration.ofHours(1));
        new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stop.stop("a call started");
        }).start();

        Measurement m = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> ladder.run(SPEC, stop),
                "the hour-long retry pause must end with the stop");
        assertEquals(Outcome.DEFERRED_ACTIVE_CALL, m.outcome());
        assertEquals(1, runner.runs.size(), "no run after the stop");
    }

    @Test
    void aRefusalRightAfterARunIsTheServerReopeningAndIsRunOnceMore() {
        Scripted runner = new Scripted();
        runner.refused.add(3);
        Measurement m = ladder(runner, 0, 2, Duration.ZERO).run(SPEC, new StopSignal());
        assertEquals(Outcome.OK, m.outcome());
        assertEquals(7, runner.runs.size(), "six rungs and the refused run again");
        assertEquals(6, m.ladder().steps().size(), "the refusal is not a step");
    }

    @Test
    void aPhoneThatRefusesTheFirstRunOrTwiceInARowEndsTheLadderUnreachable() {
        Scripted first = new Scripted();
        first.refused.add(1);
        assertEquals(Outcome.UNREACHABLE, ladder(first, 0, 2, Duration.ZERO).run(SPEC, new StopSignal()).outcome());
        assertEquals(1, first.runs.size(), "nothing answered yet: no second try");

        Scripted twice = new Scripted();
        twice.refused.addAll(List.of(2, 3));
        assertEquals(Outcome.UNREACHABLE, ladder(twice, 0, 2, Duration.ZERO).run(SPEC, new StopSignal()).outcome());
        assertEquals(3, twice.runs.size());
    }

    /** iperf3 stand-in for two links: a run passes when its rate fits the direction's; records each run. */
    private static final class Shaped extends Iperf3Runner {
        final long downBps;
        final long upBps;
        final List<String> runs = new ArrayList<>();

        Shaped(long downBps, long upBps) {
            super("iperf3", Duration.ofSeconds(1), Duration.ofSeconds(1));
            this.downBps = downBps;
            this.upBps = upBps;
        }

        @Override
        public Measurement run(ProbeSpec spec, StopSignal stop) {
            runs.add(spec.direction() + " " + spec.udpBitsPerSecond() + " " + spec.seconds() + "s");
            return verdict(spec, spec.direction() == Direction.DOWNLINK ? downBps : upBps);
        }

        @Override
        public Iperf3Report.Both runBoth(ProbeSpec spec, StopSignal stop) {
            runs.add("BOTH " + spec.udpBitsPerSecond() + " " + spec.seconds() + "s");
            return new Iperf3Report.Both(verdict(spec, downBps), verdict(spec, upBps));
        }

        private static Measurement verdict(ProbeSpec spec, long linkBps) {
            boolean fits = spec.udpBitsPerSecond() <= linkBps;
            return new Measurement(Outcome.OK, spec.udpBitsPerSecond(), 1000L, null, 1.0, fits ? 0.0 : 12.0, null,
                    100L, fits ? 0.0 : 400.0, null);
        }
    }

    @Test
    void aCheckIsOneRunOfItsRungBothWaysAndFailsWhenEitherDirectionNoLongerCarriesIt() {
        VoiceLadder.Rung gsm = RUNGS.get(2);
        ProbeSpec oneSecond = ProbeSpec.ladder("10.231.9.2", 5201, Direction.DOWNLINK, 1, 1);
        Shaped fits = new Shaped(2_000_000, gsm.udpBitsPerSecond(1));
        LadderProbe probe = new LadderProbe(fits, RUNGS, 1, LIMITS, Duration.ZERO, 8, 2, Duration.ZERO);
        LadderProbe.Check carried = probe.check(oneSecond, gsm, new StopSignal());
        assertEquals(Outcome.OK, carried.outcome());
        assertEquals(true, carried.carried());
        assertEquals(List.of("BOTH " + gsm.udpBitsPerSecond(1) + " 1s"), fits.runs, "no re-run, no confirmation");

        Shaped degraded = new Shaped(2_000_000, RUNGS.get(1).udpBitsPerSecond(1));
        LadderProbe.Check failed = new LadderProbe(degraded, RUNGS, 1, LIMITS, Duration.ZERO, 8, 2, Duration.ZERO)
                .check(oneSecond, gsm, new StopSignal());
        assertEquals(Outcome.OK, failed.outcome());
        assertEquals(false, failed.carried(), "the uplink lost GSM's rate");
        assertEquals(1, degraded.runs.size(), "a failing check is not re-run: the ladder that follows is exact");
        assertEquals(java.util.Optional.of(gsm), probe.rungAt(29_200, 1), "GSM: (33 + 12 + 28) × 8 × 50");
        assertEquals(java.util.Optional.empty(), probe.rungAt(29_201, 1));
    }

    @Test
    void bothDirectionsClimbTogetherInOneRunPerStepAndConfirmTogether() {
        Shaped link = new Shaped(2_000_000, 2_000_000);
        java.util.Map<Direction, Measurement> both = new LadderProbe(link, RUNGS, 1, LIMITS, Duration.ZERO, 8, 2,
                Duration.ZERO).runBoth(SPEC, new StopSignal());

        List<String> expected = new ArrayList<>();
        RUNGS.forEach(r -> expected.add("BOTH " + r.udpBitsPerSecond(1) + " 2s"));
        expected.add("BOTH 68800 8s");
        assertEquals(expected, link.runs, "six steps and G.711's confirmation, each one run for both directions");
        for (Direction d : Direction.values()) {
            assertEquals(Outcome.OK, both.get(d).outcome());
            assertEquals(7, both.get(d).ladder().steps().size(), d.toString());
            assertEquals(80_000, both.get(d).ladder().passedBps(), d.toString());
        }
    }

    @Test
    void aDirectionThatStopsLeavesTheOtherClimbingAloneAndEachConfirmsItsOwnRung() {
        // 2 Mbit/s down; up carries GSM's 18,000 bit/s of payload but not G.726's.
        Shaped link = new Shaped(2_000_000, RUNGS.get(2).udpBitsPerSecond(1));
        java.util.Map<Direction, Measurement> both = new LadderProbe(link, RUNGS, 1, LIMITS, Duration.ZERO, 8, 2,
                Duration.ZERO).runBoth(SPEC, new StopSignal());

        long g726 = RUNGS.get(3).udpBitsPerSecond(1);
        assertEquals(List.of("BOTH " + RUNGS.get(0).udpBitsPerSecond(1) + " 2s",
                "BOTH " + RUNGS.get(1).udpBitsPerSecond(1) + " 2s", "BOTH " + RUNGS.get(2).udpBitsPerSecond(1) + " 2s",
                "BOTH " + g726 + " 2s", "UPLINK " + g726 + " 2s", "UPLINK " + g726 + " 2s",
                "DOWNLINK " + RUNGS.get(4).udpBitsPerSecond(1) + " 2s", "DOWNLINK 68800 2s", "DOWNLINK 68800 8s",
                "UPLINK " + RUNGS.get(2).udpBitsPerSecond(1) + " 8s"), link.runs,
                "G.726 fails up three times (re-runs up only); down goes on alone; each confirms its own top");
        assertEquals(List.of("ilbc", "g729", "gsm", "g726!", "g726!", "g726!", "gsm"),
                codecsRun(both.get(Direction.UPLINK).ladder().steps()));
        assertEquals(29_200, both.get(Direction.UPLINK).ladder().passedBps(), "GSM: (33 + 12 + 28) × 8 × 50");
        assertEquals(80_000, both.get(Direction.DOWNLINK).ladder().passedBps());
        assertEquals(7, both.get(Direction.DOWNLINK).ladder().steps().size());
    }

    @Test
    void negativeRetriesAreRefusedWithTheKeyNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ladder(new Scripted(), 0, -1, Duration.ZERO));
        assertEquals("vbo.probe.ladder.retries must be 0 or more, got -1", e.getMessage());
    }
}
