package io.vbo.policy.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vbo.policy.config.PolicyConfig;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** The admin client gets the channels' broker settings; the decisions topic gets its configured shape. */
class KafkaAdminTest {

    @Test
    void securitySettingsOfTheBrokerConfigurationReachTheAdminClient() {
        Map<String, Object> broker = Map.of("bootstrap.servers", "kafka-1:9093,kafka-2:9093",
                "security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "ssl.truststore.location", "/etc/vbo/truststore.p12", "group.id", "not-an-admin-key");
        assertEquals(Map.of("bootstrap.servers", "kafka-1:9093,kafka-2:9093", "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "ssl.truststore.location", "/etc/vbo/truststore.p12", "default.api.timeout.ms", 10_000,
                "request.timeout.ms", 10_000), KafkaAdmin.config(broker));
    }

    @Test
    void anExplicitTimeoutOfTheBrokerConfigurationWins() {
        assertEquals("3000", KafkaAdmin.config(Map.of("bootstrap.servers", "k:9092", "request.timeout.ms", "3000"))
                .get("request.timeout.ms"));
    }

    @Test
    void theDecisionsTopicHasTheConfiguredPartitionsAndReplication() {
        NewTopic three = DecisionTopic.newTopic("vbo.codec-decisions", publish(6, (short) 3));
        assertEquals("vbo.codec-decisions", three.name());
        assertEquals(6, three.numPartitions());
        assertEquals(3, three.replicationFactor());
        assertEquals(Map.of("cleanup.policy", "compact"), three.configs());
        assertEquals(-1, DecisionTopic.newTopic("vbo.codec-decisions", publish(3, (short) -1)).replicationFactor(),
                "-1 leaves the replication factor to the cluster's default");
        NewTopic limits = DecisionTopic.newTopic("vbo.site-limits", publish(3, (short) 1));
        assertEquals("vbo.site-limits", limits.name());
        assertEquals(Map.of("cleanup.policy", "compact"), limits.configs());
    }

    private static PolicyConfig.Publish publish(int partitions, short replication) {
        return new PolicyConfig.Publish() {
            @Override
            public Duration timeout() {
                return Duration.ofSeconds(30);
            }

            @Override
            public Duration resendEvery() {
                return Duration.ofSeconds(30);
            }

            @Override
            public int partitions() {
                return partitions;
            }

            @Override
            public short replicationFactor() {
                return replication;
            }
        };
    }
}
