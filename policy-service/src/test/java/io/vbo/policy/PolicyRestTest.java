package io.vbo.policy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vbo.events.CodecDecision;
import io.vbo.events.EndpointCeiling;
import io.vbo.events.EventJson;
import io.vbo.events.ProbeResult;
import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.Topics;
import io.vbo.policy.repository.MeasurementEntity;
import io.vbo.policy.service.CeilingService;
import io.vbo.policy.service.IngestService;
import io.vbo.policy.service.RetentionJob;
import io.vbo.testkit.KafkaBrokerResource;
import io.vbo.testkit.KafkaTestClient;
import io.vbo.testkit.PostgresResource;
import jakarta.inject.Inject;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The REST API on real PostgreSQL (data stored through the real ingest path) with basic authentication. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyRestTest {
    private static final String PBX = "rt";
    private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");

    @Inject
    IngestService ingest;
    @Inject
    CeilingService ceilings;
    @Inject
    RetentionJob retention;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private static RequestSpecification viewer() {
        return given().auth().preemptive().basic("viewer", "viewer");
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "admin");
    }

    @BeforeAll
    void seed() {
        // The config writer's ceilings arrive before the first results; PBX rt never reports its capabilities, so
        // the stock Asterisk 22 set is assumed (no opus, no g729): candidates g722, ulaw, alaw (109 kbit/s), gsm (45.5).
        for (String endpoint : List.of("3001", "3002", "3003", "3004")) {
            ceilings.record(new EndpointCeiling(1, PBX, endpoint, List.of("ulaw", "alaw", "g722", "gsm", "opus", "g729"),
                    EndpointCeiling.Source.FILE, T0));
        }
        List<ProbeResult> results = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            Direction d = i % 2 == 0 ? Direction.DOWNLINK : Direction.UPLINK;
            results.add(TestData.ok(PBX, "3001", d, 140_000 + i * 100, T0.plusSeconds(60L * i)));
        }
        results.add(TestData.failed(PBX, "3001", ProbeResult.Outcome.TIMEOUT, T0.plusSeconds(60L * 25)));
        results.add(TestData.ok(PBX, "3002", Direction.DOWNLINK, 20_000, T0));
        results.add(TestData.ok(PBX, "3003", Direction.DOWNLINK, 50_000, T0));
        for (int i = 0; i < 3; i++) {
            results.add(TestData.failed(PBX, "3004", ProbeResult.Outcome.UNREACHABLE, T0.plusSeconds(i)));
        }
        assertEquals(31, ingest.ingest(results).stored());
    }

    /** Without vbo.console.probe-service-url the console offers no "probe now", says why, and refuses the action. */
    @Test
    void consoleWithoutProbeServiceOffersNoProbeNow() {
        String page = admin().get("/phones/rt/3001").then().statusCode(200).extract().asString();
        assertTrue(page.contains("<span class=\"hint\" id=\"probe-absent\">Probe now is not offered: no probe-service is"
                + " configured (vbo.console.probe-service-url, docs/configuration.md).</span>"), page);
        assertFalse(page.contains("id=\"probe-button\""));
        Matcher token = Pattern.compile("name=\"vbo-csrf\" content=\"([^\"]+)\"")
                .matcher(page);
        assertTrue(token.find());
        admin().header("X-VBO-CSRF", token.group(1)).post("/console/actions/rt/3001/probe").then().statusCode(409)
                .body("detail", equalTo("probe now is not available: vbo.console.probe-service-url is not set"));
    }

    @Test
    void readsNeedCredentialsAndPinsNeedAdmin() {
        given().get("/api/v1/endpoints").then().statusCode(401);
        given().auth().preemptive().basic("viewer", "wrong").get("/api/v1/endpoints").then().statusCode(401);
        viewer().contentType("application/json").body(Map.of("codecs", List.of("g729")))
                .put("/api/v1/endpoints/rt/3001/pin").then().statusCode(403);
        viewer().delete("/api/v1/endpoints/rt/3001/pin").then().statusCode(403);
        viewer().get("/api/v1/policy").then().statusCode(200).body("preset", equalTo("overhead-aware"))
                .body("tiers", hasSize(0)).body("qualityOrder[0]", equalTo("g722"))
                .body("codecs.find { it.name == 'g729' }.wireBps", equalTo(31200))
                .body("codecs.find { it.name == 'g729' }.needBps", equalTo(39000))
                .body("codecs.find { it.name == 'opus' }.wireBps", equalTo(74400))
                .body("assumedTranscodable", equalTo(List.of("adpcm", "alaw", "g722", "g726", "g726aal2", "gsm", "ilbc",
                        "lpc10", "slin", "slin16", "speex", "speex16", "speex32", "ulaw")));
    }

    @Test
    void listsEndpointsWithFiltersAndPages() {
        viewer().get("/api/v1/endpoints?pbx=rt").then().statusCode(200).body("items", hasSize(4));
        viewer().get("/api/v1/endpoints?pbx=rt&tier=no-codec-fits").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].endpoint", equalTo("3002"))
                .body("items[0].codecs", equalTo(List.of("gsm"))).body("items[0].status", equalTo("NO_CODEC_FITS"))
                .body("items[0].noCodecFits", equalTo(true));
        viewer().get("/api/v1/endpoints?pbx=rt&status=no_codec_fits").then().statusCode(200)
                .body("items.endpoint", equalTo(List.of("3002")));
        viewer().get("/api/v1/endpoints?pbx=rt&status=unmeasured").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].endpoint", equalTo("3004"))
                .body("items[0].tier", nullValue());
        Response first = viewer().get("/api/v1/endpoints?pbx=rt&limit=3");
        first.then().statusCode(200).body("items", hasSize(3)).body("next", equalTo("rt/3003"));
        viewer().get("/api/v1/endpoints?pbx=rt&limit=3&after=" + first.path("next")).then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].endpoint", equalTo("3004")).body("next", nullValue());
    }

    @Test
    void oneEndpointWithItsLatestEstimate() {
        viewer().get("/api/v1/endpoints/rt/3001").then().statusCode(200)
                .body("tier", equalTo("109.0k")).body("status", equalTo("MEASURED"))
                .body("codecs", equalTo(List.of("g722", "ulaw", "alaw", "gsm")))
                .body("ceiling", equalTo(List.of("ulaw", "alaw", "g722", "gsm", "opus", "g729")))
                .body("ceilingSource", equalTo("FILE")).body("noCodecFits", equalTo(false))
                .body("transcodable", hasSize(14))
                .body("excluded.codec", equalTo(List.of("opus", "g729")))
                .body("excluded.cause", equalTo(List.of("NOT_TRANSCODABLE", "NOT_TRANSCODABLE")))
                .body("estimateBps", equalTo(142100)).body("downlinkBps", equalTo(142200)).body("uplinkBps", equalTo(142100)).body("lastOutcome", equalTo("TIMEOUT"))
                .body("consecutiveFailures", equalTo(1))
                // In no site: a site of its own.
                .body("site", nullValue());
    }

    @Test
    void measurementsPageByKeysetWithoutGapsOrOverlap() {
        Set<String> seen = new HashSet<>();
        List<String> times = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response page = viewer().queryParam("limit", 10).queryParam("from", T0.toString())
                    .queryParam("to", T0.plusSeconds(3600).toString())
                    .queryParam("cursor", cursor == null ? "" : cursor)
                    .get("/api/v1/endpoints/rt/3001/measurements");
            page.then().statusCode(200);
            List<String> ids = page.path("items.probeId");
            seen.addAll(ids);
            times.addAll(page.path("items.startedAt"));
            cursor = page.path("nextCursor");
            pages++;
        } while (cursor != null);
        assertEquals(3, pages);
        assertEquals(26, seen.size());
        List<String> sorted = new ArrayList<>(times);
        sorted.sort(null);
        assertEquals(sorted, times, "oldest first");
        viewer().queryParam("from", T0.plusSeconds(60).toString()).queryParam("to", T0.plusSeconds(180).toString())
                .get("/api/v1/endpoints/rt/3001/measurements").then().statusCode(200).body("items", hasSize(2))
                .body("nextCursor", nullValue());
    }

    @Test
    void measurementsAsCsv() {
        Response csv = viewer().accept("text/csv").queryParam("limit", 5).get("/api/v1/endpoints/rt/3001/measurements");
        csv.then().statusCode(200).contentType(startsWith("text/csv")).header("X-Next-Cursor", notNullValue());
        String[] lines = csv.asString().split("\n");
        assertEquals(6, lines.length);
        assertTrue(lines[0].startsWith("probe_id,started_at,direction,protocol,outcome,bits_per_second"), lines[0]);
        assertTrue(lines[1].contains(",2026-11-20T08:00:00Z,DOWNLINK,TCP,OK,140000,"), lines[1]);
        String last = viewer().accept("text/csv").queryParam("cursor", csv.header("X-Next-Cursor")).queryParam("limit", 1000)
                .get("/api/v1/endpoints/rt/3001/measurements").asString();
        assertTrue(last.contains("TIMEOUT") && last.contains("\"unable to connect to server: Connection refused\""), last);
    }

    @Test
    void csvCellsThatStartLikeAFormulaAreNeutralised() {
        List<String> errors = List.of("=1+2", "+1", "-1", "@SUM(A1)", "\tcmd", "\rcmd", "plain, \"quoted\"");
        List<ProbeResult> results = new ArrayList<>();
        for (int i = 0; i < errors.size(); i++) {
            ProbeResult r = TestData.failed("rc", "3005", ProbeResult.Outcome.ERROR, T0.plusSeconds(i));
            results.add(new ProbeResult(1, r.probeId(), r.pbxId(), r.endpoint(), r.address(), r.direction(),
                    r.protocol(), null, null, null, null, null, 5000, r.outcome(), errors.get(i), r.startedAt()));
        }
        assertEquals(7, ingest.ingest(results).stored());
        String csv = viewer().accept("text/csv").get("/api/v1/endpoints/rc/3005/measurements").asString();
        List<String> cells = List.of(csv.split("\n", -1)).stream().skip(1).filter(l -> !l.isEmpty())
                .map(l -> l.substring(l.indexOf(",10.231.7.2,") + ",10.231.7.2,".length())).toList();
        assertEquals(List.of("\"'=1+2\"", "\"'+1\"", "\"'-1\"", "\"'@SUM(A1)\"", "\"'\tcmd\"", "\"'\rcmd\"",
                "\"plain, \"\"quoted\"\"\""), cells, csv);
    }

    @Test
    void badParametersAndUnknownEndpointsAreProblems() {
        viewer().get("/api/v1/endpoints/rt/9999").then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404))
                .body("title", equalTo("Not Found")).body("detail", containsString("rt/9999"))
                .body("type", notNullValue());
        viewer().get("/api/v1/endpoints/rt/9999/measurements").then().statusCode(404);
        viewer().get("/api/v1/endpoints/rt/3001/measurements?limit=1001").then().statusCode(400)
                .contentType("application/problem+json").body("detail", startsWith("limit:"));
        viewer().get("/api/v1/endpoints/rt/3001/measurements?limit=abc").then().statusCode(400);
        viewer().get("/api/v1/endpoints/rt/3001/measurements?from=yesterday").then().statusCode(400)
                .body("detail", startsWith("from:"));
        viewer().get("/api/v1/endpoints/rt/3001/measurements?cursor=bm90LWEtY3Vyc29y").then().statusCode(400)
                .body("detail", startsWith("cursor:"));
        viewer().get("/api/v1/endpoints/rt/3001/measurements?from=2026-11-21T00:00:00Z&to=2026-11-20T00:00:00Z")
                .then().statusCode(400);
        viewer().get("/api/v1/endpoints?status=sleepy").then().statusCode(400).body("detail", startsWith("status:"));
        viewer().get("/api/v1/endpoints/rt/bad%5Dname").then().statusCode(400).body("detail", startsWith("endpoint:"));
        viewer().get("/api/v1/pbxs/rt/summary?bucket=PT1S&from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z")
                .then().statusCode(400).body("detail", startsWith("bucket:"));
        viewer().get("/api/v1/pbxs/nowhere/summary").then().statusCode(404);
        admin().contentType("application/json").body(Map.of("codecs", List.of("g729", "nonsense")))
                .put("/api/v1/endpoints/rt/3003/pin").then().statusCode(400)
                .contentType("application/problem+json").body("detail", startsWith("codecs[1]:"));
        admin().contentType("application/json").body("{\"codecs\": ").put("/api/v1/endpoints/rt/3003/pin")
                .then().statusCode(400).contentType("application/problem+json");
        admin().contentType("application/json").body(Map.of("codecs", List.of("g729")))
                .put("/api/v1/endpoints/rt/9999/pin").then().statusCode(404);
    }

    private static final String RANGE = "must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59.999999999Z, got ";

    @Test
    void instantsAndBucketsOutsideTheStoredRangeAreProblems() {
        viewer().get("/api/v1/endpoints/rt/3001/measurements?from=-1000000-01-01T00:00:00Z").then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo("urn:vbo:problem:bad-request"))
                .body("detail", equalTo("from: " + RANGE + "-1000000-01-01T00:00:00Z"));
        viewer().queryParam("to", "+999999-01-01T00:00:00Z").get("/api/v1/endpoints/rt/3001/measurements").then()
                .statusCode(400)
                .contentType("application/problem+json").body("detail", equalTo("to: " + RANGE + "+999999-01-01T00:00:00Z"));
        String cursor = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "-1000000-01-01T00:00:00Z|3f2a1c7e-0000-4000-8000-000000000001".getBytes(StandardCharsets.UTF_8));
        viewer().get("/api/v1/endpoints/rt/3001/measurements?cursor=" + cursor).then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("cursor: " + RANGE + "-1000000-01-01T00:00:00Z"));
        viewer().get("/api/v1/pbxs/rt/summary?from=-1000000-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&bucket=P36500000D")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("from: " + RANGE + "-1000000-01-01T00:00:00Z"));
        viewer().get("/api/v1/pbxs/rt/summary?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&bucket=P36500000D")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("bucket: must be between PT1S and P366D, got P36500000D"));
    }

    @Test
    void malformedAndOversizedRequestsAreProblems() throws Exception {
        admin().contentType("application/json").body("{\"codecs\":\"ulaw\"}").put("/api/v1/endpoints/rt/3001/ceiling")
                .then().statusCode(400).contentType("application/problem+json").body("status", equalTo(400))
                .body("detail", equalTo("request body: field 'codecs' has a value of the wrong type or shape"));
        String deep = "{\"note\":" + "[".repeat(2_000) + "]".repeat(2_000) + ",\"codecs\":[\"ulaw\"]}";
        admin().contentType("application/json").body(deep).put("/api/v1/endpoints/rt/3001/ceiling").then()
                .statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("request body is JSON with nested or sized beyond the limits of the API"));
        viewer().get("/api/v1/endpoints/" + "x".repeat(5_000)).then().statusCode(414)
                .contentType("application/problem+json").body("type", equalTo("urn:vbo:problem:request-uri-too-long"));
        // A request declaring a 10 MB body: refused with a problem before any of the body is read.
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            String credentials = java.util.Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write(("PUT /api/v1/endpoints/rt/3001/ceiling HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Basic " + credentials + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 10485761\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            // Status line and headers, then exactly Content-Length bytes: the server need not close the connection.
            java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.readUnsignedByte());
            }
            String headers = head.toString();
            assertTrue(headers.startsWith("HTTP/1.1 413 "), headers);
            assertTrue(headers.toLowerCase(java.util.Locale.ROOT).contains("content-type: application/problem+json"),
                    headers);
            java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)")
                    .matcher(headers);
            assertTrue(length.find(), headers);
            byte[] body = new byte[Integer.parseInt(length.group(1))];
            in.readFully(body);
            assertEquals("the request body has 10485761 bytes; at most 10485760 are accepted",
                    io.restassured.path.json.JsonPath.from(new String(body, StandardCharsets.UTF_8)).getString("detail"));
        }
    }

    @Test
    void everyStatusOfTheResourcesIsInTheOpenApiDocument() {
        Response openapi = given().queryParam("format", "json").get("/q/openapi");
        openapi.then().statusCode(200);
        io.restassured.path.json.JsonPath doc = openapi.jsonPath();
        assertEquals(Set.of("200", "400", "401", "403", "404"),
                doc.getMap("paths.'/api/v1/endpoints/{pbxId}/{endpoint}/pin'.put.responses").keySet());
        assertEquals(Set.of("200", "204", "400", "401", "403", "404"),
                doc.getMap("paths.'/api/v1/endpoints/{pbxId}/{endpoint}/pin'.delete.responses").keySet());
        // 403 on reads too: Quarkus adds it to every role-restricted operation (a user without a role gets it).
        assertEquals(Set.of("200", "400", "401", "403", "404"),
                doc.getMap("paths.'/api/v1/endpoints/{pbxId}/{endpoint}/measurements'.get.responses").keySet());
        assertEquals(Set.of("200", "400", "401", "403", "404"),
                doc.getMap("paths.'/api/v1/pbxs/{pbxId}/summary'.get.responses").keySet());
        assertEquals(Set.of("200", "400", "401", "403", "404", "409"),
                doc.getMap("paths.'/api/v1/endpoints/{pbxId}/{endpoint}/decisions'.post.responses").keySet());
        assertEquals(Set.of("200", "400", "401", "403", "404"),
                doc.getMap("paths.'/console/actions/{pbxId}/{endpoint}/unpin'.post.responses").keySet());
        assertEquals(Set.of("200", "401", "403"), doc.getMap("paths.'/api/v1/sites'.get.responses").keySet());
        assertEquals(Set.of("200", "400", "401", "403", "404"),
                doc.getMap("paths.'/api/v1/sites/{pbxId}/{site}'.get.responses").keySet());
        assertEquals(Set.of("site", "members", "concurrentCalls", "concurrentSource", "capacityBps", "maxCalls"),
                doc.getMap("components.schemas.EndpointSiteView.properties").keySet());
        assertTrue(doc.getMap("components.schemas.EndpointView.properties").containsKey("site"));
    }

    @Test
    void pinOverridesThePolicyAndUnpinRestoresIt() {
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
                KafkaTestClient.Reader decisions = kafka.reader(Topics.CODEC_DECISIONS)) {
            admin().contentType("application/json").body(Map.of("codecs", List.of("g729", "ulaw")))
                    .put("/api/v1/endpoints/rt/3003/pin").then().statusCode(200)
                    .body("tier", equalTo("pinned")).body("codecs", equalTo(List.of("g729", "ulaw")))
                    .body("previousTier", equalTo("45.5k")).body("cause", equalTo("PIN"));
            viewer().get("/api/v1/endpoints/rt/3003").then().body("tier", equalTo("pinned"))
                    .body("pinned", equalTo(true)).body("policyTier", equalTo("45.5k")).body("pinnedBy", equalTo("admin"));
            Instant later = T0.plus(2, ChronoUnit.HOURS);
            ingest.ingest(List.of(TestData.ok(PBX, "3003", Direction.DOWNLINK, 10_000, later),
                    TestData.ok(PBX, "3003", Direction.DOWNLINK, 10_000, later.plusSeconds(60))));
            viewer().get("/api/v1/endpoints/rt/3003").then().body("tier", equalTo("pinned"))
                    .body("policyTier", equalTo("no-codec-fits"));

            admin().delete("/api/v1/endpoints/rt/3003/pin").then().statusCode(200)
                    .body("tier", equalTo("no-codec-fits")).body("cause", equalTo("UNPIN"))
                    .body("previousTier", equalTo("pinned")).body("noCodecFits", equalTo(true))
                    .body("ceiling", hasSize(6));
            admin().delete("/api/v1/endpoints/rt/3003/pin").then().statusCode(204);

            List<CodecDecision> published = decisions.await(3, r -> "rt/3003".equals(r.key()), Duration.ofSeconds(30))
                    .stream().map(r -> EventJson.fromJson(r.value(), CodecDecision.class)).toList();
            assertEquals(List.of("45.5k", "pinned", "no-codec-fits"), published.stream().map(CodecDecision::tier).toList(),
                    "the policy's own downgrade while pinned was not published");
            assertEquals(List.of("g729", "ulaw"), published.get(1).codecs());

            viewer().get("/api/v1/endpoints/rt/3003/decisions").then().statusCode(200)
                    .body("cause", equalTo(List.of("UNPIN", "PIN", "POLICY")))
                    .body("[2].reason", containsString("first decision"))
                    .body("[2].thresholdsBps.gsm", equalTo(45500)).body("[2].thresholdsBps.ulaw", equalTo(109000));
            admin().post("/api/v1/endpoints/rt/3003/decisions").then().statusCode(200)
                    .body("cause", equalTo("REQUEST")).body("tier", equalTo("no-codec-fits"));
            admin().post("/api/v1/endpoints/rt/3004/decisions").then().statusCode(409)
                    .contentType("application/problem+json");
        }
    }

    @Test
    void summaryPerPbxBucket() {
        viewer().queryParam("from", T0.toString()).queryParam("to", T0.plus(1, ChronoUnit.HOURS).toString())
                .queryParam("bucket", "PT10M").get("/api/v1/pbxs/rt/summary").then().statusCode(200)
                .body("buckets", hasSize(3))
                .body("buckets[0].start", equalTo("2026-11-20T08:00:00Z"))
                .body("buckets[0].count", equalTo(15)).body("buckets[0].ok", equalTo(12))
                .body("buckets[0].failuresByOutcome.UNREACHABLE", equalTo(3))
                .body("buckets[2].failuresByOutcome.TIMEOUT", equalTo(1))
                .body("buckets[1].p50Bps", equalTo(141450.0f));
    }

    @Test
    void retentionPurgesOnlyOldMeasurements() {
        Instant old = Instant.now().minus(100, ChronoUnit.DAYS);
        ingest.ingest(List.of(TestData.ok("ret", "4001", Direction.DOWNLINK, 100_000, old),
                TestData.ok("ret", "4001", Direction.DOWNLINK, 100_000, Instant.now())));
        long purged = retention.purge(Instant.now().minus(90, ChronoUnit.DAYS));
        assertTrue(purged >= 1, "purged " + purged);
        long left = QuarkusTransaction.requiringNew().call(() -> MeasurementEntity.count("pbxId", "ret"));
        assertEquals(1, left);
    }

    @Test
    void openApiAndSwaggerUiAreServed() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/endpoints/{pbxId}/{endpoint}/measurements"));
        given().get("/q/swagger-ui/").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }
}
