package io.vbo.lab.ami;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One registered contact as a {@code ContactList} event of {@code PJSIPShowContacts} carries it: the fields in the
 * captured order, so a contact taken from a transcript renders back to the transcript's bytes. Immutable; the
 * {@code with...} methods return a changed copy.
 */
public final class AmiContact {
    /** Transcript of the three registered, reachable contacts. */
    public static final String REGISTERED = "ami-pjsipshowcontacts.response.txt";
    /** Transcript where 1002's contact is {@code Unreachable} with {@code RoundtripUsec: N/A}. */
    public static final String UNAVAILABLE = "ami-pjsipshowcontacts-unavail.response.txt";

    private final Map<String, String> fields;

    private AmiContact(Map<String, String> fields) {
        this.fields = Collections.unmodifiableMap(fields);
    }

    /** The contact of {@code aor} in {@link #REGISTERED} (1001, 1002 or 1003). */
    public static AmiContact transcript(String aor) {
        return transcript(REGISTERED, aor);
    }

    /** The contact of {@code aor} in a {@code PJSIPShowContacts} response transcript. */
    public static AmiContact transcript(String file, String aor) {
        return allFrom(file).stream().filter(c -> c.aor().equals(aor)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no contact of AOR " + aor + " in " + file));
    }

    /** Every contact of a {@code PJSIPShowContacts} response transcript, in order. */
    public static List<AmiContact> allFrom(String file) {
        return Transcripts.messages(file).stream().filter(m -> m.startsWith("Event: ContactList\r\n"))
                .map(AmiContact::parse).toList();
    }

    /**
     * A contact shaped like the transcript's 1001 one for another endpoint (AOR = endpoint name) registered from
     * {@code address:port}; its URI user part and ObjectName hash are derived from the endpoint and address, as
     * Asterisk derives them from the registration.
     */
    public static AmiContact generated(String endpoint, String address, int port) {
        String host = address.contains(":") ? "[" + address + "]" : address;
        String uri = "sip:" + endpoint + "-0x" + hex(endpoint + address).substring(0, 12) + "@" + host + ":" + port;
        return transcript("1001")
                .with("ObjectName", endpoint + ";@" + hex(uri))
                .with("ViaAddr", address)
                .with("CallId", hex(uri + "/call").substring(0, 16))
                .with("Endpoint", endpoint)
                .with("ViaPort", Integer.toString(port))
                .with("Uri", uri);
    }

    static AmiContact parse(String message) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : message.split("\r\n")) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                String name = line.substring(0, colon);
                if (!name.equals("Event") && !name.equals("ActionID")) {
                    fields.put(name, line.substring(colon + 2));
                }
            }
        }
        return new AmiContact(fields);
    }

    /** A copy with one field set (an existing field keeps its place, a new one goes last). */
    public AmiContact with(String field, String value) {
        Map<String, String> copy = new LinkedHashMap<>(fields);
        copy.put(field, value);
        return new AmiContact(copy);
    }

    /** A copy with {@code Status} set; {@code Unreachable} also sets {@code RoundtripUsec: N/A} like Asterisk. */
    public AmiContact withStatus(String status) {
        AmiContact changed = with("Status", status);
        return "Unreachable".equals(status) ? changed.with("RoundtripUsec", "N/A") : changed;
    }

    public String get(String field) {
        return fields.get(field);
    }

    public Map<String, String> fields() {
        return fields;
    }

    /** The AOR: the part of {@code ObjectName} before {@code ;@}. */
    public String aor() {
        String name = fields.get("ObjectName");
        int at = name.indexOf(";@");
        return at < 0 ? name : name.substring(0, at);
    }

    public String endpoint() {
        return fields.get("Endpoint");
    }

    public String uri() {
        return fields.get("Uri");
    }

    /** The {@code ContactList} event, with {@code actionId} (or no ActionID line when null). */
    public String render(String actionId) {
        StringBuilder out = new StringBuilder("Event: ContactList\r\n");
        if (actionId != null) {
            out.append("ActionID: ").append(actionId).append("\r\n");
        }
        fields.forEach((name, value) -> out.append(name).append(": ").append(value).append("\r\n"));
        return out.append("\r\n").toString();
    }

    @Override
    public String toString() {
        return aor() + " " + uri() + " " + fields.get("Status");
    }

    private static String hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
