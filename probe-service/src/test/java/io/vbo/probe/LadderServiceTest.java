package io.vbo.probe;

import static io.vbo.probe.LabEvents.observed;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vbo.events.ContactStatus;
import io.vbo.events.EventJson;
import io.vbo.events.ProbeResult;
import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.events.ProbeResult.Protocol;
import io.vbo.events.SiteLimit;
import io.vbo.events.Topics;
import io.vbo.lab.netns.NetnsLab;
import io.vbo.lab.netns.Phone;
import io.vbo.lab.netns.Site;
import io.vbo.testkit.KafkaBrokerResource;
import io.vbo.testkit.KafkaTestClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The default profile through the whole service (real Kafka, real iperf3 against a netns phone): one LADDER result
 * per direction carrying every step, with K read from the policy's own key.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@TestProfile(LadderServiceTest.Ladder.class)
class LadderServiceTest {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    /** The ladder with 1 s steps and confirmation, and K = 2 set only where the policy reads it. */
    public static class Ladder implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("vbo.probe.profiles", "ladder", "vbo.probe.ladder.step-seconds", "1",
                    "vbo.probe.ladder.confirm-seconds", "1",
                    "vbo.probe.pbx-ids", "site-ladder", "vbo.policy.expected-concurrent-calls", "2");
        }
    }

    @Test
    void eachDirectionIsOneLadderResultWithEveryStepAtTheSharedK() {
        try (NetnsLab lab = NetnsLab.open(); KafkaTestClient kafka = new KafkaTestClient(bootstrap);
                KafkaTestClient.Reader results = kafka.reader(Topics.PROBE_RESULTS)) {
            Phone phone = lab.addPhone(2_000_000, 1_000_000);
            ProbeResultsTopic topic = new ProbeResultsTopic(results);
            kafka.send(Topics.ENDPOINTS, "site-ladder/1001", EventJson.toJson(observed("site-ladder", "1001", phone,
                    ContactStatus.REACHABLE, 0)));
            List<ProbeResult> got = topic.await(2);
            assertEquals(Set.of(Direction.DOWNLINK, Direction.UPLINK), Set.of(got.get(0).direction(),
                    got.get(1).direction()));
            for (ProbeResult r : got) {
                assertEquals(Outcome.OK, r.outcome(), r.toString());
                assertEquals(Protocol.LADDER, r.protocol());
                assertEquals(2, r.ladder().calls());
                assertTrue(r.ladder().steps().stream().allMatch(s -> s.seconds() == 1), r.toString());
            }
            ProbeResult down = got.stream().filter(r -> r.direction() == Direction.DOWNLINK).findFirst().orElseThrow();
            // 2 Mbit/s carries every rung at K = 2; the last run confirms G.711: 2 × (172 + 28) × 8 × 50.
            assertEquals(List.of("ilbc", "g729", "gsm", "g726", "opus", "alaw/g722/ulaw", "alaw/g722/ulaw"),
                    down.ladder().steps().stream().map(s -> String.join("/", s.codecs())).toList());
            assertEquals(160_000L, down.ladder().passedBps());
            assertEquals(160_000L, down.bitsPerSecond());
            assertTrue(down.ladder().steps().stream().allMatch(ProbeResult.Step::passed), down.toString());
        }
    }

    @Test
    void anAdminAsksForOneTcpProbeOnALadderFleetAndTheNextProbeIsALadderAgain() {
        try (NetnsLab lab = NetnsLab.open(); KafkaTestClient kafka = new KafkaTestClient(bootstrap);
                KafkaTestClient.Reader results = kafka.reader(Topics.PROBE_RESULTS)) {
            Phone phone = lab.addPhone(2_000_000, 1_000_000);
            ProbeResultsTopic topic = new ProbeResultsTopic(results, "site-ladder/1002");
            kafka.send(Topics.ENDPOINTS, "site-ladder/1002", EventJson.toJson(observed("site-ladder", "1002", phone,
                    ContactStatus.REACHABLE, 0)));
            admin().queryParam("profiles", "tcp,bogus").post("/probes/endpoints/site-ladder/1002").then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("detail", equalTo("unknown profile 'bogus': ladder, tcp or voice"));
            // Asked while the first ladder runs (it starts as the endpoint is scheduled): TCP comes after it, once.
            org.awaitility.Awaitility.await("site-ladder/1002 scheduled").atMost(Duration.ofSeconds(30))
                    .until(() -> admin().queryParam("profiles", "TCP").post("/probes/endpoints/site-ladder/1002")
                            .statusCode() == 202);
            admin().queryParam("profiles", "tcp").post("/probes/endpoints/site-ladder/1002").then().statusCode(202)
                    .body("profiles", equalTo(List.of("tcp")));
            List<ProbeResult> first = topic.await(4);
            assertEquals(List.of(Protocol.LADDER, Protocol.LADDER, Protocol.TCP, Protocol.TCP),
                    first.stream().map(ProbeResult::protocol).toList(), first.toString());
            assertTrue(first.stream().allMatch(r -> r.outcome() == Outcome.OK), first.toString());
            // TCP measures capacity: far more than the ladder's top step, the link's 2 Mbit/s down.
            assertTrue(first.get(2).bitsPerSecond() > 1_000_000, first.get(2).toString());

            admin().post("/probes/endpoints/site-ladder/1002").then().statusCode(202)
                    .body("profiles", equalTo(List.of()));
            List<ProbeResult> again = topic.await(6).subList(4, 6);
            assertEquals(List.of(Protocol.LADDER, Protocol.LADDER), again.stream().map(ProbeResult::protocol).toList(),
                    "without profiles the configured ladder runs: " + again);
        }
    }

    @Test
    void aSiteIsProbedForTheCallsItsLimitNamesAndAnInvalidLimitIsDeadLettered() {
        try (NetnsLab lab = NetnsLab.open(); KafkaTestClient kafka = new KafkaTestClient(bootstrap);
                KafkaTestClient.Reader results = kafka.reader(Topics.PROBE_RESULTS);
                KafkaTestClient.Reader dead = kafka.reader(Topics.DEAD_LETTER)) {
            Site site = lab.addSite(2_000_000, 2_000_000, 2);
            // Policy learned that the site carries three calls at once.
            SiteLimit limit = new SiteLimit(SiteLimit.SCHEMA, "site-ladder", "branch", List.of("1101", "1102"), "64.0k",
                    "g726", 68_800, 1_600_000, 23, 3, SiteLimit.ConcurrentSource.LEARNED, Instant.now());
            kafka.send(Topics.SITE_LIMITS, limit.key(), EventJson.toJson(limit));
            // Same key, so same partition, after it: once this reaches the dead letter, the limit above was read.
            String marker = UUID.randomUUID().toString();
            kafka.send(Topics.SITE_LIMITS, limit.key(), "{\"schema\":1,\"pbxId\":\"site-ladder\",\"site\":\"br;anch\","
                    + "\"x\":\"" + marker + "\"}");
            ConsumerRecord<String, String> garbage = dead.await(1, r -> r.value().contains(marker),
                    Duration.ofSeconds(60)).get(0);
            assertEquals(Topics.SITE_LIMITS, KafkaTestClient.header(garbage, "dead-letter-topic"));

            for (int i = 0; i < 2; i++) {
                kafka.send(Topics.ENDPOINTS, "site-ladder/110" + (i + 1), EventJson.toJson(observed("site-ladder",
                        "110" + (i + 1), site.phones().get(i).address(), ContactStatus.REACHABLE, 0, "branch")));
            }
            // Through whichever phone was known first when the site fell due (the two travel on different partitions).
            List<ProbeResult> got = results.await(2, r -> r.key().startsWith("site-ladder/110"), Duration.ofSeconds(120))
                    .stream().map(r -> EventJson.fromJson(r.value(), ProbeResult.class)).toList();
            for (ProbeResult r : got) {
                assertEquals("branch", r.site());
                assertEquals(Outcome.OK, r.outcome(), r.toString());
                assertEquals(3, r.ladder().calls(), "the site's K, not the policy's 2: " + r);
                // 2 Mbit/s carries G.711 for three calls: 3 × (172 + 28) × 8 × 50.
                assertEquals(240_000L, r.ladder().passedBps(), r.toString());
            }
        }
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "admin");
    }

    /** The results of one endpoint, read with a deadline. */
    private record ProbeResultsTopic(KafkaTestClient.Reader reader, String key) {
        ProbeResultsTopic(KafkaTestClient.Reader reader) {
            this(reader, "site-ladder/1001");
        }

        List<ProbeResult> await(int count) {
            return reader.await(count, r -> r.key().equals(key), Duration.ofSeconds(120)).stream()
                    .map(r -> EventJson.fromJson(r.value(), ProbeResult.class)).toList();
        }
    }
}
