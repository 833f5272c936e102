package io.vbo.probe.listener;

import io.vbo.events.CallQuality;
import io.vbo.events.EventJson;
import io.vbo.probe.service.ProbeDispatcher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads {@code vbo.call-quality}: a call reporting loss or jitter makes its endpoint's link due for a probe. An
 * unparsable or invalid message throws, which nacks it to {@code vbo.dead-letter} with the offending field in the
 * reason; the next message is processed normally.
 */
@ApplicationScoped
public class CallQualityListener {
    @Inject
    ProbeDispatcher dispatcher;

    @Incoming("call-quality")
    public void consume(String json) {
        dispatcher.callQuality(EventJson.fromJson(json, CallQuality.class));
    }
}
