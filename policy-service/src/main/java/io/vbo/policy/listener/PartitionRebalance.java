package io.vbo.policy.listener;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.vbo.policy.service.EndpointStates;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * With several instances, an endpoint's partition may have been owned by another instance since this one last saw
 * it: on every assignment the in-memory states are dropped and reloaded from PostgreSQL on next use.
 */
@ApplicationScoped
@Identifier("policy-rebalance")
public class PartitionRebalance implements KafkaConsumerRebalanceListener {
    private static final Logger LOG = Logger.getLogger(PartitionRebalance.class);

    @Inject
    EndpointStates states;

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        states.clear();
        LOG.infof("assigned %s; endpoint states will be reloaded from PostgreSQL", partitions);
    }
}
