package io.vbo.discovery.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vbo.events.EndpointEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/** Sends endpoint events to {@code vbo.endpoints}, keyed {@code pbxId/endpoint}, and counts them per PBX and type. */
@ApplicationScoped
public class EndpointPublisher {
    private static final Logger LOG = Logger.getLogger(EndpointPublisher.class);

    // A cycle of a large PBX publishes thousands of events at once; they are bounded by the contacts listed, so an
    // unbounded buffer never grows past one cycle's worth and a burst is never refused.
    @Inject
    @Channel("endpoints")
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    Emitter<EndpointEvent> emitter;

    @Inject
    MeterRegistry registry;

    /** Non-blocking: safe on an AMI event loop. */
    public void publish(EndpointEvent event) {
        String type = event.getClass().getSimpleName();
        Message<EndpointEvent> message = Message.of(event)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.key()).build())
                .withAck(() -> {
                    registry.counter("vbo.discovery.published", "pbx", event.pbxId(), "type", type).increment();
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    LOG.errorf(failure, "could not publish %s for %s to Kafka", type, event.key());
                    return CompletableFuture.completedFuture(null);
                });
        emitter.send(message);
    }
}
