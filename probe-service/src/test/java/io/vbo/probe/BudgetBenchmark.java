package io.vbo.probe;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vbo.events.ContactStatus;
import io.vbo.events.EndpointObserved;
import io.vbo.events.EventJson;
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
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not part of the default test run (the name does not match surefire's patterns), issue 12, through the
 * whole service on a real broker with the voice profile: {@link #rttJump}, a qualify RTT jump published → the probe's
 * iperf3 client running (target 2 s). Run as root:
 * {@code ./mvnw -B -ntp -q -pl probe-service -am verify -Dtest=BudgetBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * Writes {@code probe-service/target/rtt-jump-benchmark.md}. The full cycle is {@link CycleBenchmark}'s.
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
}
