package io.vbo.policy.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.vbo.events.CodecDecision;
import io.vbo.events.EventJson;
import io.vbo.policy.model.EndpointState;
import io.vbo.policy.model.PolicyEngine;
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

    /**
     * What a decision was chosen within.
     *
     * @param ceiling      the ceiling, empty when none applied (a pin, or {@code seed-compatible} before one is known)
     * @param transcodable the transcodable set (∪ pass-through) used
     * @param excluded     the ceiling's codecs left out
     * @param noCodecFits  whether nothing fitted and the leanest codec was given
     */
    public record Detail(List<String> ceiling, List<String> transcodable, List<CodecDecision.Exclusion> excluded,
            boolean noCodecFits) {
        public Detail {
            ceiling = ceiling == null ? List.of() : List.copyOf(ceiling);
            transcodable = transcodable == null ? List.of() : List.copyOf(transcodable);
            excluded = excluded == null ? List.of() : List.copyOf(excluded);
        }

        /** What the endpoint's current state was decided within. */
        public static Detail of(EndpointState s) {
            return new Detail(s.ceiling, s.transcodable, s.excluded, s.noCodecFits);
        }
    }

    public static DecisionEntity create(String pbxId, String endpoint, String tier, List<String> codecs,
            String previousTier, DecisionEntity.Cause cause, String preset, Long estimateBps,
            Map<String, Long> thresholds, Double mos, String reason, Detail detail) {
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
        d.ceiling = detail.ceiling().isEmpty() ? null : EndpointStateRepository.join(detail.ceiling());
        d.transcodable = detail.transcodable().isEmpty() ? null : EndpointStateRepository.join(detail.transcodable());
        d.excluded = EventJson.toJson(detail.excluded());
        d.noCodecFits = detail.noCodecFits();
        return d;
    }

    /** The row of a policy change. */
    public static DecisionEntity of(EndpointState s, PolicyEngine.Change c, String preset) {
        DecisionEntity d = create(s.pbxId, s.endpoint, c.tier(), c.codecs(), c.previousTier(),
                DecisionEntity.Cause.POLICY, preset, c.estimateBps(), c.thresholds(), c.mos(),
                s.site == null ? c.text() : "site " + s.site.site() + " (" + s.site.basis() + "): " + c.text(),
                new Detail(c.ceiling(), c.transcodable(), c.excluded(), c.noCodecFits()));
        d.site = s.site == null ? null : s.site.site();
        return d;
    }

    public static CodecDecision toEvent(DecisionEntity d) {
        return new CodecDecision(CodecDecision.SCHEMA, d.decisionId, d.pbxId, d.endpoint, d.tier,
                EndpointStateRepository.split(d.codecs), d.previousTier,
                new CodecDecision.Reason(d.preset, d.estimateBps, thresholds(d), d.mos, d.reason), d.decidedAt,
                EndpointStateRepository.split(d.ceiling), EndpointStateRepository.split(d.transcodable),
                EndpointStateRepository.exclusions(d.excluded), d.noCodecFits, d.site);
    }

    public static Map<String, Long> thresholds(DecisionEntity d) {
        try {
            return EventJson.mapper().readValue(d.thresholds, THRESHOLDS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("decision " + d.decisionId + " has unreadable thresholds", e);
        }
    }
}
