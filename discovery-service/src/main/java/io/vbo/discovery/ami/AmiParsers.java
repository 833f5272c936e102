package io.vbo.discovery.ami;

import io.vbo.ami.AmiMessage;
import io.vbo.discovery.service.Contact;
import io.vbo.discovery.service.ContactAddress;
import io.vbo.events.ContactStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads Asterisk 22's PJSIP list events and ContactStatus events (field names as captured, parsed by name). */
public final class AmiParsers {
    private AmiParsers() {
    }

    /**
     * One {@code ContactList} event as a contact; empty when no IP address can be derived (see {@link ContactAddress}).
     * The AOR is the part of {@code ObjectName} before {@code ;@}; {@code RoundtripUsec: N/A} means no RTT.
     */
    public static Optional<Contact> contact(AmiMessage event) {
        String objectName = event.get("ObjectName");
        String uri = event.get("Uri");
        if (objectName == null || uri == null) {
            return Optional.empty();
        }
        int at = objectName.indexOf(";@");
        String aor = at >= 0 ? objectName.substring(0, at) : objectName;
        String endpoint = event.get("Endpoint");
        return ContactAddress.of(uri, event.get("ViaAddr"), event.get("ViaPort"))
                .map(address -> new Contact(aor, endpoint == null || endpoint.isEmpty() ? aor : endpoint, uri, address,
                        ContactStatus.fromAsterisk(event.get("Status")), micros(event.get("RoundtripUsec")),
                        event.get("UserAgent") == null ? "" : event.get("UserAgent")));
    }

    /** {@code ActiveChannels} per endpoint from {@code EndpointList} events. */
    public static Map<String, Integer> activeChannels(List<AmiMessage> endpointList) {
        Map<String, Integer> channels = new LinkedHashMap<>();
        for (AmiMessage event : endpointList) {
            String name = event.get("ObjectName");
            if (name != null && "EndpointList".equalsIgnoreCase(event.event())) {
                channels.put(name, parseCount(event.get("ActiveChannels")));
            }
        }
        return channels;
    }

    /**
     * An RTT in µs from AMI: a non-negative integer, or {@code null} for {@code N/A}, empty, or garbage. A
     * {@code ContactStatus} event carries {@code 0} when it has no measurement; callers decide by status.
     */
    public static Long micros(String value) {
        if (value == null) {
            return null;
        }
        try {
            long micros = Long.parseLong(value.strip());
            return micros >= 0 ? micros : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int parseCount(String value) {
        Long count = micros(value);
        return count == null ? 0 : (int) Math.min(count, 100_000);
    }
}
