package io.vbo.probe;

import static io.restassured.RestAssured.given;
import static io.vbo.probe.LabEvents.observed;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vbo.events.ContactStatus;
import io.vbo.events.EndpointObserved;
import io.vbo.events.EventJson;
import io.vbo.events.ProbeResult;
import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.events.Topics;
import io.vbo.testkit.KafkaBrokerResource;
import io.vbo.testkit.KafkaTestClient;
import io.vbo.lab.netns.NetnsLab;
import io.vbo.lab.netns.Phone;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole service on a real Kafka broker, probing phones in network namespaces with the real iperf3. Each test
 * uses its own PBX id (see %test.vbo.probe.pbx-ids), so no test waits for another's probes.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class ProbeServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static NetnsLab lab;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private KafkaTestClient kafka;
    private KafkaTestClient.Reader results;

    @BeforeAll
    static void phones() {
        lab = NetnsLab.open();
        for (int i = 0; i < 7; i++) {
            lab.addPhone(2_000_000, 1_000_000);
        }
        // phone8: slow both ways, so a probe of it runs long enough to be caught mid-run.
        lab.addPhone(200_000, 200_000);
    }

    @AfterAll
    static void removeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @BeforeEach
    void clients() {
        kafka = new KafkaTestClient(bootstrap);
        results = kafka.reader(Topics.PROBE_RESULTS);
    }

    @AfterEach
    void closeClients() {
        results.close();
        kafka.close();
    }

    @Test
    void anObservedEndpointIsProbedBothWaysAndEveryResultIsPublished() {
        Phone phone = lab.phone("phone1");
        publish(observed("site-a", "1001", phone, ContactStatus.REACHABLE, 0));

        List<ProbeResult> got = await("site-a", "1001", 2, r -> r.outcome() == Outcome.OK);
        assertEquals(Set.of(Direction.DOWNLINK, Direction.UPLINK), Set.of(got.get(0).direction(), got.get(1).direction()));
        for (ProbeResult r : got) {
            assertEquals(phone.address(), r.address());
            assertEquals(1500L, r.rttMicros(), "the observation's RTT travels with the result");
            long truth = r.direction() == Direction.DOWNLINK ? 2_000_000 : 1_000_000;
            assertTrue(Math.abs(r.bitsPerSecond() - truth) < 0.15 * truth, r.toString());
            assertTrue(r.durationMs() >= 3000, "a 3 s test: " + r.durationMs());
        }
        assertFalse(got.get(0).probeId().equals(got.get(1).probeId()));

        admin().when().post("/probes/endpoints/site-a/1001").then().statusCode(202);
        List<ProbeResult> again = await("site-a", "1001", 4, r -> r.outcome() == Outcome.OK);
        assertEquals(4, again.stream().map(ProbeResult::probeId).distinct().count(), "a new probeId per attempt");

        given().when().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("vbo_probe_runs_total{direction=\"UPLINK\",outcome=\"OK\",pbx=\"site-a\"}"))
                .body(org.hamcrest.Matchers.containsString("vbo_probe_rate_bps{direction=\"DOWNLINK\",endpoint=\"1001\",pbx=\"site-a\"}"));
    }

    @Test
    void garbageGoesToTheDeadLetterTopicAndConsumingContinues() {
        try (KafkaTestClient.Reader dead = kafka.reader(Topics.DEAD_LETTER)) {
            String marker = UUID.randomUUID().toString();
            kafka.send(Topics.ENDPOINTS, "site-b/x", "not json " + marker);
            String injected = EventJson.toJson(observed("site-b", "1002", lab.phone("phone2"), ContactStatus.REACHABLE, 0))
                    .replace(lab.phone("phone2").address(), "-R");
            kafka.send(Topics.ENDPOINTS, "site-b/1002", injected);
            publish(observed("site-b", "1003", lab.phone("phone2"), ContactStatus.REACHABLE, 0));

            ConsumerRecord<String, String> garbage = dead.await(1, r -> r.value().contains(marker), WAIT).get(0);
            assertTrue(KafkaTestClient.header(garbage, "dead-letter-reason").contains("not valid JSON"),
                    KafkaTestClient.header(garbage, "dead-letter-reason"));
            ConsumerRecord<String, String> option = dead.await(1, r -> "site-b/1002".equals(r.key()), WAIT).get(0);
            assertTrue(KafkaTestClient.header(option, "dead-letter-reason").contains("address"),
                    KafkaTestClient.header(option, "dead-letter-reason"));
            assertEquals(Topics.ENDPOINTS, KafkaTestClient.header(option, "dead-letter-topic"));
        }
        assertEquals(2, await("site-b", "1003", 2, r -> r.outcome() == Outcome.OK).size());
        assertTrue(results.drain(Duration.ofSeconds(5)).stream().noneMatch(r -> "site-b/1002".equals(r.key())));
    }

    @Test
    void aBusyServerGivesServerBusyThenTheRetrySucceeds() throws Exception {
        Phone phone = lab.phone("phone3");
        // Another client holds the phone's server for 4 s, as a second probe-service or a person might.
        Process other = new ProcessBuilder("iperf3", "-c", phone.address(), "-p", Integer.toString(phone.iperfPort()),
                "-t", "4", "--json").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            awaitBusy(phone);
            publish(observed("site-busy", "2001", phone, ContactStatus.REACHABLE, 0));
            List<ProbeResult> busy = await("site-busy", "2001", 1, r -> r.outcome() == Outcome.SERVER_BUSY);
            assertEquals("the server is busy running a test. try again later", busy.get(0).error());
            ProbeResult ok = await("site-busy", "2001", 1,
                    r -> r.outcome() == Outcome.OK && r.direction() == Direction.DOWNLINK).get(0);
            assertTrue(ok.startedAt().isAfter(busy.get(0).startedAt()));
        } finally {
            other.destroy();
        }
    }

    @Test
    void anEndpointInACallIsDeferredAndProbedAfterTheCall() {
        Phone phone = lab.phone("phone4");
        publish(observed("site-call", "3001", phone, ContactStatus.REACHABLE, 1));
        ProbeResult deferred = await("site-call", "3001", 1, r -> true).get(0);
        assertEquals(Outcome.DEFERRED_ACTIVE_CALL, deferred.outcome());
        assertEquals(0, deferred.durationMs());

        Instant callEnded = Instant.now();
        publish(observed("site-call", "3001", phone, ContactStatus.REACHABLE, 0));
        List<ProbeResult> probes = await("site-call", "3001", 2, r -> r.outcome() == Outcome.OK);
        assertTrue(probes.stream().allMatch(r -> !r.startedAt().isBefore(callEnded)),
                "nothing may be sent while the call lasts: " + probes);
        List<ProbeResult> all = await("site-call", "3001", 3, r -> true);
        assertEquals(1, all.stream().filter(r -> r.outcome() == Outcome.DEFERRED_ACTIVE_CALL).count(),
                "one deferral notice per call, not one per tick");
    }

    @Test
    void aCallStartingOnADuePhoneKeepsItsProbeFromStarting() {
        Phone busyLink = lab.phone("phone7");
        Phone waiting = lab.phone("phone1");
        // 6001 takes the PBX's only slot, so 6002 is due but waiting when its call starts.
        publish(observed("site-due", "6001", busyLink, ContactStatus.REACHABLE, 0));
        LabEvents.awaitClient(busyLink, WAIT);
        publish(observed("site-due", "6002", waiting, ContactStatus.REACHABLE, 0));
        publish(observed("site-due", "6002", waiting, ContactStatus.REACHABLE, 1));

        ProbeResult deferred = await("site-due", "6002", 1, r -> true).get(0);
        assertEquals(Outcome.DEFERRED_ACTIVE_CALL, deferred.outcome());
        assertEquals("1 active call(s)", deferred.error());
        assertEquals(0, deferred.durationMs());
        // 6001's TCP probe fills the uplink the call now crosses (site-due's): the call stops it too, and it cannot
        // start again while the call lasts. The slot is free, yet 6002 still must not start during its call.
        ProbeResult stopped = await("site-due", "6001", 1, r -> true).get(0);
        assertEquals(Outcome.DEFERRED_ACTIVE_CALL, stopped.outcome(), stopped.toString());
        assertEquals("stopped: live calls on uplink site-due take 68800 of its 1000000 bit/s budget", stopped.error());
        List<String> during = results.drain(Duration.ofSeconds(4)).stream().filter(r -> r.key().equals("site-due/6002"))
                .map(r -> EventJson.fromJson(r.value(), ProbeResult.class).outcome().name()).toList();
        assertEquals(List.of("DEFERRED_ACTIVE_CALL"), during);
        assertTrue(LabEvents.client(waiting).isEmpty(), "no iperf3 may run against a phone in a call");
        assertTrue(LabEvents.client(busyLink).isEmpty(), "no TCP probe may fill an uplink a call crosses");

        Instant callEnded = Instant.now();
        publish(observed("site-due", "6002", waiting, ContactStatus.REACHABLE, 0));
        List<ProbeResult> after = await("site-due", "6002", 2, r -> r.outcome() == Outcome.OK);
        assertTrue(after.stream().allMatch(r -> !r.startedAt().isBefore(callEnded)), after.toString());
    }

    @Test
    void aCallStartingDuringAProbeStopsItAndNothingHalfMeasuredIsPublished() throws Exception {
        Phone slow = lab.phone("phone8");
        publish(observed("site-stop", "6101", slow, ContactStatus.REACHABLE, 0));
        ProcessHandle iperf3 = LabEvents.awaitClient(slow, WAIT);
        Instant callStarted = Instant.now();
        publish(observed("site-stop", "6101", slow, ContactStatus.REACHABLE, 1));

        iperf3.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        ProbeResult stopped = await("site-stop", "6101", 1, r -> true).get(0);
        assertEquals(Outcome.DEFERRED_ACTIVE_CALL, stopped.outcome(), stopped.toString());
        assertEquals("stopped: 1 active call(s)", stopped.error());
        assertEquals(Direction.DOWNLINK, stopped.direction());
        assertNull(stopped.bitsPerSecond());
        assertTrue(stopped.startedAt().isBefore(callStarted), "the result is the run that was stopped: " + stopped);
        assertTrue(stopped.durationMs() < 3000, "a 3 s test, stopped before its end: " + stopped.durationMs());

        List<String> during = results.drain(Duration.ofSeconds(4)).stream().filter(r -> r.key().equals("site-stop/6101"))
                .map(r -> EventJson.fromJson(r.value(), ProbeResult.class).outcome().name()).toList();
        assertEquals(List.of("DEFERRED_ACTIVE_CALL"), during, "one result for the stopped run, no OK, no uplink run");
        assertTrue(LabEvents.client(slow).isEmpty(), "nothing runs against the phone during its call");

        // The stopped client told the phone's server the test is over: the next probe is not refused as busy.
        publish(observed("site-stop", "6101", slow, ContactStatus.REACHABLE, 0));
        await("site-stop", "6101", 2, r -> r.outcome() == Outcome.OK);
        assertTrue(results.drain(Duration.ZERO).stream().filter(r -> r.key().equals("site-stop/6101"))
                .noneMatch(r -> r.value().contains("SERVER_BUSY")));
    }

    @Test
    void oneProbeAtATimePerPbxAndNeverAnUnreachableContact() {
        // Sent first: if unreachable contacts were probed, this one would start before the others.
        publish(observed("site-serial", "4000", lab.phone("phone6"), ContactStatus.UNREACHABLE, 0));
        publish(observed("site-serial", "4001", lab.phone("phone5"), ContactStatus.REACHABLE, 0));
        publish(observed("site-serial", "4002", lab.phone("phone6"), ContactStatus.REACHABLE, 0));
        publish(observed("site-elsewhere", "9001", lab.phone("phone6"), ContactStatus.REACHABLE, 0));

        List<ProbeResult> a = await("site-serial", "4001", 2, r -> r.outcome() == Outcome.OK);
        List<ProbeResult> b = await("site-serial", "4002", 2, r -> r.outcome() == Outcome.OK);
        for (ProbeResult x : a) {
            for (ProbeResult y : b) {
                Instant xEnd = x.startedAt().plusMillis(x.durationMs());
                Instant yEnd = y.startedAt().plusMillis(y.durationMs());
                assertTrue(!xEnd.isAfter(y.startedAt()) || !yEnd.isAfter(x.startedAt()),
                        "two probes overlapped on one PBX: " + x + " and " + y);
            }
        }
        assertTrue(results.drain(Duration.ofSeconds(5)).stream().noneMatch(r -> r.key().equals("site-serial/4000")));

        viewer().when().get("/probes/endpoints").then().statusCode(200)
                .body("findAll { it.pbxId == 'site-serial' }.size()", equalTo(3))
                .body("findAll { it.pbxId == 'site-elsewhere' }.size()", equalTo(0))
                .body("find { it.endpoint == '4000' }.lastProbedAt", equalTo(null));
    }

    @Test
    void readinessShowsIperf3AndKafka() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'iperf3' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'iperf3' }.data.version", org.hamcrest.Matchers.startsWith("iperf 3."))
                .body("checks.find { it.name.contains('Reactive Messaging') }.status", equalTo("UP"))
                .body("checks.find { it.name.contains('Reactive Messaging') }.data.endpoints", equalTo("[OK]"))
                .body("checks.find { it.name.contains('Reactive Messaging') }.data.'probe-results'", equalTo("[OK]"));
    }

    @Test
    void theOpenApiDocumentsEveryStatusAndTheProblemBodies() {
        String problem = "#/components/schemas/Problem";
        var api = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        String list = "paths.'/probes/endpoints'.get.responses";
        String probe = "paths.'/probes/endpoints/{pbxId}/{endpoint}'.post.responses";
        assertEquals(Set.of("200", "401", "403", "414", "500"), api.getMap(list).keySet());
        assertEquals(Set.of("202", "400", "401", "403", "404", "413", "414", "500"), api.getMap(probe).keySet());
        for (String status : List.of("414", "500")) {
            assertEquals(problem, api.getString(list + ".'" + status + "'.content.'application/problem+json'.schema.$ref"));
        }
        for (String status : List.of("400", "404", "413", "414", "500")) {
            assertEquals(problem, api.getString(probe + ".'" + status + "'.content.'application/problem+json'.schema.$ref"),
                    status);
        }
        assertNull(api.get(probe + ".'401'.content"), "401 is the security layer's bare challenge");
        assertEquals(Set.of("type", "title", "status", "detail"),
                api.getMap("components.schemas.Problem.properties").keySet());

        // What the document promises is what the service answers.
        given().get("/probes/endpoints").then().statusCode(401)
                .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("basic")).body(equalTo(""));
        viewer().post("/probes/endpoints/site-c/7777").then().statusCode(403).body(equalTo(""));
    }

    @Test
    void anOperatorCanAskForAProbeOfAKnownEndpointOnly() {
        admin().when().post("/probes/endpoints/site-c/7777").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:vbo:problem:not-found"))
                .body("detail", equalTo("no endpoint site-c/7777 is scheduled here"));
        admin().when().post("/probes/endpoints/site-c/bad;name").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("pbxId or endpoint is not a valid name"));
    }

    @Test
    void errorsOutsideTheResourcesAreProblemBodiesToo() {
        viewer().when().get("/probes/" + "x".repeat(5_000)).then().statusCode(414)
                .contentType("application/problem+json").body("status", equalTo(414));
        viewer().when().get("/probes/nothing-here").then().statusCode(404)
                .contentType("application/problem+json").body("type", equalTo("urn:vbo:problem:not-found"));
        admin().contentType("application/json").body("{" + "\"a\":\"" + "x".repeat(11 * 1024 * 1024) + "\"}")
                .when().post("/probes/endpoints/site-c/7001").then().statusCode(413)
                .contentType("application/problem+json").body("status", equalTo(413));
    }

    @Test
    void onlyAnAdminStartsAProbeAndOnlyAUserSeesTheSchedule() {
        publish(observed("site-c", "7001", lab.phone("phone5"), ContactStatus.UNREACHABLE, 0));
        org.awaitility.Awaitility.await().atMost(WAIT).untilAsserted(() -> viewer().get("/probes/endpoints").then()
                .statusCode(200).body("findAll { it.pbxId == 'site-c' }.endpoint", equalTo(List.of("7001"))));

        given().when().get("/probes/endpoints").then().statusCode(401);
        given().auth().preemptive().basic("viewer", "wrong").get("/probes/endpoints").then().statusCode(401);
        given().when().post("/probes/endpoints/site-c/7001").then().statusCode(401);
        viewer().when().post("/probes/endpoints/site-c/7001").then().statusCode(403);
        admin().when().post("/probes/endpoints/site-c/7001").then().statusCode(202)
                .body("status", equalTo("due"));
        given().when().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void refusedTargetsArePublishedAsRefusalsAndNeverProbed() {
        List<String> refused = List.of("127.0.0.1", "0.0.0.0", "::ffff:127.0.0.1", "169.254.1.1", "224.0.0.1",
                "255.255.255.255");
        for (int i = 0; i < refused.size(); i++) {
            publish(observed("site-refuse", "50" + i, refused.get(i), ContactStatus.REACHABLE, 0));
        }
        // Inside 10.231/16 (so the probe service would send to a lab phone), outside the site's allow-list.
        publish(observed("site-fence", "5100", lab.phone("phone5"), ContactStatus.REACHABLE, 0));

        for (int i = 0; i < refused.size(); i++) {
            ProbeResult r = await("site-refuse", "50" + i, 1, x -> true).get(0);
            assertEquals(Outcome.REFUSED_TARGET, r.outcome(), r.toString());
            assertEquals(refused.get(i), r.address());
            assertTrue(r.error().startsWith("refused target: " + refused.get(i) + " is a"), r.error());
            assertEquals(0, r.durationMs());
        }
        ProbeResult fenced = await("site-fence", "5100", 1, x -> true).get(0);
        assertEquals("refused target: " + lab.phone("phone5").address()
                + " is outside vbo.probe.pbx.\"site-fence\".allowed-targets [192.0.2.0/24]", fenced.error());

        // Observed again: no second refusal, and nothing else (an iperf3 run would publish a result within seconds).
        publish(observed("site-refuse", "500", "127.0.0.1", ContactStatus.REACHABLE, 0));
        List<String> all = results.drain(Duration.ofSeconds(8)).stream()
                .filter(r -> r.key().startsWith("site-refuse/") || r.key().startsWith("site-fence/"))
                .map(r -> r.key() + " " + r.value()).toList();
        assertEquals(7, all.size(), "one refusal per endpoint and nothing else: " + all);
        viewer().get("/probes/endpoints").then().statusCode(200)
                .body("findAll { it.pbxId == 'site-refuse' || it.pbxId == 'site-fence' }.size()", equalTo(0));
    }

    private static io.restassured.specification.RequestSpecification viewer() {
        return given().auth().preemptive().basic("viewer", "viewer");
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "admin");
    }

    private void publish(EndpointObserved event) {
        kafka.send(Topics.ENDPOINTS, event.key(), EventJson.toJson(event));
    }

    private List<ProbeResult> await(String pbx, String endpoint, int count, java.util.function.Predicate<ProbeResult> filter) {
        return results.await(count, r -> r.key().equals(pbx + "/" + endpoint)
                && filter.test(EventJson.fromJson(r.value(), ProbeResult.class)), WAIT).stream()
                .map(r -> EventJson.fromJson(r.value(), ProbeResult.class)).toList();
    }

    /** Waits until the phone's server refuses a second client. */
    private static void awaitBusy(Phone phone) {
        org.awaitility.Awaitility.await("the other client makes the server busy").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    Process probe = new ProcessBuilder("iperf3", "-c", phone.address(), "-p",
                            Integer.toString(phone.iperfPort()), "-t", "1", "--json", "--connect-timeout", "1000")
                            .redirectErrorStream(true).start();
                    String out = new String(probe.getInputStream().readAllBytes());
                    probe.waitFor();
                    return out.contains("server is busy");
                });
    }

}
