package io.vbo.events;

import java.time.Instant;

/**
 * A contact that the PBX no longer lists (unregistered, expired, removed, or replaced by a new contact).
 *
 * @param schema     contract version, {@link #SCHEMA}
 * @param pbxId      which PBX
 * @param endpoint   PJSIP endpoint name
 * @param contactUri the contact URI that went away
 * @param reason     why, in words ({@code "removed"}, {@code "absent from PJSIPShowContacts"})
 * @param observedAt when it was noticed
 */
public record EndpointGone(int schema, String pbxId, String endpoint, String contactUri, String reason, Instant observedAt)
        implements EndpointEvent {
    public static final int SCHEMA = 1;

    public EndpointGone {
        Validate.schema(schema, SCHEMA);
        Validate.pbxId("pbxId", pbxId);
        Validate.endpoint("endpoint", endpoint);
        Validate.requiredText("contactUri", contactUri, Validate.MAX_TEXT);
        reason = reason == null ? "" : Validate.text("reason", reason, Validate.MAX_TEXT);
        Validate.instant("observedAt", observedAt);
    }
}
