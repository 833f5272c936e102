package io.vbo.discovery.service;

import io.vbo.events.ContactStatus;

/**
 * A registered contact as read from the PBX, before it becomes an event.
 *
 * @param rttMicros qualify round trip in µs, {@code null} when Asterisk has none ({@code N/A}, {@code nan})
 */
public record Contact(String aor, String endpoint, String uri, ContactAddress address, ContactStatus status,
        Long rttMicros, String userAgent) {
}
