package io.vbo.policy.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of storing probe results: DOWN, with the last error, once a batch could not be stored for longer than
 * {@code vbo.policy.store.retry-for}; UP again as soon as a batch is stored.
 */
@Readiness
@ApplicationScoped
public class StorageHealthCheck implements HealthCheck {
    private final AtomicReference<String> failure = new AtomicReference<>();

    /** Storing has failed for longer than the retry bound. */
    public void failing(String reason) {
        failure.set(reason);
    }

    /** A batch was stored. */
    public void stored() {
        failure.set(null);
    }

    @Override
    public HealthCheckResponse call() {
        String reason = failure.get();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("probe-result storage");
        return reason == null ? response.up().build() : response.down().withData("reason", reason).build();
    }
}
