package io.vbo.probe.service;

import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.vbo.events.EndpointObserved;
import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.events.ProbeResult.Protocol;
import io.vbo.probe.iperf.Iperf3Runner;
import io.vbo.probe.iperf.LadderProbe;
import io.vbo.probe.iperf.Measurement;
import io.vbo.probe.iperf.ProbeSpec;
import io.vbo.probe.iperf.StopSignal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

/**
 * One attempt: one direction, or a ladder's two at once (its steps are one result per direction). Every attempt is
 * published, failures included. A busy server (another client is testing against the phone) is retried with
 * exponential backoff; each busy attempt is a result of its own. An attempt stopped because a call started is
 * published as {@code DEFERRED_ACTIVE_CALL} with how long it ran, and no figures.
 */
@ApplicationScoped
public class DirectionProbe {
    private static final Logger LOG = Logger.getLogger(DirectionProbe.class);

    @Inject
    Iperf3Runner runner;
    @Inject
    LadderProbe ladder;
    @Inject
    ResultPublisher publisher;

    @Retry(retryOn = ServerBusyException.class, maxRetries = 4, delay = 5, delayUnit = ChronoUnit.SECONDS,
            jitter = 1, jitterDelayUnit = ChronoUnit.SECONDS, maxDuration = 5, durationUnit = ChronoUnit.MINUTES)
    @ExponentialBackoff(factor = 2, maxDelay = 1, maxDelayUnit = ChronoUnit.MINUTES)
    @Fallback(fallbackMethod = "stillBusy", applyOn = ServerBusyException.class)
    public List<Measurement> measure(EndpointObserved target, List<ProbeSpec> together, StopSignal stop) {
        Instant startedAt = Instant.now();
        List<Measurement> got = run(together, stop);
        Measurement measurement = first(got);
        if (Thread.currentThread().isInterrupted()) {
            return got;
        }
        long durationMs = Duration.between(startedAt, Instant.now()).toMillis();
        for (int i = 0; i < together.size(); i++) {
            publisher.publish(target, together.get(i), got.get(i), startedAt, durationMs);
        }
        if (measurement.outcome() == Outcome.SERVER_BUSY) {
            LOG.infof("%s %s: iperf3 server busy, will retry with backoff", target.key(), directions(together));
            throw new ServerBusyException(measurement.error());
        }
        return got;
    }

    /** The measurement that tells how an attempt ended: the first that is not OK, else the first. */
    static Measurement first(List<Measurement> got) {
        return got.stream().filter(m -> m.outcome() != Outcome.OK).findFirst().orElse(got.get(0));
    }

    /** Each attempt's measurement, in order. */
    private List<Measurement> run(List<ProbeSpec> together, StopSignal stop) {
        ProbeSpec spec = together.get(0);
        if (together.size() > 1) {
            Map<Direction, Measurement> both = ladder.runBoth(spec, stop);
            return together.stream().map(s -> both.get(s.direction())).toList();
        }
        return List.of(spec.protocol() == Protocol.LADDER ? ladder.run(spec, stop) : runner.run(spec, stop));
    }

    private static String directions(List<ProbeSpec> together) {
        return together.stream().map(s -> s.direction().name()).collect(Collectors.joining("+"));
    }

    List<Measurement> stillBusy(EndpointObserved target, List<ProbeSpec> together, StopSignal stop) {
        LOG.warnf("%s %s: iperf3 server still busy after all retries; next try at the next interval", target.key(),
                directions(together));
        return List.of(Measurement.failed(Outcome.SERVER_BUSY, "server still busy after retries"));
    }
}
