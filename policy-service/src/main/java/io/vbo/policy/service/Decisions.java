package io.vbo.policy.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.vbo.events.CodecDecision;
import io.vbo.events.EventJson;
import io.vbo.policy.repository.DecisionEntity;
import io.vbo.policy.repository.EndpointStateRepository;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds decision rows and turns them into the {@link CodecDecision} contract. */
public final class Decisions {
    private static final TypeReference<Map<String, Long>> THRESHOLDS = new TypeReference<>() {
    };

    private Decisions() {
    }

    public static DecisionEntity create(String pbxId, String endpoint, String tier, List<String> codecs,
            String previousTier, DecisionEntity.Cause cause, String preset, Long estimateBps,
            Map<String, Long> thresholds, Double mos, String reason) {
        DecisionEntity d = new DecisionEntity();
        d.decisionId = UUID.randomUUID();
        d.pbxId = pbxId;
        d.endpoint = endpoint;
        d.tier = tier;
        d.codecs = EndpointStateRepository.join(codecs);
        d.previousTier = previousTier;
        d.cause = cause.name();
        d.preset = preset;
        d.estimateBps = estimateBps;
        d.thresholds = EventJson.toJson(thresholds);
        d.mos = mos;
        d.reason = reason;
        d.decidedAt = Instant.now();
        return d;
    }

    public static CodecDecision toEvent(DecisionEntity d) {
        return new CodecDecision(CodecDecision.SCHEMA, d.decisionId, d.pbxId, d.endpoint, d.tier,
                EndpointStateRepository.split(d.codecs), d.previousTier,
                new CodecDecision.Reason(d.preset, d.estimateBps, thresholds(d), d.mos, d.reason), d.decidedAt,
                List.of(), List.of(), List.of(), false);
    }

    public static Map<String, Long> thresholds(DecisionEntity d) {
        try {
            return EventJson.mapper().readValue(d.thresholds, THRESHOLDS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("decision " + d.decisionId + " has unreadable thresholds", e);
        }
    }
}
