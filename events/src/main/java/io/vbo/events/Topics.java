package io.vbo.events;

/** Kafka topic names of the VBO contracts (see docs/architecture.md). */
public final class Topics {
    /** {@link EndpointObserved} and {@link EndpointGone}, keyed {@code pbxId/endpoint}. */
    public static final String ENDPOINTS = "vbo.endpoints";
    /** {@link ProbeResult}, keyed {@code pbxId/endpoint}. */
    public static final String PROBE_RESULTS = "vbo.probe-results";
    /** {@link CodecDecision}, keyed {@code pbxId/endpoint}; compacted: the latest per key is the desired state. */
    public static final String CODEC_DECISIONS = "vbo.codec-decisions";
    /** {@link ConfigApplied}, keyed {@code pbxId/endpoint}. */
    public static final String CONFIG_APPLIED = "vbo.config-applied";
    /** {@link PbxCapabilities}, keyed {@code pbxId}; compacted: the latest per PBX is its transcodable set. */
    public static final String PBX_CAPABILITIES = "vbo.pbx-capabilities";
    /** {@link EndpointCeiling}, keyed {@code pbxId/endpoint}; compacted: the latest per endpoint is its ceiling. */
    public static final String ENDPOINT_CEILINGS = "vbo.endpoint-ceilings";
    /**
     * {@link CallQuality} (RTCP samples and per-call summaries), keyed {@code pbxId/endpoint}; idempotent on
     * {@link CallQuality#idempotencyKey()}.
     */
    public static final String CALL_QUALITY = "vbo.call-quality";
    /** {@link SiteLimit}, keyed {@code pbxId/site}; compacted: the latest per site is its call-admission limit. */
    public static final String SITE_LIMITS = "vbo.site-limits";
    /** Messages a consumer could not parse or validate, as received, with error headers. */
    public static final String DEAD_LETTER = "vbo.dead-letter";

    private Topics() {
    }
}
