package io.vbo.probe.health;

import io.quarkus.runtime.StartupEvent;
import io.vbo.probe.iperf.Iperf3Runner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Readiness says whether the iperf3 binary runs. Without it every probe ends as ERROR; the service keeps running
 * (no crash loop) so that installing iperf3 is enough to recover.
 */
@Readiness
@ApplicationScoped
public class Iperf3HealthCheck implements HealthCheck {
    private static final Logger LOG = Logger.getLogger(Iperf3HealthCheck.class);

    @Inject
    Iperf3Runner runner;

    void onStart(@Observes StartupEvent event) {
        runner.version().ifPresentOrElse(v -> LOG.infof("using %s (%s)", v, runner.binary()),
                () -> LOG.errorf("iperf3 binary '%s' cannot be run: every probe will end as ERROR until it is "
                        + "installed (apt-get install iperf3) or vbo.probe.iperf3.binary points at it", runner.binary()));
    }

    @Override
    public HealthCheckResponse call() {
        Optional<String> version = runner.version();
        return HealthCheckResponse.named("iperf3").status(version.isPresent())
                .withData("binary", runner.binary())
                .withData("version", version.orElse("not runnable"))
                .build();
    }
}
