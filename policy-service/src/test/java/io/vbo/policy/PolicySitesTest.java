package io.vbo.policy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import io.vbo.events.CallQuality;
import io.vbo.events.CodecDecision;
import io.vbo.events.ContactStatus;
import io.vbo.events.EndpointCeiling;
import io.vbo.events.EndpointObserved;
import io.vbo.events.EventJson;
import io.vbo.events.ProbeResult;
import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.SiteLimit;
import io.vbo.events.Topics;
import io.vbo.policy.repository.SiteRepository;
import io.vbo.testkit.KafkaBrokerResource;
import io.vbo.testkit.KafkaTestClient;
import io.vbo.testkit.PostgresResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sites on a real broker and a real PostgreSQL: phones of one site share its uplink among K calls, every one of them
 * gets the tier chosen for K, and the site's call limit is published; K is learned from the site's calls.
 */
@QuarkusTest
@TestProfile(PolicySitesTest.Sites.class)
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
class PolicySitesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> CEILING = List.of("ulaw", "alaw", "gsm");
    private static final AtomicLong NEXT_CALL = new AtomicLong(1_800_000_000L);

    /**
     * {@code branch}: a declared 200 kbit/s uplink (both ways) shared by K = 2 calls; {@code solo}: measured through
     * its phones, K = 1. K is learned again every second, so the learned site's K reaches its decisions quickly.
     */
    public static class Sites implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("vbo.sites[0].name", "branch", "vbo.sites[0].cidrs", "10.231.40.0/24",
                    "vbo.sites[0].uplink.down", "200000", "vbo.sites[0].uplink.up", "200000",
                    "vbo.sites[0].concurrent-calls", "2",
                    "vbo.sites[1].name", "solo", "vbo.sites[1].concurrent-calls", "1",
                    "vbo.policy.site-calls.learn-every", "1s");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    SiteRepository repository;

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

    private void observed(String pbx, String endpoint, String address, int port, String site) {
        EndpointObserved e = new EndpointObserved(1, pbx, endpoint, endpoint, "sip:" + endpoint + "@" + address + ":"
                + port, address, port, "udp", ContactStatus.REACHABLE, 20_000L, "baresip", 0, Instant.now(), site);
        kafka.send(Topics.ENDPOINTS, pbx + "/" + endpoint, EventJson.toJson(e));
    }

    private void ceiling(String pbx, String endpoint) {
        EndpointCeiling c = new EndpointCeiling(1, pbx, endpoint, CEILING, EndpointCeiling.Source.FILE, Instant.now());
        kafka.send(Topics.ENDPOINT_CEILINGS, c.key(), EventJson.toJson(c));
    }

    private static CodecDecision decision(ConsumerRecord<String, String> r) {
        return EventJson.fromJson(r.value(), CodecDecision.class);
    }

    private static SiteLimit limit(ConsumerRecord<String, String> r) {
        return EventJson.fromJson(r.value(), SiteLimit.class);
    }

    @Test
    void threePhonesBehindOneUplinkForTwoCallsShareOneTierWithoutG711() {
        try (KafkaTestClient.Reader decisions = kafka.reader(Topics.CODEC_DECISIONS);
                KafkaTestClient.Reader limits = kafka.reader(Topics.SITE_LIMITS)) {
            for (String e : List.of("3001", "3002", "3003")) {
                observed("st1", e, "10.231.40.7", 5060 + Integer.parseInt(e) % 10, "branch");
                ceiling("st1", e);
            }
            // 200 kbit/s × utilisation 0.8 (the default) = 160 kbit/s for K = 2 calls → 80 kbit/s per call.
            // G.711 (ulaw, alaw) is 87.2 kbit/s on the wire (64 payload + 16 IP/UDP/RTP + 7.2 Ethernet): it does not
            // fit. GSM is 36.4 (13.2 + 16 + 7.2): its need for 2 calls is 36.4 × 2 ÷ 0.8 = 91.0 kbit/s ≤ 200, tier 91.0k.
            for (String e : List.of("3001", "3002", "3003")) {
                CodecDecision d = decision(decisions.await(1, r -> r.key().equals("st1/" + e)
                        && decision(r).site() != null && decision(r).ceiling().equals(CEILING), WAIT).get(0));
                assertEquals(List.of("gsm"), d.codecs(), e);
                assertEquals("91.0k", d.tier(), e);
                assertEquals("branch", d.site(), e);
                assertEquals(List.of("ulaw", "alaw"), d.excluded().stream().map(CodecDecision.Exclusion::codec).toList());
            }
            // The limit: floor(160,000 ÷ 36,400) = 4 GSM calls (4 × 36.4 = 145.6 ≤ 160 < 5 × 36.4 = 182.0).
            SiteLimit l = limit(limits.await(1, r -> r.key().equals("st1/branch")
                    && limit(r).endpoints().size() == 3, WAIT).get(0));
            assertEquals(new SiteLimit(1, "st1", "branch", List.of("3001", "3002", "3003"), "91.0k", "gsm", 36_400,
                    160_000, 4, 2, SiteLimit.ConcurrentSource.CONFIGURED, l.decidedAt()), l);
        }
        viewer().get("/api/v1/sites/st1/branch").then().statusCode(200)
                .body("configured", equalTo(true))
                .body("endpoints", equalTo(List.of("3001", "3002", "3003")))
                .body("concurrentCalls.configured", equalTo(2)).body("concurrentCalls.used", equalTo(2))
                .body("concurrentCalls.source", equalTo("CONFIGURED")).body("concurrentCalls.learned", nullValue())
                .body("capacity.declaredBps", equalTo(200_000)).body("capacity.usedBps", equalTo(200_000))
                .body("limit.maxCalls", equalTo(4)).body("limit.codec", equalTo("gsm"))
                .body("members.codecs", equalTo(List.of(List.of("gsm"), List.of("gsm"), List.of("gsm"))));
        viewer().get("/api/v1/sites").then().statusCode(200).body("site", hasItem("branch"));
        viewer().get("/api/v1/endpoints/st1/3002/decisions").then().statusCode(200)
                .body("site", hasItem("branch"));
        viewer().get("/api/v1/endpoints/st1/3002").then().statusCode(200)
                .body("site.site", equalTo("branch")).body("site.members", equalTo(3))
                .body("site.concurrentCalls", equalTo(2)).body("site.concurrentSource", equalTo("CONFIGURED"))
                .body("site.capacityBps", equalTo(200_000)).body("site.maxCalls", equalTo(4));
        // The endpoint list leaves the site out (one query per page).
        viewer().get("/api/v1/endpoints?pbx=st1").then().statusCode(200).body("items.site", everyItem(nullValue()));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("vbo_policy_site_calls_limit{pbx=\"st1\",site=\"branch\"} 4.0"));
    }

    @Test
    void theLastMemberLeavingPublishesATombstoneForTheSite() {
        try (KafkaTestClient.Reader limits = kafka.reader(Topics.SITE_LIMITS)) {
            observed("st5", "3501", "10.231.40.9", 5060, "branch");
            ceiling("st5", "3501");
            // The declared 200 kbit/s uplink gives the site a limit as soon as its one member is decided.
            limits.await(1, r -> r.key().equals("st5/branch") && r.value() != null, WAIT);
            observed("st5", "3501", "10.231.40.9", 5060, null);
            ConsumerRecord<String, String> tombstone = limits.await(1, r -> r.key().equals("st5/branch")
                    && r.value() == null, WAIT).get(0);
            assertEquals("st5/branch", tombstone.key());
        }
        viewer().get("/api/v1/sites/st5/branch").then().statusCode(404);
        TestData.await("the removed site's row deleted once the broker took the tombstone", WAIT,
                () -> {
                    try {
                        return !repository.removedUnpublished().contains("st5/branch");
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    @Test
    void oneCallOnTheMeasuredUplinkAllowsG711ToEveryPhone() {
        observed("st2", "3101", "10.231.42.7", 5060, "solo");
        observed("st2", "3102", "10.231.42.7", 5062, "solo");
        ceiling("st2", "3101");
        ceiling("st2", "3102");
        TestData.await("both phones in site solo", WAIT, () -> viewer().get("/api/v1/sites/st2/solo").statusCode()
                == 200 && viewer().get("/api/v1/sites/st2/solo").jsonPath().getList("endpoints").size() == 2);
        try (KafkaTestClient.Reader decisions = kafka.reader(Topics.CODEC_DECISIONS);
                KafkaTestClient.Reader limits = kafka.reader(Topics.SITE_LIMITS)) {
            // Only 3101 is measured (probe-service measures one phone per site): 200 kbit/s both ways.
            Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            for (Direction direction : List.of(Direction.DOWNLINK, Direction.UPLINK)) {
                ProbeResult r = TestData.ok("st2", "3101", direction, 200_000, t);
                kafka.send(Topics.PROBE_RESULTS, r.key(), EventJson.toJson(r));
            }
            // K = 1: 200 × 0.8 = 160 kbit/s for one call; G.711 needs 87.2 ÷ 0.8 = 109.0 kbit/s ≤ 200 → tier 109.0k.
            for (String e : List.of("3101", "3102")) {
                CodecDecision d = decision(decisions.await(1, r -> r.key().equals("st2/" + e)
                        && decision(r).site() != null, WAIT).get(0));
                assertEquals(List.of("ulaw", "alaw", "gsm"), d.codecs(), e);
                assertEquals("109.0k", d.tier(), e);
                assertEquals("solo", d.site(), e);
            }
            // floor(160,000 ÷ 87,200) = 1 G.711 call (2 × 87.2 = 174.4 > 160).
            SiteLimit l = limit(limits.await(1, r -> r.key().equals("st2/solo") && limit(r).maxCalls() == 1, WAIT)
                    .get(0));
            assertEquals(new SiteLimit(1, "st2", "solo", List.of("3101", "3102"), "109.0k", "ulaw", 87_200, 160_000, 1,
                    1, SiteLimit.ConcurrentSource.CONFIGURED, l.decidedAt()), l);
        }
        viewer().get("/api/v1/sites/st2/solo").then().statusCode(200)
                .body("capacity.declaredBps", nullValue()).body("capacity.measuredBps", equalTo(200_000))
                .body("capacity.measuredBy", equalTo("3101"));
    }

    private CallQuality call(String pbx, String endpoint, Instant end, Duration length) {
        long n = NEXT_CALL.getAndIncrement();
        String uniqueId = n + ".0";
        return new CallQuality(1, CallQuality.Kind.SUMMARY, pbx, endpoint, uniqueId, uniqueId,
                "PJSIP/" + endpoint + "-0000000" + (n % 10), 7, "gsm", null,
                new CallQuality.Summary(length.toMillis(), CallQuality.MediaPath.RTCP, 6, 6000L, 0.1, 0.1, 0.1, 2.0,
                        3.0, 20.0, null, 16), end);
    }

    @Test
    void concurrentCallsAreLearnedFromTheSitesCalls() {
        // Two phones behind one NAT router (discovery named the site after the address), nothing configured.
        observed("st3", "3201", "10.231.41.7", 5060, "nat-10-231-41-7");
        observed("st3", "3202", "10.231.41.7", 5072, "nat-10-231-41-7");
        TestData.await("site nat-10-231-41-7 has two phones", WAIT, () -> viewer()
                .get("/api/v1/sites/st3/nat-10-231-41-7").statusCode() == 200 && viewer()
                        .get("/api/v1/sites/st3/nat-10-231-41-7").jsonPath().getList("endpoints").size() == 2);
        viewer().get("/api/v1/sites/st3/nat-10-231-41-7").then().body("concurrentCalls.source", equalTo("DEFAULT"))
                .body("concurrentCalls.used", equalTo(1)).body("concurrentCalls.learned", nullValue());

        // Busiest hour h (three hours ago): 3201 calls h+5m..h+50m, 3202 h+10m..h+55m. The hour holds 0 calls for
        // 10 min, 1 for 10 min, 2 for 40 min: 95 % of 60 min = 57 min is only reached at 2 → K = 2.
        // A lone 20-minute call of 3201 two hours before is in a quieter hour.
        Instant h = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
        for (CallQuality q : List.of(call("st3", "3201", h.plus(Duration.ofMinutes(50)), Duration.ofMinutes(45)),
                call("st3", "3202", h.plus(Duration.ofMinutes(55)), Duration.ofMinutes(45)),
                call("st3", "3201", h.minus(Duration.ofMinutes(100)), Duration.ofMinutes(20)))) {
            kafka.send(Topics.CALL_QUALITY, q.key(), EventJson.toJson(q));
        }
        TestData.await("K learned and in use", WAIT, () -> "LEARNED".equals(viewer()
                .get("/api/v1/sites/st3/nat-10-231-41-7").jsonPath().getString("concurrentCalls.source")));
        viewer().get("/api/v1/sites/st3/nat-10-231-41-7").then().statusCode(200)
                .body("configured", equalTo(false))
                .body("concurrentCalls.learned", equalTo(2)).body("concurrentCalls.peak", equalTo(2))
                .body("concurrentCalls.calls", equalTo(3)).body("concurrentCalls.busiestHour", equalTo(h.toString()))
                .body("concurrentCalls.configured", nullValue()).body("concurrentCalls.used", equalTo(2))
                .body("concurrentCalls.window", equalTo("PT168H"));
    }

    @Test
    void badRequestsAndUnknownSitesAreProblems() {
        viewer().get("/api/v1/sites/st1/no-such-site").then().statusCode(404)
                .body("detail", equalTo("no endpoint of PBX st1 is in site no-such-site"));
        viewer().get("/api/v1/sites/st1/a,b").then().statusCode(400)
                .body("detail", containsString("site: must match [A-Za-z0-9][A-Za-z0-9_-]{0,63}"));
        given().get("/api/v1/sites").then().statusCode(401);
    }

    @Test
    void anInvalidEndpointMessageGoesToTheDeadLetterTopic() {
        try (KafkaTestClient.Reader dead = kafka.reader(Topics.DEAD_LETTER)) {
            kafka.send(Topics.ENDPOINTS, "st4/x", "{\"type\":\"EndpointObserved\",\"schema\":1,\"site\":\"a b\"}");
            dead.await(1, r -> "st4/x".equals(r.key()), WAIT);
        }
    }
}
