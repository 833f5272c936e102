package io.vbo.writer.health;

import io.vbo.writer.service.AdmissionApplier;
import io.vbo.writer.service.AdmissionService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * What call admission last did: always UP (a rolled-back limit leaves the previous dialplan working, and taking the
 * writer out of service would stop codec changes too), with the sites written and the last batch's outcome.
 */
@Readiness
@ApplicationScoped
public class AdmissionHealthCheck implements HealthCheck {
    @Inject
    AdmissionService admission;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("admission").up()
                .withData("sites", admission.sites());
        AdmissionApplier.Result last = admission.last();
        if (last != null) {
            builder.withData("lastStatus", last.status().name()).withData("lastSites", String.join("; ", last.sites()));
            if (last.detail() != null) {
                builder.withData("lastDetail", last.detail());
            }
        }
        return builder.build();
    }
}
