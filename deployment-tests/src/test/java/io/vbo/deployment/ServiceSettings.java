package io.vbo.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The environment variables a service reads, from its sources: the keys of its {@code @ConfigMapping} interface
 * (as Quarkus maps them: {@code vbo.writer.ami.secret} ← {@code VBO_WRITER_AMI_SECRET}, list entries as
 * {@code _N__}), the {@code ${VBO_...}} placeholders and the {@code mp.messaging} keys of its
 * {@code application.properties}.
 */
final class ServiceSettings {
    private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\(prefix\\s*=\\s*\"([^\"]+)\"\\)");
    private static final Pattern METHOD = Pattern.compile(
            "(?:@WithName\\(\"([^\"]+)\"\\)\\s*(?:@\\w+(?:\\([^)]*\\))?\\s*)*)?[\\w<>,.? ]+\\s(\\w+)\\(\\)\\s*;");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(VBO_[A-Z0-9_]+)");
    private static final Pattern PROPERTY = Pattern.compile("(?m)^(mp\\.messaging\\.[^=\\s]+)\\s*=");

    /** Each {@code @ConfigMapping} of the service: its prefix as an environment name and its keys' tokens. */
    private final Map<String, Set<String>> keyTokensByPrefix = new HashMap<>();
    private final Set<String> exactNames = new HashSet<>();

    static ServiceSettings of(Path module) {
        try {
            ServiceSettings settings = new ServiceSettings();
            try (Stream<Path> sources = Files.walk(module.resolve("src/main/java"))) {
                for (Path file : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String source = Files.readString(file);
                    Matcher m = MAPPING.matcher(source);
                    if (!m.find()) {
                        continue;
                    }
                    Set<String> tokens = settings.keyTokensByPrefix.computeIfAbsent(env(m.group(1)) + "_",
                            k -> new HashSet<>());
                    Matcher method = METHOD.matcher(source);
                    while (method.find()) {
                        tokens.add(method.group(1) != null ? env(method.group(1)) : env(kebab(method.group(2))));
                    }
                }
            }
            if (settings.keyTokensByPrefix.isEmpty()) {
                throw new IllegalStateException("no @ConfigMapping in " + module);
            }
            String properties = Files.readString(module.resolve("src/main/resources/application.properties"));
            Matcher placeholder = PLACEHOLDER.matcher(properties);
            while (placeholder.find()) {
                settings.exactNames.add(placeholder.group(1));
            }
            Matcher property = PROPERTY.matcher(properties);
            while (property.find()) {
                settings.exactNames.add(env(property.group(1)));
            }
            return settings;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the service reads {@code name}. */
    boolean reads(String name) {
        if (exactNames.contains(name)) {
            return true;
        }
        return keyTokensByPrefix.entrySet().stream().anyMatch(e -> name.startsWith(e.getKey())
                && segments(name.substring(e.getKey().length()), e.getValue()));
    }

    /** True when {@code rest} is config keys joined by {@code _} (nested groups) or {@code _N__} (list entries). */
    private static boolean segments(String rest, Set<String> keyTokens) {
        boolean[] reachable = new boolean[rest.length() + 1];
        reachable[0] = true;
        for (int i = 0; i < rest.length(); i++) {
            if (!reachable[i]) {
                continue;
            }
            for (String token : keyTokens) {
                if (!rest.startsWith(token, i)) {
                    continue;
                }
                int end = i + token.length();
                if (end == rest.length()) {
                    return true;
                }
                Matcher index = Pattern.compile("_\\d+__").matcher(rest).region(end, rest.length());
                if (index.lookingAt()) {
                    reachable[index.end()] = true;
                } else if (rest.charAt(end) == '_') {
                    reachable[end + 1] = true;
                }
            }
        }
        return false;
    }

    static String env(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    static List<String> modules() {
        return List.of("discovery-service", "probe-service", "policy-service", "config-writer-service");
    }
}
