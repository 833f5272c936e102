package io.vbo.writer.service;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vbo.events.ConfigApplied;
import io.vbo.events.EndpointCeiling;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * What the writer publishes, keyed pbxId/endpoint: one {@link ConfigApplied} per decision to vbo.config-applied,
 * each endpoint's {@link EndpointCeiling} to the compacted vbo.endpoint-ceilings, and its own PBX's transcodable
 * codecs to the compacted vbo.pbx-capabilities (keyed pbxId).
 */
@ApplicationScoped
public class EventPublisher {
    @Inject
    @Channel("config-applied")
    Emitter<ConfigApplied> applied;
    @Inject
    @Channel("endpoint-ceilings")
    Emitter<EndpointCeiling> ceilings;
    @Inject
    @Channel("pbx-capabilities")
    Emitter<io.vbo.events.PbxCapabilities> capabilities;

    public void publish(io.vbo.events.PbxCapabilities event) {
        capabilities.send(keyed(event, event.key()));
    }

    public void publish(ConfigApplied event) {
        applied.send(keyed(event, event.key()));
    }

    public void publish(EndpointCeiling event) {
        ceilings.send(keyed(event, event.key()));
    }

    private static <T> Message<T> keyed(T event, String key) {
        return Message.of(event).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build());
    }
}
