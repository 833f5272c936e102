package io.vbo.policy.listener;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.vbo.events.EndpointCeiling;
import io.vbo.events.EventJson;
import io.vbo.policy.service.CeilingService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes {@code vbo.endpoint-ceilings}; an invalid message throws, is nacked and goes to {@code vbo.dead-letter}. */
@ApplicationScoped
public class EndpointCeilingListener {
    @Inject
    CeilingService ceilings;

    @Incoming("endpoint-ceilings")
    @Blocking(ordered = true)
    public void consume(String json) {
        ceilings.record(EventJson.fromJson(json, EndpointCeiling.class));
    }
}
