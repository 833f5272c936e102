package io.vbo.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each service's {@code src/main/docker/Dockerfile.jvm} (no Docker engine here to build it): the Quarkus fast-jar
 * layout, a non-root user, and the port and health check of the service it packages.
 */
class DockerfilesTest {
    private static final Pattern HTTP_PORT = Pattern.compile("(?m)^quarkus\\.http\\.port\\s*=\\s*(\\d+)");

    /** Instructions with their continuation lines joined, comments dropped. */
    static List<String> instructions(Path dockerfile) throws IOException {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(dockerfile)) {
            String stripped = line.strip();
            if (stripped.startsWith("#") || (stripped.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (stripped.endsWith("\\")) {
                current.append(stripped, 0, stripped.length() - 1).append(' ');
            } else {
                current.append(stripped);
                instructions.add(current.toString().strip());
                current.setLength(0);
            }
        }
        return instructions;
    }

    @ParameterizedTest
    @ValueSource(strings = {"discovery-service", "probe-service", "policy-service", "config-writer-service"})
    void packagesTheFastJarAsANonRootUserOnTheServicesPort(String module) throws IOException {
        Path root = Repo.root().resolve(module);
        List<String> instructions = instructions(root.resolve("src/main/docker/Dockerfile.jvm"));
        Matcher port = HTTP_PORT.matcher(Files.readString(root.resolve("src/main/resources/application.properties")));
        assertTrue(port.find(), module + " has no quarkus.http.port");

        // The base is a build argument (compose-tests builds on a local JRE image), defaulting to the public one.
        assertEquals("ARG BASE_IMAGE=eclipse-temurin:17-jre", instructions.get(0));
        assertEquals("FROM ${BASE_IMAGE}", instructions.get(1));
        for (String layer : List.of("target/quarkus-app/lib/", "target/quarkus-app/*.jar", "target/quarkus-app/app/",
                "target/quarkus-app/quarkus/")) {
            assertTrue(instructions.stream().anyMatch(i -> i.startsWith("COPY ") && i.contains(layer)), layer);
        }
        List<String> users = instructions.stream().filter(i -> i.startsWith("USER ")).toList();
        assertFalse(users.isEmpty(), module + " runs as root");
        String user = users.get(users.size() - 1).substring(5).strip();
        assertFalse(user.equals("root") || user.equals("0") || user.startsWith("0:"), module + " USER " + user);
        int lastUser = instructions.lastIndexOf(users.get(users.size() - 1));
        assertTrue(instructions.subList(lastUser, instructions.size()).stream().noneMatch(i -> i.startsWith("RUN ")),
                "no RUN after USER: the image is set up as root, then dropped");
        assertTrue(instructions.contains("EXPOSE " + port.group(1)), module + " must EXPOSE " + port.group(1));
        assertTrue(instructions.stream().anyMatch(i -> i.startsWith("HEALTHCHECK ")
                && i.contains("127.0.0.1:" + port.group(1) + "/q/health/ready")), module + " health check");
        assertEquals("ENTRYPOINT [\"java\", \"-jar\", \"/deployments/quarkus-run.jar\"]",
                instructions.get(instructions.size() - 1));
        if (module.equals("probe-service")) {
            assertTrue(instructions.stream().anyMatch(i -> i.startsWith("RUN ") && i.contains("iperf3")),
                    "probe-service runs iperf3: the image must install it");
        }
    }
}
