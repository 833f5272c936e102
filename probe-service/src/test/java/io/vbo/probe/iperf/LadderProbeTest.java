package io.vbo.probe.iperf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
        public Measurement run(ProbeSpec spec, StopSignal stop, RunWatch watch) {
            if (stop.given()) {
                return super.run(spec, stop, watch);
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
        return new LadderProbe(runner, RUNGS, 1, LIMITS, Duration.ZERO, confirmSeconds, retries, retryPause, EchoWatch.off());
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
    private static class Shaped extends Iperf3Runner {
        final long downBps;
        final long upBps;
        final List<String> runs = new ArrayList<>();

        Shaped(long downBps, long upBps) {
            super("iperf3", Duration.ofSeconds(1), Duration.ofSeconds(1));
            this.downBps = downBps;
            this.upBps = upBps;
        }

        @Override
        public Measurement run(ProbeSpec spec, StopSignal stop, RunWatch watch) {
            runs.add(spec.direction() + " " + spec.udpBitsPerSecond() + " " + spec.seconds() + "s");
            return verdict(spec, link(spec.direction()));
        }

        long link(Direction d) {
            return d == Direction.DOWNLINK ? downBps : upBps;
        }

        @Override
        public Iperf3Report.Both runBoth(ProbeSpec spec, StopSignal stop, RunWatch watch) {
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
        LadderProbe probe = new LadderProbe(fits, RUNGS, 1, LIMITS, Duration.ZERO, 8, 2, Duration.ZERO, EchoWatch.off());
        LadderProbe.Check carried = probe.check(oneSecond, gsm, new StopSignal());
        assertEquals(Outcome.OK, carried.outcome());
        assertEquals(true, carried.carried());
        assertEquals(List.of("BOTH " + gsm.udpBitsPerSecond(1) + " 1s"), fits.runs, "no re-run, no confirmation");

        Shaped degraded = new Shaped(2_000_000, RUNGS.get(1).udpBitsPerSecond(1));
        LadderProbe.Check failed = new LadderProbe(degraded, RUNGS, 1, LIMITS, Duration.ZERO, 8, 2, Duration.ZERO, EchoWatch.off())
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
                Duration.ZERO, EchoWatch.off()).runBoth(SPEC, new StopSignal());

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
                Duration.ZERO, EchoWatch.off()).runBoth(SPEC, new StopSignal());

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

    /**
     * iperf3 stand-in for a link that queues instead of dropping: a run above a direction's rate holds its process
     * until the echo watch ends it (at most 5 s), one that fits lasts 0.2 s; echoes are late (600 ms against a 300 ms
     * limit) from 0.1 s into an overloading run, so only the watch can tell that run from one that fits.
     */
    private static final class Queueing extends Shaped {
        /** When the overloading run now in progress fills the queue (0: none runs). */
        volatile long overloadedFrom;
        final EchoWatch watch = new EchoWatch((target, timeoutMs) -> {
            long from = overloadedFrom;
            if (from != 0 && System.nanoTime() > from) {
                Thread.sleep(600);
            }
            return true;
        }, Duration.ofMillis(50), 300, 18);

        Queueing(long downBps, long upBps) {
            super(downBps, upBps);
        }

        @Override
        public Measurement run(ProbeSpec spec, StopSignal stop, RunWatch watch) {
            return hold(spec.direction() + " " + codecs(spec), spec.udpBitsPerSecond() > link(spec.direction()), watch,
                    passing(spec));
        }

        @Override
        public Iperf3Report.Both runBoth(ProbeSpec spec, StopSignal stop, RunWatch watch) {
            Measurement m = hold("BOTH " + codecs(spec), spec.udpBitsPerSecond() > Math.min(downBps, upBps), watch,
                    passing(spec));
            return new Iperf3Report.Both(m, m);
        }

        private Measurement hold(String run, boolean over, RunWatch watch, Measurement fits) {
            runs.add(run);
            EchoWatchTest.Held process = new EchoWatchTest.Held();
            // As a real run: its stream starts, and fills the queue, a moment after the process does.
            overloadedFrom = over ? System.nanoTime() + 100_000_000 : 0;
            watch.started(process);
            try {
                if (over && !process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new AssertionError(run + ": the watch did not stop an overloading run within 5 s");
                }
                // A run that fits lasts long enough for its echoes to come back: the ladder's baseline.
                process.waitFor(over ? 0 : 200, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            } finally {
                watch.ended();
                overloadedFrom = 0;
            }
            // What a SIGTERM'd iperf3 leaves: no figures.
            return over ? Measurement.failed(Outcome.ERROR, "interrupt - the client has terminated") : fits;
        }

        private static String codecs(ProbeSpec spec) {
            return RUNGS.stream().filter(r -> r.packetBytes() == spec.udpPacketBytes()).findFirst()
                    .map(r -> String.join("/", r.codecs())).orElseThrow() + " " + spec.seconds() + "s";
        }

        private static Measurement passing(ProbeSpec spec) {
            return new Measurement(Outcome.OK, spec.udpBitsPerSecond(), 1000L, null, 1.0, 0.0, null, 100L, 0.0, null);
        }
    }

    @Test
    void aRunBothWaysTheEchoesStoppedIsRunAgainOneDirectionAtATimeSoEachIsJudgedByItsOwn() {
        // 2 Mbit/s down; up carries GSM but not G.726. Neither direction's runs say so: only the echoes do.
        Queueing link = new Queueing(2_000_000, 20_000);
        java.util.Map<Direction, Measurement> both = new LadderProbe(link, RUNGS, 1, LIMITS, Duration.ZERO, 8, 2,
                Duration.ZERO, link.watch).runBoth(SPEC, new StopSignal());

        assertEquals(List.of("BOTH ilbc 2s", "BOTH g729 2s", "BOTH gsm 2s", "BOTH g726 2s", "DOWNLINK g726 2s",
                "UPLINK g726 2s", "DOWNLINK opus 2s", "DOWNLINK alaw/g722/ulaw 2s", "DOWNLINK alaw/g722/ulaw 8s",
                "UPLINK gsm 8s"), link.runs, "the stopped run both ways, then each way alone: down passes G.726 and "
                + "climbs on; up is stopped again, its second stop: failed without the third run that retries allow");
        List<Step> up = both.get(Direction.UPLINK).ladder().steps();
        assertEquals(List.of("ilbc", "g729", "gsm", "g726!", "g726!", "gsm"), codecsRun(up));
        assertTrue(up.get(3).delayGrowthMs() >= 300, "the echoes' rise is the step's delay growth: " + up.get(3));
        assertEquals(29_200, both.get(Direction.UPLINK).ladder().passedBps(), "GSM: (33 + 12 + 28) × 8 × 50");
        assertEquals(List.of("ilbc", "g729", "gsm", "g726!", "g726", "opus", "alaw/g722/ulaw", "alaw/g722/ulaw"),
                codecsRun(both.get(Direction.DOWNLINK).ladder().steps()));
        assertEquals(80_000, both.get(Direction.DOWNLINK).ladder().passedBps());
    }

    @Test
    void aCheckTheEchoesStoppedHasNotCarried() {
        Queueing link = new Queueing(20_000, 20_000);
        ProbeSpec oneSecond = ProbeSpec.ladder("10.231.9.2", 5201, Direction.DOWNLINK, 1, 1);
        LadderProbe probe = new LadderProbe(link, RUNGS, 1, LIMITS, Duration.ZERO, 8, 2, Duration.ZERO, link.watch);
        assertTrue(probe.check(oneSecond, RUNGS.get(0), new StopSignal()).carried(), "iLBC fits: the baseline");
        LadderProbe.Check g726 = probe.check(oneSecond, RUNGS.get(3), new StopSignal());
        assertEquals(Outcome.OK, g726.outcome());
        assertEquals(false, g726.carried());
        assertEquals(List.of("BOTH ilbc 1s", "BOTH g726 1s"), link.runs);
    }

    @Test
    void negativeRetriesAreRefusedWithTheKeyNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ladder(new Scripted(), 0, -1, Duration.ZERO));
        assertEquals("vbo.probe.ladder.retries must be 0 or more, got -1", e.getMessage());
    }
}
