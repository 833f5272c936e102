package io.vbo.writer.listener;

import io.smallrye.common.annotation.Identifier;
import io.vbo.events.CodecDecision;
import io.vbo.events.EventJson;
import io.vbo.events.InvalidEventException;
import io.vbo.writer.config.WriterConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

/**
 * Reads the compacted decisions topic from the beginning to its current end (no consumer group, nothing
 * committed) and returns the latest decision per endpoint of this PBX: the desired state. Its consumer is built from
 * the {@code default-kafka-broker} configuration (every {@code kafka.*} key), so the TLS and SASL settings given to
 * the channels reach it too.
 */
@ApplicationScoped
public class DesiredStateReader {
    private static final Logger LOG = Logger.getLogger(DesiredStateReader.class);

    @Inject
    WriterConfig config;
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    /** The consumer's settings: the shared broker settings, without any group (nothing is committed). */
    public Properties consumerProperties() {
        Properties props = new Properties();
        props.putAll(kafka);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "vbo-config-writer-converge-" + config.pbxId());
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return props;
    }

    @Retry(maxRetries = 20, delay = 3000, maxDuration = 120000)
    public List<CodecDecision> read() {
        Properties props = consumerProperties();
        Map<String, CodecDecision> latest = new LinkedHashMap<>();
        int skipped = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(config.decisionsTopic(), Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                return List.of();
            }
            List<TopicPartition> partitions = new ArrayList<>();
            infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plusSeconds(60);
            while (!reached(consumer, end)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("reading " + config.decisionsTopic() + " to its end took over 60 s");
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() == null) {
                        continue;
                    }
                    try {
                        CodecDecision d = EventJson.fromJson(r.value(), CodecDecision.class);
                        if (d.pbxId().equals(config.pbxId())) {
                            latest.remove(d.endpoint());
                            latest.put(d.endpoint(), d);
                        }
                    } catch (InvalidEventException e) {
                        // The live channel dead-letters it; here it simply is not desired state.
                        skipped++;
                    }
                }
            }
        }
        LOG.infof("pbx %s: desired state from %s: %d endpoint(s)%s", config.pbxId(), config.decisionsTopic(), latest.size(),
                skipped > 0 ? " (" + skipped + " invalid message(s) skipped)" : "");
        return new ArrayList<>(latest.values());
    }

    private static boolean reached(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
