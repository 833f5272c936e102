package io.vbo.policy.service;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.vbo.events.ProbeResult;
import io.vbo.policy.model.EndpointState;
import io.vbo.policy.repository.CallRepository;
import io.vbo.policy.repository.EndpointEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The policy's Prometheus metrics, under the names the dashboard relies on. */
@ApplicationScoped
public class PolicyMetrics {
    private static final double[] MOS_BUCKETS = CallRepository.MOS_EDGES.stream().mapToDouble(Double::doubleValue)
            .sorted().toArray();

    private final Map<String, AtomicLong> estimates = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> ranks = new ConcurrentHashMap<>();
    private final Set<String> noCodecFits = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> noCodecFitsByPbx = new ConcurrentHashMap<>();

    @Inject
    MeterRegistry registry;
    @Inject
    PolicyRuntime runtime;
    @Inject
    CapabilityService capabilities;

    /** The no-codec-fits gauges start from the table, so an alert survives a restart. */
    void onStart(@Observes StartupEvent event) {
        QuarkusTransaction.requiringNew().run(() -> EndpointEntity.<EndpointEntity>list("noCodecFits", true)
                .forEach(e -> noCodecFits(e.id.pbxId(), e.id.endpoint(), true)));
    }

    public void stored(ProbeResult.Outcome outcome, int count) {
        registry.counter("vbo.policy.results.stored", "outcome", outcome.name()).increment(count);
    }

    /**
     * One finished call stored: {@code vbo.policy.calls{pbx,codec}} and its MOS in {@code vbo.policy.call.mos{pbx}},
     * a histogram with buckets at the MOS band edges of the PBX summary (unrated calls have no MOS).
     */
    public void call(String pbxId, String codec, Double mos) {
        registry.counter("vbo.policy.calls", "pbx", pbxId, "codec", codec == null ? "unknown" : codec).increment();
        if (mos != null) {
            DistributionSummary.builder("vbo.policy.call.mos").tag("pbx", pbxId)
                    .serviceLevelObjectives(MOS_BUCKETS).register(registry).record(mos);
        }
    }

    /** A batch could not be stored (database down); it is retried, so this counts attempts, not lost results. */
    public void storeFailed() {
        registry.counter("vbo.policy.store.failures").increment();
    }

    /** The database refused a result for its data; it went to the dead-letter topic. */
    public void refused() {
        registry.counter("vbo.policy.results.refused").increment();
    }

    /**
     * Estimate, policy tier rank (higher = better; -1 before the first decision; under {@code overhead-aware} 0 is
     * no-codec-fits) of one endpoint, and its PBX's count of endpoints no codec fits.
     */
    public void update(EndpointState s) {
        if (s.estimateBps != null) {
            gauge(estimates, "vbo.policy.estimate.bps", s).set(s.estimateBps);
        }
        gauge(ranks, "vbo.policy.tier.rank", s).set(SiteService.engineOf(runtime, s).rank(s, capabilities.inputs(s)));
        noCodecFits(s.pbxId, s.endpoint, s.noCodecFits);
    }

    private void noCodecFits(String pbxId, String endpoint, boolean flagged) {
        String key = pbxId + "/" + endpoint;
        boolean changed = flagged ? noCodecFits.add(key) : noCodecFits.remove(key);
        AtomicLong count = noCodecFitsByPbx.computeIfAbsent(pbxId, p -> registry.gauge("vbo.policy.no.codec.fits",
                Tags.of("pbx", p), new AtomicLong()));
        if (changed) {
            count.set(noCodecFits.stream().filter(k -> k.startsWith(pbxId + "/")).count());
        }
    }

    private AtomicLong gauge(Map<String, AtomicLong> map, String name, EndpointState s) {
        return map.computeIfAbsent(s.key(), k -> registry.gauge(name,
                Tags.of("pbx", s.pbxId, "endpoint", s.endpoint), new AtomicLong()));
    }
}
