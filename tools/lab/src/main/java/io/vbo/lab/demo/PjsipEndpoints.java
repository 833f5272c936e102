package io.vbo.lab.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the codecs Asterisk would load for each endpoint from {@code pjsip_endpoints.conf}, the way res_pjsip
 * applies {@code disallow}/{@code allow} lines: in order, {@code disallow=all} clears, {@code allow} appends.
 * The AMI test server answers {@code PJSIPShowEndpoint} from it, so what the writer verifies after its reload is
 * what it wrote in the real file.
 */
public final class PjsipEndpoints {
    private PjsipEndpoints() {
    }

    public static Map<String, List<String>> allowed(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, List<String>> codecs = new LinkedHashMap<>();
        List<String> current = null;
        for (String raw : lines) {
            String line = raw.contains(";") ? raw.substring(0, raw.indexOf(';')) : raw;
            line = line.strip();
            if (line.startsWith("[")) {
                String section = line.substring(1, line.indexOf(']'));
                current = codecs.computeIfAbsent(section, s -> new ArrayList<>());
                continue;
            }
            int eq = line.indexOf('=');
            if (current == null || eq < 0) {
                continue;
            }
            String key = line.substring(0, eq).replace(">", "").strip();
            String value = line.substring(eq + 1).strip();
            List<String> names = List.of(value.split("\\s*,\\s*"));
            if (key.equals("disallow")) {
                if (names.contains("all")) {
                    current.clear();
                } else {
                    current.removeAll(names);
                }
            } else if (key.equals("allow")) {
                for (String name : names) {
                    if (!name.isBlank() && !current.contains(name)) {
                        current.add(name);
                    }
                }
            }
        }
        return codecs;
    }

    /** The last {@code key=} line of the {@code [endpoint]} section, or null (Asterisk's default then applies). */
    static String value(Path file, String endpoint, String key) {
        String section = null;
        String value = null;
        try {
            for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String line = (raw.contains(";") ? raw.substring(0, raw.indexOf(';')) : raw).strip();
                int eq = line.indexOf('=');
                if (line.startsWith("[")) {
                    section = line.substring(1, line.indexOf(']'));
                } else if (endpoint.equals(section) && eq > 0 && line.substring(0, eq).strip().equals(key)) {
                    value = line.substring(eq + 1).strip();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return value;
    }

    public static List<String> allowed(Path file, String endpoint) {
        return allowed(file).getOrDefault(endpoint, List.of());
    }
}
