package io.vbo.policy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vbo.events.CallQuality;
import io.vbo.events.CodecDecision;
import io.vbo.events.EndpointCeiling;
import io.vbo.events.EventJson;
import io.vbo.events.ProbeResult;
import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.Topics;
import io.vbo.testkit.KafkaBrokerResource;
import io.vbo.testkit.KafkaTestClient;
import io.vbo.testkit.PostgresResource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real calls on a real broker and PostgreSQL: {@code vbo.call-quality} messages published by the test (as discovery
 * publishes them), stored once, counted as evidence for the endpoint's tier, and shown by the calls API.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
class PolicyCallsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PBX = "kc";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    MeterRegistry registry;

    private KafkaTestClient kafka;
    private static final AtomicLong NEXT_CALL = new AtomicLong(1_796_154_000);

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

    private void ceiling(String pbx, String endpoint) {
        EndpointCeiling c = new EndpointCeiling(1, pbx, endpoint, List.of("ulaw", "alaw", "g722", "gsm"),
                EndpointCeiling.Source.FILE, Instant.now());
        kafka.send(Topics.ENDPOINT_CEILINGS, c.key(), EventJson.toJson(c));
        TestData.await("ceiling of " + c.key() + " stored", WAIT, () -> rows(
                "select count(*) from endpoint_ceiling where pbx_id = ? and endpoint = ?", pbx, endpoint) == 1);
    }

    private void send(ProbeResult result) {
        kafka.send(Topics.PROBE_RESULTS, result.key(), EventJson.toJson(result));
    }

    private void send(CallQuality q) {
        kafka.send(Topics.CALL_QUALITY, q.key(), EventJson.toJson(q));
    }

    /** A 60 s call's summary (sequence 7, after six RTCP reports) that ended at {@code at}. */
    private CallQuality call(String pbx, String endpoint, String codec, double loss, double jitterMs, double rttMs,
            Double mos, Instant at) {
        long n = NEXT_CALL.getAndIncrement();
        String uniqueId = n + ".0";
        return new CallQuality(1, CallQuality.Kind.SUMMARY, pbx, endpoint, uniqueId, uniqueId,
                "PJSIP/" + endpoint + "-0000000" + (n % 10), 7, codec, null,
                new CallQuality.Summary(60_000, CallQuality.MediaPath.RTCP, 6, 6000L, loss, loss / 2, loss, jitterMs,
                        jitterMs * 1.5, rttMs, mos, 16), at);
    }

    /** 8 % loss on G.711 with 150 ms round trip and 40 ms jitter: the E-model's MOS 3.559, below 3.6. */
    private CallQuality lossy(String pbx, String endpoint, String codec) {
        return call(pbx, endpoint, codec, 8, 40, 150, "ulaw".equals(codec) ? 3.559 : null, Instant.now());
    }

    private CallQuality clean(String pbx, String endpoint, String codec) {
        return call(pbx, endpoint, codec, 0.2, 2, 20, "ulaw".equals(codec) ? 4.394 : null, Instant.now());
    }

    private long rows(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long calls(String pbx, String endpoint) {
        return rows("select count(*) from call_summary where pbx_id = ? and endpoint = ?", pbx, endpoint);
    }

    private static CodecDecision decision(ConsumerRecord<String, String> record) {
        return EventJson.fromJson(record.value(), CodecDecision.class);
    }

    @Test
    void twoCallsWithEightPercentLossOnG711InARowDowngrade() {
        try (KafkaTestClient.Reader decisions = kafka.reader(Topics.CODEC_DECISIONS)) {
            ceiling(PBX, "4001");
            Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            send(TestData.ok(PBX, "4001", Direction.DOWNLINK, 2_000_000, t));
            send(TestData.ok(PBX, "4001", Direction.UPLINK, 2_000_000, t.plusSeconds(4)));
            assertEquals("109.0k", decision(decisions.await(1, r -> "kc/4001".equals(r.key()), WAIT).get(0)).tier());

            send(lossy(PBX, "4001", "ulaw"));
            TestData.await("the first call stored", WAIT, () -> calls(PBX, "4001") == 1);
            assertEquals(1, decisions.drain(Duration.ofSeconds(1)).stream().filter(r -> "kc/4001".equals(r.key()))
                    .count(), "one bad call is no downgrade");
            send(lossy(PBX, "4001", "ulaw"));

            CodecDecision down = decision(decisions.await(2, r -> "kc/4001".equals(r.key()), WAIT).get(1));
            assertEquals("45.5k", down.tier());
            assertEquals("109.0k", down.previousTier());
            assertEquals(List.of("gsm"), down.codecs());
            assertEquals(2_000_000L, down.reason().estimateBps());
            assertTrue(down.reason().text().startsWith("downgrade from 109.0k after 2 bad calls in a row: last call: "
                    + "ulaw call, loss 8.0 %, jitter 40.0 ms, RTT 150 ms, MOS 3.56: below the MOS target 3.6 → gsm "
                    + "(tier 45.5k)"), down.reason().text());
            assertEquals(2, rows("select count(*) from call_summary where pbx_id = 'kc' and endpoint = '4001' "
                    + "and verdict = 'BAD' and mos = 3.559"));
            viewer().get("/api/v1/endpoints/kc/4001").then().statusCode(200).body("tier", equalTo("45.5k"))
                    .body("status", equalTo("MEASURED")).body("calls.calls", equalTo(2)).body("calls.bad", equalTo(2))
                    .body("calls.p50", equalTo(3.559f));
        }
    }

    @Test
    void anEndpointWhoseIperf3PortIsUnreachableIsPassiveAndDecidedFromCalls() {
        try (KafkaTestClient.Reader decisions = kafka.reader(Topics.CODEC_DECISIONS)) {
            ceiling(PBX, "4002");
            // The contact answered qualify (30 ms, the RTT probe-service scheduled it with); iperf3's port refused.
            send(new ProbeResult(1, UUID.randomUUID(), PBX, "4002", "10.231.7.2", Direction.DOWNLINK,
                    ProbeResult.Protocol.TCP, null, null, null, null, 30_000L, 12, ProbeResult.Outcome.UNREACHABLE,
                    "unable to connect to server - server may have stopped running or use a different port, firewall "
                            + "issue, etc.: Connection refused", Instant.now()));
            CodecDecision first = decision(decisions.await(1, r -> "kc/4002".equals(r.key()), WAIT).get(0));
            assertEquals("109.0k", first.tier());
            assertEquals(List.of("g722", "ulaw", "alaw", "gsm"), first.codecs());
            assertEquals(null, first.reason().estimateBps());
            viewer().get("/api/v1/endpoints/kc/4002").then().statusCode(200).body("status", equalTo("PASSIVE"))
                    .body("estimateBps", nullValue()).body("rttMs", equalTo(30.0f));
            viewer().get("/api/v1/endpoints?pbx=kc&status=passive").then().statusCode(200)
                    .body("items.endpoint", hasItem("4002")).body("items.status", everyItem(equalTo("PASSIVE")));

            send(lossy(PBX, "4002", "g722"));
            send(lossy(PBX, "4002", "g722"));
            CodecDecision down = decision(decisions.await(2, r -> "kc/4002".equals(r.key()), WAIT).get(1));
            assertEquals("45.5k", down.tier());
            assertEquals(List.of("gsm"), down.codecs());
            assertTrue(down.reason().text().startsWith("downgrade from 109.0k after 2 bad calls in a row: last call: "
                    + "g722 call, loss 8.0 %, jitter 40.0 ms, RTT 150 ms, MOS 3.56 (rated as ulaw)"),
                    down.reason().text());
            viewer().get("/api/v1/endpoints/kc/4002").then().statusCode(200).body("status", equalTo("PASSIVE"))
                    .body("tier", equalTo("45.5k"));
        }
    }

    @Test
    void goodCallsUpgradeAPassiveEndpoint() {
        try (KafkaTestClient.Reader decisions = kafka.reader(Topics.CODEC_DECISIONS)) {
            ceiling(PBX, "4003");
            send(new ProbeResult(1, UUID.randomUUID(), PBX, "4003", "10.231.7.3", Direction.DOWNLINK,
                    ProbeResult.Protocol.TCP, null, null, null, null, 25_000L, 12, ProbeResult.Outcome.UNREACHABLE,
                    "unable to connect to server: Connection refused", Instant.now()));
            decisions.await(1, r -> "kc/4003".equals(r.key()), WAIT);
            send(lossy(PBX, "4003", "ulaw"));
            send(lossy(PBX, "4003", "ulaw"));
            assertEquals("45.5k", decision(decisions.await(2, r -> "kc/4003".equals(r.key()), WAIT).get(1)).tier());

            send(clean(PBX, "4003", "gsm"));
            send(clean(PBX, "4003", "gsm"));
            CodecDecision up = decision(decisions.await(3, r -> "kc/4003".equals(r.key()), WAIT).get(2));
            assertEquals("109.0k", up.tier());
            assertEquals("45.5k", up.previousTier());
            assertEquals(List.of("g722", "ulaw", "alaw", "gsm"), up.codecs());
            assertTrue(up.reason().text().startsWith("upgrade from 45.5k after 2 good calls in a row (PASSIVE: no "
                    + "probe can upgrade it): last call: gsm call, loss 0.2 %"), up.reason().text());
        }
    }

    @Test
    void callsAreListedPagedAndExportedAsCsv() {
        String pbx = "kr";
        send(TestData.ok(pbx, "4101", Direction.DOWNLINK, 2_000_000, Instant.now()));
        Instant t = Instant.parse("2026-11-30T10:00:00Z");
        CallQuality a = call(pbx, "4101", "ulaw", 0.2, 2, 20, 4.394, t);
        CallQuality b = call(pbx, "4101", "ulaw", 8, 40, 150, 3.559, t.plusSeconds(600));
        // A unique id may start with '-': in CSV it must not read as a formula.
        CallQuality c = new CallQuality(1, CallQuality.Kind.SUMMARY, pbx, "4101", "-7.1", "-7.1", "PJSIP/4101-0000000c",
                3, "g722", null, new CallQuality.Summary(20_000, CallQuality.MediaPath.NOT_MEASURED, 0, null, null, null,
                        null, null, null, null, null, 16), t.plusSeconds(1200));
        send(a);
        send(b);
        send(c);
        TestData.await("three calls stored", WAIT, () -> calls(pbx, "4101") == 3);

        Response first = viewer().get("/api/v1/endpoints/kr/4101/calls?limit=2");
        first.then().statusCode(200).body("items", hasSize(2))
                .body("items.uniqueId", equalTo(List.of(a.uniqueId(), b.uniqueId())))
                .body("items[0].codec", equalTo("ulaw")).body("items[0].lossPercent", equalTo(0.2f))
                .body("items[0].meanJitterMs", equalTo(2.0f)).body("items[0].rttMs", equalTo(20.0f))
                .body("items[0].mos", equalTo(4.394f)).body("items[0].verdict", equalTo("GOOD"))
                .body("items[0].startedAt", equalTo("2026-11-30T09:59:00Z"))
                .body("items[0].endedAt", equalTo("2026-11-30T10:00:00Z"))
                .body("items[1].verdict", equalTo("BAD")).body("items[1].mos", equalTo(3.559f));
        viewer().get("/api/v1/endpoints/kr/4101/calls?limit=2&cursor=" + first.path("nextCursor")).then()
                .statusCode(200).body("items.uniqueId", equalTo(List.of("-7.1"))).body("nextCursor", nullValue())
                .body("items[0].mediaPath", equalTo("NOT_MEASURED")).body("items[0].verdict", equalTo("NEUTRAL"))
                .body("items[0].mos", nullValue());
        viewer().get("/api/v1/endpoints/kr/4101/calls?from=2026-11-30T10:05:00Z&to=2026-11-30T10:15:00Z").then()
                .statusCode(200).body("items.uniqueId", equalTo(List.of(b.uniqueId())));

        Response csv = viewer().accept("text/csv").get("/api/v1/endpoints/kr/4101/calls?from=2026-11-30T10:05:00Z");
        csv.then().statusCode(200).contentType(startsWith("text/csv"));
        assertEquals(List.of("unique_id,call_id,channel,codec,started_at,ended_at,duration_ms,media_path,reports,"
                + "packets,downlink_loss_percent,uplink_loss_percent,loss_percent,mean_jitter_ms,max_jitter_ms,rtt_ms,"
                + "mos,hangup_cause,verdict,policy_mos",
                b.uniqueId() + "," + b.uniqueId() + "," + b.channel() + ",ulaw,2026-11-30T10:09:00Z,2026-11-30T10:10:00Z,"
                        + "60000,RTCP,6,6000,8.0,4.0,8.0,40.0,60.0,150.0,3.559,16,BAD,3.559",
                "\"'-7.1\",\"'-7.1\",PJSIP/4101-0000000c,g722,2026-11-30T10:19:40Z,2026-11-30T10:20:00Z,20000,NOT_MEASURED,0,"
                        + ",,,,,,,,16,NEUTRAL,"), csv.asString().lines().toList());
        String afterFirst = viewer().get("/api/v1/endpoints/kr/4101/calls?limit=1").path("nextCursor");
        viewer().accept("text/csv").get("/api/v1/endpoints/kr/4101/calls?limit=1").then().statusCode(200)
                .header("X-Next-Cursor", equalTo(afterFirst));

        viewer().get("/api/v1/endpoints/kr/4101/calls?limit=0").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("limit: must be an integer between 1 and 1000, got '0'"));
        viewer().get("/api/v1/endpoints/kr/4101/calls?cursor=nope").then().statusCode(400)
                .body("detail", equalTo("cursor: not a cursor this API returned, got 'nope'"));
        viewer().get("/api/v1/endpoints/kr/4199/calls").then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("no endpoint kr/4199 has been measured or made a call"));
        given().get("/api/v1/endpoints/kr/4101/calls").then().statusCode(401);

        Response summary = viewer().get("/api/v1/pbxs/kr/summary?from=2026-11-30T00:00:00Z&to=2026-12-01T00:00:00Z"
                + "&bucket=PT1H");
        assertEquals(3.9765, summary.jsonPath().getDouble("calls[0].mosP50"), 1e-9, "median of 4.394 and 3.559");
        summary.then().statusCode(200).body("calls", hasSize(1)).body("calls[0].start", equalTo("2026-11-30T10:00:00Z"))
                .body("calls[0].calls", equalTo(3)).body("calls[0].bad", equalTo(1))
                .body("calls[0].mosBands.'4.34-4.50'", equalTo(1)).body("calls[0].mosBands.'3.10-3.60'", equalTo(1))
                .body("calls[0].mosBands.'3.60-4.03'", equalTo(0)).body("calls[0].mosBands.'1.00-2.58'", equalTo(0));
        assertEquals(2.0, registry.find("vbo.policy.calls").tags("pbx", "kr", "codec", "ulaw").counter().count());
        assertEquals(2, registry.find("vbo.policy.call.mos").tags("pbx", "kr").summary().count());
    }

    @Test
    void aRedeliveredMessageIsStoredOnceAndInvalidOnesAreDeadLettered() {
        try (KafkaTestClient.Reader deadLetters = kafka.reader(Topics.DEAD_LETTER)) {
            CallQuality sample = new CallQuality(1, CallQuality.Kind.SAMPLE, PBX, "4201", "1796154184.0",
                    "1796154184.0", "PJSIP/4201-00000000", 1, "ulaw",
                    new CallQuality.Sample(CallQuality.Direction.RECEIVED, 20, 13, 21385, 500L, 320, 40.0, 150.0, 62.0),
                    null, Instant.now());
            CallQuality summary = call(PBX, "4201", "ulaw", 8, 40, 150, 3.559, Instant.now());
            String badId = EventJson.toJson(summary).replace(summary.uniqueId(), "17961;rm -rf");
            for (int i = 0; i < 3; i++) {
                send(sample);
                send(summary);
            }
            kafka.send(Topics.CALL_QUALITY, "kc/4201", "{not json");
            kafka.send(Topics.CALL_QUALITY, "kc/4201", badId);
            CallQuality marker = call(PBX, "4201", "gsm", 0, 1, 10, null, Instant.now());
            send(marker);
            TestData.await("the marker stored", WAIT, () -> rows("select count(*) from call_summary where unique_id = ?",
                    marker.uniqueId()) == 1);
            assertEquals(1, rows("select count(*) from call_sample where pbx_id = 'kc' and unique_id = '1796154184.0'"));
            assertEquals(1, rows("select count(*) from call_summary where pbx_id = 'kc' and unique_id = ?",
                    summary.uniqueId()));
            assertEquals(1, rows("select count(*) from call_sample where pbx_id = 'kc' and unique_id = '1796154184.0' "
                    + "and fraction_lost = 20 and jitter_ms = 40.0 and rtt_ms = 150.0 and direction = 'RECEIVED'"));

            List<ConsumerRecord<String, String>> dead = deadLetters.await(2, r -> "kc/4201".equals(r.key()), WAIT);
            assertEquals("{not json", dead.get(0).value());
            assertTrue(KafkaTestClient.header(dead.get(0), "dead-letter-reason").startsWith("$: not valid JSON"),
                    KafkaTestClient.header(dead.get(0), "dead-letter-reason"));
            assertTrue(KafkaTestClient.header(dead.get(1), "dead-letter-reason").startsWith("callId: must match"),
                    KafkaTestClient.header(dead.get(1), "dead-letter-reason"));
            assertEquals(Topics.CALL_QUALITY, KafkaTestClient.header(dead.get(1), "dead-letter-topic"));
        }
    }
}
