package io.vbo.probe.iperf;

import io.vbo.events.ProbeResult.Ladder;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.events.ProbeResult.Protocol;
import io.vbo.events.ProbeResult.Step;
import io.vbo.events.VoiceLadder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The voice-rate ladder in one direction: for each rung, ascending, {@code iperf3 -u} with the rung's RTP-sized
 * datagrams at K calls' packet rate for a short burst; stops at the first step whose loss, jitter or delay growth
 * exceeds its limit, so at most one step ever overloads the link. Then the highest passing rung runs once more, for
 * {@code confirmSeconds}: a shaper's token bucket lets a stream slightly above the link's rate through unqueued until
 * its burst is spent (measured: 1,600 bytes hid GSM's 9 % overload of a 32 kbit/s link for the whole of a 2 s step),
 * and a call lasts longer than that. A failed confirmation voids that rung ({@link Ladder#passed}) and the one below
 * is confirmed next, until one holds.
 * <p>
 * A failing step is run again up to {@code retries} times, {@code retryPause} later, and counts as failed only if
 * every run failed: a link that cannot carry a stream fails it every time, while a host's stall is over in a moment
 * (measured: while a compose stack started, G.726 at 48 kbit/s on a 2 Mbit/s link "grew" 144 ms with 4 % of its
 * datagrams unread, then 122 ms 0.2 s later; the rung below passed before and after). A failing confirmation, four
 * times as long, runs again once at most (two of them span longer than three steps with their pauses). Bytes per
 * direction are bounded by the rungs' rates × ((1 + retries) × step time + 2 × confirm time).
 */
public final class LadderProbe {
    private final Iperf3Runner runner;
    private final List<VoiceLadder.Rung> rungs;
    private final int calls;
    private final Limits limits;
    private final Duration pause;
    private final int confirmSeconds;
    private final int retries;
    private final Duration retryPause;

    /**
     * What a step may show and still pass.
     *
     * @param maxLossPercent    receiver's loss
     * @param maxJitterMs       receiver's RFC 3550 jitter
     * @param maxDelayGrowthMs  how much longer the receiver received than the sender sent
     */
    public record Limits(double maxLossPercent, double maxJitterMs, double maxDelayGrowthMs) {
        boolean pass(Measurement m) {
            return m.lossPercent() <= maxLossPercent && m.jitterMs() <= maxJitterMs
                    && m.delayGrowthMs() <= maxDelayGrowthMs;
        }
    }

    /**
     * @param pause          pause between two runs of one direction
     * @param confirmSeconds length of the confirming runs, 0 for none
     * @param retries        how many more times a failing step runs before it counts as failed (a confirmation: once)
     * @param retryPause     pause before such a re-run (instead of {@code pause})
     */
    public LadderProbe(Iperf3Runner runner, List<VoiceLadder.Rung> rungs, int calls, Limits limits, Duration pause,
            int confirmSeconds, int retries, Duration retryPause) {
        if (calls < 1) {
            throw new IllegalArgumentException("vbo.policy.expected-concurrent-calls must be at least 1, got " + calls);
        }
        if (rungs.isEmpty()) {
            throw new IllegalArgumentException("a ladder needs at least one rung");
        }
        if (retries < 0) {
            throw new IllegalArgumentException("vbo.probe.ladder.retries must be 0 or more, got " + retries);
        }
        this.runner = runner;
        this.rungs = List.copyOf(rungs);
        this.calls = calls;
        this.limits = limits;
        this.pause = pause;
        this.confirmSeconds = confirmSeconds;
        this.retries = retries;
        this.retryPause = retryPause;
    }

    /**
     * Runs the ladder {@code spec} names (protocol LADDER, its direction, {@code seconds} per step). OK with every
     * step run when the ladder completed (a link that carries no step is OK too, with {@code passedBps} 0); any run
     * that did not finish (unreachable, busy, stopped for a call …) ends the ladder with that run's outcome.
     */
    public Measurement run(ProbeSpec spec, StopSignal stop) {
        if (spec.protocol() != Protocol.LADDER) {
            throw new IllegalArgumentException("not a ladder: " + spec);
        }
        List<Step> steps = new ArrayList<>();
        List<VoiceLadder.Rung> passed = new ArrayList<>();
        long[] bytes = { 0 };
        Measurement top = null;
        for (VoiceLadder.Rung rung : rungs) {
            Run run = judged(spec, rung, spec.seconds(), retries, stop, steps, bytes);
            if (run.failure != null) {
                return run.failure;
            }
            if (top == null || run.step.passed()) {
                top = run.measurement;
            }
            if (!run.step.passed()) {
                break;
            }
            passed.add(rung);
        }
        // Confirm from the highest passing rung down until one holds: a burst can hide more than one rung's overload.
        for (int i = passed.size() - 1; i >= 0 && confirmSeconds > 0; i--) {
            Run run = judged(spec, passed.get(i), confirmSeconds, Math.min(retries, 1), stop, steps, bytes);
            if (run.failure != null) {
                return run.failure;
            }
            top = run.measurement;
            if (run.step.passed()) {
                break;
            }
        }
        Ladder ladder = new Ladder(calls, steps, 0);
        long passedBps = ladder.passed().stream().mapToLong(Step::bitsPerSecond).max().orElse(0);
        long packets = steps.stream().mapToLong(Step::packets).sum();
        return new Measurement(Outcome.OK, passedBps, bytes[0], null, top.jitterMs(), top.lossPercent(), null, packets,
                top.delayGrowthMs(), new Ladder(calls, steps, passedBps));
    }

    /** One run of a rung; {@code failure} set when iperf3 did not finish it (the ladder then ends with that). */
    private record Run(Step step, Measurement measurement, long bytes, Measurement failure) {
    }

    /**
     * Runs a rung until one run passes or {@code 1 + reruns} runs failed, appending every run to {@code steps} and its
     * bytes to {@code bytes[0]}; returns the last run.
     */
    private Run judged(ProbeSpec spec, VoiceLadder.Rung rung, int seconds, int reruns, StopSignal stop,
            List<Step> steps, long[] bytes) {
        Run run = null;
        for (int attempt = 0; attempt <= reruns && (run == null || !run.step.passed()); attempt++) {
            Duration before = attempt > 0 ? retryPause : steps.isEmpty() ? Duration.ZERO : pause;
            run = step(spec, rung, seconds, stop, before);
            if (run.failure != null && !steps.isEmpty() && run.failure.outcome() == Outcome.UNREACHABLE) {
                // The server answered the run before: iperf3 -s reopens its socket after each test, slowly when loaded.
                run = step(spec, rung, seconds, stop, retryPause);
            }
            if (run.failure != null) {
                return run;
            }
            bytes[0] += run.bytes;
            steps.add(run.step);
        }
        return run;
    }

    private Run step(ProbeSpec spec, VoiceLadder.Rung rung, int seconds, StopSignal stop, Duration before) {
        if (!pause(before, stop)) {
            return new Run(null, null, 0, Measurement.failed(Outcome.ERROR, "interrupted (shutting down)"));
        }
        ProbeSpec run = new ProbeSpec(spec.address(), spec.port(), spec.direction(), Protocol.UDP, seconds,
                rung.udpBitsPerSecond(calls), rung.packetBytes());
        Measurement m = runner.run(run, stop);
        if (m.outcome() != Outcome.OK) {
            return new Run(null, null, 0, m);
        }
        Step step = new Step(rung.codecs(), rung.packetBytes(), rung.packetizationMs(), seconds, rung.wireBps(0, calls),
                m.packets(), m.lossPercent(), m.jitterMs(), m.delayGrowthMs(), limits.pass(m));
        return new Run(step, m, m.bytesReceived(), null);
    }

    /** Waits before a run; a stop given meanwhile ends the wait, and the run then reports it without starting. */
    private static boolean pause(Duration duration, StopSignal stop) {
        try {
            stop.await(duration);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public int calls() {
        return calls;
    }

    public List<VoiceLadder.Rung> rungs() {
        return rungs;
    }
}
