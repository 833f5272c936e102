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

/** Publishes every attempt to {@code vbo.probe-results} (keyed {@code pbxId/endpoint}) and keeps the metrics. */
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
                m.lossPercent(), target.rttMicros(), durationMs, m.outcome(), m.error(), startedAt);
        send(result);
        Timer.builder("vbo.probe.duration").tag("pbx", target.pbxId()).register(registry)
                .record(Duration.ofMillis(durationMs));
        if (m.outcome() == Outcome.OK) {
            LOG.infof("%s %s %s: %d bit/s (%s in %d ms)%s", target.key(), spec.direction(), spec.protocol(),
                    m.bitsPerSecond(), spec.address(), durationMs, spec.protocol() == Protocol.UDP
                            ? String.format(" loss %.2f %%, jitter %.2f ms", m.lossPercent(), m.jitterMs()) : "");
            if (spec.protocol() == Protocol.TCP) {
                rates.computeIfAbsent(target.key() + "/" + spec.direction(), k -> registry.gauge("vbo.probe.rate.bps",
                        Tags.of("pbx", target.pbxId(), "endpoint", target.endpoint(), "direction",
                                spec.direction().name()), new AtomicLong())).set(m.bitsPerSecond());
            }
        } else {
            LOG.warnf("%s %s %s at %s: %s — %s", target.key(), spec.direction(), spec.protocol(), spec.address(),
                    m.outcome(), m.error());
        }
    }

    /** The endpoint is in a call: nothing was sent, and the result says so. */
    void deferred(EndpointObserved target, ProbeSpec attempt) {
        notice(target, attempt, Outcome.DEFERRED_ACTIVE_CALL, target.activeCalls() + " active call(s)");
    }

    /** The target is refused (see {@link TargetPolicy}): nothing was sent, outcome REFUSED_TARGET. */
    void refused(EndpointObserved target, ProbeSpec attempt, String reason) {
        notice(target, attempt, Outcome.REFUSED_TARGET, TargetPolicy.REFUSED + reason);
    }

    private void notice(EndpointObserved target, ProbeSpec attempt, Outcome outcome, String why) {
        send(new ProbeResult(ProbeResult.SCHEMA, UUID.randomUUID(), target.pbxId(), target.endpoint(), target.address(),
                attempt.direction(), attempt.protocol(), null, null, null, null, target.rttMicros(), 0, outcome, why,
                Instant.now()));
    }

    private void send(ProbeResult result) {
        Counter.builder("vbo.probe.runs").tags("pbx", result.pbxId(), "direction", result.direction().name(), "outcome",
                result.outcome().name()).register(registry).increment();
        emitter.send(Message.of(result).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(result.key()).build()));
    }
}
