package io.vbo.events;

import java.time.Instant;
import java.util.List;

/**
 * The most an endpoint may ever be allowed: its own audio {@code allow} list as the administrator set it up. A
 * decision is always a subset of it. On the compacted {@link Topics#ENDPOINT_CEILINGS} topic, keyed
 * {@code pbxId/endpoint}.
 *
 * <p>config-writer-service publishes {@link Source#FILE} when it first manages an endpoint (the allow list found in
 * the file before its first edit) and {@link Source#USERS} when an administrator sets an endpoint's codecs through
 * the users API. policy-service keeps the first {@code FILE} ceiling it hears of, replaces it on {@code USERS}, and
 * records its own REST edits as {@link Source#ADMIN}.
 *
 * @param schema     contract version, {@link #SCHEMA}
 * @param pbxId      which PBX
 * @param endpoint   PJSIP endpoint name
 * @param codecs     audio codecs, in the administrator's order
 * @param source     who set it
 * @param recordedAt when
 */
public record EndpointCeiling(
        int schema, String pbxId, String endpoint, List<String> codecs, Source source, Instant recordedAt) {
    public static final int SCHEMA = 1;

    /** FILE: found in the config file on first management. USERS: set through the users API. ADMIN: policy REST. */
    public enum Source { FILE, USERS, ADMIN }

    public EndpointCeiling {
        Validate.schema(schema, SCHEMA);
        Validate.pbxId("pbxId", pbxId);
        Validate.endpoint("endpoint", endpoint);
        codecs = Validate.codecs("codecs", codecs);
        Validate.required("source", source);
        Validate.instant("recordedAt", recordedAt);
    }

    public String key() {
        return EventKeys.key(pbxId, endpoint);
    }
}
