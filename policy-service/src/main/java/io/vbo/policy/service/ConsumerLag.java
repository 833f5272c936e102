package io.vbo.policy.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.vbo.events.Topics;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@code vbo.policy.consumer.lag}: results on {@code vbo.probe-results} the policy's group has not committed yet, the
 * sum over partitions of log end offset minus committed offset (log start offset where nothing is committed). Read
 * from the broker, so it keeps growing while consumption is stuck; the Kafka client's own {@code records-lag} metrics
 * only move while the consumer fetches, and read 0 or NaN exactly then. -1 until the first reading.
 */
@ApplicationScoped
public class ConsumerLag {
    private static final Logger LOG = Logger.getLogger(ConsumerLag.class);

    @Inject
    KafkaAdmin kafka;
    @Inject
    MeterRegistry registry;
    @ConfigProperty(name = "mp.messaging.incoming.probe-results.group.id")
    String group;

    private final AtomicLong lag = new AtomicLong(-1);

    @PostConstruct
    void register() {
        Gauge.builder("vbo.policy.consumer.lag", lag, AtomicLong::get).tags("topic", Topics.PROBE_RESULTS, "group", group)
                .description("records of vbo.probe-results not yet committed by the policy's consumer group")
                .register(registry);
    }

    @Scheduled(every = "${vbo.policy.store.lag-every:10s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void measure() {
        try {
            lag.set(read());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debugf("consumer lag not read, the last reading stays: %s", IngestService.rootMessage(e));
        }
    }

    /** The lag now, read from the broker. */
    public long read() throws Exception {
        Admin admin = kafka.get();
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(KafkaAdmin.TIMEOUT_MS, TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        admin.describeTopics(java.util.List.of(Topics.PROBE_RESULTS)).allTopicNames()
                .get(KafkaAdmin.TIMEOUT_MS, TimeUnit.MILLISECONDS).get(Topics.PROBE_RESULTS).partitions()
                .forEach(p -> {
                    TopicPartition tp = new TopicPartition(Topics.PROBE_RESULTS, p.partition());
                    latest.put(tp, OffsetSpec.latest());
                    earliest.put(tp, OffsetSpec.earliest());
                });
        Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                .get(KafkaAdmin.TIMEOUT_MS, TimeUnit.MILLISECONDS);
        Map<TopicPartition, ListOffsetsResultInfo> starts = admin.listOffsets(earliest).all()
                .get(KafkaAdmin.TIMEOUT_MS, TimeUnit.MILLISECONDS);
        long total = 0;
        for (Map.Entry<TopicPartition, ListOffsetsResultInfo> end : ends.entrySet()) {
            OffsetAndMetadata done = committed.get(end.getKey());
            long from = done == null ? starts.get(end.getKey()).offset() : done.offset();
            total += Math.max(0, end.getValue().offset() - from);
        }
        return total;
    }
}
