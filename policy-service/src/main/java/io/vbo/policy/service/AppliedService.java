package io.vbo.policy.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.vbo.events.ConfigApplied;
import io.vbo.policy.repository.DecisionEntity;
import io.vbo.policy.repository.EndpointStateRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

/** Records what the config writer did with a decision; retries while PostgreSQL is down, like the ingest path. */
@ApplicationScoped
public class AppliedService {
    private static final Logger LOG = Logger.getLogger(AppliedService.class);

    @Retry(maxRetries = -1, maxDuration = 0, delay = 250, jitter = 100)
    @ExponentialBackoff(factor = 2, maxDelay = 30, maxDelayUnit = ChronoUnit.SECONDS)
    public boolean record(ConfigApplied applied) {
        int updated = QuarkusTransaction.requiringNew().call(() -> DecisionEntity.update(
                "appliedStatus = ?1, appliedAt = ?2, appliedCodecs = ?3, appliedError = ?4 where decisionId = ?5",
                applied.status().name(), applied.appliedAt(), EndpointStateRepository.join(applied.codecsReported()),
                applied.error(), applied.decisionId()));
        if (updated == 0) {
            LOG.warnf("config-applied for unknown decision %s (%s/%s, %s): not recorded", applied.decisionId(),
                    applied.pbxId(), applied.endpoint(), applied.status());
            return false;
        }
        LOG.infof("decision %s for %s/%s: %s, Asterisk reports %s", applied.decisionId(), applied.pbxId(),
                applied.endpoint(), applied.status(), applied.codecsReported());
        return true;
    }
}
