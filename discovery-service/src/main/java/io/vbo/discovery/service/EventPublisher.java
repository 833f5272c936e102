package io.vbo.discovery.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vbo.events.CallQuality;
import io.vbo.events.EndpointEvent;
import io.vbo.events.PbxCapabilities;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Sends endpoint events to {@code vbo.endpoints} and call quality to {@code vbo.call-quality} (both keyed
 * {@code pbxId/endpoint}) and capabilities to {@code vbo.pbx-capabilities} (keyed {@code pbxId}), and counts them per
 * PBX and type.
 */
@ApplicationScoped
public class EventPublisher {
    private static final Logger LOG = Logger.getLogger(EventPublisher.class);

    // A cycle of a large PBX publishes thousands of events at once; they are bounded by the contacts listed, so an
    // unbounded buffer never grows past one cycle's worth and a burst is never refused.
    @Inject
    @Channel("endpoints")
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    Emitter<EndpointEvent> endpoints;

    // One message per PBX per (re)connect or reload.
    @Inject
    @Channel("pbx-capabilities")
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    Emitter<PbxCapabilities> capabilities;

    // About one sample per call per 2.5 s (both directions every ~5 s); bounded by the live calls, like the above.
    @Inject
    @Channel("call-quality")
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    Emitter<CallQuality> callQuality;

    @Inject
    MeterRegistry registry;

    /** Non-blocking: safe on an AMI event loop. */
    public void publish(EndpointEvent event) {
        send(endpoints, event, event.key(), event.pbxId(), event.getClass().getSimpleName());
    }

    /** Non-blocking: safe on an AMI event loop. */
    public void publish(PbxCapabilities event) {
        send(capabilities, event, event.key(), event.pbxId(), "PbxCapabilities");
    }

    /** Non-blocking: safe on an AMI event loop. */
    public void publish(CallQuality event) {
        send(callQuality, event, event.key(), event.pbxId(), event.kind() == CallQuality.Kind.SAMPLE
                ? "CallQualitySample" : "CallQualitySummary");
    }

    private <T> void send(Emitter<T> emitter, T event, String key, String pbxId, String type) {
        Message<T> message = Message.of(event)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build())
                .withAck(() -> {
                    registry.counter("vbo.discovery.published", "pbx", pbxId, "type", type).increment();
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    LOG.errorf(failure, "could not publish %s for %s to Kafka", type, key);
                    return CompletableFuture.completedFuture(null);
                });
        emitter.send(message);
    }
}
