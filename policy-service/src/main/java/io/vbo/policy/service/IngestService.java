package io.vbo.policy.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.faulttolerance.api.Guard;
import io.vbo.events.InvalidEventException;
import io.vbo.events.ProbeResult;
import io.vbo.events.SiteLimit;
import io.vbo.policy.config.PolicyConfig;
import io.vbo.policy.health.StorageHealthCheck;
import io.vbo.policy.model.EndpointState;
import io.vbo.policy.model.PolicyEngine;
import io.vbo.policy.repository.DataErrors;
import io.vbo.policy.repository.DecisionEntity;
import io.vbo.policy.repository.EndpointStateRepository;
import io.vbo.policy.repository.MeasurementRepository;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Stores a batch of results and folds the new ones into the policy, all in one transaction, then publishes the
 * decisions it produced.
 *
 * <p>A result the database refuses for its data (SQLState class 22 or 23) is isolated by storing the batch in halves
 * until the refused one is alone; it comes back in {@link Outcome#refused()} for the dead-letter topic and the rest is
 * stored. Any other failure (database unreachable, overloaded, a table missing) is the database's state, not the
 * data's: the batch is retried with backoff, and once that has lasted {@code vbo.policy.store.retry-for} readiness
 * reports DOWN ({@link StorageHealthCheck}) while the retries go on. The call returns only once the batch is stored,
 * so the listener never acknowledges an unstored result and no valid result is dead-lettered for an outage.
 */
@ApplicationScoped
public class IngestService {
    private static final Logger LOG = Logger.getLogger(IngestService.class);

    @Inject
    MeasurementRepository measurements;
    @Inject
    EndpointStateRepository stateRepository;
    @Inject
    EndpointStates states;
    @Inject
    PolicyRuntime runtime;
    @Inject
    DecisionPublisher publisher;
    @Inject
    PolicyMetrics metrics;
    @Inject
    CapabilityService capabilities;
    @Inject
    @Readiness
    StorageHealthCheck health;
    @Inject
    PolicyConfig config;
    @Inject
    SiteService sites;
    @Inject
    SiteLimitPublisher limits;

    private Guard retry;

    /**
     * What one stored batch produced.
     *
     * @param stored     results stored now
     * @param duplicates results already stored (redelivered)
     * @param decisions  the decisions they caused
     * @param refused    results the database refused for their data, each with the reason
     * @param limits     the site limits they changed
     */
    public record Outcome(int stored, int duplicates, List<DecisionEntity> decisions, List<Refused> refused,
            List<SiteLimit> limits) {
    }

    /** A result the database refused, and why ({@code "$: the database refused it (SQLState …): …"}). */
    public record Refused(ProbeResult result, InvalidEventException reason) {
    }

    @PostConstruct
    void init() {
        retry = Guard.create().withDescription("storing probe results").withRetry()
                .maxRetries(-1).maxDuration(config.store().retryFor().toMillis(), ChronoUnit.MILLIS)
                .delay(250, ChronoUnit.MILLIS).jitter(100, ChronoUnit.MILLIS)
                .withExponentialBackoff().factor(2).maxDelay(config.store().maxDelay().toMillis(), ChronoUnit.MILLIS)
                .done().done().build();
    }

    /** Stores the batch (blocking until the database takes it), then publishes the decisions it caused. */
    public Outcome ingest(List<ProbeResult> results) {
        while (true) {
            try {
                Outcome outcome = retry.call(() -> storeIsolatingRefused(results), Outcome.class);
                health.stored();
                publisher.publish(outcome.decisions());
                limits.publish(outcome.limits());
                return outcome;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while storing " + results.size() + " results", e);
            } catch (Exception e) {
                health.failing(rootMessage(e));
                LOG.errorf("storing %d results has failed for %s, readiness is DOWN; still retrying: %s",
                        results.size(), config.store().retryFor(), rootMessage(e));
            }
        }
    }

    private Outcome storeIsolatingRefused(List<ProbeResult> results) {
        List<Stored> parts = new ArrayList<>();
        List<Refused> refused = new ArrayList<>();
        storeOrSplit(results, parts, refused);
        int count = parts.stream().mapToInt(Stored::count).sum();
        List<DecisionEntity> decisions = parts.stream().flatMap(p -> p.decisions().stream()).toList();
        List<SiteLimit> changed = parts.stream().flatMap(p -> p.limits().stream()).toList();
        return new Outcome(count, results.size() - count - refused.size(), decisions, List.copyOf(refused), changed);
    }

    private void storeOrSplit(List<ProbeResult> results, List<Stored> parts, List<Refused> refused) {
        try {
            parts.add(store(results));
        } catch (RuntimeException e) {
            Optional<SQLException> data = DataErrors.refusedData(e);
            if (data.isEmpty()) {
                throw e;
            }
            if (results.size() == 1) {
                ProbeResult r = results.get(0);
                metrics.refused();
                LOG.warnf("the database refused result %s of %s/%s: %s", r.probeId(), r.pbxId(), r.endpoint(),
                        DataErrors.describe(data.get()));
                refused.add(new Refused(r, new InvalidEventException("$", "the database refused it ("
                        + DataErrors.describe(data.get()) + ")")));
                return;
            }
            int half = results.size() / 2;
            storeOrSplit(results.subList(0, half), parts, refused);
            storeOrSplit(results.subList(half, results.size()), parts, refused);
        }
    }

    private Stored store(List<ProbeResult> results) {
        Set<String> keys = new LinkedHashSet<>();
        results.forEach(r -> keys.add(r.pbxId() + "/" + r.endpoint()));
        states.lock().lock();
        try {
            Stored stored = QuarkusTransaction.requiringNew().call(() -> storeInTransaction(results, keys));
            stored.byOutcome().forEach(metrics::stored);
            stored.touched().forEach(metrics::update);
            return stored;
        } catch (RuntimeException e) {
            states.evict(keys);
            sites.reload();
            if (DataErrors.refusedData(e).isEmpty()) {
                metrics.storeFailed();
                LOG.warnf("storing %d results failed, will retry: %s", results.size(), rootMessage(e));
            }
            throw e;
        } finally {
            states.lock().unlock();
        }
    }

    private record Stored(int count, Map<ProbeResult.Outcome, Integer> byOutcome, List<EndpointState> touched,
            List<DecisionEntity> decisions, List<SiteLimit> limits) {
    }

    private Stored storeInTransaction(List<ProbeResult> results, Set<String> keys) throws Exception {
        Map<String, EndpointState> byKey = states.get(keys, true);
        Set<UUID> fresh = measurements.insertNew(results);
        int count = fresh.size();
        Map<ProbeResult.Outcome, Integer> byOutcome = new EnumMap<>(ProbeResult.Outcome.class);
        Map<String, EndpointState> touched = new LinkedHashMap<>();
        List<DecisionEntity> decisions = new ArrayList<>();
        Map<String, EndpointState> measured = new LinkedHashMap<>();
        for (ProbeResult r : results) {
            if (!fresh.remove(r.probeId())) {
                continue;
            }
            byOutcome.merge(r.outcome(), 1, Integer::sum);
            EndpointState s = byKey.get(r.pbxId() + "/" + r.endpoint());
            touched.put(s.key(), s);
            Optional<PolicyEngine.Change> change = sites.prepare(s, true).apply(s, r, capabilities.inputs(s));
            if (change.isPresent() && !s.pinned()) {
                decisions.add(Decisions.of(s, change.get(), runtime.preset()));
            }
            if (r.outcome() == ProbeResult.Outcome.OK && r.protocol().measuresCapacity()) {
                measured.put(s.key(), s);
            }
        }
        // A new capacity measurement of a site's phone is the site's: its other members are decided on it.
        SiteService.Round round = sites.spread(measured.values());
        round.touched().forEach(s -> touched.put(s.key(), s));
        decisions.addAll(round.decisions());
        stateRepository.save(touched.values());
        if (!decisions.isEmpty()) {
            DecisionEntity.persist(decisions);
        }
        List<SiteLimit> changed = sites.limits(touched.values());
        return new Stored(count, byOutcome, List.copyOf(touched.values()), decisions, changed);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
