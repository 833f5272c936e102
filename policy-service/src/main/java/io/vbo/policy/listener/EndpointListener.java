package io.vbo.policy.listener;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.vbo.events.EndpointEvent;
import io.vbo.events.EndpointObserved;
import io.vbo.events.EventJson;
import io.vbo.policy.service.SiteMembership;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code vbo.endpoints} for the endpoints' sites ({@code EndpointGone} changes no site: a phone that
 * registers again keeps its place); an invalid message throws, is nacked and goes to {@code vbo.dead-letter}.
 */
@ApplicationScoped
public class EndpointListener {
    @Inject
    SiteMembership membership;

    @Incoming("endpoints")
    @Blocking(ordered = true)
    public void consume(String json) throws SQLException {
        if (EventJson.fromJson(json, EndpointEvent.class) instanceof EndpointObserved observed) {
            membership.observed(observed);
        }
    }
}
