package io.vbo.probe;

import static io.restassured.RestAssured.given;
import static io.vbo.probe.LabEvents.observed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vbo.events.ContactStatus;
import io.vbo.events.EventJson;
import io.vbo.events.ProbeResult;
import io.vbo.events.ProbeResult.Outcome;
import io.vbo.events.Topics;
import io.vbo.lab.netns.NetnsLab;
import io.vbo.lab.netns.Phone;
import io.vbo.testkit.KafkaBrokerResource;
import io.vbo.testkit.KafkaTestClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Checks between ladders through the whole service (real Kafka, real iperf3 against a netns phone): a link that holds
 * is checked without a result, and a link that degrades fails its next check and gets its ladder at once.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@TestProfile(LadderCheckTest.Checks.class)
class LadderCheckTest {
    private static final String KEY = "site-check/1201";
    private static final Pattern CHECKS = Pattern.compile(
            "vbo_probe_checks_total\\{[^}]*result=\"(\\w+)\"[^}]*\\} ([0-9.]+)");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    /** 1 s ladder steps and confirmation, a 15 min interval, a check every 2 s, re-probes 1 s apart at the soonest. */
    public static class Checks implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("vbo.probe.profiles", "ladder", "vbo.probe.ladder.step-seconds", "1",
                    "vbo.probe.ladder.confirm-seconds", "1", "vbo.probe.interval", "15M",
                    "vbo.probe.ladder.check-interval", "2S", "vbo.probe.reprobe.min-gap", "1S",
                    "vbo.probe.pbx-ids", "site-check");
        }
    }

    @Test
    void aLinkThatDegradesBetweenLaddersFailsItsCheckAndGetsItsLadderAtOnce() {
        try (NetnsLab lab = NetnsLab.open(); KafkaTestClient kafka = new KafkaTestClient(bootstrap);
                KafkaTestClient.Reader results = kafka.reader(Topics.PROBE_RESULTS)) {
            Phone phone = lab.addPhone(2_000_000, 2_000_000);
            kafka.send(Topics.ENDPOINTS, KEY, EventJson.toJson(observed("site-check", "1201", phone,
                    ContactStatus.REACHABLE, 0)));
            List<ProbeResult> first = await(results, 2);
            for (ProbeResult r : first) {
                assertEquals(Outcome.OK, r.outcome(), r.toString());
                assertEquals(80_000L, r.ladder().passedBps(), "G.711 both ways: " + r);
            }
            // G.711 is checked every 2 s, and a check that passes publishes nothing.
            Awaitility.await("two checks carried").atMost(Duration.ofSeconds(30))
                    .until(() -> checks("carried") >= 2);
            assertEquals(2, results.drain(Duration.ofSeconds(1)).stream().filter(r -> r.key().equals(KEY)).count(),
                    "no result but the first ladder's");

            Instant reshaped = Instant.now();
            lab.reshape(phone, 40_000, 40_000);
            List<ProbeResult> again = await(results, 4).subList(2, 4);
            long ms = Duration.between(reshaped, again.get(1).startedAt().plusMillis(again.get(1).durationMs()))
                    .toMillis();
            System.out.printf("probe: link reshaped 2 Mbit/s → 40 kbit/s to its new ladder's results: %d ms%n", ms);
            assertTrue(checks("failed") >= 1, "the ladder followed a failed check");
            for (ProbeResult r : again) {
                assertEquals(Outcome.OK, r.outcome(), r.toString());
                assertTrue(!r.startedAt().isBefore(reshaped), "a ladder on the new link, not the interval's: " + r);
                assertTrue(r.ladder().passedBps() < 80_000L, "40 kbit/s does not carry G.711: " + r);
            }
        }
    }

    private static List<ProbeResult> await(KafkaTestClient.Reader results, int count) {
        return results.await(count, r -> r.key().equals(KEY), Duration.ofSeconds(120)).stream()
                .map(r -> EventJson.fromJson(r.value(), ProbeResult.class)).toList();
    }

    private static double checks(String result) {
        Matcher m = CHECKS.matcher(given().get("/q/metrics").then().statusCode(200).extract().asString());
        double sum = 0;
        while (m.find()) {
            if (m.group(1).equals(result)) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }
}
