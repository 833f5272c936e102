package io.vbo.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vbo.events.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker-compose.yml: validated offline by docker-compose itself (no engine needed), and a broken copy is refused. */
class ComposeFileTest {
    /** What an administrator puts in .env; the file has no default for secrets on purpose. */
    static final Map<String, String> ENV = Map.of("VBO_PBX_ID", "pbx1", "VBO_DB_PASSWORD", "test-db-secret",
            "VBO_AMI_PASSWORD", "test-ami-secret", "VBO_POLICY_VIEWER_PASSWORD", "test-viewer",
            "VBO_POLICY_ADMIN_PASSWORD", "test-admin", "VBO_WRITER_ADMIN_PASSWORD", "test-writer-admin",
            "VBO_PROBE_VIEWER_PASSWORD", "test-probe-viewer", "VBO_PROBE_ADMIN_PASSWORD", "test-probe-admin");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void composeFileValidates() {
        Tool.DOCKER_COMPOSE.run(Repo.root(), ENV, "-f", "docker-compose.yml", "config", "-q").assertSuccess();
    }

    @Test
    void resolvedFileWiresTheServicesAsDocumented() throws IOException {
        String resolved = Tool.DOCKER_COMPOSE.run(Repo.root(), ENV, "-f", "docker-compose.yml", "config")
                .assertSuccess().stdout();
        JsonNode services = YAML.readTree(resolved).path("services");
        for (String service : Set.of("discovery-service", "probe-service", "policy-service", "config-writer-service")) {
            JsonNode s = services.path(service);
            assertEquals("src/main/docker/Dockerfile.jvm", s.path("build").path("dockerfile").asText(), service);
            assertTrue(Files.exists(Repo.root().resolve(service).resolve("src/main/docker/Dockerfile.jvm")), service);
            assertTrue(s.path("healthcheck").path("test").toString().contains("/q/health/ready"), service);
            assertEquals("service_completed_successfully",
                    s.path("depends_on").path("kafka-topics").path("condition").asText(), service);
        }
        assertEquals("host", services.path("probe-service").path("network_mode").asText());
        assertEquals("service_healthy",
                services.path("policy-service").path("depends_on").path("postgres").path("condition").asText());
        assertTrue(services.path("config-writer-service").path("volumes").toString().contains("/etc/asterisk"));
        assertEquals("test-db-secret",
                services.path("policy-service").path("environment").path("VBO_DB_PASSWORD").asText());
        String topicScript = services.path("kafka-topics").path("command").toString();
        for (String topic : Set.of(Topics.ENDPOINTS, Topics.PROBE_RESULTS, Topics.CODEC_DECISIONS,
                Topics.CONFIG_APPLIED, Topics.DEAD_LETTER, Topics.CALL_QUALITY, Topics.PBX_CAPABILITIES,
                Topics.ENDPOINT_CEILINGS, Topics.SITE_LIMITS)) {
            assertTrue(topicScript.contains(topic), topic + " is not created by kafka-topics");
        }
        assertTrue(topicScript.contains("cleanup.policy=compact"), "vbo.codec-decisions must be compacted");
    }

    @Test
    void aMissingSecretIsRefusedByName() {
        Map<String, String> env = new HashMap<>(ENV);
        env.remove("VBO_DB_PASSWORD");
        Tool.Result result = Tool.DOCKER_COMPOSE.run(Repo.root(), env, "-f", "docker-compose.yml", "config", "-q");
        assertNotEquals(0, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("VBO_DB_PASSWORD"), result.toString());
    }

    @Test
    void aMisspeltKeyIsRefused(@TempDir Path dir) throws IOException {
        assertBrokenCopyRefused(dir, yaml -> yaml.replaceFirst("    healthcheck:", "    helthcheck:"), "helthcheck");
    }

    @Test
    void aDependencyOnAnUndefinedServiceIsRefused(@TempDir Path dir) throws IOException {
        assertBrokenCopyRefused(dir, yaml -> yaml.replace("      postgres:\n        condition: service_healthy",
                "      postgress:\n        condition: service_healthy"), "postgress");
    }

    @Test
    void aMissingBuildFolderIsRefused(@TempDir Path dir) throws IOException {
        assertBrokenCopyRefused(dir, yaml -> yaml.replace("context: ./probe-service", "context: ./probe-servise"),
                "probe-servise");
    }

    /** The copy is resolved against the checkout (--project-directory) so only the edit can make it fail. */
    private static void assertBrokenCopyRefused(Path dir, UnaryOperator<String> edit, String mustMention)
            throws IOException {
        String original = Files.readString(Repo.root().resolve("docker-compose.yml"));
        String broken = edit.apply(original);
        assertNotEquals(original, broken, "the edit did not apply; the test no longer breaks anything");
        Path copy = dir.resolve("docker-compose.yml");
        Files.writeString(copy, broken);
        Tool.Result result = Tool.DOCKER_COMPOSE.run(Repo.root(), ENV, "--project-directory", Repo.root().toString(),
                "-f", copy.toString(), "config", "-q");
        assertNotEquals(0, result.exitCode(), "docker-compose accepted a broken file: " + result);
        assertTrue((result.stderr() + result.stdout()).contains(mustMention), result.toString());
    }
}
