package io.vbo.probe.health;

import static io.restassured.RestAssured.given;
import static io.vbo.probe.BenchmarkTable.row;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vbo.testkit.StoppableKafkaBrokerResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not part of the default test run: how long {@code /q/health/ready} takes with Kafka up, and after the
 * broker was stopped (target: 503 within 2 s). Run as root:
 * {@code ./mvnw -B -ntp -q -pl probe-service -am test -Dtest=ReadinessBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * Writes {@code probe-service/target/readiness-benchmark.md}.
 */
@QuarkusTest
@QuarkusTestResource(value = StoppableKafkaBrokerResource.class, restrictToAnnotatedClass = true)
class ReadinessBenchmark {
    private static final int CALLS = 20;

    @Test
    void run() throws Exception {
        // Untimed: the first request of a run also pays for the HTTP client's and the endpoint's initialisation.
        given().get("/q/health/ready").then().statusCode(200);
        String up = row("Kafka up (200)", times(200));
        StoppableKafkaBrokerResource.stopBroker();
        String down = row("Kafka stopped (503)", times(503));
        String report = String.format(Locale.ROOT, """
                ### Readiness with Kafka up and down (%d calls each, machine: %d CPUs, load %s)

                | `/q/health/ready` | min | median | p95 | max |
                | --- | --- | --- | --- | --- |
                %s
                %s
                """, CALLS, Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).strip(), up, down);
        Files.writeString(Path.of("target", "readiness-benchmark.md"), report);
        System.out.println(report);
    }

    private static List<Double> times(int status) {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            long start = System.nanoTime();
            given().get("/q/health/ready").then().statusCode(status);
            ms.add((System.nanoTime() - start) / 1e6);
        }
        return ms;
    }
}
