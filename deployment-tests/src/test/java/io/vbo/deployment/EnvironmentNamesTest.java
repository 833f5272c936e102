package io.vbo.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every environment variable docker-compose.yml and k8s/ give a service is one that service reads (a misspelt name
 * would be ignored silently and the default used): checked against the service's own sources.
 */
class EnvironmentNamesTest {
    private static final Map<String, ServiceSettings> SETTINGS = new HashMap<>();
    /** Read by the JVM or the image, not by the application's configuration. */
    private static final Set<String> PLATFORM = Set.of("JAVA_TOOL_OPTIONS", "QUARKUS_HTTP_HOST");

    static ServiceSettings settings(String module) {
        return SETTINGS.computeIfAbsent(module, m -> ServiceSettings.of(Repo.root().resolve(m)));
    }

    /** Names nobody reads; a {@code *_SECRET_ENV} value names a variable the service reads through it. */
    static Set<String> unread(String module, Map<String, String> env) {
        Set<String> viaSecretEnv = new HashSet<>();
        env.forEach((name, value) -> {
            if (name.endsWith("_SECRET_ENV")) {
                viaSecretEnv.add(value);
            }
        });
        Set<String> unread = new TreeSet<>();
        for (String name : env.keySet()) {
            if (!PLATFORM.contains(name) && !viaSecretEnv.contains(name) && !settings(module).reads(name)) {
                unread.add(name);
            }
        }
        return unread;
    }

    @Test
    void composeGivesEachServiceOnlyVariablesItReads() throws IOException {
        String resolved = Tool.DOCKER_COMPOSE.run(Repo.root(), ComposeFileTest.ENV, "-f", "docker-compose.yml", "config")
                .assertSuccess().stdout();
        JsonNode services = new ObjectMapper(new YAMLFactory()).readTree(resolved).path("services");
        for (String module : ServiceSettings.modules()) {
            Map<String, String> env = new HashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = services.path(module).path("environment").fields();
            fields.forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            assertFalse(env.isEmpty(), module);
            assertEquals(Set.of(), unread(module, env), module + " in docker-compose.yml");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"single-pbx", "fleet"})
    void kubernetesGivesEachServiceOnlyVariablesItReads(String overlay) {
        List<Object> objects = KubernetesManifestsTest.objects(overlay);
        Map<String, Map<String, String>> configMaps = new HashMap<>();
        KubernetesManifestsTest.ofType(objects, ConfigMap.class)
                .forEach(c -> configMaps.put(c.getMetadata().getName(), c.getData()));
        Map<String, Set<String>> secretKeys = new HashMap<>();
        KubernetesManifestsTest.ofType(objects, Secret.class).forEach(s -> secretKeys.put(s.getMetadata().getName(),
                s.getData() == null ? Set.of() : s.getData().keySet()));
        for (Deployment deployment : KubernetesManifestsTest.ofType(objects, Deployment.class)) {
            String module = deployment.getMetadata().getLabels().get("app.kubernetes.io/name");
            for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                Map<String, String> env = new HashMap<>();
                for (EnvFromSource from : container.getEnvFrom() == null ? List.<EnvFromSource>of() : container.getEnvFrom()) {
                    if (from.getConfigMapRef() != null) {
                        env.putAll(configMaps.get(from.getConfigMapRef().getName()));
                    }
                    if (from.getSecretRef() != null) {
                        secretKeys.get(from.getSecretRef().getName()).forEach(k -> env.put(k, "(secret)"));
                    }
                }
                for (EnvVar var : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
                    env.put(var.getName(), var.getValue() == null ? "(reference)" : var.getValue());
                }
                Set<String> unread = unread(module, env);
                // The shared vbo-config carries the database URL for policy-service; the others ignore it.
                if (!module.equals("policy-service")) {
                    unread.remove("VBO_DB_URL");
                }
                assertEquals(Set.of(), unread, deployment.getMetadata().getName() + " in " + overlay);
            }
        }
    }

    @Test
    void aMisspeltOrUnknownVariableIsNotRead() {
        assertTrue(settings("config-writer-service").reads("VBO_WRITER_AMI_SECRET"));
        assertTrue(settings("config-writer-service").reads("VBO_WRITER_PBX_ID"));
        assertFalse(settings("config-writer-service").reads("VBO_WRITER_AMI_PASSWORD"));
        assertFalse(settings("config-writer-service").reads("VBO_WRITER_PBXID"));
        assertTrue(settings("discovery-service").reads("VBO_DISCOVERY_PBX_0__SECRET_ENV"));
        assertTrue(settings("discovery-service").reads("VBO_DISCOVERY_PBX_12__HOST"));
        assertFalse(settings("discovery-service").reads("VBO_DISCOVERY_PBX_HOST_0"));
        assertTrue(settings("probe-service").reads("MP_MESSAGING_INCOMING_ENDPOINTS_GROUP_ID"));
        assertFalse(settings("probe-service").reads("VBO_DISCOVERY_PBX_0__ID"));
        assertTrue(settings("policy-service").reads("VBO_DB_URL"));
    }
}
