package io.vbo.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vbo.lab.ami.AmiCall;
import io.vbo.lab.demo.Lab;
import io.vbo.lab.demo.Metrics;
import io.vbo.lab.demo.PjsipEndpoints;
import io.vbo.lab.demo.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * The whole product on shaped links: three phones at 40 kbit/s, 150 kbit/s and 2 Mbit/s get codecs their links and
 * the PBX can really use, written into the real {@code pjsip_endpoints.conf} within one probe cycle with the offer
 * preference that makes Asterisk honour the order, one PJSIP reload per batch, and the policy's REST API shows each
 * phone's measurements, decision and that it was applied. Then the 2 Mbit/s link drops to 40 kbit/s and the downgrade
 * arrives and is applied.
 *
 * <p>Every phone's ceiling is the lab's {@code allow=ulaw,alaw,g722,gsm}; the AMI test server answers
 * {@code core show translation} with the captured stock table (no opus, no g729). Policy runs with
 * {@code expected-concurrent-calls=2} and utilisation 0.8: G.711/G.722 need 2 × 87.2 / 0.8 = 218 kbit/s, GSM
 * 2 × 36.4 / 0.8 = 91 kbit/s. So the 2 Mbit/s phone keeps all four (G.722 first), the 150 kbit/s phone (≈ 144 kbit/s
 * measured) gets GSM only, and on the 40 kbit/s phone nothing fits: GSM, the leanest codec of its ceiling, with
 * {@code NO_CODEC_FITS}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SystemEndToEndIT {
    /** probe-service's default: between two ladders, a link is only checked (every 10 s, the default). */
    private static final Duration PROBE_INTERVAL = Duration.ofMinutes(15);
    /** probe-service's default {@code reprobe.min-gap}: a failed check's ladder waits this long after the last. */
    private static final Duration MIN_GAP = Duration.ofMinutes(1);
    private static final int PROBE_SECONDS = 3;
    private static final Map<String, Long> RATES = Map.of("1001", 40_000L, "1002", 150_000L, "1003", 2_000_000L);
    private static final Map<String, List<String>> EXPECTED_CODECS = Map.of("1001", List.of("gsm"),
            "1002", List.of("gsm"), "1003", List.of("g722", "ulaw", "alaw", "gsm"));
    private static final Map<String, String> EXPECTED_STATUS = Map.of("1001", "NO_CODEC_FITS", "1002", "MEASURED",
            "1003", "MEASURED");
    /** The captured stock Asterisk 22 translator table: every codec with a path to and from slin. */
    private static final List<String> STOCK_TRANSCODABLE = List.of("adpcm", "alaw", "g722", "g726", "g726aal2", "gsm",
            "ilbc", "lpc10", "slin", "slin16", "speex", "speex16", "speex32", "ulaw");
    private static final Pattern RELOAD = Pattern.compile("(?i)reload");

    private static Lab lab;
    private static Instant readyAt;

    @BeforeAll
    static void startTheSystem() {
        List<Lab.PhoneSpec> phones = List.of(new Lab.PhoneSpec("1001", RATES.get("1001")),
                new Lab.PhoneSpec("1002", RATES.get("1002")), new Lab.PhoneSpec("1003", RATES.get("1003")));
        lab = Lab.start(new Lab.Settings(phones, PROBE_INTERVAL, PROBE_SECONDS, 2),
                line -> System.out.println("e2e: " + line));
        readyAt = Instant.now();
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
    void firstProbeCycleWritesEachPhonesCodecsAndTheApiShowsIt() throws IOException {
        // Every phone is due when first seen: one ladder each (≈ 25–40 s), both directions at once.
        Duration cycle = Duration.ofSeconds(120);
        awaitUntil(cycle, "pjsip_endpoints.conf holds each phone's tier codecs", () -> RATES.keySet().stream()
                .allMatch(e -> PjsipEndpoints.allowed(lab.endpointsFile(), e).equals(expectedCodecs(e))));
        System.out.printf("e2e: first cycle: codecs of 3 phones applied %d ms after the services were ready%n",
                Duration.between(readyAt, Instant.now()).toMillis());
        assertTrue(PjsipEndpoints.allowed(lab.endpointsFile(), "1001").stream()
                .noneMatch(c -> c.matches("ulaw|alaw|g722|opus|g729")), "the 40 kbit/s phone allows no G.711, G.722, "
                + "Opus or G.729 (the first version's calls failed or broke on them)");
        assertTrue(PjsipEndpoints.allowed(lab.endpointsFile(), "1003").containsAll(List.of("g722", "ulaw")),
                "the 2 Mbit/s phone keeps HD voice and G.711");
        String file = Files.readString(lab.endpointsFile());
        for (String endpoint : RATES.keySet()) {
            String section = file.substring(file.indexOf("[" + endpoint + "]"));
            int next = section.indexOf("\n[", 1);
            section = next < 0 ? section : section.substring(0, next);
            assertTrue(section.contains("\noutgoing_call_offer_pref=local\n")
                    && section.contains("\nincoming_call_offer_pref=local\n"), endpoint + "'s section: " + section);
        }
        JsonNode capabilities = lab.policyJson("/api/v1/pbxs/" + Lab.PBX + "/capabilities");
        assertEquals(STOCK_TRANSCODABLE, strings(capabilities.path("transcodable")), capabilities.toString());
        assertFalse(capabilities.path("assumed").asBoolean(), "read from the PBX's translator table, not assumed");

        for (String endpoint : RATES.keySet()) {
            // The first decision follows the first direction measured; the other direction comes seconds later.
            awaitUntil(Duration.ofSeconds(60), endpoint + " measured both ways and applied in the API", () -> {
                JsonNode view = lab.policyJson("/api/v1/endpoints/" + Lab.PBX + "/" + endpoint);
                return view.path("downlinkBps").isNumber() && view.path("uplinkBps").isNumber()
                        && "APPLIED".equals(lab.latestDecision(endpoint).path("appliedStatus").asText());
            });
            JsonNode view = lab.policyJson("/api/v1/endpoints/" + Lab.PBX + "/" + endpoint);
            assertEquals(EXPECTED_STATUS.get(endpoint), view.path("status").asText(), endpoint + ": " + view);
            assertEquals(expectedCodecs(endpoint), strings(view.path("codecs")), endpoint);
            assertEquals(List.of("ulaw", "alaw", "g722", "gsm"), strings(view.path("ceiling")), endpoint);
            long shaped = RATES.get(endpoint);
            // The default probe is the voice-rate ladder at K = 2: each direction's estimate is the need (÷ 0.8) of the
            // highest step that passed, so what that step sent (estimate × 0.8) fits the link; on 2 Mbit/s it is
            // G.711 for two calls, 2 × 87.2 / 0.8 = 218 kbit/s; on 40 kbit/s no step passes.
            for (String direction : List.of("downlinkBps", "uplinkBps")) {
                long measured = view.path(direction).asLong();
                assertTrue(measured * 0.8 <= shaped, endpoint + " " + direction + " " + measured + " bit/s on a "
                        + shaped + " bit/s link");
                if (shaped == 2_000_000) {
                    assertEquals(218_000, measured, endpoint + " " + direction);
                }
            }
            JsonNode measurements = lab.policyJson("/api/v1/endpoints/" + Lab.PBX + "/" + endpoint
                    + "/measurements").path("items");
            Set<String> okDirections = new TreeSet<>();
            measurements.forEach(m -> {
                if ("OK".equals(m.path("outcome").asText())) {
                    okDirections.add(m.path("direction").asText());
                }
            });
            assertEquals(2, okDirections.size(), endpoint + " measurements: " + measurements);
            JsonNode decision = lab.latestDecision(endpoint);
            assertEquals(view.path("tier").asText(), decision.path("tier").asText());
            assertEquals("1001".equals(endpoint), decision.path("noCodecFits").asBoolean(), endpoint + ": " + decision);
            assertEquals(STOCK_TRANSCODABLE, strings(decision.path("transcodable")), endpoint);
            assertEquals(expectedCodecs(endpoint), strings(decision.path("appliedCodecs")),
                    endpoint + ": the codecs Asterisk reported after the reload");
        }
        assertOneReloadPerBatch(3);
    }

    @Test
    @Order(2)
    void aLinkThatDropsTo40kbitIsDowngradedAndApplied() {
        int decisionsBefore = lab.policyJson("/api/v1/endpoints/" + Lab.PBX + "/1003/decisions").size();
        // A link degrades at any moment of its 15 min; a failed check's ladder waits for min-gap after the last one,
        // so reshape once that is over, as it is for all but the first minute of an interval.
        Instant lastLadder = Instant.EPOCH;
        for (JsonNode m : lab.policyJson("/api/v1/endpoints/" + Lab.PBX + "/1003/measurements").path("items")) {
            Instant end = Instant.parse(m.path("startedAt").asText()).plusMillis(m.path("durationMs").asLong());
            lastLadder = end.isAfter(lastLadder) ? end : lastLadder;
        }
        long wait = Duration.between(Instant.now(), lastLadder.plus(MIN_GAP).plusSeconds(1)).toMillis();
        if (wait > 0) {
            sleep(wait);
        }
        Instant reshapedAt = Instant.now();
        lab.reshape("1003", 40_000);
        // The next check (≤ 10 s) fails, the ladder runs at once (≈ 14 s on 40 kbit/s at K = 2: its first rung fails
        // three times) and its drop decides at once; the interval (15 min) plays no part.
        awaitUntil(Duration.ofSeconds(90), "1003 downgraded to no-codec-fits in pjsip_endpoints.conf",
                () -> PjsipEndpoints.allowed(lab.endpointsFile(), "1003").equals(List.of("gsm"))
                        && lab.latestDecision("1003").path("noCodecFits").asBoolean());
        System.out.printf("e2e: reshape 2 Mbit/s → 40 kbit/s to new codecs applied: %d ms%n",
                Duration.between(reshapedAt, Instant.now()).toMillis());
        awaitUntil(Duration.ofSeconds(20), "the downgrade applied in the API",
                () -> "APPLIED".equals(lab.latestDecision("1003").path("appliedStatus").asText()));
        JsonNode decision = lab.latestDecision("1003");
        assertTrue(decision.path("noCodecFits").asBoolean(), decision.toString());
        assertEquals(List.of("gsm"), strings(decision.path("codecs")));
        assertFalse(decision.path("previousTier").isNull() || decision.path("previousTier").isMissingNode(),
                decision.toString());
        int decisions = lab.policyJson("/api/v1/endpoints/" + Lab.PBX + "/1003/decisions").size();
        assertTrue(decisions == decisionsBefore + 1 || decisions == decisionsBefore + 2,
                "one or two downgrades: " + decisionsBefore + " → " + decisions);
        assertEquals(expectedCodecs("1001"), PjsipEndpoints.allowed(lab.endpointsFile(), "1001"), "1001 untouched");
        assertEquals(expectedCodecs("1002"), PjsipEndpoints.allowed(lab.endpointsFile(), "1002"), "1002 untouched");
        assertOneReloadPerBatch(4);
    }

    @Test
    @Order(3)
    void everyMetricTheDashboardQueriesIsExposed() throws IOException {
        String dashboard = Files.readString(io.vbo.lab.ProjectRoot.get().resolve("deploy/grafana/vbo-dashboard.json"));
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

    @Test
    @Order(4)
    void aCallOnAShapedPhoneIsMeasuredFromItsRtcpAndListedByTheApi() throws InterruptedException {
        // The lab's phones do not place RTP; the AMI test server plays the call Asterisk would report on 1002 (GSM,
        // its applied codec): three 5-s reports each way, 2 % loss (5 of 250 packets per interval), 10 ms jitter
        // (80 RTP units at 8 kHz), 50 ms round trip.
        AmiCall call = AmiCall.of("1002", 0x4e2e, "gsm");
        List<AmiCall.Report> reports = AmiCall.steady(3, 2, 10, 50, 8000);
        lab.ami().startCall(call);
        for (AmiCall.Report report : reports) {
            // paced like a real call, so discovery has read the channel's codec before the reports end
            Thread.sleep(1_000);
            lab.ami().emitRtcp(call, report, report);
        }
        Thread.sleep(1_000);
        lab.ami().endCall(call);

        String calls = "/api/v1/endpoints/" + Lab.PBX + "/1002/calls";
        awaitUntil(Duration.ofSeconds(30), "the call listed by the API",
                () -> lab.policyJson(calls).path("items").size() == 1);
        JsonNode listed = lab.policyJson(calls).path("items").get(0);
        assertEquals(call.uniqueId(), listed.path("uniqueId").asText(), listed.toString());
        assertEquals("gsm", listed.path("codec").asText(), listed.toString());
        assertEquals("RTCP", listed.path("mediaPath").asText(), listed.toString());
        assertEquals(6, listed.path("reports").asInt(), listed.toString());
        // loss over the reports' span: 2 × 5 lost of 2 × 250 expected, both directions
        assertEquals(2.0, listed.path("lossPercent").asDouble(), 0.01, listed.toString());
        assertEquals(10.0, listed.path("meanJitterMs").asDouble(), 0.01, listed.toString());
        assertEquals(50.0, listed.path("rttMs").asDouble(), 0.5, listed.toString());
        // G.107 rates no GSM (no ITU-T Bpl): no MOS in the summary; the policy judges it as G.711 would be, a good call
        assertTrue(listed.path("mos").isNull(), listed.toString());
        assertEquals("GOOD", listed.path("verdict").asText(), listed.toString());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
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
        return EXPECTED_CODECS.get(endpoint);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
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
