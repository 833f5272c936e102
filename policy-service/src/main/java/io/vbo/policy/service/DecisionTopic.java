package io.vbo.policy.service;

import io.quarkus.runtime.StartupEvent;
import io.vbo.events.Topics;
import io.vbo.policy.config.PolicyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.jboss.logging.Logger;

/**
 * The policy owns {@code vbo.codec-decisions} and {@code vbo.site-limits}: at start it makes sure each exists and is
 * compacted (the latest decision per endpoint, the latest limit per site, is the desired state), also when a broker's
 * auto-creation made it first. Partitions and replication factor of a topic it creates are
 * {@code vbo.policy.publish.partitions} and {@code vbo.policy.publish.replication-factor}.
 */
@ApplicationScoped
public class DecisionTopic {
    private static final Logger LOG = Logger.getLogger(DecisionTopic.class);

    @Inject
    KafkaAdmin kafka;
    @Inject
    PolicyConfig config;

    void onStart(@Observes StartupEvent event) {
        ensureCompacted(Topics.CODEC_DECISIONS);
        ensureCompacted(Topics.SITE_LIMITS);
    }

    private void ensureCompacted(String name) {
        try {
            Admin admin = kafka.get();
            Set<String> names = admin.listTopics().names().get(KafkaAdmin.TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (!names.contains(name)) {
                NewTopic topic = newTopic(name, config.publish());
                admin.createTopics(List.of(topic)).all().get(KafkaAdmin.TIMEOUT_MS, TimeUnit.MILLISECONDS);
                LOG.infof("created compacted topic %s (%d partitions, replication factor %s)", name,
                        topic.numPartitions(), topic.replicationFactor() < 0 ? "of the cluster"
                                : Short.toString(topic.replicationFactor()));
            } else {
                ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, name);
                admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
                        new ConfigEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT),
                        AlterConfigOp.OpType.SET)))).all().get(KafkaAdmin.TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("could not ensure %s is compacted (%s); create it with cleanup.policy=compact", name,
                    IngestService.rootMessage(e));
        }
    }

    /** The compacted topic as configured; a negative replication factor leaves it to the cluster's default. */
    static NewTopic newTopic(String name, PolicyConfig.Publish publish) {
        Optional<Short> replication = publish.replicationFactor() < 0 ? Optional.empty()
                : Optional.of(publish.replicationFactor());
        return new NewTopic(name, Optional.of(publish.partitions()), replication)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }
}
