package io.vbo.probe.service;

import io.vbo.events.EndpointObserved;
import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.probe.config.ProbeConfig;
import io.vbo.probe.iperf.Measurement;
import io.vbo.probe.iperf.ProbeSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/** One probe of one endpoint: each configured profile, downlink (PBX → phone) then uplink. */
@ApplicationScoped
public class EndpointProber {
    private static final Logger LOG = Logger.getLogger(EndpointProber.class);

    @Inject
    ProbeConfig config;
    @Inject
    DirectionProbe directionProbe;
    @Inject
    ResultPublisher publisher;

    /** How a probe ended: the last attempt's outcome, or deferred because a call started. */
    public record Run(Outcome outcome, boolean deferred) {
        static Run failed(Outcome outcome) {
            return new Run(outcome, false);
        }
    }

    /**
     * Runs the attempts in order. Stops early when the phone does not answer (the next attempt would only wait for
     * the same timeout) or when a call starts (that attempt is reported as deferred and the endpoint stays due).
     */
    public Run probe(EndpointObserved target, BooleanSupplier callActive) {
        Outcome last = Outcome.ERROR;
        boolean first = true;
        for (ProbeSpec spec : attempts(target.address())) {
            if (!first && !pause()) {
                return Run.failed(last);
            }
            first = false;
            if (callActive.getAsBoolean()) {
                LOG.infof("%s: a call started, remaining attempts deferred", target.key());
                publisher.deferred(target, spec);
                return new Run(Outcome.DEFERRED_ACTIVE_CALL, true);
            }
            Measurement measurement = directionProbe.measure(target, spec);
            last = measurement.outcome();
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

    /** The attempts of one probe, in order (the first one is what a deferral result names). */
    List<ProbeSpec> attempts(String address) {
        ProbeConfig.Iperf3 iperf = config.iperf3();
        List<ProbeSpec> specs = new ArrayList<>();
        for (ProbeConfig.Profile profile : config.profiles()) {
            for (Direction direction : Direction.values()) {
                specs.add(switch (profile) {
                    case TCP -> ProbeSpec.tcp(address, iperf.port(), direction, iperf.tcpSeconds());
                    case VOICE -> ProbeSpec.voice(address, iperf.port(), direction, iperf.voiceSeconds(),
                            iperf.voicePacketBytes(), iperf.voicePacketsPerSecond());
                });
            }
        }
        return specs;
    }
}
