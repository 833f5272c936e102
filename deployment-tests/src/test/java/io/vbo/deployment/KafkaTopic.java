package io.vbo.deployment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A Strimzi {@code KafkaTopic} (kafka.strimzi.io/v1beta2), typed: fabric8 has no Strimzi model, so this record
 * declares exactly the fields VBO may use, and the strict parser refuses any other. Metadata is fabric8's typed
 * {@link ObjectMeta}.
 */
record KafkaTopic(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {
    /** Topic-level configuration keys Kafka 4.x accepts that VBO's topics may set. */
    static final Set<String> KNOWN_TOPIC_CONFIGS = Set.of("cleanup.policy", "retention.ms", "retention.bytes",
            "min.insync.replicas", "min.compaction.lag.ms", "max.compaction.lag.ms", "segment.ms", "segment.bytes",
            "delete.retention.ms", "max.message.bytes", "compression.type");

    @JsonCreator
    KafkaTopic(@JsonProperty(value = "apiVersion", required = true) String apiVersion,
            @JsonProperty(value = "kind", required = true) String kind,
            @JsonProperty(value = "metadata", required = true) ObjectMeta metadata,
            @JsonProperty(value = "spec", required = true) Spec spec) {
        this.apiVersion = apiVersion;
        this.kind = kind;
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        this.spec = Objects.requireNonNull(spec, "spec");
        if (metadata.getLabels() == null || !metadata.getLabels().containsKey("strimzi.io/cluster")) {
            throw new IllegalArgumentException("KafkaTopic " + metadata.getName()
                    + " has no strimzi.io/cluster label: no topic operator would manage it");
        }
    }

    /** The name of the topic in Kafka: {@code spec.topicName}, or the resource name when absent. */
    String topicName() {
        return spec.topicName() != null ? spec.topicName() : metadata.getName();
    }

    record Spec(String topicName, int partitions, int replicas, Map<String, Object> config) {
        @JsonCreator
        Spec(@JsonProperty("topicName") String topicName,
                @JsonProperty(value = "partitions", required = true) int partitions,
                @JsonProperty(value = "replicas", required = true) int replicas,
                @JsonProperty("config") Map<String, Object> config) {
            if (partitions < 1 || replicas < 1) {
                throw new IllegalArgumentException("partitions and replicas must be >= 1, got " + partitions + "/"
                        + replicas);
            }
            Map<String, Object> settings = config == null ? Map.of() : Map.copyOf(config);
            settings.keySet().stream().filter(key -> !KNOWN_TOPIC_CONFIGS.contains(key)).findFirst()
                    .ifPresent(key -> {
                        throw new IllegalArgumentException("unknown topic config '" + key + "'; known: "
                                + KNOWN_TOPIC_CONFIGS);
                    });
            this.topicName = topicName;
            this.partitions = partitions;
            this.replicas = replicas;
            this.config = settings;
        }
    }
}
