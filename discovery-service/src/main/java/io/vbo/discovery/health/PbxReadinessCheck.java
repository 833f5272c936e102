package io.vbo.discovery.health;

import io.vbo.discovery.service.DiscoveryService;
import io.vbo.discovery.service.PbxWatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when every configured PBX is reachable (AMI logged in, or the last CLI run worked); the data names each PBX's
 * state and, when down, why ("connection refused", "authentication failed", "timeout ..."), and
 * {@code <pbx>.transcodable} the codecs last published for it. No PBX configured is UP.
 */
@Readiness
@ApplicationScoped
public class PbxReadinessCheck implements HealthCheck {
    @Inject
    DiscoveryService discovery;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("PBX connections").up();
        if (discovery.watches().isEmpty()) {
            return builder.withData("pbx", "none configured").build();
        }
        for (PbxWatch watch : discovery.watches()) {
            if (watch.up()) {
                builder.withData(watch.id(), "connected");
            } else {
                builder.withData(watch.id(), "down: " + watch.reason()).down();
            }
            watch.capabilities().ifPresent(c -> builder.withData(watch.id() + ".transcodable",
                    String.join(",", c.transcodable()) + " (" + c.source() + ")"));
        }
        return builder.build();
    }
}
