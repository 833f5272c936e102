package io.vbo.policy.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.vbo.events.ProbeResult;
import io.vbo.policy.model.EndpointState;
import io.vbo.policy.model.PolicyEngine;
import io.vbo.policy.repository.DecisionEntity;
import io.vbo.policy.repository.EndpointStateRepository;
import io.vbo.policy.repository.MeasurementRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

/**
 * Stores a batch of results and folds the new ones into the policy, all in one transaction, then publishes the
 * decisions it produced. While PostgreSQL is unreachable the call retries with backoff and never returns, so the
 * listener never acknowledges, Kafka offsets stay put and consumption pauses until the database is back.
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

    /** What one stored batch produced. */
    public record Outcome(int stored, int duplicates, List<DecisionEntity> decisions) {
    }

    @Retry(maxRetries = -1, maxDuration = 0, delay = 250, jitter = 100)
    @ExponentialBackoff(factor = 2, maxDelay = 30, maxDelayUnit = ChronoUnit.SECONDS)
    public Outcome ingest(List<ProbeResult> results) {
        Outcome outcome = store(results);
        publisher.publish(outcome.decisions());
        return outcome;
    }

    private Outcome store(List<ProbeResult> results) {
        Set<String> keys = new LinkedHashSet<>();
        results.forEach(r -> keys.add(r.pbxId() + "/" + r.endpoint()));
        states.lock().lock();
        try {
            Stored stored = QuarkusTransaction.requiringNew().call(() -> storeInTransaction(results, keys));
            stored.byOutcome().forEach(metrics::stored);
            stored.touched().forEach(metrics::update);
            return new Outcome(stored.count(), results.size() - stored.count(), stored.decisions());
        } catch (RuntimeException e) {
            states.evict(keys);
            metrics.storeFailed();
            LOG.warnf("storing %d results failed, will retry: %s", results.size(), rootMessage(e));
            throw e;
        } finally {
            states.lock().unlock();
        }
    }

    private record Stored(int count, Map<ProbeResult.Outcome, Integer> byOutcome, List<EndpointState> touched,
            List<DecisionEntity> decisions) {
    }

    private Stored storeInTransaction(List<ProbeResult> results, Set<String> keys) throws Exception {
        Map<String, EndpointState> byKey = states.get(keys, true);
        Set<UUID> fresh = measurements.insertNew(results);
        int count = fresh.size();
        PolicyEngine engine = runtime.engine();
        Map<ProbeResult.Outcome, Integer> byOutcome = new EnumMap<>(ProbeResult.Outcome.class);
        Map<String, EndpointState> touched = new LinkedHashMap<>();
        List<DecisionEntity> decisions = new ArrayList<>();
        for (ProbeResult r : results) {
            if (!fresh.remove(r.probeId())) {
                continue;
            }
            byOutcome.merge(r.outcome(), 1, Integer::sum);
            EndpointState s = byKey.get(r.pbxId() + "/" + r.endpoint());
            touched.put(s.key(), s);
            Optional<PolicyEngine.Change> change = engine.apply(s, r, capabilities.inputs(s));
            if (change.isPresent() && !s.pinned()) {
                decisions.add(Decisions.of(s, change.get(), runtime.preset()));
            }
        }
        stateRepository.save(touched.values());
        if (!decisions.isEmpty()) {
            DecisionEntity.persist(decisions);
        }
        return new Stored(count, byOutcome, List.copyOf(touched.values()), decisions);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
