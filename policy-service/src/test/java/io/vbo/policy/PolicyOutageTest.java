package io.vbo.policy;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vbo.events.EventJson;
import io.vbo.events.ProbeResult;
import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.Topics;
import io.vbo.testkit.KafkaTestClient;
import io.vbo.testkit.PostgresResource;
import io.vbo.testkit.StoppableKafkaBrokerResource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Outages on a broker of this class's own: a database that cannot take results for longer than the retry bound turns
 * readiness DOWN and shows in the consumer lag, and readiness answers at once while Kafka is down (the last test stops
 * the broker).
 */
@QuarkusTest
@TestProfile(PolicyOutageTest.ShortRetry.class)
@QuarkusTestResource(value = StoppableKafkaBrokerResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(PostgresResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PolicyOutageTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Every readiness request must be answered within 2 s; a request left hanging fails the test. */
    private static final RestAssuredConfig TWO_SECONDS = RestAssuredConfig.config().httpClient(HttpClientConfig
            .httpClientConfig().setParam("http.socket.timeout", 2000).setParam("http.connection.timeout", 2000));

    /** Retries give up after 2 s (instead of 30 s) and the lag is read every second, so the test is quick. */
    public static class ShortRetry implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("vbo.policy.store.retry-for", "2s", "vbo.policy.store.max-delay", "500ms",
                    "vbo.policy.store.lag-every", "1s");
        }
    }

    @Inject
    AgroalDataSource dataSource;
    @Inject
    MeterRegistry registry;

    private static Response ready() {
        return given().config(TWO_SECONDS).get("/q/health/ready");
    }

    private static String check(Response response, String name) {
        return JsonPath.from(response.asString()).getString("checks.find { it.name == '" + name + "' }.status");
    }

    private double lag() {
        return registry.get("vbo.policy.consumer.lag").tags("topic", Topics.PROBE_RESULTS, "group", "vbo-policy")
                .gauge().value();
    }

    private long stored(Statement st, String table) throws SQLException {
        try (ResultSet rs = st.executeQuery("select count(*) from " + table + " where pbx_id = 'ot'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    @Order(1)
    void aDatabaseOutageBeyondTheRetryBoundTurnsReadinessDownAndShowsInTheLag() throws SQLException {
        await("ready at start").atMost(WAIT).until(() -> ready().statusCode() == 200);
        try (KafkaTestClient kafka = new KafkaTestClient(StoppableKafkaBrokerResource.bootstrapServers());
                Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("alter table measurement rename to measurement_away");
            try {
                for (int i = 0; i < 2; i++) {
                    ProbeResult r = TestData.ok("ot", "5001", Direction.DOWNLINK, 90_000, Instant.now().plusSeconds(i));
                    kafka.send(Topics.PROBE_RESULTS, r.key(), EventJson.toJson(r));
                }
                await("readiness DOWN once retrying has lasted 2 s").atMost(WAIT)
                        .until(() -> ready().statusCode() == 503);
                Response down = ready();
                assertEquals("DOWN", check(down, "probe-result storage"), down.asString());
                await("the 2 unstored results counted as lag").atMost(WAIT).until(() -> lag() == 2.0);
                assertEquals(0, stored(st, "measurement_away"));
            } finally {
                st.execute("alter table measurement_away rename to measurement");
            }
            await("both stored once the table is back").atMost(WAIT).until(() -> stored(st, "measurement") == 2);
            await("ready again").atMost(WAIT).until(() -> ready().statusCode() == 200);
            await("no lag left").atMost(WAIT).until(() -> lag() == 0.0);
        }
    }

    @Test
    @Order(2)
    void readinessAnswers503WithinTwoSecondsWhileKafkaIsDown() {
        await("ready with the broker up").atMost(WAIT).until(() -> ready().statusCode() == 200);
        StoppableKafkaBrokerResource.stopBroker();
        // No exception is ignored: a readiness request that takes more than 2 s fails here.
        await("readiness 503 after the broker stopped").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> ready().statusCode() == 503);
        for (int i = 0; i < 5; i++) {
            assertEquals(503, ready().statusCode());
        }
        given().config(TWO_SECONDS).get("/q/health/live").then().statusCode(200);
    }
}
