package io.vbo.policy.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The API's records (entities stay behind the resources). */
public final class Views {
    private Views() {
    }

    /** One endpoint: effective tier and codecs, the policy's own tier, and the latest estimate. */
    public record EndpointView(String pbxId, String endpoint, String status, String tier, List<String> codecs,
            String policyTier, List<String> policyCodecs, boolean pinned, Long estimateBps, Long downlinkBps,
            Long uplinkBps, Double lossPercent, Double jitterMs, Double rttMs, Double mos, int consecutiveFailures,
            Instant lastResultAt, String lastOutcome, Instant lastSuccessAt, String pinnedBy, Instant pinnedAt) {
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
            List<String> appliedCodecs, String appliedError) {
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

    /** The active policy. */
    public record PolicyView(String preset, double utilisation, int expectedConcurrentCalls, int layer2Bytes,
            int estimatorWindow, int upgradeAfter, double upgradeMargin, int unmeasuredAfter,
            double jitterBufferFactor, int retentionDays, List<TierView> tiers, List<CodecView> codecs) {
    }

    /** One tier of the policy. */
    public record TierView(String name, int rank, List<String> codecs, long thresholdBps, String comparison) {
    }

    /** One codec's wire cost and E-model factors. */
    public record CodecView(String name, int payloadBps, int packetizationMs, long wireBps, Double ie, Double bpl) {
    }
}
