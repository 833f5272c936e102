package io.vbo.policy.service;

import io.vbo.policy.config.PolicyConfig;
import io.vbo.policy.model.CodecTable;
import io.vbo.policy.model.Hysteresis;
import io.vbo.policy.model.PolicyEngine;
import io.vbo.policy.model.TierTable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** The active policy, built once from configuration; a bad configuration fails the start with the key named. */
@ApplicationScoped
public class PolicyRuntime {
    private static final Logger LOG = Logger.getLogger(PolicyRuntime.class);

    private final PolicyConfig config;
    private final CodecTable codecs;
    private final TierTable tiers;
    private final Hysteresis hysteresis;
    private final PolicyEngine engine;

    @Inject
    public PolicyRuntime(PolicyConfig config) {
        this.config = config;
        this.codecs = CodecTable.from(config);
        this.tiers = TierTable.from(config, codecs);
        this.hysteresis = new Hysteresis(config.hysteresis().upgradeAfter(), config.hysteresis().margin());
        this.engine = new PolicyEngine(tiers, codecs, hysteresis, config.estimator().window(),
                config.hysteresis().unmeasuredAfter(), config.emodel().jitterBufferFactor(), config.utilisation(),
                config.expectedConcurrentCalls(), config.layer2Bytes());
        tiers.tiers().forEach(t -> LOG.infof("policy %s: tier %s needs %d bit/s → %s", tiers.preset(), t.name(),
                t.thresholdBps(), String.join(",", t.codecs())));
    }

    public PolicyConfig config() {
        return config;
    }

    public CodecTable codecs() {
        return codecs;
    }

    public TierTable tiers() {
        return tiers;
    }

    public Hysteresis hysteresis() {
        return hysteresis;
    }

    public PolicyEngine engine() {
        return engine;
    }
}
