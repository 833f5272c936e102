package io.vbo.policy.service;

import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.vbo.events.EndpointCeiling;
import io.vbo.events.Topics;
import io.vbo.policy.config.PolicyConfig;
import io.vbo.policy.repository.CeilingEntity;
import io.vbo.policy.repository.CeilingHistoryEntity;
import io.vbo.policy.repository.DecisionEntity;
import io.vbo.policy.repository.EndpointEntity;
import io.vbo.policy.repository.EndpointStateRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

/**
 * Endpoints' ceilings. From {@code vbo.endpoint-ceilings}: the first {@code FILE} ceiling is kept (a later one is the
 * writer's file after our own edits), {@code USERS} and {@code ADMIN} replace it. From REST: an administrator's
 * {@code ADMIN} ceiling, stored, decided at once and published on the topic so the compacted topic and the table
 * agree. Every change is a row of {@code ceiling_history}.
 */
@ApplicationScoped
public class CeilingService {
    private static final Logger LOG = Logger.getLogger(CeilingService.class);

    @Inject
    Redecider redecider;
    @Inject
    PolicyConfig config;
    @Inject
    @Channel("endpoint-ceilings-out")
    Emitter<EndpointCeiling> emitter;

    /** What became of a ceiling message. */
    public enum Outcome { STORED, UNCHANGED, IGNORED }

    /** An administrator's ceiling as stored, and the decision it caused, if any. */
    public record AdminChange(CeilingEntity ceiling, Optional<DecisionEntity> decision, boolean published) {
    }

    /** Records a ceiling from the topic. Retries while PostgreSQL is down, like the ingest path. */
    @Retry(maxRetries = -1, maxDuration = 0, delay = 250, jitter = 100)
    @ExponentialBackoff(factor = 2, maxDelay = 30, maxDelayUnit = ChronoUnit.SECONDS)
    public Outcome record(EndpointCeiling c) {
        Outcome[] outcome = { Outcome.STORED };
        redecider.redecideEndpoint(c.key(), () -> {
            CeilingEntity current = CeilingEntity.findById(new EndpointEntity.Key(c.pbxId(), c.endpoint()));
            if (current != null && c.source() == EndpointCeiling.Source.FILE) {
                outcome[0] = Outcome.IGNORED;
                return false;
            }
            if (current != null && current.source.equals(c.source().name())
                    && current.codecs.equals(EndpointStateRepository.join(c.codecs()))) {
                outcome[0] = Outcome.UNCHANGED;
                return false;
            }
            store(current, c.pbxId(), c.endpoint(), c.codecs(), c.source(), c.recordedAt(), null);
            return true;
        }, s -> {
            s.ceiling = c.codecs();
            s.ceilingSource = c.source().name();
        });
        LOG.infof("ceiling of %s: %s from %s %s", c.key(), c.codecs(), c.source(), switch (outcome[0]) {
            case STORED -> "stored";
            case UNCHANGED -> "unchanged";
            case IGNORED -> "ignored (the first FILE ceiling is kept)";
        });
        return outcome[0];
    }

    /**
     * Sets an administrator's ceiling, decides the endpoint again and publishes the ceiling. The endpoint must be
     * known (measured, or with a ceiling already).
     */
    public AdminChange set(String pbxId, String endpoint, List<String> codecs, String by) {
        EndpointEntity.Key key = new EndpointEntity.Key(pbxId, endpoint);
        Instant now = Instant.now();
        CeilingEntity[] stored = new CeilingEntity[1];
        List<DecisionEntity> decisions = redecider.redecideEndpoint(pbxId + "/" + endpoint, () -> {
            CeilingEntity current = CeilingEntity.findById(key);
            if (current == null && EndpointEntity.findById(key) == null) {
                throw new PinService.UnknownEndpointException(pbxId + "/" + endpoint);
            }
            stored[0] = store(current, pbxId, endpoint, codecs, EndpointCeiling.Source.ADMIN, now, by);
            return true;
        }, s -> {
            s.ceiling = List.copyOf(codecs);
            s.ceilingSource = EndpointCeiling.Source.ADMIN.name();
        });
        LOG.infof("%s set the ceiling of %s/%s to %s", by, pbxId, endpoint, codecs);
        boolean published = publish(new EndpointCeiling(EndpointCeiling.SCHEMA, pbxId, endpoint, codecs,
                EndpointCeiling.Source.ADMIN, now));
        return new AdminChange(stored[0], decisions.stream().findFirst(), published);
    }

    private static CeilingEntity store(CeilingEntity current, String pbxId, String endpoint, List<String> codecs,
            EndpointCeiling.Source source, Instant recordedAt, String by) {
        CeilingHistoryEntity h = new CeilingHistoryEntity();
        h.pbxId = pbxId;
        h.endpoint = endpoint;
        h.codecs = EndpointStateRepository.join(codecs);
        h.previousCodecs = current == null ? null : current.codecs;
        h.source = source.name();
        h.recordedAt = recordedAt;
        h.recordedBy = by;
        h.receivedAt = Instant.now();
        h.persist();
        CeilingEntity e = current;
        if (e == null) {
            e = new CeilingEntity();
            e.id = new EndpointEntity.Key(pbxId, endpoint);
        }
        e.codecs = h.codecs;
        e.source = h.source;
        e.recordedAt = recordedAt;
        e.recordedBy = by;
        e.updatedAt = h.receivedAt;
        e.persist();
        return e;
    }

    /** Publishes an administrator's ceiling and waits for the broker; false (logged) when it did not take it. */
    private boolean publish(EndpointCeiling ceiling) {
        CompletableFuture<Boolean> ack = new CompletableFuture<>();
        try {
            emitter.send(DecisionPublisher.keyed(ceiling, ceiling.key(), ack, true));
            return ack.get(config.publish().timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.warnf("the ceiling of %s is stored and decided but not on %s (%s); set it again to publish it",
                    ceiling.key(), Topics.ENDPOINT_CEILINGS, IngestService.rootMessage(e));
            return false;
        }
    }
}
