package io.vbo.probe.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.vbo.testkit.StoppableKafkaBrokerResource;
import org.junit.jupiter.api.Test;

/**
 * Readiness while Kafka is down: it must answer at once with 503, not hang. The broker is this class's own (it stops
 * it), so the service restarts for it.
 */
@QuarkusTest
@QuarkusTestResource(value = StoppableKafkaBrokerResource.class, restrictToAnnotatedClass = true)
class KafkaOutageTest {
    /** Readiness answered only after Kafka's own 60 s API timeout before the fix; the answer must come within 2 s. */
    private static final int READ_TIMEOUT_MS = 2000;

    @Test
    void readinessAnswers503WhileKafkaIsDownAndLivenessStaysUp() {
        org.awaitility.Awaitility.await("ready with Kafka up").atMost(java.time.Duration.ofSeconds(60))
                .until(() -> ready().get("/q/health/ready").statusCode() == 200);

        StoppableKafkaBrokerResource.stopBroker();

        org.awaitility.Awaitility.await("not ready with Kafka down").atMost(java.time.Duration.ofSeconds(30))
                .until(() -> ready().get("/q/health/ready").statusCode() == 503);
        for (int i = 0; i < 3; i++) {
            ready().get("/q/health/ready").then().statusCode(503)
                    .body("status", equalTo("DOWN"))
                    .body("checks.find { it.name.contains('Reactive Messaging') }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'iperf3' }.status", equalTo("UP"));
        }
        ready().get("/q/health/live").then().statusCode(200);
    }

    private static io.restassured.specification.RequestSpecification ready() {
        return given().config(RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.connection.timeout", READ_TIMEOUT_MS).setParam("http.socket.timeout", READ_TIMEOUT_MS)));
    }
}
