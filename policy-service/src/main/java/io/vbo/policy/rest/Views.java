package io.vbo.policy.rest;

import io.vbo.events.CodecDecision.Exclusion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The API's records (entities stay behind the resources). */
public final class Views {
    private Views() {
    }

    /**
     * One endpoint: effective tier and codecs, the policy's own tier, the latest estimate, and what the policy
     * decided within: the ceiling ({@code null} while unknown: status {@code AWAITING_CEILING}), the transcodable set
     * used, the ceiling's codecs left out, whether no codec fits, and why nothing is published ({@code note}).
     */
    public record EndpointView(String pbxId, String endpoint, String status, String tier, List<String> codecs,
            String policyTier, List<String> policyCodecs, boolean pinned, Long estimateBps, Long downlinkBps,
            Long uplinkBps, Double lossPercent, Double jitterMs, Double rttMs, Double mos, int consecutiveFailures,
            Instant lastResultAt, String lastOutcome, Instant lastSuccessAt, String pinnedBy, Instant pinnedAt,
            List<String> ceiling, String ceilingSource, Instant ceilingRecordedAt, List<String> transcodable,
            List<Exclusion> excluded, boolean noCodecFits, String note) {
    }

    /** A page of endpoints; {@code next} is the {@code after} value of the following page, null at the end. */
    public record EndpointPage(List<EndpointView> items, String next) {
    }

    /** One stored probe result. */
    public record MeasurementView(UUID probeId, Instant startedAt, String direction, String protocol, String outcome,
            Long bitsPerSecond, Integer retransmits, Double jitterMs, Double lossPercent, Long rttMicros,
            long durationMs, String address, String error) {
    }

    /** A page of measurements; {@code nextCursor} continues it, null at the end. */
    public record MeasurementPage(List<MeasurementView> items, String nextCursor) {
    }

    /** One decision with its reason and what the writer reported. */
    public record DecisionView(UUID decisionId, String tier, List<String> codecs, String previousTier, String cause,
            String preset, Long estimateBps, Map<String, Long> thresholdsBps, Double mos, String reason,
            Instant decidedAt, Instant publishedAt, String appliedStatus, Instant appliedAt,
            List<String> appliedCodecs, String appliedError, List<String> ceiling, List<String> transcodable,
            List<Exclusion> excluded, boolean noCodecFits) {
    }

    /** An endpoint's ceiling: the most it may be allowed. */
    public record CeilingView(String pbxId, String endpoint, List<String> codecs, String source, Instant recordedAt,
            String recordedBy) {
    }

    /** One change of a ceiling. */
    public record CeilingHistoryView(List<String> codecs, List<String> previousCodecs, String source,
            Instant recordedAt, String recordedBy, Instant receivedAt) {
    }

    /** An administrator's ceiling. */
    public record CeilingRequest(List<String> codecs) {
    }

    /**
     * The result of setting a ceiling: the ceiling, the decision it caused ({@code null} when the codecs did not
     * change or nothing can be decided yet), and whether it reached {@code vbo.endpoint-ceilings}.
     */
    public record CeilingChangeView(CeilingView ceiling, DecisionView decision, boolean published) {
    }

    /**
     * A PBX's transcodable set: as reported ({@code assumed = false}, with source and time) or the configured default;
     * {@code used} adds the administrator's pass-through codecs.
     */
    public record CapabilitiesView(String pbxId, List<String> transcodable, boolean assumed, String source,
            String reportedBy, Instant observedAt, List<String> passThrough, List<String> used) {
    }

    /** One time bucket of a PBX's results. */
    public record SummaryBucket(Instant start, long count, long ok, Double p50Bps, Double p95Bps,
            Map<String, Long> failuresByOutcome) {
    }

    /** A PBX's results over time. */
    public record PbxSummary(String pbxId, Instant from, Instant to, String bucket, List<SummaryBucket> buckets) {
    }

    /** An administrator's pin. */
    public record PinRequest(List<String> codecs) {
    }

    /** The active policy; {@code tiers} are {@code seed-compatible}'s ({@code overhead-aware} has them per endpoint). */
    public record PolicyView(String preset, double utilisation, int expectedConcurrentCalls, int layer2Bytes,
            int estimatorWindow, int upgradeAfter, double upgradeMargin, int unmeasuredAfter,
            double jitterBufferFactor, int retentionDays, List<TierView> tiers, List<CodecView> codecs,
            List<String> qualityOrder, List<String> assumedTranscodable, Map<String, List<String>> passThrough) {
    }

    /** One tier of the policy. */
    public record TierView(String name, int rank, List<String> codecs, long thresholdBps, String comparison) {
    }

    /** One codec's wire cost, the estimate it needs ({@code overhead-aware}: wire × calls ÷ utilisation), E-model factors. */
    public record CodecView(String name, int payloadBps, int packetizationMs, long wireBps, long needBps, Double ie,
            Double bpl) {
    }
}
