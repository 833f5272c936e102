package io.vbo.policy.listener;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.vbo.events.ConfigApplied;
import io.vbo.events.EventJson;
import io.vbo.policy.service.AppliedService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes {@code vbo.config-applied}; an invalid message throws, is nacked and goes to {@code vbo.dead-letter}. */
@ApplicationScoped
public class ConfigAppliedListener {
    @Inject
    AppliedService applied;

    @Incoming("config-applied")
    @Blocking(ordered = true)
    public void consume(String json) {
        applied.record(EventJson.fromJson(json, ConfigApplied.class));
    }
}
