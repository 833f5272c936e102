package io.vbo.probe;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vbo.events.CallQuality;
import io.vbo.events.ContactStatus;
import io.vbo.events.EndpointObserved;
import io.vbo.events.EventJson;
import io.vbo.events.ProbeResult;
import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.events.Topics;
import io.vbo.lab.netns.NetnsLab;
import io.vbo.lab.netns.Phone;
import io.vbo.lab.netns.Site;
import io.vbo.testkit.KafkaBrokerResource;
import io.vbo.testkit.KafkaTestClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Budgets, sites and event-driven re-probes on a real broker with the real iperf3, voice profile (UDP at one G.711
 * call's 68,800 bit/s, 3 s each way, 1 s apart). The lab (phones on links of their own, and two sites behind shaped
 * uplinks) is made before the service starts, so a site's probe host can be configured.
 */
@QuarkusTest
@TestProfile(BudgetAndSitesTest.Voice.class)
@QuarkusTestResource(KafkaBrokerResource.class)
class BudgetAndSitesTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    /**
     * The voice profile; PBX {@code budget-10} fits five voice probes at once (5 × 68,800 bit/s), PBX {@code live}
     * three.
     */
    public static class Voice implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("vbo.probe.profiles", "voice", "vbo.probe.max-parallel", "16",
                    "vbo.probe.pbx-ids", "budget-10,rtt,calls,sites,sites-hq,fence,cycle-50,live",
                    "vbo.probe.pbx.\"budget-10\".budget", "344000", "vbo.probe.pbx.\"live\".budget", "206400",
                    "vbo.probe.reprobe.min-gap", "3S", "vbo.probe.reprobe.rtt-quiet-after-probe", "1S",
                    // Never sent to: the allow-list refuses the fenced site's probe host.
                    "vbo.probe.pbx.\"fence\".allowed-targets", "10.231.0.0/16",
                    "vbo.probe.sites.\"fenced\".probe-host", "192.0.2.10");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Lab.class));
        }
    }

    /** Fifteen phones on links of their own, site "branch" (3 phones, 48 kbit/s up) and "hq" (3 phones + probe host). */
    public static class Lab implements QuarkusTestResourceLifecycleManager {
        static NetnsLab lab;
        static List<Phone> own;
        static Site branch;
        static Site hq;

        @Override
        public Map<String, String> start() {
            lab = NetnsLab.open();
            own = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                own.add(lab.addPhone(2_000_000, 2_000_000));
            }
            branch = lab.addSite(2_000_000, 48_000, 3);
            hq = lab.addSite(2_000_000, 2_000_000, 4);
            return Map.of("vbo.probe.sites.\"hq\".probe-host", hq.phones().get(3).address());
        }

        @Override
        public void stop() {
            lab.close();
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private KafkaTestClient kafka;
    private KafkaTestClient.Reader results;

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
    void tenPhonesWithABudgetForFiveAreProbedFiveAtATimeInTwoRounds() {
        for (int i = 0; i < 10; i++) {
            publish(observed("budget-10", "10" + i, Lab.own.get(i).address(), 1_000L, null, 0));
        }
        List<ProbeResult> got = await(r -> r.pbxId().equals("budget-10") && r.outcome() == Outcome.OK, 20);
        Map<String, Instant[]> spans = new TreeMap<>();
        for (ProbeResult r : got) {
            Instant end = r.startedAt().plusMillis(r.durationMs());
            spans.merge(r.endpoint(), new Instant[] { r.startedAt(), end }, (a, b) -> new Instant[] {
                    a[0].isBefore(b[0]) ? a[0] : b[0], a[1].isAfter(b[1]) ? a[1] : b[1] });
        }
        assertEquals(10, spans.size(), spans.keySet().toString());
        int most = 0;
        for (Instant[] span : spans.values()) {
            Instant at = span[0];
            most = Math.max(most, (int) spans.values().stream()
                    .filter(s -> !s[0].isAfter(at) && s[1].isAfter(at)).count());
        }
        assertEquals(5, most, "in flight at once: the budget fits five, and five ran in parallel");
        // Rounds, counted without a clock: the longest chain of probes each starting after the one before ended.
        // Five slots and ten probes make two; three would mean a slot sat idle while a phone waited.
        List<Instant[]> byStart = spans.values().stream().sorted((a, b) -> a[0].compareTo(b[0])).toList();
        int[] chain = new int[byStart.size()];
        int rounds = 0;
        for (int i = 0; i < byStart.size(); i++) {
            chain[i] = 1;
            for (int j = 0; j < i; j++) {
                if (!byStart.get(j)[1].isAfter(byStart.get(i)[0])) {
                    chain[i] = Math.max(chain[i], chain[j] + 1);
                }
            }
            rounds = Math.max(rounds, chain[i]);
        }
        Instant first = byStart.get(0)[0];
        Instant last = spans.values().stream().map(s -> s[1]).max(Instant::compareTo).orElseThrow();
        System.out.printf("budget-10: 10 probes in %d ms, at most %d in flight, %d rounds%n",
                Duration.between(first, last).toMillis(), most, rounds);
        assertEquals(2, rounds, "10 probes, 5 at a time: two rounds");
    }

    @Test
    void aCallStartingOnThePbxStopsTheNewestProbeThatNoLongerFitsAndItRunsAgainWhenThereIsRoom() {
        for (int i = 0; i < 3; i++) {
            publish(observed("live", "800" + i, Lab.own.get(12 + i).address(), 1_000L, null, 0));
        }
        org.awaitility.Awaitility.await("three probes running on live").atMost(WAIT)
                .until(() -> admin().get("/probes/endpoints").jsonPath()
                        .getList("findAll { it.pbxId == 'live' && it.running }").size() == 3);
        // Two calls on another phone of the PBX count 2 × 68,800 on its budget: 206,400 + 137,600 is two calls'
        // worth above 206,400, and one call's worth is all a call starting may add. The newest probe stops.
        publish(observed("live", "8009", Lab.own.get(0).address(), 1_000L, null, 2));
        ProbeResult stopped = await(r -> r.pbxId().equals("live") && r.outcome() == Outcome.DEFERRED_ACTIVE_CALL
                && !r.endpoint().equals("8009"), 1).get(0);
        assertTrue(stopped.error().endsWith("live calls on uplink live take 137600 of its 206400 bit/s budget"),
                stopped.error());
        Instant stoppedAt = stopped.startedAt().plusMillis(stopped.durationMs());
        // The other two end their probes; the stopped one starts again only when both have (the calls leave 68,800).
        List<ProbeResult> done = await(r -> r.pbxId().equals("live") && r.outcome() == Outcome.OK
                && (!r.endpoint().equals(stopped.endpoint()) || r.startedAt().isAfter(stoppedAt)), 6);
        Instant othersEnded = done.stream().filter(r -> !r.endpoint().equals(stopped.endpoint()))
                .map(r -> r.startedAt().plusMillis(r.durationMs())).max(Instant::compareTo).orElseThrow();
        Instant again = done.stream().filter(r -> r.endpoint().equals(stopped.endpoint())).map(ProbeResult::startedAt)
                .min(Instant::compareTo).orElseThrow();
        assertEquals(2, done.stream().filter(r -> r.endpoint().equals(stopped.endpoint())).count(), done.toString());
        assertTrue(!again.isBefore(othersEnded), "run again at " + again + ", the others ended at " + othersEnded);
        assertEquals(1, results.drain(Duration.ofSeconds(2)).stream().map(r -> EventJson.fromJson(r.value(),
                ProbeResult.class)).filter(r -> r.pbxId().equals("live") && !r.endpoint().equals("8009")
                        && r.outcome() == Outcome.DEFERRED_ACTIVE_CALL).count(), "one probe stopped, not more");
    }

    @Test
    void aQualifyRttJumpStartsAProbe() throws Exception {
        Phone phone = Lab.own.get(10);
        publish(observed("rtt", "2001", phone.address(), 1_000L, null, 0));
        await(r -> r.key().equals("rtt/2001") && r.outcome() == Outcome.OK, 2);
        // Past the re-probe gap (3 s here) and the quiet time after a probe: the next RTTs are judged.
        Thread.sleep(3_500);
        publish(observed("rtt", "2001", phone.address(), 1_100L, null, 0));
        publish(observed("rtt", "2001", phone.address(), 900L, null, 0));
        long published = System.nanoTime();
        publish(observed("rtt", "2001", phone.address(), 450_000L, null, 0));
        LabEvents.awaitClient(phone, Duration.ofSeconds(10));
        System.out.printf("rtt: RTT jump published → iperf3 client running in %d ms%n",
                (System.nanoTime() - published) / 1_000_000);
        await(r -> r.key().equals("rtt/2001") && r.outcome() == Outcome.OK, 4);
    }

    @Test
    void aCallReportingLossStartsAProbeAfterTheCallAndGarbageIsDeadLettered() throws Exception {
        Phone phone = Lab.own.get(11);
        publish(observed("calls", "3001", phone.address(), 1_000L, null, 0));
        await(r -> r.key().equals("calls/3001") && r.outcome() == Outcome.OK, 2);
        Thread.sleep(3_500);
        try (KafkaTestClient.Reader dead = kafka.reader(Topics.DEAD_LETTER)) {
            String marker = UUID.randomUUID().toString();
            kafka.send(Topics.CALL_QUALITY, "calls/3001", "{\"schema\":1,\"kind\":\"SAMPLE\",\"x\":\"" + marker + "\"}");
            ConsumerRecord<String, String> garbage = dead.await(1, r -> r.value().contains(marker), WAIT).get(0);
            assertEquals(Topics.CALL_QUALITY, KafkaTestClient.header(garbage, "dead-letter-topic"));
        }
        // A clean report is no reason; 26/256 = 10.2 % loss in a call is.
        publish(quality("calls", "3001", 0, 2.0));
        assertEquals(2, results.drain(Duration.ofSeconds(3)).stream().filter(r -> r.key().equals("calls/3001"))
                .count(), "only the first probe's two results");
        publish(observed("calls", "3001", phone.address(), 1_000L, null, 1));
        publish(quality("calls", "3001", 26, 2.0));
        ProbeResult deferred = await(r -> r.key().equals("calls/3001") && r.outcome() == Outcome.DEFERRED_ACTIVE_CALL,
                1).get(0);
        assertEquals("1 active call(s)", deferred.error());
        assertEquals(3, results.drain(Duration.ofSeconds(2)).stream().filter(r -> r.key().equals("calls/3001"))
                .count(), "nothing sent during the call");
        Instant callEnded = Instant.now();
        publish(observed("calls", "3001", phone.address(), 1_000L, null, 0));
        List<ProbeResult> after = await(r -> r.key().equals("calls/3001") && r.outcome() == Outcome.OK
                && r.startedAt().isAfter(callEnded), 2);
        assertEquals(2, after.size());
    }

    @Test
    void aSiteIsMeasuredOnceThroughOneOfItsPhonesAndTheResultsNameTheSite() {
        List<Phone> phones = Lab.branch.phones();
        publish(observed("sites", "5001", phones.get(0).address(), 1_000L, "branch", 0));
        publish(observed("sites", "5002", phones.get(1).address(), 1_000L, "branch", 0));
        publish(observed("sites", "5003", phones.get(2).address(), 1_000L, "branch", 0));

        List<ProbeResult> got = await(r -> r.pbxId().equals("sites") && "branch".equals(r.site()), 2);
        // The three observations travel on different partitions: the site is probed through the first of its phones
        // known when it fell due (by name), whichever that was, and only through that one.
        String through = got.get(0).endpoint();
        Phone throughPhone = phones.get(List.of("5001", "5002", "5003").indexOf(through));
        for (ProbeResult r : got) {
            assertEquals(through, r.endpoint(), "probed through one phone of the site: " + got);
            assertEquals(throughPhone.address(), r.address());
            assertEquals(Outcome.OK, r.outcome(), r.toString());
        }
        ProbeResult down = got.stream().filter(r -> r.direction() == Direction.DOWNLINK).findFirst().orElseThrow();
        ProbeResult up = got.stream().filter(r -> r.direction() == Direction.UPLINK).findFirst().orElseThrow();
        assertTrue(down.lossPercent() < 1, "2 Mbit/s down carries one call: " + down);
        assertTrue(up.lossPercent() > 20, "68.8 kbit/s through the site's 48 kbit/s uplink: " + up);
        assertEquals(2, results.drain(Duration.ofSeconds(10)).stream().filter(r -> r.key().startsWith("sites/500"))
                .count(), "one measurement for the site (down and up), nothing per phone");
        admin().get("/probes/endpoints").then().statusCode(200)
                .body("findAll { it.site == 'branch' }.endpoint", org.hamcrest.Matchers.equalTo(
                        List.of("5001", "5002", "5003")))
                .body("findAll { it.site == 'branch' && it.lastOutcome == 'OK' }.size()",
                        org.hamcrest.Matchers.equalTo(3))
                .body("findAll { it.site == 'branch' }.probedThrough.unique().size()",
                        org.hamcrest.Matchers.equalTo(1));
    }

    @Test
    void aSitesProbeHostIsProbedInsteadOfItsPhonesAndARefusedOneNever() {
        List<Phone> phones = Lab.hq.phones();
        for (int i = 0; i < 3; i++) {
            publish(observed("sites-hq", "600" + (i + 1), phones.get(i).address(), 1_000L, "hq", 0));
        }
        publish(observed("fence", "7001", Lab.own.get(0).address(), 1_000L, "fenced", 0));

        List<ProbeResult> got = await(r -> "hq".equals(r.site()), 2);
        for (ProbeResult r : got) {
            assertEquals("6001", r.endpoint());
            assertEquals(phones.get(3).address(), r.address(), "the probe host, not a phone");
            assertEquals(Outcome.OK, r.outcome(), r.toString());
        }
        ProbeResult fenced = await(r -> r.key().equals("fence/7001"), 1).get(0);
        assertEquals(Outcome.REFUSED_TARGET, fenced.outcome());
        assertEquals("192.0.2.10", fenced.address());
        assertEquals("refused target: 192.0.2.10 is outside vbo.probe.pbx.\"fence\".allowed-targets [10.231.0.0/16]",
                fenced.error());
        assertNull(fenced.bitsPerSecond());
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "admin");
    }

    private static EndpointObserved observed(String pbx, String endpoint, String address, long rttMicros, String site,
            int calls) {
        return new EndpointObserved(EndpointObserved.SCHEMA, pbx, endpoint, endpoint,
                "sip:" + endpoint + "@" + address + ":5060", address, 5060, "udp", ContactStatus.REACHABLE, rttMicros,
                "netns-phone", calls, Instant.now(), site);
    }

    private static CallQuality quality(String pbx, String endpoint, int fractionLost, double jitterMs) {
        return new CallQuality(CallQuality.SCHEMA, CallQuality.Kind.SAMPLE, pbx, endpoint, "1796154184.0",
                "1796154184.1", "PJSIP/" + endpoint + "-00000001", System.nanoTime() / 1000, "ulaw",
                new CallQuality.Sample(CallQuality.Direction.RECEIVED, fractionLost, fractionLost, 1000, null, 16,
                        jitterMs, 1.0, 90.0), null, Instant.now());
    }

    private void publish(EndpointObserved event) {
        kafka.send(Topics.ENDPOINTS, event.key(), EventJson.toJson(event));
    }

    private void publish(CallQuality event) {
        kafka.send(Topics.CALL_QUALITY, event.pbxId() + "/" + event.endpoint(), EventJson.toJson(event));
    }

    private List<ProbeResult> await(Predicate<ProbeResult> filter, int count) {
        return results.await(count, r -> filter.test(EventJson.fromJson(r.value(), ProbeResult.class)), WAIT).stream()
                .map(r -> EventJson.fromJson(r.value(), ProbeResult.class)).toList();
    }
}
