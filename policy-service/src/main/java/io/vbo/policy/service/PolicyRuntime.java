package io.vbo.policy.service;

import io.vbo.events.Codecs;
import io.vbo.policy.config.PolicyConfig;
import io.vbo.policy.model.CallEvidence;
import io.vbo.policy.model.CodecTable;
import io.vbo.policy.model.Hysteresis;
import io.vbo.policy.model.OverheadAware;
import io.vbo.policy.model.PolicyEngine;
import io.vbo.policy.model.TierTable;
import io.vbo.events.Validate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/** The active policy, built once from configuration; a bad configuration fails the start with the key named. */
@ApplicationScoped
public class PolicyRuntime {
    private static final Logger LOG = Logger.getLogger(PolicyRuntime.class);

    private final PolicyConfig config;
    private final CodecTable codecs;
    private final TierTable seedTiers;
    private final OverheadAware overhead;
    private final Hysteresis hysteresis;
    private final PolicyEngine engine;
    private final List<String> assumedTranscodable;
    private final Map<String, List<String>> passThrough = new TreeMap<>();

    @Inject
    public PolicyRuntime(PolicyConfig config) {
        this.config = config;
        this.codecs = CodecTable.from(config);
        this.seedTiers = TierTable.from(config);
        this.overhead = new OverheadAware(codecs, config.utilisation(), config.expectedConcurrentCalls(),
                config.layer2Bytes(), Codecs.parseList("vbo.policy.quality-order", String.join(",", config.qualityOrder())));
        this.hysteresis = new Hysteresis(config.hysteresis().upgradeAfter(), config.hysteresis().margin());
        PolicyConfig.Calls calls = config.calls();
        CallEvidence evidence = new CallEvidence(new CallEvidence.Rules(calls.mosTarget(),
                calls.maxLossPercent().orElse(null), calls.maxJitterMs().orElse(null), calls.minReports(),
                calls.downgradeAfter(), calls.passiveAfter()), codecs, config.emodel().jitterBufferFactor());
        this.engine = new PolicyEngine(seedTiers, overhead, codecs, hysteresis, config.estimator().window(),
                config.hysteresis().unmeasuredAfter(), config.emodel().jitterBufferFactor(), evidence);
        this.assumedTranscodable = Codecs.parseList("vbo.policy.assumed-transcodable",
                String.join(",", config.assumedTranscodable())).stream().sorted().toList();
        config.passThrough().forEach((pbx, list) -> passThrough.put(Validate.pbxId("vbo.policy.pass-through", pbx),
                Codecs.parseList("vbo.policy.pass-through." + pbx, String.join(",", list))));
        if (seedTiers != null) {
            seedTiers.tiers().forEach(t -> LOG.infof("policy %s: tier %s needs %d bit/s → %s", seedTiers.preset(),
                    t.name(), t.thresholdBps(), String.join(",", t.codecs())));
        } else {
            codecs.all().values().forEach(p -> LOG.infof("policy %s: %s needs %d bit/s for %d call(s)",
                    TierTable.OVERHEAD_AWARE, p.name(), overhead.need(p), config.expectedConcurrentCalls()));
        }
    }

    public PolicyConfig config() {
        return config;
    }

    public CodecTable codecs() {
        return codecs;
    }

    /** The {@code seed-compatible} tiers, {@code null} under {@code overhead-aware}. */
    public TierTable seedTiers() {
        return seedTiers;
    }

    public String preset() {
        return engine.preset();
    }

    public OverheadAware overhead() {
        return overhead;
    }

    public Hysteresis hysteresis() {
        return hysteresis;
    }

    public PolicyEngine engine() {
        return engine;
    }

    /** Transcodable set assumed for a PBX that has not reported its capabilities, sorted. */
    public List<String> assumedTranscodable() {
        return assumedTranscodable;
    }

    /** The administrator's pass-through codecs of a PBX (empty when none). */
    public List<String> passThrough(String pbxId) {
        return passThrough.getOrDefault(pbxId, List.of());
    }

    /** Every PBX's pass-through codecs. */
    public Map<String, List<String>> passThrough() {
        return Map.copyOf(passThrough);
    }
}
