package io.vbo.policy.listener;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.vbo.events.ProbeResult;
import io.vbo.events.Topics;
import io.vbo.policy.service.IngestService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code vbo.probe-results} in batches: valid results are stored first, then invalid records and those
 * the database refused for their data are dead-lettered and the batch acknowledged ({@link ParsedBatch}).
 */
@ApplicationScoped
public class ProbeResultListener {
    private static final Logger LOG = Logger.getLogger(ProbeResultListener.class);

    @Inject
    IngestService ingest;

    @Incoming("probe-results")
    @Blocking(ordered = true)
    public CompletionStage<Void> consume(KafkaRecordBatch<String, String> batch) {
        ParsedBatch<ProbeResult> parsed = ParsedBatch.parse(batch, ProbeResult.class);
        if (!parsed.valid().isEmpty()) {
            long start = System.nanoTime();
            IngestService.Outcome outcome = ingest.ingest(parsed.valid());
            LOG.debugf("batch of %d: %d stored, %d already stored, %d decisions, %.1f ms", parsed.valid().size(),
                    outcome.stored(), outcome.duplicates(), outcome.decisions().size(), (System.nanoTime() - start) / 1e6);
            outcome.refused().forEach(refused -> parsed.refuse(refused.result(), refused.reason()));
        }
        return parsed.deadLetterAndAck(Topics.PROBE_RESULTS, LOG);
    }
}
