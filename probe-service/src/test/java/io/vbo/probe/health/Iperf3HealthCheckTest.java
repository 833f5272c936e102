package io.vbo.probe.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vbo.probe.iperf.Iperf3Runner;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class Iperf3HealthCheckTest {

    @Test
    void aMissingBinaryMakesReadinessDownAndSaysWhich() {
        HealthCheckResponse response = check("/opt/none/iperf3").call();
        assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus());
        assertEquals("/opt/none/iperf3", response.getData().orElseThrow().get("binary"));
        assertEquals("not runnable", response.getData().orElseThrow().get("version"));
    }

    @Test
    void theInstalledBinaryIsUpWithItsVersion() {
        HealthCheckResponse response = check("iperf3").call();
        assertEquals(HealthCheckResponse.Status.UP, response.getStatus());
        assertTrue(response.getData().orElseThrow().get("version").toString().startsWith("iperf 3."));
    }

    private static Iperf3HealthCheck check(String binary) {
        Iperf3HealthCheck check = new Iperf3HealthCheck();
        check.runner = new Iperf3Runner(binary, Duration.ofSeconds(1), Duration.ofSeconds(1));
        return check;
    }
}
