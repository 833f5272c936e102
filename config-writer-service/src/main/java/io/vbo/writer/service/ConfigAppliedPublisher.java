package io.vbo.writer.service;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vbo.events.ConfigApplied;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes one {@link ConfigApplied} per decision to vbo.config-applied, keyed pbxId/endpoint. */
@ApplicationScoped
public class ConfigAppliedPublisher {
    @Inject
    @Channel("config-applied")
    Emitter<ConfigApplied> emitter;

    public void publish(ConfigApplied applied) {
        emitter.send(Message.of(applied).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(applied.key()).build()));
    }
}
