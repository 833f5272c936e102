package io.vbo.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole product on shaped links: three phones at 40 kbit/s, 150 kbit/s and 2 Mbit/s get three different codec
 * tiers written into the real {@code pjsip_endpoints.conf} within one probe cycle, one PJSIP reload per batch,
 * and the policy's REST API shows each phone's measurements, decision and that it was applied. Then the 2 Mbit/s
 * link drops to 40 kbit/s and the downgrade arrives and is applied.
 *
 * <p>Policy runs with {@code expected-concurrent-calls=2}: high (G.711 first) needs ≈ 218 kbit/s, medium (G.729
 * first) ≈ 78 kbit/s, so each of the three links lands in its own tier with a wide margin.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SystemEndToEndIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(20);
    private static final int PROBE_SECONDS = 3;
    private static final Map<String, Long> RATES = Map.of("1001", 40_000L, "1002", 150_000L, "1003", 2_000_000L);
    private static final Map<String, String> EXPECTED_TIER = Map.of("1001", "low", "1002", "medium", "1003", "high");
    private static final Pattern RELOAD = Pattern.compile("(?i)reload");

    private static Lab lab;
    private static Instant readyAt;
    private static Map<String, List<String>> tierCodecs;

    @BeforeAll
    static void startTheSystem() {
        List<Lab.PhoneSpec> phones = List.of(new Lab.PhoneSpec("1001", RATES.get("1001")),
                new Lab.PhoneSpec("1002", RATES.get("1002")), new Lab.PhoneSpec("1003", RATES.get("1003")));
        lab = Lab.start(new Lab.Settings(phones, PROBE_INTERVAL, PROBE_SECONDS, 2),
                line -> System.out.println("e2e: " + line));
        readyAt = Instant.now();
        tierCodecs = new LinkedHashMap<>();
        for (JsonNode tier : json(lab.policyGet("/api/v1/policy")).path("tiers")) {
            List<String> codecs = new ArrayList<>();
            tier.path("codecs").forEach(c -> codecs.add(c.asText()));
            tierCodecs.put(tier.path("name").asText(), codecs);
        }
    }

    @AfterAll
    static void stopTheSystem() throws IOException {
        if (lab != null) {
            Path logs = Path.of("target", "e2e-logs");
            Files.createDirectories(logs);
            for (ServiceProcess service : lab.services().values()) {
                Files.copy(service.log(), logs.resolve(service.name() + ".log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            lab.close();
        }
    }

    @Test
    @Order(1)
    void firstProbeCycleWritesEachPhonesTierAndTheApiShowsIt() {
        assertEquals(Set.of("high", "medium", "low"), tierCodecs.keySet(), "policy tiers");
        Duration cycle = PROBE_INTERVAL.plusSeconds(40);
        awaitUntil(cycle, "pjsip_endpoints.conf holds each phone's tier codecs", () -> RATES.keySet().stream()
                .allMatch(e -> PjsipEndpoints.allowed(lab.endpointsFile(), e).equals(expectedCodecs(e))));
        System.out.printf("e2e: first cycle: codecs of 3 phones applied %d ms after the services were ready%n",
                Duration.between(readyAt, Instant.now()).toMillis());
        assertFalse(expectedCodecs("1001").get(0).matches("ulaw|alaw|g722"),
                "the 40 kbit/s phone must not get a 64 kbit/s codec first (the original's bug)");

        for (String endpoint : RATES.keySet()) {
            // The first decision follows the first direction measured; the other direction comes seconds later.
            awaitUntil(Duration.ofSeconds(60), endpoint + " measured both ways and applied in the API", () -> {
                JsonNode view = json(lab.policyGet("/api/v1/endpoints/" + Lab.PBX + "/" + endpoint));
                return view.path("downlinkBps").isNumber() && view.path("uplinkBps").isNumber()
                        && "APPLIED".equals(latestDecision(endpoint).path("appliedStatus").asText());
            });
            JsonNode view = json(lab.policyGet("/api/v1/endpoints/" + Lab.PBX + "/" + endpoint));
            assertEquals(EXPECTED_TIER.get(endpoint), view.path("tier").asText(), endpoint + ": " + view);
            assertEquals(expectedCodecs(endpoint), strings(view.path("codecs")), endpoint);
            long shaped = RATES.get(endpoint);
            // A 3 s TCP test reads low on a 40 kbit/s link (slow start, headers): 28 and 23 kbit/s were measured.
            for (String direction : List.of("downlinkBps", "uplinkBps")) {
                long measured = view.path(direction).asLong();
                assertTrue(measured > shaped * 0.5 && measured < shaped * 1.1,
                        endpoint + " " + direction + " " + measured + " bit/s on a " + shaped + " bit/s link");
            }
            JsonNode measurements = json(lab.policyGet("/api/v1/endpoints/" + Lab.PBX + "/" + endpoint
                    + "/measurements")).path("items");
            Set<String> okDirections = new TreeSet<>();
            measurements.forEach(m -> {
                if ("OK".equals(m.path("outcome").asText())) {
                    okDirections.add(m.path("direction").asText());
                }
            });
            assertEquals(2, okDirections.size(), endpoint + " measurements: " + measurements);
            JsonNode decision = latestDecision(endpoint);
            assertEquals(EXPECTED_TIER.get(endpoint), decision.path("tier").asText());
            assertEquals(expectedCodecs(endpoint), strings(decision.path("appliedCodecs")),
                    endpoint + ": the codecs Asterisk reported after the reload");
        }
        assertOneReloadPerBatch(3);
    }

    @Test
    @Order(2)
    void aLinkThatDropsTo40kbitIsDowngradedAndApplied() {
        int decisionsBefore = json(lab.policyGet("/api/v1/endpoints/" + Lab.PBX + "/1003/decisions")).size();
        Instant reshapedAt = Instant.now();
        lab.reshape("1003", 40_000);
        // The estimate is a median of 3: two probes at the new rate move it. Probes of one PBX run one at a time, so
        // an endpoint comes round every max(interval, one pass over the three phones ≈ 40 s).
        Duration round = PROBE_INTERVAL.compareTo(Duration.ofSeconds(40)) > 0 ? PROBE_INTERVAL : Duration.ofSeconds(40);
        awaitUntil(round.multipliedBy(3).plusSeconds(30), "1003 downgraded in pjsip_endpoints.conf",
                () -> PjsipEndpoints.allowed(lab.endpointsFile(), "1003").equals(tierCodecs.get("low")));
        System.out.printf("e2e: reshape 2 Mbit/s → 40 kbit/s to new codecs applied: %d ms%n",
                Duration.between(reshapedAt, Instant.now()).toMillis());
        awaitUntil(Duration.ofSeconds(20), "the downgrade applied in the API",
                () -> "APPLIED".equals(latestDecision("1003").path("appliedStatus").asText()));
        JsonNode decision = latestDecision("1003");
        assertEquals("low", decision.path("tier").asText());
        assertEquals("high", decision.path("previousTier").asText());
        assertEquals(decisionsBefore + 1, json(lab.policyGet("/api/v1/endpoints/" + Lab.PBX + "/1003/decisions")).size());
        assertEquals(expectedCodecs("1001"), PjsipEndpoints.allowed(lab.endpointsFile(), "1001"), "1001 untouched");
        assertEquals(expectedCodecs("1002"), PjsipEndpoints.allowed(lab.endpointsFile(), "1002"), "1002 untouched");
        assertOneReloadPerBatch(4);
    }

    @Test
    @Order(3)
    void everyMetricTheDashboardQueriesIsExposed() throws IOException {
        String dashboard = Files.readString(io.vbo.testkit.ProjectRoot.get().resolve("deploy/grafana/vbo-dashboard.json"));
        Set<String> queried = new TreeSet<>();
        Matcher names = Pattern.compile("\\b(vbo_[a-z_]+|kafka_consumer_fetch_manager_records_lag_max)\\b")
                .matcher(dashboard);
        while (names.find()) {
            queried.add(names.group(1));
        }
        StringBuilder exposed = new StringBuilder();
        lab.services().values().forEach(s -> exposed.append(s.get("/q/metrics", null)));
        Metrics metrics = new Metrics(exposed.toString());
        Set<String> missing = new TreeSet<>();
        for (String name : queried) {
            if (!metrics.has(name)) {
                missing.add(name);
            }
        }
        assertTrue(queried.size() >= 14, "names found in the dashboard: " + queried);
        assertEquals(Set.of(), missing, "dashboard metrics no running service exposes");
    }

    /** Reloads the AMI test server received equal the writer's batches, and the batches carried {@code changes}. */
    private static void assertOneReloadPerBatch(int changes) {
        Metrics writer = new Metrics(lab.service("config-writer-service").get("/q/metrics", null));
        long reloads = lab.ami().requests().stream().filter(r -> isReload(r.action(), r.header("Command"))).count();
        double batches = writer.sum("vbo_writer_batch_size_count");
        assertEquals(batches, (double) reloads, "one reload per batch (AMI saw " + reloads + ")");
        assertEquals(changes, writer.sum("vbo_writer_batch_size_sum"), "endpoints changed across the batches");
        assertEquals(batches, writer.sum("vbo_writer_reloads_total"));
    }

    private static boolean isReload(String action, String command) {
        return "Reload".equalsIgnoreCase(action)
                || ("Command".equalsIgnoreCase(action) && command != null && RELOAD.matcher(command).find());
    }

    private static List<String> expectedCodecs(String endpoint) {
        return tierCodecs.get(EXPECTED_TIER.get(endpoint));
    }

    private static JsonNode latestDecision(String endpoint) {
        JsonNode decisions = json(lab.policyGet("/api/v1/endpoints/" + Lab.PBX + "/" + endpoint + "/decisions"));
        JsonNode latest = null;
        for (JsonNode d : decisions) {
            if (latest == null || d.path("decidedAt").asText().compareTo(latest.path("decidedAt").asText()) > 0) {
                latest = d;
            }
        }
        return latest == null ? JSON.createObjectNode() : latest;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** Polls {@code condition} every 500 ms; fails after {@code timeout} with the services' log tails. */
    static void awaitUntil(Duration timeout, String what, BooleanSupplier condition) {
        try {
            // Exceptions mean "not yet": the API may answer 404 until the first result is stored.
            org.awaitility.Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().until(condition::getAsBoolean);
            return;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // reported below with the services' log tails
        }
        StringBuilder logs = new StringBuilder();
        lab.services().values().forEach(s -> logs.append("\n--- ").append(s.name()).append("\n").append(s.tail(25)));
        throw new AssertionError("not within " + timeout + ": " + what + "\npjsip_endpoints.conf codecs: "
                + PjsipEndpoints.allowed(lab.endpointsFile()) + logs);
    }
}
