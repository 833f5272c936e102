package io.vbo.policy.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.vbo.policy.config.PolicyConfig;
import io.vbo.policy.repository.CallRepository;
import io.vbo.policy.repository.MeasurementRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/** Purges measurements and calls older than the retention period, in chunks so no single transaction grows large. */
@ApplicationScoped
public class RetentionJob {
    private static final Logger LOG = Logger.getLogger(RetentionJob.class);

    @Inject
    MeasurementRepository measurements;
    @Inject
    CallRepository calls;
    @Inject
    PolicyConfig config;

    @Scheduled(every = "${vbo.policy.retention.every:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            purge(Instant.now().minus(Duration.ofDays(config.retention().days())));
        } catch (RuntimeException e) {
            LOG.warnf("retention purge failed, next run retries: %s", IngestService.rootMessage(e));
        }
    }

    /** Deletes every measurement, call sample and call older than {@code cutoff}; returns how many measurements. */
    public long purge(Instant cutoff) {
        long total = purge(cutoff, "measurements", measurements::purgeChunk);
        purge(cutoff, "call samples", calls::purgeSamples);
        purge(cutoff, "calls", calls::purgeSummaries);
        return total;
    }

    private interface Chunk {
        int purge(Instant cutoff, int chunk) throws Exception;
    }

    private long purge(Instant cutoff, String what, Chunk purger) {
        long total = 0;
        int chunk = config.retention().chunkSize();
        int deleted;
        do {
            deleted = QuarkusTransaction.requiringNew().call(() -> purger.purge(cutoff, chunk));
            total += deleted;
        } while (deleted == chunk);
        if (total > 0) {
            LOG.infof("retention: purged %d %s older than %s", total, what, cutoff);
        }
        return total;
    }
}
