package io.vbo.writer.listener;

import io.vbo.events.CodecDecision;
import io.vbo.events.EventJson;
import io.vbo.writer.config.WriterConfig;
import io.vbo.writer.service.DecisionApplier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes vbo.codec-decisions. An invalid message throws, so the channel sends it to vbo.dead-letter with the
 * offending field in its reason; a decision for another PBX is acknowledged and ignored.
 */
@ApplicationScoped
public class DecisionListener {
    private static final Logger LOG = Logger.getLogger(DecisionListener.class);

    @Inject
    WriterConfig config;
    @Inject
    DecisionApplier applier;

    @Incoming("codec-decisions")
    public void consume(String json) {
        CodecDecision decision = EventJson.fromJson(json, CodecDecision.class);
        if (!decision.pbxId().equals(config.pbxId())) {
            LOG.debugf("ignoring decision %s for pbx %s (this writer serves %s)", decision.decisionId(), decision.pbxId(), config.pbxId());
            return;
        }
        LOG.debugf("decision %s: %s → %s", decision.decisionId(), decision.endpoint(), decision.codecs());
        applier.submit(decision);
    }
}
