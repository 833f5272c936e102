package io.vbo.probe;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not part of the default test run (the name does not match surefire's patterns), issue 12: the full
 * cycle of 50 phones on one PBX (target ≤ 30 s) through the whole service on a real broker, with the default profile
 * (the bidirectional ladder, K = 1) and default limits, the PBX declaring a 100 Mbit/s uplink (budget: the default
 * 5 % share, 5 Mbit/s). Run as root:
 * {@code ./mvnw -B -ntp -q -pl probe-service -am verify -Dtest=CycleBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * Writes {@code probe-service/target/cycle-benchmark.md}.
 */
@QuarkusTest
@TestProfile(CycleBenchmark.DeclaredUplink.class)
@QuarkusTestResource(KafkaBrokerResource.class)
class CycleBenchmark {
    private static final int PHONES = Integer.getInteger("bench.phones", 50);

    /** Production's defaults but for the PBX served and its declared uplink (the test profile caps max-parallel). */
    public static class DeclaredUplink implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("vbo.probe.profiles", "ladder", "vbo.probe.max-parallel", "64",
                    "vbo.probe.pbx-ids", "cycle-50", "vbo.probe.pbx.\"cycle-50\".uplink", "100000000");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void fullCycle() throws Exception {
        try (NetnsLab lab = NetnsLab.open(); KafkaTestClient kafka = new KafkaTestClient(bootstrap);
                KafkaTestClient.Reader results = kafka.reader(Topics.PROBE_RESULTS)) {
            List<Phone> phones = new ArrayList<>();
            for (int i = 0; i < PHONES; i++) {
                phones.add(lab.addPhone(2_000_000, 1_000_000));
            }
            long published = System.nanoTime();
            for (int i = 0; i < PHONES; i++) {
                var o = LabEvents.observed("cycle-50", "c" + i, phones.get(i), ContactStatus.REACHABLE, 0);
                kafka.send(Topics.ENDPOINTS, o.key(), EventJson.toJson(o));
            }
            // One LADDER result per direction and phone.
            List<ProbeResult> got = results.await(2 * PHONES, r -> r.key().startsWith("cycle-50/c"),
                    Duration.ofMinutes(5)).stream().map(r -> EventJson.fromJson(r.value(), ProbeResult.class)).toList();
            double wall = (System.nanoTime() - published) / 1e9;
            Instant first = got.stream().map(ProbeResult::startedAt).min(Instant::compareTo).orElseThrow();
            Instant last = got.stream().map(r -> r.startedAt().plusMillis(r.durationMs())).max(Instant::compareTo)
                    .orElseThrow();
            Map<String, Instant[]> spans = new HashMap<>();
            for (ProbeResult r : got) {
                Instant end = r.startedAt().plusMillis(r.durationMs());
                spans.merge(r.endpoint(), new Instant[] { r.startedAt(), end }, (a, b) -> new Instant[] {
                        a[0].isBefore(b[0]) ? a[0] : b[0], a[1].isAfter(b[1]) ? a[1] : b[1] });
            }
            int most = 0;
            for (Instant[] span : spans.values()) {
                most = Math.max(most, (int) spans.values().stream()
                        .filter(s -> !s[0].isAfter(span[0]) && s[1].isAfter(span[0])).count());
            }
            double meanProbe = spans.values().stream().mapToLong(s -> Duration.between(s[0], s[1]).toMillis())
                    .average().orElseThrow() / 1000;
            long failed = got.stream().filter(r -> r.outcome() != Outcome.OK).count();
            long allRungs = got.stream().filter(r -> r.ladder() != null
                    && r.ladder().steps().stream().allMatch(ProbeResult.Step::passed)).count();
            String report = String.format(Locale.ROOT, """
                    ### Full cycle, %d phones on one PBX, ladder (both directions), 100 Mbit/s declared uplink \
                    (machine: %d CPUs, load %s)

                    - first probe started → last probe ended: %.1f s (published → last result read: %.1f s)
                    - at most %d probes in flight; one probe took %.1f s on average
                    - %d of %d results not OK; %d of them passed every step
                    """, PHONES, Runtime.getRuntime().availableProcessors(),
                    Files.readString(Path.of("/proc/loadavg")).strip(), Duration.between(first, last).toMillis() / 1e3,
                    wall, most, meanProbe, failed, got.size(), allRungs);
            Files.writeString(Path.of("target", "cycle-benchmark.md"), report);
            System.out.println(report);
        }
    }
}
