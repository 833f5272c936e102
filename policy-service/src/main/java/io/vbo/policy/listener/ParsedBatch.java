package io.vbo.policy.listener;

import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.vbo.events.EventJson;
import io.vbo.events.InvalidEventException;
import io.vbo.events.Topics;
import io.vbo.events.Validate;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * A Kafka batch parsed into events. The caller stores {@link #valid()} first (blocking until PostgreSQL takes them);
 * only then does {@link #deadLetterAndAck} nack the invalid records, which sends each to {@code vbo.dead-letter} with
 * the offending field (or the database's refusal, {@link #refuse}) as the reason, and acknowledge the batch. So an
 * offset is never committed past an unstored event, and a database outage never dead-letters a valid one.
 */
final class ParsedBatch<T> {
    private final KafkaRecordBatch<String, String> batch;
    private final List<T> valid = new ArrayList<>();
    private final Map<T, KafkaRecord<String, String>> recordOf = new IdentityHashMap<>();
    private final List<KafkaRecord<String, String>> invalid = new ArrayList<>();
    private final List<InvalidEventException> reasons = new ArrayList<>();

    private ParsedBatch(KafkaRecordBatch<String, String> batch) {
        this.batch = batch;
    }

    static <T> ParsedBatch<T> parse(KafkaRecordBatch<String, String> batch, Class<T> type) {
        ParsedBatch<T> parsed = new ParsedBatch<>(batch);
        for (KafkaRecord<String, String> record : batch.getRecords()) {
            try {
                T event = EventJson.fromJson(record.getPayload(), type);
                parsed.valid.add(event);
                parsed.recordOf.put(event, record);
            } catch (InvalidEventException e) {
                parsed.invalid.add(record);
                parsed.reasons.add(e);
            }
        }
        return parsed;
    }

    List<T> valid() {
        return valid;
    }

    /** A valid event the database refused for its data: dead-lettered with that reason too. */
    void refuse(T event, InvalidEventException reason) {
        invalid.add(recordOf.get(event));
        reasons.add(reason);
    }

    CompletionStage<Void> deadLetterAndAck(String topic, Logger log) {
        for (int i = 0; i < invalid.size(); i++) {
            KafkaRecord<String, String> record = invalid.get(i);
            log.warnf("%s partition %d offset %s (key %s) → %s: %s", topic, record.getPartition(),
                    record.getMetadata(IncomingKafkaRecordMetadata.class).map(m -> Long.toString(m.getOffset())).orElse("?"),
                    Validate.printable(record.getKey()), Topics.DEAD_LETTER, reasons.get(i).getMessage());
            record.nack(reasons.get(i)).toCompletableFuture().join();
        }
        return batch.ack().exceptionally(e -> {
            log.warnf("acknowledging a batch failed (it will be redelivered and deduplicated): %s", e.getMessage());
            return null;
        });
    }
}
