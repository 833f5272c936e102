package io.vbo.probe.listener;

import io.vbo.events.EndpointEvent;
import io.vbo.events.EventJson;
import io.vbo.probe.service.ProbeDispatcher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads {@code vbo.endpoints}. An unparsable or invalid message throws, which nacks it to {@code vbo.dead-letter}
 * with the offending field in the reason; the next message is processed normally.
 */
@ApplicationScoped
public class EndpointListener {
    @Inject
    ProbeDispatcher dispatcher;

    @Incoming("endpoints")
    public void consume(String json) {
        dispatcher.accept(EventJson.fromJson(json, EndpointEvent.class));
    }
}
