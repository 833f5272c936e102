package io.vbo.policy.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vbo.events.CodecDecision;
import io.vbo.policy.config.PolicyConfig;
import io.vbo.policy.repository.DecisionEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Sends stored decisions to {@code vbo.codec-decisions} (keyed {@code pbxId/endpoint}) and marks the ones the broker
 * acknowledged. A decision the broker did not take stays unpublished for {@link ResendJob}.
 */
@ApplicationScoped
public class DecisionPublisher {
    private static final Logger LOG = Logger.getLogger(DecisionPublisher.class);

    @Inject
    @Channel("codec-decisions")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192)
    Emitter<CodecDecision> emitter;
    @Inject
    PolicyConfig config;
    @Inject
    MeterRegistry registry;

    /** A Kafka message with its key whose broker acknowledgement completes {@code ack} with {@code value}. */
    static <T, V> Message<T> keyed(T payload, String key, CompletableFuture<V> ack, V value) {
        return Message.of(payload)
                .withAck(() -> {
                    ack.complete(value);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(e -> {
                    ack.completeExceptionally(e);
                    return CompletableFuture.completedFuture(null);
                })
                .addMetadata(OutgoingKafkaRecordMetadata.builder().withKey(key).build());
    }

    /** Publishes, waits for the acknowledgements, records them; returns how many were published. */
    public int publish(List<DecisionEntity> decisions) {
        if (decisions.isEmpty()) {
            return 0;
        }
        List<CompletableFuture<UUID>> acks = new ArrayList<>();
        for (DecisionEntity d : decisions) {
            CodecDecision event = Decisions.toEvent(d);
            CompletableFuture<UUID> ack = new CompletableFuture<>();
            acks.add(ack);
            try {
                emitter.send(keyed(event, event.key(), ack, d.decisionId));
            } catch (RuntimeException e) {
                ack.completeExceptionally(e);
            }
        }
        List<UUID> published = new ArrayList<>();
        long deadline = System.nanoTime() + config.publish().timeout().toNanos();
        for (int i = 0; i < acks.size(); i++) {
            DecisionEntity d = decisions.get(i);
            try {
                published.add(acks.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                registry.counter("vbo.policy.decisions", "pbx", d.pbxId, "tier", d.tier).increment();
                LOG.infof("decision %s for %s/%s: %s → %s [%s] (%s)", d.decisionId, d.pbxId, d.endpoint,
                        d.previousTier == null ? "(none)" : d.previousTier, d.tier, d.codecs, d.reason);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                LOG.warnf("decision %s for %s/%s not published yet (%s); the resend sweep will retry it",
                        d.decisionId, d.pbxId, d.endpoint, e.getMessage());
            }
        }
        if (!published.isEmpty()) {
            Instant now = Instant.now();
            try {
                QuarkusTransaction.requiringNew().run(() -> DecisionEntity.update(
                        "publishedAt = ?1 where decisionId in ?2", now, published));
            } catch (RuntimeException e) {
                LOG.warnf("published %d decisions but could not record it (%s); the resend sweep may send them again",
                        published.size(), IngestService.rootMessage(e));
            }
        }
        return published.size();
    }
}
