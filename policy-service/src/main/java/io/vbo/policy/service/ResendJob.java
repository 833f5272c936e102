package io.vbo.policy.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.vbo.policy.repository.DecisionEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Resends decisions that were stored but never acknowledged by Kafka (broker down when they were made). Only the
 * latest decision per endpoint matters on the compacted topic, so older unpublished ones are not resent.
 */
@ApplicationScoped
public class ResendJob {
    private static final Logger LOG = Logger.getLogger(ResendJob.class);

    @Inject
    DecisionPublisher publisher;

    @Scheduled(every = "${vbo.policy.publish.resend-every:30s}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void resend() {
        Instant before = Instant.now().minusSeconds(30);
        List<DecisionEntity> pending = QuarkusTransaction.requiringNew().call(() -> DecisionEntity.<DecisionEntity>find(
                "from DecisionEntity o where o.publishedAt is null and o.decidedAt < ?1 and o.decidedAt = "
                        + "(select max(d.decidedAt) from DecisionEntity d where d.pbxId = o.pbxId and d.endpoint = o.endpoint)",
                before)
                .range(0, 999).list());
        if (!pending.isEmpty()) {
            LOG.infof("resending %d unpublished decisions", pending.size());
            publisher.publish(pending);
        }
    }
}
