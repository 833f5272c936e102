package io.vbo.policy.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vbo.events.ProbeResult;
import io.vbo.policy.model.EndpointState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The policy's Prometheus metrics, under the names the dashboard relies on. */
@ApplicationScoped
public class PolicyMetrics {
    private final Map<String, AtomicLong> estimates = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> ranks = new ConcurrentHashMap<>();

    @Inject
    MeterRegistry registry;
    @Inject
    PolicyRuntime runtime;

    public void stored(ProbeResult.Outcome outcome, int count) {
        registry.counter("vbo.policy.results.stored", "outcome", outcome.name()).increment(count);
    }

    /** A batch could not be stored (database down); it is retried, so this counts attempts, not lost results. */
    public void storeFailed() {
        registry.counter("vbo.policy.store.failures").increment();
    }

    /** Estimate and policy tier rank (higher = better; -1 before the first decision) of one endpoint. */
    public void update(EndpointState s) {
        if (s.estimateBps != null) {
            gauge(estimates, "vbo.policy.estimate.bps", s).set(s.estimateBps);
        }
        long rank = s.tier == null ? -1 : runtime.tiers().byName(s.tier).map(t -> (long) t.rank()).orElse(-1L);
        gauge(ranks, "vbo.policy.tier.rank", s).set(rank);
    }

    private AtomicLong gauge(Map<String, AtomicLong> map, String name, EndpointState s) {
        return map.computeIfAbsent(s.key(), k -> registry.gauge(name,
                Tags.of("pbx", s.pbxId, "endpoint", s.endpoint), new AtomicLong()));
    }
}
