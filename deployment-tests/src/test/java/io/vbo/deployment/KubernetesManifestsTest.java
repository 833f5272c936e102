package io.vbo.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.vbo.events.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** k8s/: each overlay renders offline with kustomize and every object parses strictly as its Kubernetes type. */
class KubernetesManifestsTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, String> RENDERED = new ConcurrentHashMap<>();
    private static final List<String> SERVICES = List.of("discovery-service", "probe-service", "policy-service",
            "config-writer-service");

    static String render(String overlay) {
        return RENDERED.computeIfAbsent(overlay, o -> Tool.KUBECTL
                .run(Repo.root(), Map.of(), "kustomize", "k8s/overlays/" + o).assertSuccess().stdout());
    }

    static List<Object> objects(String overlay) {
        return StrictKubernetesParser.parseAll(render(overlay));
    }

    static <T> List<T> ofType(List<Object> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void kubectlBundlesKustomizeV5() {
        String version = Tool.KUBECTL.run(Repo.root(), Map.of(), "version", "--client").assertSuccess().stdout();
        assertTrue(version.contains("Kustomize Version: v5"),
                "k8s/ uses kustomize v5 syntax (labels, patches with targets); this kubectl bundles: " + version);
    }

    @ParameterizedTest
    @ValueSource(strings = {"single-pbx", "fleet"})
    void everyRenderedObjectParsesStrictly(String overlay) {
        List<Object> objects = objects(overlay);
        Set<String> kinds = objects.stream().map(o -> o.getClass().getSimpleName()).collect(Collectors.toSet());
        assertTrue(kinds.containsAll(Set.of("Namespace", "ConfigMap", "Secret", "Service", "Deployment",
                "PodDisruptionBudget", "KafkaTopic")), "kinds rendered: " + kinds);
        for (Object object : objects) {
            if (object instanceof HasMetadata resource) {
                assertEquals("Namespace".equals(resource.getKind()) ? null : "vbo",
                        resource.getMetadata().getNamespace(), resource.getKind() + " " + resource.getMetadata().getName());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"single-pbx", "fleet"})
    void everyContainerHasHealthProbesResourcesAndRunsAsNonRoot(String overlay) {
        for (Deployment deployment : ofType(objects(overlay), Deployment.class)) {
            String name = deployment.getMetadata().getName();
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), name + " runAsNonRoot");
            for (Container container : pod.getContainers()) {
                assertEquals("/q/health/ready", container.getReadinessProbe().getHttpGet().getPath(), name);
                assertEquals("/q/health/live", container.getLivenessProbe().getHttpGet().getPath(), name);
                assertNotNull(container.getResources().getRequests().get("cpu"), name + " cpu request");
                assertNotNull(container.getResources().getRequests().get("memory"), name + " memory request");
                assertNotNull(container.getResources().getLimits().get("memory"), name + " memory limit");
                assertEquals(Boolean.FALSE, container.getSecurityContext().getAllowPrivilegeEscalation(), name);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"single-pbx", "fleet"})
    void everyServiceIsToldItsListenAddressAndTheProbeApiHasItsUsers(String overlay) {
        List<Object> objects = objects(overlay);
        Map<String, Map<String, String>> configMaps = new HashMap<>();
        ofType(objects, ConfigMap.class).forEach(c -> configMaps.put(c.getMetadata().getName(), c.getData()));
        List<Deployment> deployments = ofType(objects, Deployment.class);
        assertEquals(overlay.equals("fleet") ? 6 : 4, deployments.size());
        for (Deployment deployment : deployments) {
            String name = deployment.getMetadata().getName();
            for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                Map<String, String> env = new HashMap<>();
                for (EnvFromSource from : container.getEnvFrom()) {
                    if (from.getConfigMapRef() != null) {
                        env.putAll(configMaps.getOrDefault(from.getConfigMapRef().getName(), Map.of()));
                    }
                }
                Set<String> fromSecrets = new HashSet<>();
                for (EnvVar var : container.getEnv()) {
                    env.put(var.getName(), var.getValue());
                    if (var.getValueFrom() != null && var.getValueFrom().getSecretKeyRef() != null) {
                        fromSecrets.add(var.getName());
                    }
                }
                assertEquals("0.0.0.0", env.get("QUARKUS_HTTP_HOST"), name + " QUARKUS_HTTP_HOST");
                if (name.startsWith("probe-service")) {
                    assertTrue(fromSecrets.containsAll(Set.of("VBO_PROBE_VIEWER_PASSWORD", "VBO_PROBE_ADMIN_PASSWORD")),
                            name + " takes its API passwords from a secret: " + fromSecrets);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"single-pbx", "fleet"})
    void everyDeploymentHasExactlyOneDisruptionBudget(String overlay) {
        List<Object> objects = objects(overlay);
        List<PodDisruptionBudget> budgets = ofType(objects, PodDisruptionBudget.class);
        List<Deployment> deployments = ofType(objects, Deployment.class);
        for (Deployment deployment : deployments) {
            Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            List<String> covering = budgets.stream()
                    .filter(b -> podLabels.entrySet().containsAll(b.getSpec().getSelector().getMatchLabels().entrySet()))
                    .map(b -> b.getMetadata().getName()).toList();
            assertEquals(1, covering.size(), deployment.getMetadata().getName() + " is covered by " + covering);
        }
        for (PodDisruptionBudget budget : budgets) {
            Map<String, String> selector = budget.getSpec().getSelector().getMatchLabels();
            assertTrue(deployments.stream().anyMatch(d -> d.getSpec().getTemplate().getMetadata().getLabels()
                    .entrySet().containsAll(selector.entrySet())), budget.getMetadata().getName() + " selects nothing");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"single-pbx", "fleet"})
    void everyConfigMapAndSecretReferenceResolves(String overlay) {
        List<Object> objects = objects(overlay);
        Map<String, Set<String>> configMaps = new HashMap<>();
        ofType(objects, ConfigMap.class).forEach(c -> configMaps.put(c.getMetadata().getName(), keys(c.getData())));
        Map<String, Set<String>> secrets = new HashMap<>();
        ofType(objects, Secret.class).forEach(s -> secrets.put(s.getMetadata().getName(),
                union(keys(s.getData()), keys(s.getStringData()))));
        List<String> dangling = new ArrayList<>();
        for (Deployment deployment : ofType(objects, Deployment.class)) {
            String where = deployment.getMetadata().getName();
            for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                for (EnvFromSource from : nullSafe(container.getEnvFrom())) {
                    if (from.getConfigMapRef() != null && !configMaps.containsKey(from.getConfigMapRef().getName())) {
                        dangling.add(where + " envFrom configMap " + from.getConfigMapRef().getName());
                    }
                    if (from.getSecretRef() != null && !secrets.containsKey(from.getSecretRef().getName())) {
                        dangling.add(where + " envFrom secret " + from.getSecretRef().getName());
                    }
                }
                for (EnvVar env : nullSafe(container.getEnv())) {
                    if (env.getValueFrom() == null) {
                        continue;
                    }
                    var cm = env.getValueFrom().getConfigMapKeyRef();
                    if (cm != null && !configMaps.getOrDefault(cm.getName(), Set.of()).contains(cm.getKey())) {
                        dangling.add(where + " " + env.getName() + " → configMap " + cm.getName() + "/" + cm.getKey());
                    }
                    var secret = env.getValueFrom().getSecretKeyRef();
                    if (secret != null && !secrets.getOrDefault(secret.getName(), Set.of()).contains(secret.getKey())) {
                        dangling.add(where + " " + env.getName() + " → secret " + secret.getName() + "/" + secret.getKey());
                    }
                }
            }
        }
        assertEquals(List.of(), dangling, "references to ConfigMaps/Secrets that are not rendered");
    }

    @ParameterizedTest
    @ValueSource(strings = {"single-pbx", "fleet"})
    void everyContractTopicIsDeclaredAndDecisionsAreCompacted(String overlay) {
        Map<String, KafkaTopic> topics = ofType(objects(overlay), KafkaTopic.class).stream()
                .collect(Collectors.toMap(KafkaTopic::topicName, t -> t));
        assertEquals(Set.of(Topics.ENDPOINTS, Topics.PROBE_RESULTS, Topics.CODEC_DECISIONS, Topics.CONFIG_APPLIED,
                Topics.DEAD_LETTER, Topics.PBX_CAPABILITIES, Topics.ENDPOINT_CEILINGS, Topics.CALL_QUALITY, Topics.SITE_LIMITS),
                topics.keySet());
        Set<String> compacted = Set.of(Topics.CODEC_DECISIONS, Topics.PBX_CAPABILITIES, Topics.ENDPOINT_CEILINGS,
                Topics.SITE_LIMITS);
        compacted.forEach(c -> assertEquals("compact", topics.get(c).spec().config().get("cleanup.policy"), c));
        topics.values().stream().filter(t -> !compacted.contains(t.topicName()))
                .forEach(t -> assertFalse("compact".equals(t.spec().config().get("cleanup.policy")), t.topicName()));
    }

    @Test
    void fleetRunsDiscoveryAndPolicyOnceAndProbeAndWriterPinnedToEachPbx() {
        List<Deployment> deployments = ofType(objects("fleet"), Deployment.class);
        Map<String, List<Deployment>> byService = deployments.stream().collect(Collectors.groupingBy(
                d -> d.getMetadata().getLabels().get("app.kubernetes.io/name")));
        assertEquals(Set.copyOf(SERVICES), byService.keySet());
        assertEquals(1, byService.get("discovery-service").size());
        assertEquals(1, byService.get("policy-service").size());
        Set<String> probeSites = pinnedSites(byService.get("probe-service"));
        Set<String> writerSites = pinnedSites(byService.get("config-writer-service"));
        assertTrue(probeSites.size() >= 2, "fleet sites: " + probeSites);
        assertEquals(probeSites, writerSites);
        for (Deployment probe : byService.get("probe-service")) {
            assertEquals(Boolean.TRUE, probe.getSpec().getTemplate().getSpec().getHostNetwork(),
                    "probes leave from the PBX node's own network");
        }
        for (Deployment writer : byService.get("config-writer-service")) {
            assertEquals("Recreate", writer.getSpec().getStrategy().getType(), "never two writers on one PBX");
            Volume config = writer.getSpec().getTemplate().getSpec().getVolumes().stream()
                    .filter(v -> v.getHostPath() != null).findFirst().orElseThrow();
            assertEquals("/etc/asterisk", config.getHostPath().getPath());
            assertTrue(writer.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts().stream()
                    .anyMatch(m -> m.getName().equals(config.getName()) && m.getMountPath().equals("/etc/asterisk")));
        }
    }

    private static Set<String> pinnedSites(List<Deployment> deployments) {
        Set<String> sites = new HashSet<>();
        for (Deployment d : deployments) {
            String site = d.getSpec().getTemplate().getSpec().getNodeSelector().get("vbo.io/pbx");
            assertNotNull(site, d.getMetadata().getName() + " is not pinned to a PBX node");
            assertEquals(site, d.getSpec().getSelector().getMatchLabels().get("vbo.io/pbx"),
                    d.getMetadata().getName() + " must select only its own site's pods");
            assertTrue(sites.add(site), "two " + d.getMetadata().getLabels().get("app.kubernetes.io/name")
                    + " on " + site);
        }
        return sites;
    }

    // --- the strict parse is not vacuous: each of these edits of a valid rendered object must be refused ---

    @Test
    void anUnknownFieldFailsTheParse() throws IOException {
        ObjectNode deployment = firstOfKind("Deployment");
        ((ObjectNode) deployment.at("/spec/template/spec/containers/0")).put("readinesProbe", "typo");
        var error = assertThrows(StrictKubernetesParser.ManifestException.class,
                () -> StrictKubernetesParser.parse(deployment, 1));
        assertTrue(error.getMessage().contains("readinesProbe"), error.getMessage());
    }

    @Test
    void aFieldAtTheWrongLevelFailsTheParse() throws IOException {
        ObjectNode deployment = firstOfKind("Deployment");
        ((ObjectNode) deployment.at("/spec/template/spec")).put("replicas", 2);
        var error = assertThrows(StrictKubernetesParser.ManifestException.class,
                () -> StrictKubernetesParser.parse(deployment, 1));
        assertTrue(error.getMessage().contains("replicas"), error.getMessage());
    }

    @Test
    void aValueOfTheWrongTypeFailsTheParse() throws IOException {
        ObjectNode budget = firstOfKind("PodDisruptionBudget");
        ((ObjectNode) budget.at("/spec")).putArray("selector").add("app");
        assertThrows(StrictKubernetesParser.ManifestException.class, () -> StrictKubernetesParser.parse(budget, 1));
    }

    @Test
    void anUnknownKindFailsTheParse() throws IOException {
        ObjectNode service = firstOfKind("Service");
        service.put("kind", "Servise");
        var error = assertThrows(StrictKubernetesParser.ManifestException.class,
                () -> StrictKubernetesParser.parse(service, 1));
        assertTrue(error.getMessage().contains("Servise"), error.getMessage());
    }

    @Test
    void anUnknownKafkaTopicFieldOrConfigFailsTheParse() throws IOException {
        ObjectNode misspelt = firstOfKind("KafkaTopic");
        ((ObjectNode) misspelt.at("/spec")).put("partitons", 3);
        var error = assertThrows(StrictKubernetesParser.ManifestException.class,
                () -> StrictKubernetesParser.parse(misspelt, 1));
        assertTrue(error.getMessage().contains("partitons"), error.getMessage());

        ObjectNode badConfig = firstOfKind("KafkaTopic");
        ((ObjectNode) badConfig.at("/spec/config")).put("retention.msec", 1);
        error = assertThrows(StrictKubernetesParser.ManifestException.class,
                () -> StrictKubernetesParser.parse(badConfig, 1));
        assertTrue(error.getMessage().contains("retention.msec"), error.getMessage());
    }

    @Test
    void aBrokenOverlayDoesNotRender(@TempDir Path copy) throws IOException {
        Path k8s = Repo.root().resolve("k8s");
        try (Stream<Path> files = Files.walk(k8s)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve("k8s").resolve(k8s.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        Path single = copy.resolve("k8s/overlays/single-pbx/kustomization.yaml");
        Files.writeString(single, Files.readString(single).replace("../../site", "../../sites"));
        Tool.Result result = Tool.KUBECTL.run(copy, Map.of(), "kustomize", "k8s/overlays/single-pbx");
        assertTrue(result.exitCode() != 0, "a kustomization naming a missing folder must not render: " + result);
        assertTrue(result.stderr().contains("sites"), result.toString());
    }

    private static ObjectNode firstOfKind(String kind) throws IOException {
        try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(render("fleet"))) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (kind.equals(document.path("kind").asText())) {
                    return (ObjectNode) document;
                }
            }
        }
        throw new AssertionError("no " + kind + " rendered");
    }

    private static Set<String> keys(Map<String, String> map) {
        return map == null ? Set.of() : map.keySet();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
