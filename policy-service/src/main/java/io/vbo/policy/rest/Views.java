package io.vbo.policy.rest;

import io.vbo.events.CodecDecision.Exclusion;
import io.vbo.events.SiteLimit;
import io.vbo.policy.repository.MeasurementRow;
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
     * used, the ceiling's codecs left out, whether no codec fits, and why nothing is published ({@code note});
     * {@code calls}: the MOS of its calls of the last 24 h; {@code site}: the site whose uplink it shares
     * ({@code null} for a site of its own). Both are in the one-endpoint view only ({@code null} in lists).
     */
    public record EndpointView(String pbxId, String endpoint, String status, String tier, List<String> codecs,
            String policyTier, List<String> policyCodecs, boolean pinned, Long estimateBps, Long downlinkBps,
            Long uplinkBps, Double lossPercent, Double jitterMs, Double rttMs, Double mos, int consecutiveFailures,
            Instant lastResultAt, String lastOutcome, Instant lastSuccessAt, String pinnedBy, Instant pinnedAt,
            List<String> ceiling, String ceilingSource, Instant ceilingRecordedAt, List<String> transcodable,
            List<Exclusion> excluded, boolean noCodecFits, String note, CallViews.CallMos calls,
            EndpointSiteView site) {
        /** The same view with the endpoint's call MOS and site (one endpoint's view has them, lists leave them {@code null}). */
        public EndpointView with(CallViews.CallMos mos, EndpointSiteView site) {
            return new EndpointView(pbxId, endpoint, status, tier, codecs, policyTier, policyCodecs, pinned,
                    estimateBps, downlinkBps, uplinkBps, lossPercent, jitterMs, rttMs, this.mos, consecutiveFailures,
                    lastResultAt, lastOutcome, lastSuccessAt, pinnedBy, pinnedAt, ceiling, ceilingSource,
                    ceilingRecordedAt, transcodable, excluded, noCodecFits, note, mos, site);
        }
    }

    /**
     * An endpoint's site in its view (docs/sites.md): how many endpoints share it, K in use and its source
     * (CONFIGURED, LEARNED or DEFAULT), the capacity decisions use ({@code null} while neither declared nor
     * measured), and the call limit last decided ({@code null} before the first).
     */
    public record EndpointSiteView(String site, int members, int concurrentCalls, String concurrentSource,
            Long capacityBps, Integer maxCalls) {
    }

    /** A page of endpoints; {@code next} is the {@code after} value of the following page, null at the end. */
    public record EndpointPage(List<EndpointView> items, String next) {
    }

    /** A page of measurements; {@code nextCursor} continues it, null at the end. */
    public record MeasurementPage(List<MeasurementRow> items, String nextCursor) {
    }

    /**
     * One decision with its reason and what the writer reported; {@code site}: the site whose shared uplink it was
     * made for, {@code null} for an endpoint that is a site of its own.
     */
    public record DecisionView(UUID decisionId, String tier, List<String> codecs, String previousTier, String cause,
            String preset, Long estimateBps, Map<String, Long> thresholdsBps, Double mos, String reason,
            Instant decidedAt, Instant publishedAt, String appliedStatus, Instant appliedAt,
            List<String> appliedCodecs, String appliedError, List<String> ceiling, List<String> transcodable,
            List<Exclusion> excluded, boolean noCodecFits, String site) {
    }

    /**
     * A site (docs/sites.md): its endpoints, K (learned now from its calls, configured, and the one decisions use),
     * its uplink's capacity, and the call limit last decided ({@code null} before the first). {@code members} is
     * {@code null} in the list.
     */
    public record SiteView(String pbxId, String site, boolean configured, List<String> endpoints,
            ConcurrentCallsView concurrentCalls, CapacityView capacity, Integer maxCallsConfigured, SiteLimit limit,
            List<SiteMemberView> members) {
    }

    /**
     * K of a site: {@code learned} (the {@code percentile} of concurrent calls over the window's busiest hour, from
     * {@code calls} calls, {@code peak} at once at most; {@code null} without calls), {@code configured}
     * ({@code null} when absent), and {@code used} with its {@code source} (CONFIGURED, LEARNED or DEFAULT).
     */
    public record ConcurrentCallsView(Integer learned, Instant busiestHour, Integer peak, Integer calls,
            double percentile, String window, Integer configured, int used, String source) {
    }

    /**
     * A site's uplink: declared (the smaller direction, {@code null} when not declared), measured (the estimate of
     * the most recently measured member, {@code measuredBy}), the one used, and the share of it voice may use.
     */
    public record CapacityView(Long declaredBps, Long declaredDownBps, Long declaredUpBps, Long measuredBps,
            String measuredBy, Long usedBps, double utilisation) {
    }

    /** One phone of a site as the policy last decided it. */
    public record SiteMemberView(String endpoint, String status, String tier, List<String> codecs,
            List<String> ceiling) {
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

    /** A PBX's results over time, and its calls in the same buckets. */
    public record PbxSummary(String pbxId, Instant from, Instant to, String bucket, List<SummaryBucket> buckets,
            List<CallViews.CallBucketView> calls) {
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
