package io.vbo.policy.service;

import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The policy's own Kafka admin client (topic set-up, consumer lag), configured like the channels from the
 * {@code default-kafka-broker} configuration, i.e. every {@code kafka.*} key: bootstrap servers and any TLS or SASL
 * setting reach it.
 */
@ApplicationScoped
public class KafkaAdmin {
    /** Upper bound of one admin call, so a start-up or a lag reading never waits out Kafka's 60 s default. */
    static final int TIMEOUT_MS = 10_000;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> broker;

    private Admin admin;

    /** The client, created on first use. */
    public synchronized Admin get() {
        if (admin == null) {
            admin = Admin.create(config(broker));
        }
        return admin;
    }

    /** The admin client's configuration: the broker configuration's admin keys (others would only log warnings). */
    static Map<String, Object> config(Map<String, Object> broker) {
        Map<String, Object> config = new HashMap<>();
        broker.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                config.put(key, value);
            }
        });
        config.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        config.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        return config;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
