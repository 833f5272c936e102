package io.vbo.discovery.cli;

import io.vbo.discovery.service.Contact;
import io.vbo.discovery.service.ContactAddress;
import io.vbo.events.ContactStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the text of {@code asterisk -rx 'pjsip show contacts'} and {@code 'pjsip show endpoints'} (Asterisk 22).
 * Data lines are matched by shape, so header, ruler, blank and {@code Objects found}/{@code No objects found.}
 * lines never become contacts.
 */
public final class CliParsers {
    /** {@code Contact:  <aor>/<uri> <10-hex hash> <status> <rtt ms | nan>}. The URI is taken whole, any port. */
    private static final Pattern CONTACT = Pattern.compile(
            "^\\s*Contact:\\s+([^/\\s]+)/(\\S+)\\s+([0-9a-fA-F]+)\\s+(\\S+)\\s+(\\S+)\\s*$");
    /** {@code Endpoint:  <name[/cid]>  <state...>  <n> of <max>}. */
    private static final Pattern ENDPOINT = Pattern.compile("^\\s*Endpoint:\\s+(\\S+)\\s+.*?\\s(\\d+)\\s+of\\s+\\S+\\s*$");
    private static final Pattern AOR = Pattern.compile("^\\s*Aor:\\s+(\\S+)\\s+\\d+\\s*$");

    private CliParsers() {
    }

    /** A contact line's fields; the endpoint is resolved by the caller from {@code pjsip show endpoints}. */
    public record CliContact(String aor, String uri, ContactStatus status, Long rttMicros, Optional<ContactAddress> address) {
    }

    /** An endpoint's AORs and channels in use. */
    public record CliEndpoint(String name, List<String> aors, int channels) {
    }

    public static List<CliContact> contacts(String output) {
        List<CliContact> contacts = new ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher m = CONTACT.matcher(line);
            if (m.matches() && !m.group(1).startsWith("<")) {
                contacts.add(new CliContact(m.group(1), m.group(2), ContactStatus.fromAsterisk(m.group(4)),
                        millisToMicros(m.group(5)), ContactAddress.of(m.group(2), null, null)));
            }
        }
        return contacts;
    }

    /** Endpoint blocks of {@code pjsip show endpoints}; the header legend lines do not match. */
    public static List<CliEndpoint> endpoints(String output) {
        Map<String, CliEndpoint> endpoints = new LinkedHashMap<>();
        String current = null;
        for (String line : output.split("\n")) {
            Matcher endpoint = ENDPOINT.matcher(line);
            if (endpoint.matches() && !endpoint.group(1).startsWith("<")) {
                String name = endpoint.group(1);
                int slash = name.indexOf('/');
                current = slash > 0 ? name.substring(0, slash) : name;
                endpoints.put(current, new CliEndpoint(current, new ArrayList<>(), Integer.parseInt(endpoint.group(2))));
                continue;
            }
            Matcher aor = AOR.matcher(line);
            if (aor.matches() && current != null && !aor.group(1).startsWith("<")) {
                endpoints.get(current).aors().add(aor.group(1));
            }
        }
        return List.copyOf(endpoints.values());
    }

    /** The CLI's {@code RTT(ms)} column ({@code 0.479}) in µs; {@code nan} or anything else → null. */
    public static Long millisToMicros(String value) {
        try {
            double millis = Double.parseDouble(value);
            if (Double.isNaN(millis) || Double.isInfinite(millis) || millis < 0) {
                return null;
            }
            return Math.round(millis * 1000.0);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Resolves each contact's endpoint from the endpoints' AOR lists; an AOR no endpoint lists maps to itself. */
    public static List<Contact> resolve(List<CliContact> contacts, List<CliEndpoint> endpoints) {
        Map<String, String> endpointOfAor = new LinkedHashMap<>();
        endpoints.forEach(e -> e.aors().forEach(aor -> endpointOfAor.putIfAbsent(aor, e.name())));
        List<Contact> resolved = new ArrayList<>();
        for (CliContact c : contacts) {
            c.address().ifPresent(address -> resolved.add(new Contact(c.aor(), endpointOfAor.getOrDefault(c.aor(), c.aor()),
                    c.uri(), address, c.status(), c.rttMicros(), "")));
        }
        return resolved;
    }
}
