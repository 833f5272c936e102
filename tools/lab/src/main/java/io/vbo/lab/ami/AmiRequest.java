package io.vbo.lab.ami;

import java.util.Map;

/**
 * One action the test server received.
 *
 * @param connection which connection sent it (1 = the first accepted)
 * @param action     the {@code Action:} value
 * @param headers    every header, in order, names as sent
 */
public record AmiRequest(int connection, String action, Map<String, String> headers) {
    public AmiRequest {
        headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
    }

    /** A header's value by name, ignoring case like Asterisk; {@code null} when absent. */
    public String header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    public String actionId() {
        return header("ActionID");
    }
}
