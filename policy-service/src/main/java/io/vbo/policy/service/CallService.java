package io.vbo.policy.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.vbo.events.CallQuality;
import io.vbo.events.SiteLimit;
import io.vbo.policy.model.CallEvidence;
import io.vbo.policy.model.EndpointState;
import io.vbo.policy.model.PolicyEngine;
import io.vbo.policy.repository.CallRepository;
import io.vbo.policy.repository.DecisionEntity;
import io.vbo.policy.repository.EndpointStateRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

/**
 * Stores a batch of {@code vbo.call-quality} messages and folds the new call summaries into the policy (call
 * evidence, docs/decisions.md), in one transaction, then publishes the decisions they caused. Samples are only
 * stored. Like {@link IngestService}, it retries while PostgreSQL is unreachable and never returns meanwhile.
 */
@ApplicationScoped
public class CallService {
    private static final Logger LOG = Logger.getLogger(CallService.class);

    @Inject
    CallRepository calls;
    @Inject
    EndpointStateRepository stateRepository;
    @Inject
    EndpointStates states;
    @Inject
    PolicyRuntime runtime;
    @Inject
    CapabilityService capabilities;
    @Inject
    DecisionPublisher publisher;
    @Inject
    PolicyMetrics metrics;
    @Inject
    SiteService sites;
    @Inject
    SiteLimitPublisher limits;

    /** What one stored batch produced. */
    public record Outcome(int samples, int calls, int duplicates, List<DecisionEntity> decisions) {
    }

    @Retry(maxRetries = -1, maxDuration = 0, delay = 250, jitter = 100)
    @ExponentialBackoff(factor = 2, maxDelay = 30, maxDelayUnit = ChronoUnit.SECONDS)
    public Outcome ingest(List<CallQuality> batch) {
        List<CallQuality> samples = new ArrayList<>();
        List<CallQuality> summaries = new ArrayList<>();
        batch.forEach(q -> (q.kind() == CallQuality.Kind.SAMPLE ? samples : summaries).add(q));
        try {
            Outcome outcome = summaries.isEmpty()
                    ? new Outcome(QuarkusTransaction.requiringNew().call(() -> calls.insertSamples(samples)), 0, 0,
                            List.of())
                    : storeWithSummaries(samples, summaries);
            publisher.publish(outcome.decisions());
            return new Outcome(outcome.samples(), outcome.calls(), batch.size() - outcome.samples() - outcome.calls(),
                    outcome.decisions());
        } catch (RuntimeException e) {
            metrics.storeFailed();
            LOG.warnf("storing %d call-quality messages failed, will retry: %s", batch.size(),
                    IngestService.rootMessage(e));
            throw e;
        }
    }

    /** Summaries change endpoint states: under the states lock, like a batch of probe results. */
    private Outcome storeWithSummaries(List<CallQuality> samples, List<CallQuality> summaries) {
        Set<String> keys = new LinkedHashSet<>();
        summaries.forEach(q -> keys.add(q.pbxId() + "/" + q.endpoint()));
        states.lock().lock();
        try {
            Stored stored = QuarkusTransaction.requiringNew().call(() -> store(samples, summaries, keys));
            stored.fresh().forEach(q -> metrics.call(q.pbxId(), q.codec(), q.summary().mos()));
            stored.touched().forEach(metrics::update);
            limits.publish(stored.limits());
            return new Outcome(stored.samples(), stored.fresh().size(), 0, stored.decisions());
        } catch (RuntimeException e) {
            states.evict(keys);
            sites.reload();
            throw e;
        } finally {
            states.lock().unlock();
        }
    }

    private record Stored(int samples, List<CallQuality> fresh, List<EndpointState> touched,
            List<DecisionEntity> decisions, List<SiteLimit> limits) {
    }

    private Stored store(List<CallQuality> samples, List<CallQuality> summaries, Set<String> keys) throws Exception {
        int storedSamples = calls.insertSamples(samples);
        // Calls fold into endpoints the policy already knows (every probed phone, PASSIVE ones included).
        Map<String, EndpointState> byKey = states.get(keys, false);
        PolicyEngine engine = runtime.engine();
        List<CallEvidence.Judgement> judgements = new ArrayList<>(summaries.size());
        for (CallQuality q : summaries) {
            EndpointState s = byKey.get(q.pbxId() + "/" + q.endpoint());
            judgements.add(engine.calls().judge(q.summary(), q.codec(), s == null ? null : s.rttMicros));
        }
        Set<String> inserted = calls.insertSummaries(summaries, judgements);
        List<CallQuality> fresh = new ArrayList<>();
        Map<String, EndpointState> touched = new LinkedHashMap<>();
        List<DecisionEntity> decisions = new ArrayList<>();
        for (int i = 0; i < summaries.size(); i++) {
            CallQuality q = summaries.get(i);
            if (!inserted.remove(CallRepository.key(q))) {
                continue;
            }
            fresh.add(q);
            EndpointState s = byKey.get(q.pbxId() + "/" + q.endpoint());
            if (s == null) {
                continue;
            }
            touched.put(s.key(), s);
            Optional<PolicyEngine.Change> change = sites.prepare(s, false).applyCall(s, q.codec(), q.summary(),
                    judgements.get(i), capabilities.inputs(s));
            if (change.isPresent() && !s.pinned()) {
                decisions.add(Decisions.of(s, change.get(), runtime.preset()));
            }
        }
        stateRepository.save(touched.values());
        if (!decisions.isEmpty()) {
            DecisionEntity.persist(decisions);
        }
        return new Stored(storedSamples, fresh, List.copyOf(touched.values()), decisions,
                sites.limits(touched.values()));
    }

    /** Whether the endpoint was ever measured or made a call. */
    public boolean known(String pbxId, String endpoint) {
        return sql(() -> stateRepository.exists(pbxId, endpoint) || calls.hasCalls(pbxId, endpoint));
    }

    /** A page of an endpoint's calls (see {@link CallRepository#page}). */
    public List<CallRepository.CallRow> page(String pbxId, String endpoint, Instant from, Instant to,
            Instant afterEndedAt, String afterUniqueId, int limit) {
        return sql(() -> calls.page(pbxId, endpoint, from, to, afterEndedAt, afterUniqueId, limit));
    }

    /** MOS of the endpoint's calls since a time. */
    public CallRepository.MosStats mosSince(String pbxId, String endpoint, Instant since) {
        return sql(() -> calls.mosSince(pbxId, endpoint, since));
    }

    /** A PBX's calls per time bucket. */
    public List<CallRepository.CallBucket> summary(String pbxId, Instant from, Instant to, Duration bucket) {
        return sql(() -> calls.summary(pbxId, from, to, bucket));
    }

    private interface Query<T> {
        T run() throws SQLException;
    }

    private static <T> T sql(Query<T> query) {
        try {
            return query.run();
        } catch (SQLException e) {
            throw new IllegalStateException("reading calls failed: " + e.getMessage(), e);
        }
    }
}
