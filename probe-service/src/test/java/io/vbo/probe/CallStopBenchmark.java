package io.vbo.probe;

import static io.vbo.probe.BenchmarkTable.row;
import static io.vbo.probe.LabEvents.observed;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vbo.events.ContactStatus;
import io.vbo.events.EndpointObserved;
import io.vbo.events.EventJson;
import io.vbo.events.Topics;
import io.vbo.testkit.KafkaBrokerResource;
import io.vbo.testkit.KafkaTestClient;
import io.vbo.lab.netns.NetnsLab;
import io.vbo.lab.netns.Phone;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not part of the default test run (the name does not match surefire's patterns): how long after discovery
 * publishes a call's start the probe running on that phone is stopped (target: within 1 s). The whole service on a
 * real broker, the real iperf3 against a lab phone. Run as root:
 * {@code ./mvnw -B -ntp -q -pl probe-service -am test -Dtest=CallStopBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * Writes {@code probe-service/target/call-stop-benchmark.md}.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class CallStopBenchmark {
    private static final int RUNS = Integer.getInteger("bench.runs", 20);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void run() throws Exception {
        List<Double> toStopped = new ArrayList<>();
        List<Double> toResult = new ArrayList<>();
        try (NetnsLab lab = NetnsLab.open(); KafkaTestClient kafka = new KafkaTestClient(bootstrap);
                KafkaTestClient.Reader results = kafka.reader(Topics.PROBE_RESULTS)) {
            Phone phone = lab.addPhone(2_000_000, 1_000_000);
            for (int i = 0; i < RUNS; i++) {
                publish(kafka, observed("site-bench", "8001", phone, ContactStatus.REACHABLE, 0));
                ProcessHandle iperf3 = LabEvents.awaitClient(phone, WAIT);
                // Into the 3 s test, at a different point each run.
                Thread.sleep(300 + 100L * (i % 10));
                long published = System.nanoTime();
                publish(kafka, observed("site-bench", "8001", phone, ContactStatus.REACHABLE, 1));
                iperf3.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                toStopped.add((System.nanoTime() - published) / 1e6);
                results.await(i + 1, r -> r.value().contains("\"stopped: 1 active call(s)\""), WAIT);
                toResult.add((System.nanoTime() - published) / 1e6);
                // iperf3 -s refuses connections for a moment after a test (see vbo.probe.iperf3.pause-between).
                Thread.sleep(1500);
            }
        }
        String report = String.format(Locale.ROOT, """
                ### A call starting stops the running probe (%d runs, machine: %d CPUs, load %s)

                | from `EndpointObserved` (activeCalls 0 → 1) published to | min | median | p95 | max |
                | --- | --- | --- | --- | --- |
                %s
                %s
                """, RUNS, Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).strip(), row("iperf3 client exited", toStopped),
                row("`DEFERRED_ACTIVE_CALL` result read from `vbo.probe-results`", toResult));
        Files.writeString(Path.of("target", "call-stop-benchmark.md"), report);
        System.out.println(report);
    }

    private static void publish(KafkaTestClient kafka, EndpointObserved event) {
        kafka.send(Topics.ENDPOINTS, event.key(), EventJson.toJson(event));
    }
}
