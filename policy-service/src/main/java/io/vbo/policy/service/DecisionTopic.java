package io.vbo.policy.service;

import io.quarkus.runtime.StartupEvent;
import io.vbo.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The policy owns {@code vbo.codec-decisions}: at start it makes sure the topic exists and is compacted (the latest
 * decision per endpoint is the desired state), also when a broker's auto-creation made it first.
 */
@ApplicationScoped
public class DecisionTopic {
    private static final Logger LOG = Logger.getLogger(DecisionTopic.class);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @jakarta.inject.Inject
    io.vbo.policy.config.PolicyConfig config;

    void onStart(@Observes StartupEvent event) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000))) {
            Set<String> names = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            if (!names.contains(Topics.CODEC_DECISIONS)) {
                admin.createTopics(List.of(new NewTopic(Topics.CODEC_DECISIONS, config.publish().partitions(), (short) 1)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                        .all().get(10, TimeUnit.SECONDS);
                LOG.infof("created compacted topic %s (%d partitions)", Topics.CODEC_DECISIONS,
                        config.publish().partitions());
            } else {
                ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.CODEC_DECISIONS);
                admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
                        new ConfigEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT),
                        AlterConfigOp.OpType.SET)))).all().get(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("could not ensure %s is compacted (%s); create it with cleanup.policy=compact",
                    Topics.CODEC_DECISIONS, IngestService.rootMessage(e));
        }
    }
}
