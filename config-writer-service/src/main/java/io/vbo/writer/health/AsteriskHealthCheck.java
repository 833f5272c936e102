package io.vbo.writer.health;

import io.vbo.writer.config.WriterConfig;
import io.vbo.writer.pbx.Asterisk;
import io.vbo.writer.pbx.PbxException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the Asterisk link: UP with {@code configured=false} when no Asterisk is configured (a local run is
 * not an error); DOWN with the reason when a configured Asterisk does not answer, since nothing can be applied then.
 */
@Readiness
@ApplicationScoped
public class AsteriskHealthCheck implements HealthCheck {
    @Inject
    Asterisk asterisk;
    @Inject
    WriterConfig config;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("asterisk")
                .withData("pbx", config.pbxId())
                .withData("configured", asterisk.configured())
                .withData("via", asterisk.describe());
        if (!asterisk.configured()) {
            return builder.up().build();
        }
        try {
            asterisk.ping();
            return builder.up().build();
        } catch (PbxException e) {
            return builder.down().withData("error", e.getMessage()).build();
        }
    }
}
