package io.vbo.policy.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.vbo.events.SiteLimit;
import io.vbo.policy.config.PolicyConfig;
import io.vbo.policy.model.PolicyEngine;
import io.vbo.policy.repository.SiteRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Sends stored site limits to the compacted {@code vbo.site-limits} (keyed {@code pbxId/site}) and marks the ones the
 * broker acknowledged; a limit the broker did not take is sent again by {@link #resend()}, like a decision. A site that
 * lost its last member gets a tombstone (null value) for its key, and its row is deleted once the broker took it.
 */
@ApplicationScoped
public class SiteLimitPublisher {
    private static final Logger LOG = Logger.getLogger(SiteLimitPublisher.class);

    @Inject
    @Channel("site-limits")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
    Emitter<SiteLimit> emitter;
    @Inject
    PolicyConfig config;
    @Inject
    SiteRepository repository;
    @Inject
    SiteService sites;

    /** Publishes, waits for the acknowledgements, records them; returns how many were published. */
    public int publish(List<SiteLimit> limits) {
        List<CompletableFuture<SiteLimit>> acks = new ArrayList<>();
        for (SiteLimit l : limits) {
            sites.gauges(l);
            CompletableFuture<SiteLimit> ack = new CompletableFuture<>();
            acks.add(ack);
            try {
                emitter.send(DecisionPublisher.keyed(l, l.key(), ack, l));
            } catch (RuntimeException e) {
                ack.completeExceptionally(e);
            }
        }
        int published = 0;
        long deadline = System.nanoTime() + config.publish().timeout().toNanos();
        for (int i = 0; i < acks.size(); i++) {
            SiteLimit l = limits.get(i);
            try {
                acks.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                Instant now = Instant.now();
                QuarkusTransaction.requiringNew().call(() -> {
                    repository.published(l, now);
                    return null;
                });
                published++;
                LOG.infof("site %s: at most %d calls of %s (%s each; %s usable; tier %s for K = %d, %s)", l.key(),
                        l.maxCalls(), l.codec(), PolicyEngine.kbps(l.perCallBps()),
                        PolicyEngine.kbps(l.capacityBps()), l.tier(), l.concurrentCalls(),
                        l.concurrentSource());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                LOG.warnf("site limit of %s not published yet (%s); the resend sweep will retry it", l.key(),
                        IngestService.rootMessage(e));
            }
        }
        return published;
    }

    /** Publishes a tombstone for each removed site's key ({@code pbxId/site}); returns how many the broker took. */
    public int tombstones(List<String> keys) {
        List<CompletableFuture<String>> acks = new ArrayList<>();
        for (String key : keys) {
            CompletableFuture<String> ack = new CompletableFuture<>();
            acks.add(ack);
            try {
                emitter.send(DecisionPublisher.keyed((SiteLimit) null, key, ack, key));
            } catch (RuntimeException e) {
                ack.completeExceptionally(e);
            }
        }
        int published = 0;
        long deadline = System.nanoTime() + config.publish().timeout().toNanos();
        for (int i = 0; i < acks.size(); i++) {
            String[] key = keys.get(i).split("/", 2);
            try {
                acks.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                QuarkusTransaction.requiringNew().call(() -> {
                    repository.deleteRemoved(key[0], key[1]);
                    return null;
                });
                published++;
                LOG.infof("site %s: removed (no members left): tombstone published", keys.get(i));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                LOG.warnf("tombstone of site %s not published yet (%s); the resend sweep will retry it", keys.get(i),
                        IngestService.rootMessage(e));
            }
        }
        return published;
    }

    @Scheduled(every = "${vbo.policy.publish.resend-every:30s}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void resend() {
        List<SiteLimit> pending = QuarkusTransaction.requiringNew().call(repository::unpublished);
        if (!pending.isEmpty()) {
            LOG.infof("resending %d unpublished site limits", pending.size());
            publish(pending);
        }
        List<String> removed = QuarkusTransaction.requiringNew().call(repository::removedUnpublished);
        if (!removed.isEmpty()) {
            LOG.infof("resending %d unpublished site tombstones", removed.size());
            tombstones(removed);
        }
    }
}
