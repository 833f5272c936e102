package io.vbo.policy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.vbo.events.CodecDecision;
import io.vbo.events.CodecDecision.Exclusion;
import io.vbo.events.CodecDecision.ExclusionCause;
import io.vbo.events.EndpointCeiling;
import io.vbo.events.EventJson;
import io.vbo.events.PbxCapabilities;
import io.vbo.events.ProbeResult;
import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.Topics;
import io.vbo.testkit.KafkaBrokerResource;
import io.vbo.testkit.KafkaTestClient;
import io.vbo.testkit.PostgresResource;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ceilings and transcodable sets on a real broker and a real PostgreSQL: consumed, stored, decided within, shown and
 * set through REST, and bad messages dead-lettered.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
class PolicyCeilingTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> CEILING_A = List.of("ulaw", "alaw", "g722", "gsm");
    private static final List<String> CEILING_B = List.of("ulaw", "alaw", "g722", "gsm", "opus", "g729");
    private static final List<String> WITH_OPUS = List.of("adpcm", "alaw", "g722", "g726", "g726aal2", "gsm", "ilbc",
            "lpc10", "opus", "slin", "slin16", "speex", "speex16", "speex32", "ulaw");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private KafkaTestClient kafka;

    @BeforeEach
    void connect() {
        kafka = new KafkaTestClient(bootstrap);
    }

    @AfterEach
    void close() {
        kafka.close();
    }

    private static RequestSpecification viewer() {
        return given().auth().preemptive().basic("viewer", "viewer");
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "admin");
    }

    private void send(ProbeResult r) {
        kafka.send(Topics.PROBE_RESULTS, r.key(), EventJson.toJson(r));
    }

    private void ceiling(String pbx, String endpoint, List<String> codecs, EndpointCeiling.Source source) {
        EndpointCeiling c = new EndpointCeiling(1, pbx, endpoint, codecs, source, Instant.now());
        kafka.send(Topics.ENDPOINT_CEILINGS, c.key(), EventJson.toJson(c));
    }

    private static int status(String path) {
        return viewer().get(path).statusCode();
    }

    /** The {@code n}-th decision (from 1) published for {@code key}; the reader accumulates from the beginning. */
    private static CodecDecision nth(KafkaTestClient.Reader out, String key, int n) {
        return EventJson.fromJson(out.await(n, r -> key.equals(r.key()), WAIT).get(n - 1).value(), CodecDecision.class);
    }

    @Test
    void capabilitiesAndCeilingAreConsumedAndTheDecisionCarriesThem() {
        try (KafkaTestClient.Reader out = kafka.reader(Topics.CODEC_DECISIONS)) {
            PbxCapabilities caps = new PbxCapabilities(1, "ct1", WITH_OPUS, PbxCapabilities.SOURCE_TRANSLATION,
                    "discovery-service", Instant.parse("2026-12-01T09:00:00Z"));
            kafka.send(Topics.PBX_CAPABILITIES, caps.key(), EventJson.toJson(caps));
            ceiling("ct1", "5001", CEILING_B, EndpointCeiling.Source.FILE);
            TestData.await("capabilities of ct1 stored", WAIT, () -> viewer().get("/api/v1/pbxs/ct1/capabilities")
                    .statusCode() == 200);
            TestData.await("ceiling of ct1/5001 stored", WAIT, () -> status("/api/v1/endpoints/ct1/5001/ceiling") == 200);
            viewer().get("/api/v1/pbxs/ct1/capabilities").then().statusCode(200).body("assumed", equalTo(false))
                    .body("transcodable", equalTo(WITH_OPUS)).body("source", equalTo("core show translation"))
                    .body("reportedBy", equalTo("discovery-service")).body("used", equalTo(WITH_OPUS));

            Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            send(TestData.ok("ct1", "5001", Direction.DOWNLINK, 100_000, t));
            CodecDecision d = nth(out, "ct1/5001", 1);
            // 100 kbit/s × 0.8 = 80: Opus (74.4) and GSM (36.4) fit, G.711/G.722 (87.2) do not; G.729 is not transcodable.
            assertEquals(List.of("opus", "gsm"), d.codecs());
            assertEquals("93.0k", d.tier());
            assertEquals(CEILING_B, d.ceiling());
            assertEquals(WITH_OPUS, d.transcodable());
            assertEquals(false, d.noCodecFits());
            assertEquals(List.of("g722", "ulaw", "alaw", "g729"), d.excluded().stream().map(Exclusion::codec).toList());
            assertEquals(List.of(ExclusionCause.BANDWIDTH, ExclusionCause.BANDWIDTH, ExclusionCause.BANDWIDTH,
                    ExclusionCause.NOT_TRANSCODABLE), d.excluded().stream().map(Exclusion::cause).toList());
            assertTrue(d.reason().text().contains("transcodable PBX ct1 by core show translation"), d.reason().text());

            // A second FILE ceiling (the writer's file after our edits) is ignored; USERS replaces and re-decides.
            ceiling("ct1", "5001", List.of("gsm"), EndpointCeiling.Source.FILE);
            ceiling("ct1", "5001", List.of("ulaw", "gsm"), EndpointCeiling.Source.USERS);
            CodecDecision users = nth(out, "ct1/5001", 2);
            assertEquals(List.of("gsm"), users.codecs());
            assertEquals(List.of("ulaw", "gsm"), users.ceiling());
            assertEquals(List.of(new Exclusion("ulaw", ExclusionCause.BANDWIDTH,
                    "needs 87.2 kbit/s per call x 1 = 87.2 kbit/s, budget 80.0 kbit/s (estimate 100.0 kbit/s x 0.8)")),
                    users.excluded());
            viewer().get("/api/v1/endpoints/ct1/5001/ceiling/history").then().statusCode(200)
                    .body("source", equalTo(List.of("USERS", "FILE")))
                    .body("[0].codecs", equalTo(List.of("ulaw", "gsm")))
                    .body("[0].previousCodecs", equalTo(CEILING_B))
                    .body("[1].previousCodecs", nullValue());
        }
    }

    @Test
    void noDecisionBeforeTheCeilingThenOneAtOnce() {
        try (KafkaTestClient.Reader out = kafka.reader(Topics.CODEC_DECISIONS)) {
            send(TestData.ok("ct2", "5002", Direction.DOWNLINK, 2_000_000, Instant.now()));
            TestData.await("ct2/5002 measured", WAIT, () -> status("/api/v1/endpoints/ct2/5002") == 200);
            viewer().get("/api/v1/endpoints/ct2/5002").then().statusCode(200)
                    .body("status", equalTo("AWAITING_CEILING")).body("ceiling", nullValue())
                    .body("tier", nullValue()).body("note", startsWith("awaiting the endpoint's ceiling"));
            assertTrue(out.drain(Duration.ofSeconds(2)).stream().noneMatch(r -> "ct2/5002".equals(r.key())),
                    "no decision without a ceiling");
            viewer().get("/api/v1/endpoints/ct2/5002/ceiling").then().statusCode(404)
                    .contentType("application/problem+json");

            ceiling("ct2", "5002", CEILING_A, EndpointCeiling.Source.FILE);
            CodecDecision d = nth(out, "ct2/5002", 1);
            assertEquals(List.of("g722", "ulaw", "alaw", "gsm"), d.codecs());
            assertTrue(d.reason().text().contains("transcodable assumed: stock Asterisk 22 set"), d.reason().text());
            assertEquals(List.of("adpcm", "alaw", "g722", "g726", "g726aal2", "gsm", "ilbc", "lpc10", "slin", "slin16",
                    "speex", "speex16", "speex32", "ulaw"), d.transcodable());
            viewer().get("/api/v1/endpoints/ct2/5002").then().body("status", equalTo("MEASURED"))
                    .body("ceilingSource", equalTo("FILE")).body("note", nullValue());
            viewer().get("/api/v1/pbxs/ct2/capabilities").then().statusCode(200).body("assumed", equalTo(true))
                    .body("source", nullValue());
        }
    }

    @Test
    void anAdministratorsCeilingIsRecordedAndDecidedAtOnce() {
        try (KafkaTestClient.Reader out = kafka.reader(Topics.CODEC_DECISIONS);
                KafkaTestClient.Reader published = kafka.reader(Topics.ENDPOINT_CEILINGS)) {
            ceiling("ct3", "5003", CEILING_A, EndpointCeiling.Source.FILE);
            send(TestData.ok("ct3", "5003", Direction.DOWNLINK, 150_000, Instant.now()));
            assertEquals(List.of("g722", "ulaw", "alaw", "gsm"), nth(out, "ct3/5003", 1).codecs());

            Map<String, List<String>> body = Map.of("codecs", List.of("gsm", "alaw"));
            given().contentType("application/json").body(body).put("/api/v1/endpoints/ct3/5003/ceiling")
                    .then().statusCode(401);
            viewer().contentType("application/json").body(body).put("/api/v1/endpoints/ct3/5003/ceiling")
                    .then().statusCode(403);
            admin().contentType("application/json").body(Map.of("codecs", List.of("gsm", "nonsense")))
                    .put("/api/v1/endpoints/ct3/5003/ceiling").then().statusCode(400)
                    .contentType("application/problem+json").body("detail", startsWith("codecs[1]: unknown codec 'nonsense'"));
            admin().contentType("application/json").body(Map.of("codecs", List.of("gsm", "gsm")))
                    .put("/api/v1/endpoints/ct3/5003/ceiling").then().statusCode(400)
                    .body("detail", startsWith("codecs[1]: codec 'gsm' is listed twice"));
            admin().contentType("application/json").body("{}").put("/api/v1/endpoints/ct3/5003/ceiling")
                    .then().statusCode(400).body("detail", startsWith("codecs: is required"));
            admin().contentType("application/json").body(body).put("/api/v1/endpoints/ct3/bad%5Dname/ceiling")
                    .then().statusCode(400).body("detail", startsWith("endpoint:"));
            admin().contentType("application/json").body(body).put("/api/v1/endpoints/ct3/9999/ceiling")
                    .then().statusCode(404).contentType("application/problem+json");
            viewer().get("/api/v1/endpoints/ct3/5003/ceiling").then().body("codecs", equalTo(CEILING_A));

            admin().contentType("application/json").body(body).put("/api/v1/endpoints/ct3/5003/ceiling")
                    .then().statusCode(200).body("ceiling.codecs", equalTo(List.of("gsm", "alaw")))
                    .body("ceiling.source", equalTo("ADMIN")).body("ceiling.recordedBy", equalTo("admin"))
                    .body("decision.codecs", equalTo(List.of("alaw", "gsm"))).body("decision.cause", equalTo("POLICY"))
                    .body("decision.ceiling", equalTo(List.of("gsm", "alaw"))).body("published", equalTo(true));
            CodecDecision d = nth(out, "ct3/5003", 2);
            assertEquals(List.of("alaw", "gsm"), d.codecs());
            assertTrue(d.reason().text().startsWith("ceiling or transcodable set changed"), d.reason().text());
            EndpointCeiling onTopic = EventJson.fromJson(published.await(1, r -> "ct3/5003".equals(r.key())
                    && r.value().contains("ADMIN"), WAIT).get(0).value(), EndpointCeiling.class);
            assertEquals(List.of("gsm", "alaw"), onTopic.codecs());

            viewer().get("/api/v1/endpoints/ct3/5003/ceiling/history").then().statusCode(200)
                    .body("source", equalTo(List.of("ADMIN", "FILE"))).body("[0].recordedBy", equalTo("admin"));
            viewer().get("/api/v1/endpoints/ct3/5003").then().body("ceilingSource", equalTo("ADMIN"))
                    .body("codecs", equalTo(List.of("alaw", "gsm")));
            viewer().get("/api/v1/endpoints/ct3/9999/ceiling/history").then().statusCode(404);
            // Setting the same ceiling again records it, but the codecs do not change: no decision.
            admin().contentType("application/json").body(body).put("/api/v1/endpoints/ct3/5003/ceiling")
                    .then().statusCode(200).body("decision", nullValue());
        }
    }

    @Test
    void noCodecFitsOnA24kLinkIsADecisionAStatusAndAMetric() {
        try (KafkaTestClient.Reader out = kafka.reader(Topics.CODEC_DECISIONS)) {
            ceiling("ct4", "5004", CEILING_A, EndpointCeiling.Source.FILE);
            ceiling("ct4", "5005", List.of("opus", "g729"), EndpointCeiling.Source.FILE);
            TestData.await("ceilings of ct4 stored", WAIT, () -> status("/api/v1/endpoints/ct4/5004/ceiling") == 200
                    && status("/api/v1/endpoints/ct4/5005/ceiling") == 200);
            send(TestData.ok("ct4", "5004", Direction.DOWNLINK, 24_000, Instant.now()));
            send(TestData.ok("ct4", "5005", Direction.DOWNLINK, 2_000_000, Instant.now()));
            CodecDecision d = nth(out, "ct4/5004", 1);
            assertEquals(true, d.noCodecFits());
            assertEquals(List.of("gsm"), d.codecs());
            assertEquals("no-codec-fits", d.tier());
            assertTrue(d.reason().text().contains("NO CODEC FITS"), d.reason().text());

            TestData.await("ct4/5005 measured", WAIT, () -> status("/api/v1/endpoints/ct4/5005") == 200);
            viewer().get("/api/v1/endpoints/ct4/5004").then().body("status", equalTo("NO_CODEC_FITS"))
                    .body("noCodecFits", equalTo(true)).body("codecs", equalTo(List.of("gsm")))
                    .body("excluded", hasSize(3));
            viewer().get("/api/v1/endpoints/ct4/5005").then().body("status", equalTo("NO_CODEC_FITS"))
                    .body("noCodecFits", equalTo(true)).body("tier", nullValue())
                    .body("excluded.cause", equalTo(List.of("NOT_TRANSCODABLE", "NOT_TRANSCODABLE")))
                    .body("note", startsWith("no codec of the ceiling opus,g729 can be transcoded"));
            assertTrue(out.drain(Duration.ofSeconds(2)).stream().noneMatch(r -> "ct4/5005".equals(r.key())),
                    "a ceiling without a transcodable codec gets no decision");
            given().get("/q/metrics").then().statusCode(200)
                    .body(containsString("vbo_policy_no_codec_fits{pbx=\"ct4\"} 2.0"));

            // The link recovers: medians 42 (24 and 60), 60, 60 kbit/s; the last two clear GSM's need + 10 %
            // (50.05 kbit/s), so the third result upgrades and the count drops.
            for (int i = 1; i <= 3; i++) {
                send(TestData.ok("ct4", "5004", Direction.DOWNLINK, 60_000, Instant.now().plusSeconds(i)));
            }
            CodecDecision up = nth(out, "ct4/5004", 2);
            assertEquals(false, up.noCodecFits());
            assertEquals("45.5k", up.tier());
            given().get("/q/metrics").then().body(containsString("vbo_policy_no_codec_fits{pbx=\"ct4\"} 1.0"));
        }
    }

    @Test
    void malformedCapabilitiesAndCeilingsAreDeadLettered() {
        try (KafkaTestClient.Reader dead = kafka.reader(Topics.DEAD_LETTER)) {
            kafka.send(Topics.PBX_CAPABILITIES, "ct5", "{not json");
            PbxCapabilities caps = new PbxCapabilities(1, "ct5", List.of("ulaw"), PbxCapabilities.SOURCE_MODULES,
                    "config-writer-service", Instant.now());
            kafka.send(Topics.PBX_CAPABILITIES, "ct5", EventJson.toJson(caps).replace("\"ulaw\"", "\"mp3\""));
            kafka.send(Topics.ENDPOINT_CEILINGS, "ct5/5006", "{not json");
            EndpointCeiling c = new EndpointCeiling(1, "ct5", "5006", List.of("ulaw"), EndpointCeiling.Source.FILE,
                    Instant.now());
            kafka.send(Topics.ENDPOINT_CEILINGS, "ct5/5006", EventJson.toJson(c).replace("\"FILE\"", "\"ROOT\""));
            kafka.send(Topics.PBX_CAPABILITIES, caps.key(), EventJson.toJson(caps));
            kafka.send(Topics.ENDPOINT_CEILINGS, c.key(), EventJson.toJson(c));

            List<ConsumerRecord<String, String>> capsDead = dead.await(2, r -> "ct5".equals(r.key()), WAIT);
            assertEquals("{not json", capsDead.get(0).value());
            assertEquals(Topics.PBX_CAPABILITIES, KafkaTestClient.header(capsDead.get(0), "dead-letter-topic"));
            assertTrue(KafkaTestClient.header(capsDead.get(1), "dead-letter-reason").startsWith("transcodable[0]: unknown codec 'mp3'"),
                    KafkaTestClient.header(capsDead.get(1), "dead-letter-reason"));
            List<ConsumerRecord<String, String>> ceilingDead = dead.await(2, r -> "ct5/5006".equals(r.key()), WAIT);
            assertEquals(Topics.ENDPOINT_CEILINGS, KafkaTestClient.header(ceilingDead.get(1), "dead-letter-topic"));
            assertTrue(KafkaTestClient.header(ceilingDead.get(1), "dead-letter-reason").startsWith("source"),
                    KafkaTestClient.header(ceilingDead.get(1), "dead-letter-reason"));

            TestData.await("the valid messages after the bad ones are consumed", WAIT,
                    () -> status("/api/v1/endpoints/ct5/5006/ceiling") == 200
                            && status("/api/v1/pbxs/ct5/capabilities") == 200);
            viewer().get("/api/v1/pbxs/ct5/capabilities").then().body("transcodable", equalTo(List.of("ulaw")))
                    .body("source", equalTo("module show like codec_"));
        }
    }

    /** What {@code bin/vbo-ceiling} printed and how it exited. */
    record Cli(int exit, String out) {
    }

    private static Cli cli(Map<String, String> env, String... args) {
        List<String> command = new java.util.ArrayList<>(
                List.of(io.vbo.lab.ProjectRoot.get().resolve("bin/vbo-ceiling").toString()));
        command.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("VBO_POLICY_URL", "http://127.0.0.1:" + io.restassured.RestAssured.port);
            pb.environment().putAll(env);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
            return new Cli(p.exitValue(), out);
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theCeilingVerbSetsAndShowsThroughTheApi() {
        ceiling("ct6", "5007", CEILING_A, EndpointCeiling.Source.FILE);
        TestData.await("ceiling of ct6/5007 stored", WAIT, () -> status("/api/v1/endpoints/ct6/5007/ceiling") == 200);

        Cli set = cli(Map.of(), "set", "ct6", "5007", "gsm, ulaw");
        assertEquals(0, set.exit(), set.out());
        assertTrue(set.out().contains("\"codecs\":[\"gsm\",\"ulaw\"]"), set.out());
        Cli show = cli(Map.of(), "show", "ct6", "5007");
        assertEquals(0, show.exit(), show.out());
        assertTrue(show.out().contains("\"source\":\"ADMIN\""), show.out());
        assertTrue(show.out().contains("\"previousCodecs\":[\"ulaw\",\"alaw\",\"g722\",\"gsm\"]"), show.out());

        // A value that would add a line to a curl config (the flaw of issue 15) is refused before anything is sent.
        Cli injected = cli(Map.of(), "set", "ct6", "5007\noutput = /tmp/vbo-x", "gsm");
        assertEquals(2, injected.exit(), injected.out());
        assertTrue(injected.out().contains("EXT must not contain control characters"), injected.out());
        Cli badCodec = cli(Map.of(), "set", "ct6", "5007", "gsm\",\"ulaw");
        assertEquals(2, badCodec.exit(), badCodec.out());
        Cli unknown = cli(Map.of(), "set", "ct6", "5007", "mp3");
        assertEquals(1, unknown.exit(), unknown.out());
        assertTrue(unknown.out().contains("refused (400)") && unknown.out().contains("unknown codec 'mp3'"), unknown.out());
        Cli viewerRole = cli(Map.of("VBO_POLICY_USER", "viewer", "VBO_POLICY_PASSWORD", "viewer"), "set", "ct6", "5007",
                "gsm");
        assertEquals(1, viewerRole.exit(), viewerRole.out());
        assertTrue(viewerRole.out().contains("refused (403)"), viewerRole.out());
        viewer().get("/api/v1/endpoints/ct6/5007/ceiling").then().body("codecs", equalTo(List.of("gsm", "ulaw")));
    }
}
