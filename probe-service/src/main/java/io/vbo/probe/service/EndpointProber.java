package io.vbo.probe.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vbo.events.EndpointObserved;
import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.events.ProbeResult.Protocol;
import io.vbo.events.VoiceLadder;
import io.vbo.probe.config.ProbeConfig;
import io.vbo.probe.iperf.LadderProbe;
import io.vbo.probe.iperf.Measurement;
import io.vbo.probe.iperf.ProbeSpec;
import io.vbo.probe.iperf.StopSignal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/** One probe of one endpoint: each of its profiles (the configured ones, or an operator's), downlink then uplink. */
@ApplicationScoped
public class EndpointProber {
    private static final Logger LOG = Logger.getLogger(EndpointProber.class);

    @Inject
    ProbeConfig config;
    @Inject
    DirectionProbe directionProbe;
    @Inject
    ResultPublisher publisher;
    @Inject
    LadderProbe ladder;
    @Inject
    SiteCalls sites;
    @Inject
    MeterRegistry registry;

    /**
     * How a probe ended: the last attempt's outcome, or deferred because a call started; and what the checks until
     * the next probe send, when its ladder measured both directions and each carried at least one rung.
     */
    public record Run(Outcome outcome, boolean deferred, Optional<CheckAt> check) {
        static Run failed(Outcome outcome) {
            return new Run(outcome, false, Optional.empty());
        }
    }

    /** A check's stream: {@code calls} calls of {@code rung}, the lower of the two directions' highest passing rungs. */
    public record CheckAt(VoiceLadder.Rung rung, int calls) {
    }

    /**
     * Runs the attempts ({@link #attempts}) in order. Stops early when the phone does not answer (the next attempt would only wait for
     * the same timeout) or when {@code stop} is given because a call started: the attempt running then is stopped and
     * reported as deferred (or, between attempts, the next one), and the endpoint stays due.
     */
    public Run probe(EndpointObserved target, StopSignal stop, List<ProbeSpec> attempts) {
        Outcome last = Outcome.ERROR;
        boolean first = true;
        Map<Direction, Long> carried = new EnumMap<>(Direction.class);
        for (List<ProbeSpec> together : together(attempts)) {
            if (!first && !pause()) {
                return Run.failed(last);
            }
            first = false;
            if (stop.given()) {
                LOG.infof("%s: %s, remaining attempts deferred", target.key(), stop.reason());
                publisher.deferred(target, together.get(0), stop.reason());
                return new Run(Outcome.DEFERRED_ACTIVE_CALL, true, Optional.empty());
            }
            List<Measurement> got = directionProbe.measure(target, together, stop);
            Measurement measurement = DirectionProbe.first(got);
            last = measurement.outcome();
            if (last == Outcome.DEFERRED_ACTIVE_CALL) {
                return new Run(last, true, Optional.empty());
            }
            for (int i = 0; i < got.size() && i < together.size(); i++) {
                Measurement m = got.get(i);
                if (together.get(i).protocol() == Protocol.LADDER && m.outcome() == Outcome.OK && m.ladder() != null) {
                    carried.put(together.get(i).direction(), m.ladder().passedBps());
                }
            }
            if (last == Outcome.UNREACHABLE || last == Outcome.TIMEOUT) {
                LOG.warnf("%s at %s: %s (%s); remaining attempts skipped until the next interval", target.key(),
                        target.address(), last, measurement.error());
                break;
            }
        }
        return new Run(last, false, checkAt(attempts, carried));
    }

    private Optional<CheckAt> checkAt(List<ProbeSpec> attempts, Map<Direction, Long> carried) {
        if (carried.size() < 2 || carried.containsValue(0L)) {
            return Optional.empty();
        }
        int calls = attempts.stream().filter(a -> a.protocol() == Protocol.LADDER).findFirst().orElseThrow().calls();
        long lower = Math.min(carried.get(Direction.DOWNLINK), carried.get(Direction.UPLINK));
        return ladder.rungAt(lower, calls).map(rung -> new CheckAt(rung, calls));
    }

    /** What a check of {@code target} runs: {@code check-seconds} of the rung, both ways, at its K. */
    public ProbeSpec checkSpec(EndpointObserved target, CheckAt at) {
        return ProbeSpec.ladder(target.address(), config.iperf3().port(), Direction.DOWNLINK,
                config.ladder().checkSeconds(), at.calls());
    }

    /**
     * A check of {@code target} ({@link LadderProbe#check}): nothing is published, the schedule acts on it (a link
     * that no longer carries the rung gets its ladder now). Logged, and counted in {@code vbo_probe_checks_total}.
     */
    public LadderProbe.Check check(EndpointObserved target, CheckAt at, StopSignal stop) {
        ProbeSpec spec = checkSpec(target, at);
        LadderProbe.Check check = ladder.check(spec, at.rung(), stop);
        String rung = String.join("/", at.rung().codecs()) + " × " + at.calls();
        String result = check.outcome() != Outcome.OK ? check.outcome().name().toLowerCase(java.util.Locale.ROOT)
                : check.carried() ? "carried" : "failed";
        Counter.builder("vbo.probe.checks").description("Checks between ladders: does the link still carry its rung")
                .tags("pbx", target.pbxId(), "result", result).register(registry).increment();
        if (check.outcome() == Outcome.OK && !check.carried()) {
            Measurement down = check.measurements().get(Direction.DOWNLINK);
            Measurement up = check.measurements().get(Direction.UPLINK);
            LOG.infof("%s: the link no longer carries %s (down: loss %.1f %%, jitter %.1f ms, delay growth %.0f ms; "
                    + "up: loss %.1f %%, jitter %.1f ms, delay growth %.0f ms): ladder due", target.key(), rung,
                    down.lossPercent(), down.jitterMs(), down.delayGrowthMs(), up.lossPercent(), up.jitterMs(),
                    up.delayGrowthMs());
        } else {
            LOG.debugf("%s: check of %s: %s", target.key(), rung, check.carried() ? "carried" : check.outcome());
        }
        return check;
    }

    private boolean pause() {
        try {
            Thread.sleep(config.iperf3().pauseBetween().toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The attempts as they run: a ladder's downlink and uplink together ({@code vbo.probe.ladder.both-directions}),
     * everything else one by one.
     */
    List<List<ProbeSpec>> together(List<ProbeSpec> attempts) {
        List<List<ProbeSpec>> runs = new ArrayList<>();
        for (int i = 0; i < attempts.size(); i++) {
            ProbeSpec a = attempts.get(i);
            ProbeSpec next = i + 1 < attempts.size() ? attempts.get(i + 1) : null;
            if (config.ladder().bothDirections() && a.protocol() == Protocol.LADDER
                    && a.direction() == Direction.DOWNLINK && next != null && next.equals(new ProbeSpec(a.address(),
                            a.port(), Direction.UPLINK, Protocol.LADDER, a.seconds(), 0, 0, a.calls()))) {
                runs.add(List.of(a, next));
                i++;
            } else {
                runs.add(List.of(a));
            }
        }
        return runs;
    }

    /**
     * The highest rate a probe with these attempts sends at, in bit/s, what the dispatcher reserves of the uplink's
     * budget while it runs: a voice attempt's UDP rate, a ladder's top step (K calls of its most demanding rung); a
     * TCP attempt fills the link, so {@link Long#MAX_VALUE}.
     */
    public long peakBps(List<ProbeSpec> attempts) {
        return attempts.stream().mapToLong(spec -> switch (spec.protocol()) {
            case TCP -> Long.MAX_VALUE;
            case LADDER -> callBps() * spec.calls();
            case UDP -> spec.udpBitsPerSecond();
        }).max().orElse(0);
    }

    /**
     * What one live call is counted at on an uplink's budget, in the budget's units (UDP payload bit/s): the ladder's
     * most demanding rung at K = 1 (G.711, 68,800 bit/s with the built-in profiles), since the call's codec is not
     * known here.
     */
    public long callBps() {
        return ladder.rungs().stream().mapToLong(r -> r.udpBitsPerSecond(1)).max().orElse(0);
    }

    /** K for a probe of {@code target}: its site's, from the site's latest limit, else the policy's. */
    public int calls(EndpointObserved target) {
        return Optional.ofNullable(target.site()).flatMap(site -> sites.calls(target.pbxId(), site))
                .orElse(ladder.calls());
    }

    /** The attempts of one probe of {@code target} with these profiles, to its address, ladders at its K. */
    public List<ProbeSpec> attempts(EndpointObserved target, List<ProbeConfig.Profile> profiles) {
        return attempts(target.address(), calls(target), profiles);
    }

    /** The attempts of one probe to {@code address} with these profiles, each downlink then uplink. */
    List<ProbeSpec> attempts(String address, int calls, List<ProbeConfig.Profile> profiles) {
        ProbeConfig.Iperf3 iperf = config.iperf3();
        List<ProbeSpec> specs = new ArrayList<>();
        for (ProbeConfig.Profile profile : profiles) {
            for (Direction direction : Direction.values()) {
                specs.add(switch (profile) {
                    case LADDER -> ProbeSpec.ladder(address, iperf.port(), direction, config.ladder().stepSeconds(),
                            calls);
                    case TCP -> ProbeSpec.tcp(address, iperf.port(), direction, iperf.tcpSeconds());
                    case VOICE -> ProbeSpec.voice(address, iperf.port(), direction, iperf.voiceSeconds(),
                            iperf.voicePacketBytes(), iperf.voicePacketsPerSecond());
                });
            }
        }
        return specs;
    }
}
