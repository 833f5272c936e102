package io.vbo.policy.listener;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.vbo.events.CallQuality;
import io.vbo.events.Topics;
import io.vbo.policy.service.CallService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code vbo.call-quality} in batches, with the same guarantees as the probe results: valid messages are
 * stored first, then invalid ones are dead-lettered and the batch acknowledged ({@link ParsedBatch}).
 */
@ApplicationScoped
public class CallQualityListener {
    private static final Logger LOG = Logger.getLogger(CallQualityListener.class);

    @Inject
    CallService calls;

    @Incoming("call-quality")
    @Blocking(ordered = true)
    public CompletionStage<Void> consume(KafkaRecordBatch<String, String> batch) {
        ParsedBatch<CallQuality> parsed = ParsedBatch.parse(batch, CallQuality.class);
        if (!parsed.valid().isEmpty()) {
            long start = System.nanoTime();
            CallService.Outcome outcome = calls.ingest(parsed.valid());
            LOG.debugf("call-quality batch of %d: %d samples and %d calls stored, %d already stored, %d decisions, "
                    + "%.1f ms", parsed.valid().size(), outcome.samples(), outcome.calls(), outcome.duplicates(),
                    outcome.decisions().size(), (System.nanoTime() - start) / 1e6);
        }
        return parsed.deadLetterAndAck(Topics.CALL_QUALITY, LOG);
    }
}
