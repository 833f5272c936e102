package io.vbo.discovery.service;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.vbo.discovery.config.DiscoveryConfig;
import io.vbo.events.Topics;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/**
 * Makes sure {@code vbo.pbx-capabilities} exists and is compacted before anything is published to it (the latest
 * record per PBX is its transcodable set; a broker's auto-creation would make it a plain, expiring topic). The
 * admin client is built from the {@code default-kafka-broker} configuration, so TLS/SASL settings reach it.
 */
@ApplicationScoped
public class CapabilitiesTopic {
    private static final Logger LOG = Logger.getLogger(CapabilitiesTopic.class);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @Inject
    DiscoveryConfig config;

    // Before DiscoveryService (default priority) starts the sessions whose first publication would auto-create it.
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION) StartupEvent event) {
        Map<String, Object> admin = new HashMap<>(kafka);
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        try (Admin client = Admin.create(admin)) {
            int partitions = config.capabilitiesTopic().partitions();
            try {
                client.createTopics(List.of(new NewTopic(Topics.PBX_CAPABILITIES, partitions,
                        config.capabilitiesTopic().replicationFactor())
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                        .all().get(10, TimeUnit.SECONDS);
                LOG.infof("created compacted topic %s (%d partitions)", Topics.PBX_CAPABILITIES, partitions);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                // Made earlier by this service, the writer, or a broker's auto-creation: make sure it is compacted.
                ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.PBX_CAPABILITIES);
                client.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
                        new ConfigEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT),
                        AlterConfigOp.OpType.SET)))).all().get(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            LOG.warnf("could not ensure %s is compacted (%s); create it with cleanup.policy=compact",
                    Topics.PBX_CAPABILITIES, cause.getMessage());
        }
    }
}
