package io.vbo.ami;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One AMI message (response or event): its {@code Key: Value} headers in order. Names compare case-insensitively,
 * like Asterisk; a header may repeat ({@code Output:} of a Command response).
 */
public record AmiMessage(List<Map.Entry<String, String>> headers) {
    public AmiMessage {
        headers = List.copyOf(headers);
    }

    /**
     * Parses one message block (without its terminating blank line). Lines without a colon are skipped, and values
     * are stripped, so Asterisk's stray LF before a terminator ({@code No Contacts found\n}) does not leak into a value.
     * An {@code Output:} value loses only the one space after the colon and trailing white space: it is a CLI line,
     * whose leading spaces are its columns.
     */
    public static AmiMessage parse(String block) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String line : block.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String name = line.substring(0, colon).strip();
                String value = line.substring(colon + 1);
                if (name.equalsIgnoreCase("Output")) {
                    value = (value.startsWith(" ") ? value.substring(1) : value).stripTrailing();
                } else {
                    value = value.strip();
                }
                headers.add(Map.entry(name, value));
            }
        }
        return new AmiMessage(headers);
    }

    /** The first value of a header, or {@code null}. */
    public String get(String name) {
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }

    /** Every value of a repeated header, in order. */
    public List<String> all(String name) {
        return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
    }

    public boolean isEmpty() {
        return headers.isEmpty();
    }

    public String event() {
        return get("Event");
    }

    public String response() {
        return get("Response");
    }

    public String actionId() {
        return get("ActionID");
    }

    public boolean isSuccess() {
        return "Success".equalsIgnoreCase(response());
    }
}
