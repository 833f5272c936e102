package io.vbo.events;

import java.time.Instant;
import java.util.List;

/**
 * How many concurrent calls a site's uplink carries at the site's tier: policy-service decides it,
 * config-writer-service writes it into its dialplan file so Asterisk refuses the call beyond it (see docs/sites.md).
 * On the compacted {@link Topics#SITE_LIMITS} topic, keyed {@code pbxId/site}.
 *
 * @param schema          contract version, {@link #SCHEMA}
 * @param pbxId           which PBX
 * @param site            the site, {@link Validate#SITE}
 * @param endpoints       the site's endpoints when decided
 * @param tier            the site's tier
 * @param codec           the tier's first codec, whose per-call need sets the limit
 * @param perCallBps      one call of {@code codec} on the wire, bit/s
 * @param capacityBps     the site's usable uplink (measured or declared, × utilisation), bit/s
 * @param maxCalls        calls that fit: {@code floor(capacityBps / perCallBps)}, capped by the site's
 *                        {@code max-calls}; 0 refuses every call
 * @param concurrentCalls K the tier was chosen for
 * @param concurrentSource where K came from
 * @param decidedAt       when
 */
public record SiteLimit(
        int schema, String pbxId, String site, List<String> endpoints, String tier, String codec, long perCallBps,
        long capacityBps, int maxCalls, int concurrentCalls, ConcurrentSource concurrentSource, Instant decidedAt) {
    public static final int SCHEMA = 1;

    /** LEARNED: the calls' own 95th percentile; CONFIGURED: the site's setting; DEFAULT: the policy default K. */
    public enum ConcurrentSource { LEARNED, CONFIGURED, DEFAULT }

    public SiteLimit {
        Validate.schema(schema, SCHEMA);
        Validate.pbxId("pbxId", pbxId);
        Validate.site("site", site);
        endpoints = List.copyOf(Validate.size("endpoints", Validate.required("endpoints", endpoints), 100_000));
        endpoints.forEach(e -> Validate.endpoint("endpoints", e));
        Validate.requiredText("tier", tier, Validate.MAX_NAME);
        Validate.codecs("codec", List.of(Validate.required("codec", codec)));
        Validate.range("perCallBps", perCallBps, 1, 100_000_000_000L);
        Validate.nonNegative("capacityBps", capacityBps);
        Validate.range("maxCalls", maxCalls, 0, 100_000);
        Validate.range("concurrentCalls", concurrentCalls, 1, 100_000);
        Validate.required("concurrentSource", concurrentSource);
        Validate.instant("decidedAt", decidedAt);
    }

    public String key() {
        return EventKeys.key(pbxId, site);
    }
}
