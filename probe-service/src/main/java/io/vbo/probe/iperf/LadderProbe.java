package io.vbo.probe.iperf;

import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.ProbeResult.Ladder;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.events.ProbeResult.Protocol;
import io.vbo.events.ProbeResult.Step;
import io.vbo.events.VoiceLadder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The voice-rate ladder in one direction, or in both at once ({@link #runBoth}): for each rung, ascending, {@code iperf3 -u} with the rung's RTP-sized
 * datagrams at K calls' packet rate for a short burst; stops at the first step whose loss, jitter or delay growth
 * exceeds its limit, so at most one step ever overloads the link. Then the highest passing rung runs once more, for
 * {@code confirmSeconds}: a shaper's token bucket lets a stream slightly above the link's rate through unqueued until
 * its burst is spent (measured: 1,600 bytes hid GSM's 9 % overload of a 32 kbit/s link for the whole of a 2 s step),
 * and a call lasts longer than that. A failed confirmation voids that rung ({@link Ladder#passed}) and the one below
 * is confirmed next, until one holds.
 * <p>
 * Each run is watched ({@link EchoWatch}): once echoes to the phone show its link queueing, the run stops there and has
 * failed, so an overloading step lasts a fraction of its time. An echo cannot tell which way the queue is: after a
 * run both ways at once stopped so, the rung's re-runs go one direction at a time, and each direction is judged by
 * its own. A direction whose runs the echoes stopped twice has failed the rung without further re-runs.
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
    private final EchoWatch echo;

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
     * @param echo           the watch that ends a run whose link queues
     */
    public LadderProbe(Iperf3Runner runner, List<VoiceLadder.Rung> rungs, int calls, Limits limits, Duration pause,
            int confirmSeconds, int retries, Duration retryPause, EchoWatch echo) {
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
        this.echo = echo;
    }

    /**
     * Runs the ladder {@code spec} names (protocol LADDER, its direction, {@code seconds} per step, K = its
     * {@code calls}). OK with every step run when the ladder completed (a link that carries no step is OK too, with
     * {@code passedBps} 0); any run that did not finish (unreachable, busy, stopped for a call …) ends the ladder with
     * that run's outcome.
     */
    public Measurement run(ProbeSpec spec, StopSignal stop) {
        return run(spec, List.of(spec.direction()), stop).get(spec.direction());
    }

    /**
     * Runs the ladder {@code spec} names in both directions at once ({@code spec}'s direction aside): each step is one
     * {@code iperf3 --bidir} run while both directions climb, as a call sends both ways at once, and a direction goes
     * on alone once the other stopped; confirmations of the same rung run together too. Each direction is judged,
     * re-run and confirmed as in {@link #run}, so the two results are those two ladders', in about half the time.
     * A run that did not finish ends both with its outcome.
     */
    public Map<Direction, Measurement> runBoth(ProbeSpec spec, StopSignal stop) {
        return run(spec, List.of(Direction.DOWNLINK, Direction.UPLINK), stop);
    }

    /**
     * A check between two ladders: one run of {@code rung} both ways at once ({@code iperf3 --bidir}) at {@code spec}'s
     * K and step time, neither re-run nor confirmed: does the link still carry what the last ladder found? That rung
     * sends no more than the ladder's passing steps did, so a check is harmless while the link holds, and shows within
     * one step that it no longer does.
     */
    public Check check(ProbeSpec spec, VoiceLadder.Rung rung, StopSignal stop) {
        Stepped got = step(new Context(spec, stop, echo.target(spec.address())),
                List.of(Direction.DOWNLINK, Direction.UPLINK), rung, spec.seconds(), Duration.ZERO);
        Measurement failure = failure(got.measurements);
        return new Check(failure == null ? Outcome.OK : failure.outcome(), failure == null && got.queued.isEmpty()
                && got.measurements.values().stream().allMatch(limits::pass), got.measurements);
    }

    /**
     * How a check went.
     *
     * @param outcome      OK when the run finished (else why not: unreachable, stopped for a call …)
     * @param carried      both directions passed the ladder's limits, and no echo showed the link queueing
     * @param measurements each direction's run (when the echoes stopped it: the figures of {@link #queued})
     */
    public record Check(Outcome outcome, boolean carried, Map<Direction, Measurement> measurements) {
    }

    /** The rung whose step records {@code bps} for {@code calls} calls (its wire rate without layer-2 bytes). */
    public Optional<VoiceLadder.Rung> rungAt(long bps, int calls) {
        return rungs.stream().filter(r -> r.wireBps(0, calls) == bps).findFirst();
    }

    private Map<Direction, Measurement> run(ProbeSpec spec, List<Direction> directions, StopSignal stop) {
        if (spec.protocol() != Protocol.LADDER) {
            throw new IllegalArgumentException("not a ladder: " + spec);
        }
        Context ctx = new Context(spec, stop, echo.target(spec.address()));
        directions.forEach(d -> ctx.climbs.put(d, new Climb()));
        for (VoiceLadder.Rung rung : rungs) {
            List<Direction> climbing = directions.stream().filter(d -> !ctx.climbs.get(d).stopped).toList();
            if (climbing.isEmpty()) {
                break;
            }
            Judged judged = judged(ctx, climbing, rung, spec.seconds(), retries);
            if (judged.failure != null) {
                return everywhere(directions, judged.failure);
            }
            for (Direction d : climbing) {
                Climb climb = ctx.climbs.get(d);
                Run run = judged.last.get(d);
                if (climb.top == null || run.step.passed()) {
                    climb.top = run.measurement;
                }
                if (run.step.passed()) {
                    climb.passed.add(rung);
                } else {
                    climb.stopped = true;
                }
            }
        }
        // Confirm from the highest passing rung down until one holds: a burst can hide more than one rung's overload.
        List<Direction> confirming = new ArrayList<>(directions.stream()
                .filter(d -> confirmSeconds > 0 && !ctx.climbs.get(d).passed.isEmpty()).toList());
        confirming.forEach(d -> ctx.climbs.get(d).confirming = ctx.climbs.get(d).passed.size() - 1);
        while (!confirming.isEmpty()) {
            VoiceLadder.Rung rung = ctx.climbs.get(confirming.get(0)).candidate();
            List<Direction> group = confirming.stream().filter(d -> ctx.climbs.get(d).candidate().equals(rung))
                    .toList();
            Judged judged = judged(ctx, group, rung, confirmSeconds, Math.min(retries, 1));
            if (judged.failure != null) {
                return everywhere(directions, judged.failure);
            }
            for (Direction d : group) {
                Climb climb = ctx.climbs.get(d);
                Run run = judged.last.get(d);
                climb.top = run.measurement;
                if (run.step.passed() || --climb.confirming < 0) {
                    confirming.remove(d);
                }
            }
        }
        Map<Direction, Measurement> results = new EnumMap<>(Direction.class);
        ctx.climbs.forEach((d, climb) -> results.put(d, climb.result(spec.calls())));
        return results;
    }

    private static Map<Direction, Measurement> everywhere(List<Direction> directions, Measurement failure) {
        Map<Direction, Measurement> results = new EnumMap<>(Direction.class);
        directions.forEach(d -> results.put(d, failure));
        return results;
    }

    /**
     * One ladder run: its spec and stop signal, its echo target, each direction's climb, and whether any step has run
     * yet.
     */
    private static final class Context {
        final ProbeSpec spec;
        final StopSignal stop;
        final EchoWatch.Target target;
        final Map<Direction, Climb> climbs = new EnumMap<>(Direction.class);
        boolean started;

        Context(ProbeSpec spec, StopSignal stop, EchoWatch.Target target) {
            this.spec = spec;
            this.stop = stop;
            this.target = target;
        }
    }

    /** One direction's ladder so far: every run, the rungs that passed, its bytes and the run it reports. */
    private static final class Climb {
        final List<Step> steps = new ArrayList<>();
        final List<VoiceLadder.Rung> passed = new ArrayList<>();
        long bytes;
        Measurement top;
        boolean stopped;
        /** Index in {@code passed} of the rung to confirm next. */
        int confirming;

        VoiceLadder.Rung candidate() {
            return passed.get(confirming);
        }

        Measurement result(int calls) {
            long passedBps = new Ladder(calls, steps, 0).passed().stream().mapToLong(Step::bitsPerSecond).max()
                    .orElse(0);
            long packets = steps.stream().mapToLong(Step::packets).sum();
            return new Measurement(Outcome.OK, passedBps, bytes, null, top.jitterMs(), top.lossPercent(), null, packets,
                    top.delayGrowthMs(), new Ladder(calls, steps, passedBps));
        }
    }

    /** One run of a rung in one direction. */
    private record Run(Step step, Measurement measurement) {
    }

    /** Each direction's last run of a rung, or the run that did not finish (the ladder then ends with it). */
    private record Judged(Map<Direction, Run> last, Measurement failure) {
    }

    /**
     * Runs a rung in {@code directions} (together while more than one is left, unless echoes stopped such a run)
     * until each passed once, or {@code 1 + reruns} runs failed, or echoes stopped two of its runs (the queue itself,
     * seen twice, seconds apart: not a figure a stalled host bent), appending every run to its direction's steps and
     * bytes.
     */
    private Judged judged(Context ctx, List<Direction> directions, VoiceLadder.Rung rung, int seconds, int reruns) {
        Map<Direction, Run> last = new EnumMap<>(Direction.class);
        List<Direction> pending = new ArrayList<>(directions);
        Map<Direction, Integer> queued = new EnumMap<>(Direction.class);
        boolean apart = false;
        for (int attempt = 0; attempt <= reruns && !pending.isEmpty(); attempt++) {
            Duration before = attempt > 0 ? retryPause : ctx.started ? pause : Duration.ZERO;
            List<List<Direction>> runs = apart ? pending.stream().map(List::of).toList() : List.of(List.copyOf(pending));
            for (List<Direction> together : runs) {
                Stepped got = step(ctx, together, rung, seconds, before);
                Measurement failure = failure(got.measurements);
                if (failure != null && ctx.started && (failure.outcome() == Outcome.UNREACHABLE
                        || failure.outcome() == Outcome.SERVER_BUSY)) {
                    // The server answered the run before: iperf3 -s reopens its socket after each test (slowly when
                    // loaded), and one the watch ended may still be closing.
                    got = step(ctx, together, rung, seconds, retryPause);
                    failure = failure(got.measurements);
                }
                if (failure != null) {
                    return new Judged(last, failure);
                }
                ctx.started = true;
                apart |= together.size() > 1 && got.queued.isPresent();
                before = pause;
                for (Direction d : together) {
                    Measurement m = got.measurements.get(d);
                    Step step = new Step(rung.codecs(), rung.packetBytes(), rung.packetizationMs(), seconds,
                            rung.wireBps(0, ctx.spec.calls()), m.packets(), m.lossPercent(), m.jitterMs(),
                            m.delayGrowthMs(), got.queued.isEmpty() && limits.pass(m));
                    Climb climb = ctx.climbs.get(d);
                    climb.steps.add(step);
                    climb.bytes += m.bytesReceived();
                    last.put(d, new Run(step, m));
                    if (step.passed() || got.queued.isPresent() && queued.merge(d, 1, Integer::sum) >= 2) {
                        pending.remove(d);
                    }
                }
            }
        }
        return new Judged(last, null);
    }

    /** A run's measurements per direction, and how the echoes stopped it (empty: they did not). */
    private record Stepped(Map<Direction, Measurement> measurements, Optional<EchoWatch.Queued> queued) {
    }

    private static Measurement failure(Map<Direction, Measurement> got) {
        return got.values().stream().filter(m -> m.outcome() != Outcome.OK).findFirst().orElse(null);
    }

    /**
     * One run of {@code rung} in {@code directions}: {@code --bidir} for both, else the one direction's, watched by
     * echoes. A run they stopped reads {@link #queued} in each direction.
     */
    private Stepped step(Context ctx, List<Direction> directions, VoiceLadder.Rung rung, int seconds,
            Duration before) {
        if (!pause(before, ctx.stop)) {
            return new Stepped(everywhere(directions, Measurement.failed(Outcome.ERROR, "interrupted (shutting down)")),
                    Optional.empty());
        }
        ProbeSpec spec = ctx.spec;
        long bps = echo.streamBitsPerSecond(rung, spec.calls());
        EchoWatch.Run watch = ctx.target.run(rung, spec.calls());
        Map<Direction, Measurement> got = new EnumMap<>(Direction.class);
        if (directions.size() > 1) {
            Iperf3Report.Both both = runner.runBoth(new ProbeSpec(spec.address(), spec.port(), Direction.DOWNLINK,
                    Protocol.UDP, seconds, bps, rung.packetBytes(), 0), ctx.stop, watch);
            directions.forEach(d -> got.put(d, both.of(d)));
        } else {
            Direction d = directions.get(0);
            got.put(d, runner.run(new ProbeSpec(spec.address(), spec.port(), d, Protocol.UDP, seconds, bps,
                    rung.packetBytes(), 0), ctx.stop, watch));
        }
        Optional<EchoWatch.Queued> queued = watch.queued();
        if (queued.isPresent() && failure(got) != null && !ctx.stop.given()) {
            Measurement stopped = queued(rung, bps, queued.get());
            directions.forEach(d -> got.put(d, stopped));
        }
        return new Stepped(got, queued);
    }

    /**
     * What a run the echoes stopped shows: the datagrams sent until then (from the rate: the receiver never reported),
     * loss and jitter 0 for the same reason, and the echoes' rise as the delay growth.
     */
    private static Measurement queued(VoiceLadder.Rung rung, long bps, EchoWatch.Queued queued) {
        long packets = Math.round(bps / (8.0 * rung.packetBytes()) * queued.afterMs() / 1000.0);
        return new Measurement(Outcome.OK, null, packets * rung.packetBytes(), null, 0.0, 0.0, null, packets,
                queued.riseMs(), null);
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

    /** K for a phone's ladder: the policy's {@code vbo.policy.expected-concurrent-calls} (a site may have its own). */
    public int calls() {
        return calls;
    }

    public List<VoiceLadder.Rung> rungs() {
        return rungs;
    }
}
