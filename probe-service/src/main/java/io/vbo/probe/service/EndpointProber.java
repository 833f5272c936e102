package io.vbo.probe.service;

import io.vbo.events.EndpointObserved;
import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.events.ProbeResult.Protocol;
import io.vbo.probe.config.ProbeConfig;
import io.vbo.probe.iperf.LadderProbe;
import io.vbo.probe.iperf.Measurement;
import io.vbo.probe.iperf.ProbeSpec;
import io.vbo.probe.iperf.StopSignal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
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

    /** How a probe ended: the last attempt's outcome, or deferred because a call started. */
    public record Run(Outcome outcome, boolean deferred) {
        static Run failed(Outcome outcome) {
            return new Run(outcome, false);
        }
    }

    /**
     * Runs the attempts in order. Stops early when the phone does not answer (the next attempt would only wait for
     * the same timeout) or when {@code stop} is given because a call started: the attempt running then is stopped and
     * reported as deferred (or, between attempts, the next one), and the endpoint stays due.
     */
    public Run probe(EndpointObserved target, StopSignal stop, List<ProbeConfig.Profile> profiles) {
        Outcome last = Outcome.ERROR;
        boolean first = true;
        for (ProbeSpec spec : attempts(target.address(), profiles)) {
            if (!first && !pause()) {
                return Run.failed(last);
            }
            first = false;
            if (stop.given()) {
                LOG.infof("%s: %s, remaining attempts deferred", target.key(), stop.reason());
                publisher.deferred(target, spec, stop.reason());
                return new Run(Outcome.DEFERRED_ACTIVE_CALL, true);
            }
            Measurement measurement = directionProbe.measure(target, spec, stop);
            last = measurement.outcome();
            if (last == Outcome.DEFERRED_ACTIVE_CALL) {
                return new Run(last, true);
            }
            if (last == Outcome.UNREACHABLE || last == Outcome.TIMEOUT) {
                LOG.warnf("%s at %s: %s (%s); remaining attempts skipped until the next interval", target.key(),
                        target.address(), last, measurement.error());
                break;
            }
        }
        return Run.failed(last);
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
     * The highest rate one probe of {@code target} sends at, in bit/s, what the dispatcher reserves of the uplink's
     * budget while it runs: a voice attempt's UDP rate, a ladder's top step (K calls of its most demanding rung); a
     * TCP attempt fills the link, so {@link Long#MAX_VALUE}.
     */
    public long peakBps(EndpointObserved target, List<ProbeConfig.Profile> profiles) {
        return attempts(target.address(), profiles).stream().mapToLong(spec -> switch (spec.protocol()) {
            case TCP -> Long.MAX_VALUE;
            case LADDER -> ladder.rungs().stream().mapToLong(r -> r.udpBitsPerSecond(ladder.calls())).max().orElse(0);
            case UDP -> spec.udpBitsPerSecond();
        }).max().orElse(0);
    }

    /** The attempts of one probe with the configured profiles, in order (the first is what a deferral names). */
    List<ProbeSpec> attempts(String address) {
        return attempts(address, config.profiles());
    }

    /** The attempts of one probe with these profiles, each downlink then uplink. */
    List<ProbeSpec> attempts(String address, List<ProbeConfig.Profile> profiles) {
        ProbeConfig.Iperf3 iperf = config.iperf3();
        List<ProbeSpec> specs = new ArrayList<>();
        for (ProbeConfig.Profile profile : profiles) {
            for (Direction direction : Direction.values()) {
                specs.add(switch (profile) {
                    case LADDER -> ProbeSpec.ladder(address, iperf.port(), direction, config.ladder().stepSeconds());
                    case TCP -> ProbeSpec.tcp(address, iperf.port(), direction, iperf.tcpSeconds());
                    case VOICE -> ProbeSpec.voice(address, iperf.port(), direction, iperf.voiceSeconds(),
                            iperf.voicePacketBytes(), iperf.voicePacketsPerSecond());
                });
            }
        }
        return specs;
    }
}
