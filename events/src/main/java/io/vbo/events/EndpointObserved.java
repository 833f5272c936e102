package io.vbo.events;

import java.time.Instant;

/**
 * A registered contact of a PJSIP endpoint as the PBX sees it.
 *
 * @param schema      contract version, {@link #SCHEMA}
 * @param pbxId       which PBX
 * @param endpoint    PJSIP endpoint name
 * @param aor         AOR the contact is bound to (the part of AMI's {@code ObjectName} before {@code ;@})
 * @param contactUri  the contact URI as registered
 * @param address     IP literal the PBX reaches the phone at (see docs/architecture.md for the NAT rule)
 * @param port        UDP/TCP port at that address
 * @param transport   {@code udp}, {@code tcp}, {@code tls} or {@code ws(s)}
 * @param status      contact state
 * @param rttMicros   qualify round-trip time in µs, {@code null} when unknown (unreachable, not qualified)
 * @param userAgent   the phone's User-Agent, may be empty
 * @param activeCalls channels in use on the endpoint (probes are deferred while it is above zero)
 * @param observedAt  when the PBX reported it
 * @param site        the site (phones sharing one uplink, see docs/sites.md) discovery placed the endpoint in;
 *                    {@code null} from producers older than sites: the endpoint is then a site of its own
 */
public record EndpointObserved(
        int schema, String pbxId, String endpoint, String aor, String contactUri, String address, Integer port,
        String transport, ContactStatus status, Long rttMicros, String userAgent, int activeCalls, Instant observedAt,
        String site)
        implements EndpointEvent {
    public static final int SCHEMA = 1;

    public EndpointObserved {
        Validate.schema(schema, SCHEMA);
        Validate.pbxId("pbxId", pbxId);
        Validate.endpoint("endpoint", endpoint);
        Validate.endpoint("aor", aor);
        Validate.requiredText("contactUri", contactUri, Validate.MAX_TEXT);
        Validate.ipLiteral("address", address);
        Validate.port("port", port);
        Validate.requiredText("transport", transport, Validate.MAX_NAME);
        Validate.required("status", status);
        if (rttMicros != null) {
            Validate.nonNegative("rttMicros", rttMicros);
        }
        userAgent = userAgent == null ? "" : Validate.text("userAgent", userAgent, Validate.MAX_TEXT);
        Validate.range("activeCalls", activeCalls, 0, 100_000);
        Validate.instant("observedAt", observedAt);
        if (site != null) {
            Validate.site("site", site);
        }
    }
}
