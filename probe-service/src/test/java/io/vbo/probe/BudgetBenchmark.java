package io.vbo.probe;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vbo.events.ContactStatus;
import io.vbo.events.EndpointObserved;
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
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not part of the default test run (the name does not match surefire's patterns), issue 12, through the
 * whole service on a real broker with the voice profile: {@link #fullCycle} of 50 phones on one PBX (target ≤ 30 s)
 * with the default budget (1 Mbit/s: 14 probes of 68,800 bit/s at once) and max-parallel (16); {@link #rttJump}, a
 * qualify RTT jump published → the probe's iperf3 client running (target 2 s). Run as root:
 * {@code ./mvnw -B -ntp -q -pl probe-service -am verify -Dtest=BudgetBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * Writes {@code probe-service/target/cycle-benchmark.md} and {@code rtt-jump-benchmark.md}.
 */
@QuarkusTest
@TestProfile(BudgetAndSitesTest.Voice.class)
@QuarkusTestResource(KafkaBrokerResource.class)
class BudgetBenchmark {
    private static final int PHONES = Integer.getInteger("bench.phones", 50);
    private static final int RUNS = Integer.getInteger("bench.runs", 10);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void rttJump() throws Exception {
        List<Double> latencies = new ArrayList<>();
        try (NetnsLab lab = NetnsLab.open(); KafkaTestClient kafka = new KafkaTestClient(bootstrap);
                KafkaTestClient.Reader results = kafka.reader(Topics.PROBE_RESULTS)) {
            Phone phone = lab.addPhone(2_000_000, 1_000_000);
            for (int i = 0; i < RUNS; i++) {
                // A new endpoint each run: a jump folds into the baseline, so one endpoint's next jump counts less.
                String endpoint = "rtt" + i;
                Predicate<ConsumerRecord<String, String>> ok = r -> r.key().equals("cycle-50/" + endpoint)
                        && r.value().contains("\"OK\"");
                send(kafka, observedRtt(endpoint, phone, 1_000L));
                results.await(2, ok, Duration.ofMinutes(2));
                // Past the re-probe gap (3 s) and the quiet time after a probe (1 s) of BudgetAndSitesTest.Voice.
                Thread.sleep(3_500);
                send(kafka, observedRtt(endpoint, phone, 1_000L));
                long published = System.nanoTime();
                send(kafka, observedRtt(endpoint, phone, 400_000L));
                LabEvents.awaitClient(phone, Duration.ofSeconds(30));
                latencies.add((System.nanoTime() - published) / 1e6);
                results.await(4, ok, Duration.ofMinutes(2));
                // iperf3 -s refuses connections for a moment after a test (see vbo.probe.iperf3.pause-between).
                Thread.sleep(1_500);
            }
        }
        String report = String.format(Locale.ROOT, """
                ### Qualify RTT jump (1 ms → 400 ms) published → probe running (%d runs, machine: %d CPUs, load %s)

                | from `EndpointObserved` with the risen `rttMicros` published to | min | median | p95 | max |
                | --- | --- | --- | --- | --- |
                %s
                """, RUNS, Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).strip(), BenchmarkTable.row("iperf3 client running", latencies));
        Files.writeString(Path.of("target", "rtt-jump-benchmark.md"), report);
        System.out.println(report);
    }

    private static EndpointObserved observedRtt(String endpoint, Phone phone, long rttMicros) {
        return new EndpointObserved(EndpointObserved.SCHEMA, "cycle-50", endpoint, endpoint,
                "sip:" + endpoint + "@" + phone.address(),
                phone.address(), 5060, "udp", ContactStatus.REACHABLE, rttMicros, "netns-phone", 0, Instant.now(), null);
    }

    private static void send(KafkaTestClient kafka, EndpointObserved o) {
        kafka.send(Topics.ENDPOINTS, o.key(), EventJson.toJson(o));
    }

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
                send(kafka, LabEvents.observed("cycle-50", "c" + i, phones.get(i), ContactStatus.REACHABLE, 0));
            }
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
            String report = String.format(Locale.ROOT, """
                    ### Full cycle, %d phones on one PBX, voice profile, default budget (machine: %d CPUs, load %s)

                    - first attempt started → last attempt ended: %.1f s (published → last result read: %.1f s)
                    - at most %d probes in flight; one probe (3 s down, 1 s pause, 3 s up) took %.1f s on average
                    - %d of %d attempts not OK
                    """, PHONES, Runtime.getRuntime().availableProcessors(),
                    Files.readString(Path.of("/proc/loadavg")).strip(), Duration.between(first, last).toMillis() / 1e3,
                    wall, most, meanProbe, failed, got.size());
            Files.writeString(Path.of("target", "cycle-benchmark.md"), report);
            System.out.println(report);
        }
    }
}
