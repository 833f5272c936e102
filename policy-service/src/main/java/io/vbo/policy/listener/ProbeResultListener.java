package io.vbo.policy.listener;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.vbo.events.EventJson;
import io.vbo.events.InvalidEventException;
import io.vbo.events.ProbeResult;
import io.vbo.events.Topics;
import io.vbo.events.Validate;
import io.vbo.policy.service.IngestService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code vbo.probe-results} in batches. Valid results are stored first (blocking until PostgreSQL takes
 * them); only then are invalid records nacked, which sends each to {@code vbo.dead-letter} with the offending
 * field as the reason, and the batch acknowledged. So an offset is never committed past an unstored result, and a
 * database outage never dead-letters a valid one.
 */
@ApplicationScoped
public class ProbeResultListener {
    private static final Logger LOG = Logger.getLogger(ProbeResultListener.class);

    @Inject
    IngestService ingest;

    @Incoming("probe-results")
    @Blocking(ordered = true)
    public CompletionStage<Void> consume(KafkaRecordBatch<String, String> batch) {
        List<ProbeResult> valid = new ArrayList<>();
        List<KafkaRecord<String, String>> invalid = new ArrayList<>();
        List<InvalidEventException> reasons = new ArrayList<>();
        for (KafkaRecord<String, String> record : batch.getRecords()) {
            try {
                valid.add(EventJson.fromJson(record.getPayload(), ProbeResult.class));
            } catch (InvalidEventException e) {
                invalid.add(record);
                reasons.add(e);
            }
        }
        if (!valid.isEmpty()) {
            long start = System.nanoTime();
            IngestService.Outcome outcome = ingest.ingest(valid);
            LOG.debugf("batch of %d: %d stored, %d already stored, %d decisions, %.1f ms", valid.size(),
                    outcome.stored(), outcome.duplicates(), outcome.decisions().size(), (System.nanoTime() - start) / 1e6);
        }
        for (int i = 0; i < invalid.size(); i++) {
            KafkaRecord<String, String> record = invalid.get(i);
            LOG.warnf("%s partition %d offset %s (key %s) → %s: %s", Topics.PROBE_RESULTS, record.getPartition(),
                    record.getMetadata(IncomingKafkaRecordMetadata.class).map(m -> Long.toString(m.getOffset())).orElse("?"),
                    Validate.printable(record.getKey()), Topics.DEAD_LETTER, reasons.get(i).getMessage());
            record.nack(reasons.get(i)).toCompletableFuture().join();
        }
        return batch.ack().exceptionally(e -> {
            LOG.warnf("acknowledging a batch failed (it will be redelivered and deduplicated): %s", e.getMessage());
            return null;
        });
    }
}
