package io.vbo.probe.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vbo.events.EndpointObserved;
import io.vbo.events.ProbeResult;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.events.ProbeResult.Protocol;
import io.vbo.events.Validate;
import io.vbo.probe.iperf.Measurement;
import io.vbo.probe.iperf.ProbeSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes every attempt to {@code vbo.probe-results} (keyed {@code pbxId/endpoint} of the endpoint probed, or probed
 * through; a site's results carry the site) and keeps the metrics.
 */
@ApplicationScoped
public class ResultPublisher {
    private static final Logger LOG = Logger.getLogger(ResultPublisher.class);

    @Inject
    @Channel("probe-results")
    Emitter<ProbeResult> emitter;
    @Inject
    MeterRegistry registry;

    private final Map<String, AtomicLong> rates = new ConcurrentHashMap<>();

    void publish(EndpointObserved target, ProbeSpec spec, Measurement m, Instant startedAt, long durationMs) {
        ProbeResult result = new ProbeResult(ProbeResult.SCHEMA, UUID.randomUUID(), target.pbxId(), target.endpoint(),
                spec.address(), spec.direction(), spec.protocol(), m.bitsPerSecond(), m.retransmits(), m.jitterMs(),
                m.lossPercent(), target.rttMicros(), durationMs, m.outcome(), Validate.clip(m.error(), Validate.MAX_TEXT),
                startedAt, m.outcome() == Outcome.OK ? m.ladder() : null, target.site());
        send(result);
        Timer.builder("vbo.probe.duration").tag("pbx", target.pbxId()).register(registry)
                .record(Duration.ofMillis(durationMs));
        if (m.outcome() == Outcome.OK) {
            LOG.infof("%s %s %s: %d bit/s (%s in %d ms)%s", target.key(), spec.direction(), spec.protocol(),
                    m.bitsPerSecond(), spec.address(), durationMs, spec.protocol() == Protocol.UDP
                            ? String.format(" loss %.2f %%, jitter %.2f ms", m.lossPercent(), m.jitterMs())
                            : spec.protocol() == Protocol.LADDER ? ladderText(m) : "");
            // TCP: the link's rate; a ladder: the rate of its highest passing step (what the dashboard panel plots).
            if (spec.protocol().measuresCapacity()) {
                rates.computeIfAbsent(target.key() + "/" + spec.direction(), k -> registry.gauge("vbo.probe.rate.bps",
                        Tags.of("pbx", target.pbxId(), "endpoint", target.endpoint(), "direction",
                                spec.direction().name()), new AtomicLong())).set(m.bitsPerSecond());
            }
        } else if (m.outcome() == Outcome.DEFERRED_ACTIVE_CALL) {
            LOG.infof("%s %s %s at %s: %s after %d ms, nothing measured", target.key(), spec.direction(),
                    spec.protocol(), spec.address(), m.error(), durationMs);
        } else {
            LOG.warnf("%s %s %s at %s: %s — %s", target.key(), spec.direction(), spec.protocol(), spec.address(),
                    m.outcome(), m.error());
        }
    }

    private static String ladderText(Measurement m) {
        StringBuilder text = new StringBuilder(" ladder K=").append(m.ladder().calls()).append(":");
        m.ladder().steps().forEach(step -> text.append(String.format(" %s %d bit/s %s (loss %.1f %%, jitter %.1f ms, "
                + "growth %.0f ms);", String.join("/", step.codecs()), step.bitsPerSecond(), step.passed() ? "pass"
                        : "FAIL", step.lossPercent(), step.jitterMs(), step.delayGrowthMs())));
        return text.toString();
    }

    /** The endpoint is in a call ({@code why}): nothing was sent, and the result says so. */
    void deferred(EndpointObserved target, ProbeSpec attempt, String why) {
        notice(target, attempt, Outcome.DEFERRED_ACTIVE_CALL, why);
    }

    /** The target is refused (see {@link TargetPolicy}): nothing was sent, outcome REFUSED_TARGET. */
    void refused(EndpointObserved target, ProbeSpec attempt, String reason) {
        notice(target, attempt, Outcome.REFUSED_TARGET, TargetPolicy.REFUSED + reason);
    }

    private void notice(EndpointObserved target, ProbeSpec attempt, Outcome outcome, String why) {
        send(new ProbeResult(ProbeResult.SCHEMA, UUID.randomUUID(), target.pbxId(), target.endpoint(), attempt.address(),
                attempt.direction(), attempt.protocol(), null, null, null, null, target.rttMicros(), 0, outcome, Validate.clip(why, Validate.MAX_TEXT),
                Instant.now(), null, target.site()));
    }

    private void send(ProbeResult result) {
        Counter.builder("vbo.probe.runs").tags("pbx", result.pbxId(), "direction", result.direction().name(), "outcome",
                result.outcome().name()).register(registry).increment();
        emitter.send(Message.of(result).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(result.key()).build()));
    }
}
