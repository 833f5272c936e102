package io.vbo.policy.listener;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.vbo.events.EventJson;
import io.vbo.events.PbxCapabilities;
import io.vbo.policy.service.CapabilityService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes {@code vbo.pbx-capabilities}; an invalid message throws, is nacked and goes to {@code vbo.dead-letter}. */
@ApplicationScoped
public class PbxCapabilitiesListener {
    @Inject
    CapabilityService capabilities;

    @Incoming("pbx-capabilities")
    @Blocking(ordered = true)
    public void consume(String json) {
        capabilities.record(EventJson.fromJson(json, PbxCapabilities.class));
    }
}
