package io.vbo.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.vbo.testkit.StoppableKafkaBrokerResource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Readiness answers at once while Kafka is down (503), instead of waiting for a Kafka client's own timeout. */
@QuarkusTest
@TestProfile(ReadinessWithoutKafkaTest.OwnBroker.class)
class ReadinessWithoutKafkaTest {
    /** A broker of this test's own, which the test stops. */
    public static class OwnBroker implements QuarkusTestProfile {
        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(StoppableKafkaBrokerResource.class), new TestResourceEntry(WriterTestResource.class));
        }
    }

    private static HttpResponse<String> ready() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** One readiness answer, which must come within 2 s. */
    private static HttpResponse<String> readyWithin2s() throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> response = ready();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 2000, "readiness answered after " + ms + " ms: " + response.body());
        return response;
    }

    @Test
    void readinessIs503WithinTwoSecondsWhileKafkaIsDown() throws Exception {
        Awaitility.await("ready with Kafka up").atMost(Duration.ofSeconds(60)).until(() -> ready().statusCode() == 200);
        StoppableKafkaBrokerResource.stopBroker();
        AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
        Awaitility.await("not ready with Kafka down").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    last.set(readyWithin2s());
                    return last.get().statusCode() == 503;
                });
        for (int i = 0; i < 3; i++) {
            assertEquals(503, readyWithin2s().statusCode());
        }
        assertTrue(last.get().body().contains("\"status\": \"DOWN\""), last.get().body());
    }
}
