package io.vbo.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/** Plain Kafka clients for tests: send raw strings, read what a service published. */
public final class KafkaTestClient implements AutoCloseable {
    private static final Duration CATCH_UP = Duration.ofSeconds(30);
    private final String bootstrap;
    private final KafkaProducer<String, String> producer;

    public KafkaTestClient(String bootstrapServers) {
        this.bootstrap = bootstrapServers;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    public void send(String topic, String key, String value, Header... headers) {
        try {
            producer.send(new ProducerRecord<>(topic, null, key, value, List.of(headers))).get();
        } catch (Exception e) {
            throw new IllegalStateException("send to " + topic + " failed", e);
        }
    }

    /** A consumer in a fresh group reading {@code topic} from the beginning. Close it when done. */
    public Reader reader(String topic) {
        return new Reader(topic);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    /** Reads records from one topic from the beginning, accumulating what it has seen. */
    public final class Reader implements AutoCloseable {
        private final KafkaConsumer<String, String> consumer;
        private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

        private Reader(String topic) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
            consumer.subscribe(List.of(topic));
        }

        /** Polls until {@code count} records matching {@code filter} were seen, or fails after {@code timeout}. */
        public List<ConsumerRecord<String, String>> await(int count, Predicate<ConsumerRecord<String, String>> filter,
                Duration timeout) {
            Instant deadline = Instant.now().plus(timeout);
            while (true) {
                List<ConsumerRecord<String, String>> matching = seen.stream().filter(filter).toList();
                if (matching.size() >= count) {
                    return matching;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("expected " + count + " matching records within " + timeout + ", saw "
                            + matching.size() + " of " + seen.size() + ": " + seen.stream().map(ConsumerRecord::value).toList());
                }
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
        }

        public List<ConsumerRecord<String, String>> await(int count, Duration timeout) {
            return await(count, r -> true, timeout);
        }

        /**
         * Everything published to the topic up to this call, and whatever arrives during {@code quiet} more (zero
         * allowed): first polls until the reader holds its partitions and has read up to their end offsets as of this
         * call, so "nothing else was published" is checked against the whole topic. Fails after 30 s of catching up.
         */
        public List<ConsumerRecord<String, String>> drain(Duration quiet) {
            // The consumer is used from the caller's thread only: Awaitility evaluates in it.
            Awaitility.await("reader of " + consumer.subscription() + " assigned").atMost(CATCH_UP).pollInSameThread()
                    .pollInterval(Duration.ZERO).until(() -> {
                        poll();
                        return !consumer.assignment().isEmpty();
                    });
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), CATCH_UP);
            Awaitility.await("reader of " + consumer.subscription() + " at the end offsets " + end).atMost(CATCH_UP)
                    .pollInSameThread().pollInterval(Duration.ZERO).until(() -> {
                        if (end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                            return true;
                        }
                        poll();
                        return false;
                    });
            Instant quietEnd = Instant.now().plus(quiet);
            while (Instant.now().isBefore(quietEnd)) {
                poll();
            }
            return List.copyOf(seen);
        }

        private void poll() {
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** The value of a header as text, or {@code null}. */
    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
