package io.vbo.policy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vbo.events.CodecDecision;
import io.vbo.events.ConfigApplied;
import io.vbo.events.EndpointCeiling;
import io.vbo.events.EventJson;
import io.vbo.events.ProbeResult;
import io.vbo.events.ProbeResult.Direction;
import io.vbo.events.Topics;
import io.vbo.policy.repository.DecisionEntity;
import io.vbo.testkit.KafkaBrokerResource;
import io.vbo.testkit.KafkaTestClient;
import io.vbo.testkit.PostgresResource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Kafka side on a real broker and a real PostgreSQL: results in, rows and decisions out. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
class PolicyKafkaTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String DEAD_REASON = "$: the database refused it "
            + "(SQLState 22021: ERROR: invalid byte sequence for encoding \"UTF8\": 0x00)";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    MeterRegistry registry;

    private KafkaTestClient kafka;

    @BeforeEach
    void connect() {
        kafka = new KafkaTestClient(bootstrap);
    }

    @AfterEach
    void close() {
        kafka.close();
    }

    private void send(ProbeResult result) {
        kafka.send(Topics.PROBE_RESULTS, result.key(), EventJson.toJson(result));
    }

    /** The writer's report of an endpoint's own allow list, which the policy needs before it decides. */
    private void ceiling(String endpoint, String... codecs) {
        EndpointCeiling c = new EndpointCeiling(1, "kt", endpoint, List.of(codecs), EndpointCeiling.Source.FILE,
                Instant.now());
        kafka.send(Topics.ENDPOINT_CEILINGS, c.key(), EventJson.toJson(c));
        TestData.await("ceiling of kt/" + endpoint + " stored", WAIT, () -> rows(
                "select count(*) from endpoint_ceiling where pbx_id = 'kt' and endpoint = ?", endpoint) == 1);
    }

    private long rows(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private double storeFailures() {
        return registry.counter("vbo.policy.store.failures").count();
    }

    private long measurements(String endpoint) {
        return rows("select count(*) from measurement where pbx_id = 'kt' and endpoint = ?", endpoint);
    }

    @Test
    void resultsAreStoredAndOneDecisionIsPublished() {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (KafkaTestClient.Reader decisions = kafka.reader(Topics.CODEC_DECISIONS)) {
            ceiling("2001", "ulaw", "alaw", "g722", "gsm");
            send(TestData.ok("kt", "2001", Direction.DOWNLINK, 2_000_000, t));
            send(TestData.ok("kt", "2001", Direction.UPLINK, 1_500_000, t.plusSeconds(4)));
            send(TestData.failed("kt", "2001", ProbeResult.Outcome.UNREACHABLE, t.plusSeconds(8)));
            TestData.await("3 rows for kt/2001", WAIT, () -> measurements("2001") == 3);

            List<ConsumerRecord<String, String>> out = decisions.await(1, r -> "kt/2001".equals(r.key()), WAIT);
            CodecDecision decision = EventJson.fromJson(out.get(0).value(), CodecDecision.class);
            assertEquals("109.0k", decision.tier());
            assertEquals(List.of("g722", "ulaw", "alaw", "gsm"), decision.codecs());
            assertEquals("overhead-aware", decision.reason().preset());
            assertEquals(109_000L, decision.reason().thresholdsBps().get("ulaw"));
            assertEquals(1, decisions.drain(Duration.ofSeconds(2)).stream().filter(r -> "kt/2001".equals(r.key())).count(),
                    "the uplink result kept the tier and the failure changes nothing: one decision");
            assertEquals(1, rows("select count(*) from decision where pbx_id = 'kt' and endpoint = '2001' "
                    + "and published_at is not null"));

            kafka.send(Topics.CONFIG_APPLIED, "kt/2001", EventJson.toJson(new ConfigApplied(1, decision.decisionId(),
                    "kt", "2001", ConfigApplied.Status.APPLIED, List.of("g722", "ulaw", "alaw", "gsm"), null,
                    Instant.now())));
            TestData.await("applied status recorded", WAIT, () -> rows("select count(*) from decision where "
                    + "decision_id = ? and applied_status = 'APPLIED' and applied_codecs = 'g722,ulaw,alaw,gsm'",
                    decision.decisionId()) == 1);
        }
    }

    @Test
    void anOperatorsTcpFigureOnALadderPhoneIsInTheHistoryButTheLadderKeepsDeciding() {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (KafkaTestClient.Reader decisions = kafka.reader(Topics.CODEC_DECISIONS)) {
            ceiling("2008", "ulaw", "alaw", "g722", "gsm");
            // The ladder carried GSM each way (45.5k), then an operator's TCP probe read the thin link low.
            send(TestData.ladder("kt", "2008", Direction.DOWNLINK, 3, t));
            send(TestData.ladder("kt", "2008", Direction.UPLINK, 3, t.plusSeconds(20)));
            List<ConsumerRecord<String, String>> out = decisions.await(1, r -> "kt/2008".equals(r.key()), WAIT);
            assertEquals("45.5k", EventJson.fromJson(out.get(0).value(), CodecDecision.class).tier());
            send(TestData.ok("kt", "2008", Direction.DOWNLINK, 30_000, t.plusSeconds(40)));
            send(TestData.ok("kt", "2008", Direction.UPLINK, 30_000, t.plusSeconds(44)));
            TestData.await("4 rows for kt/2008", WAIT, () -> measurements("2008") == 4);

            assertEquals(2, rows("select count(*) from measurement where pbx_id = 'kt' and endpoint = '2008' "
                    + "and protocol = 'TCP' and bits_per_second = 30000"), "the TCP figures are in the history");
            assertEquals(1, decisions.drain(Duration.ofSeconds(2)).stream().filter(r -> "kt/2008".equals(r.key()))
                    .count(), "30 kbit/s by TCP fits no codec, but it does not decide: no second decision");
            assertEquals(1, rows("select count(*) from endpoint_state where pbx_id = 'kt' and endpoint = '2008' and "
                    + "tier = '45.5k' and estimate_bps = 45500 and downlink_kind = 'LADDER_THEN_TCP' "
                    + "and uplink_kind = 'LADDER_THEN_TCP'"), "the kinds are saved with the state");

            // The history shows why the ladder decided: every step, GSM the highest that passed, G.726 failing.
            io.restassured.response.Response page = given().auth().preemptive().basic("viewer", "viewer")
                    .queryParam("from", t.minusSeconds(1).toString()).queryParam("to", t.plusSeconds(60).toString())
                    .get("/api/v1/endpoints/kt/2008/measurements");
            page.then().statusCode(200);
            assertEquals(List.of("LADDER", "LADDER", "TCP", "TCP"), page.path("items.protocol"));
            assertEquals(List.of("ilbc", "g729", "gsm", "g726"), page.path("items[0].ladder.steps.codecs.flatten()"));
            assertEquals(List.of(true, true, true, false), page.path("items[0].ladder.steps.passed"));
            assertEquals(29_200, (Integer) page.path("items[0].ladder.passedBps"));
            assertEquals(1, (Integer) page.path("items[0].ladder.calls"));
            assertNull(page.path("items[2].ladder"), "TCP has no steps");
        }
    }

    @Test
    void aRedeliveredProbeIdIsStoredOnce() {
        ProbeResult result = TestData.ok("kt", "2002", Direction.DOWNLINK, 50_000, Instant.now());
        ProbeResult marker = TestData.ok("kt", "2002", Direction.UPLINK, 50_000, Instant.now().plusSeconds(1));
        send(result);
        send(result);
        send(result);
        send(marker);
        TestData.await("marker stored", WAIT, () -> rows("select count(*) from measurement where probe_id = ?",
                marker.probeId()) == 1);
        assertEquals(1, rows("select count(*) from measurement where probe_id = ?", result.probeId()));
        assertEquals(2, measurements("2002"));
    }

    @Test
    void invalidMessagesAreDeadLetteredAndConsumptionContinues() {
        try (KafkaTestClient.Reader deadLetters = kafka.reader(Topics.DEAD_LETTER)) {
            ProbeResult valid = TestData.ok("kt", "2003", Direction.DOWNLINK, 90_000, Instant.now());
            String badAddress = EventJson.toJson(valid).replace("10.231.7.2", "--logfile=/etc/passwd")
                    .replace(valid.probeId().toString(), UUID.randomUUID().toString());
            kafka.send(Topics.PROBE_RESULTS, "kt/2003", "{not json");
            kafka.send(Topics.PROBE_RESULTS, "kt/2003", badAddress);
            send(valid);

            TestData.await("the valid result after the bad ones is stored", WAIT, () -> measurements("2003") == 1);
            List<ConsumerRecord<String, String>> dead = deadLetters.await(2, r -> "kt/2003".equals(r.key()), WAIT);
            assertEquals("{not json", dead.get(0).value(), "dead letters carry the message as received");
            assertTrue(KafkaTestClient.header(dead.get(0), "dead-letter-reason").startsWith("$: not valid JSON"),
                    KafkaTestClient.header(dead.get(0), "dead-letter-reason"));
            assertTrue(KafkaTestClient.header(dead.get(1), "dead-letter-reason").startsWith("address:"),
                    KafkaTestClient.header(dead.get(1), "dead-letter-reason"));
            assertEquals(Topics.PROBE_RESULTS, KafkaTestClient.header(dead.get(1), "dead-letter-topic"));
        }
    }

    @Test
    void aResultTheDatabaseRefusesIsDeadLetteredWithTheReasonAndTheOthersAreStored() {
        double refusedBefore = registry.counter("vbo.policy.results.refused").count();
        try (KafkaTestClient.Reader deadLetters = kafka.reader(Topics.DEAD_LETTER)) {
            // The contract takes any error text up to 4096 characters; a PostgreSQL text value cannot hold U+0000,
            // so this one passes the contract and only the database refuses it.
            ProbeResult refused = new ProbeResult(1, UUID.randomUUID(), "kt", "2005", "10.231.7.2", Direction.DOWNLINK,
                    ProbeResult.Protocol.TCP, null, null, null, null, null, 5000, ProbeResult.Outcome.ERROR,
                    "iperf3: \u0000 in its output", Instant.now());
            send(refused);
            for (int i = 1; i <= 30; i++) {
                send(TestData.ok("kt", "2005", i % 2 == 0 ? Direction.DOWNLINK : Direction.UPLINK, 90_000 + i,
                        Instant.now().plusSeconds(i)));
            }
            TestData.await("the 30 valid results stored", WAIT, () -> measurements("2005") == 30);
            List<ConsumerRecord<String, String>> dead = deadLetters.await(1, r -> "kt/2005".equals(r.key()), WAIT);
            assertEquals(refused.probeId(), EventJson.fromJson(dead.get(0).value(), ProbeResult.class).probeId());
            assertEquals(DEAD_REASON, KafkaTestClient.header(dead.get(0), "dead-letter-reason"));
            assertEquals(Topics.PROBE_RESULTS, KafkaTestClient.header(dead.get(0), "dead-letter-topic"));
            assertEquals(1, deadLetters.drain(Duration.ofSeconds(2)).stream().filter(r -> "kt/2005".equals(r.key()))
                    .count(), "dead-lettered once");
            assertEquals(0, rows("select count(*) from measurement where probe_id = ?", refused.probeId()));
            assertEquals(refusedBefore + 1, registry.counter("vbo.policy.results.refused").count());
        }
    }

    @Test
    void whilePostgresqlFailsNothingIsDeadLetteredOrLost() throws SQLException {
        try (KafkaTestClient.Reader deadLetters = kafka.reader(Topics.DEAD_LETTER);
                Connection admin = dataSource.getConnection();
                Statement st = admin.createStatement()) {
            ceiling("2004", "ulaw", "gsm");
            // Every insert fails while the table is away, exactly like an unreachable database for the ingest path.
            st.execute("alter table measurement rename to measurement_away");
            ProbeResult first = TestData.ok("kt", "2004", Direction.DOWNLINK, 90_000, Instant.now());
            ProbeResult second = TestData.ok("kt", "2004", Direction.UPLINK, 80_000, Instant.now().plusSeconds(1));
            double failuresBefore = storeFailures();
            try {
                send(first);
                send(second);
                TestData.await("the ingest path failing and retrying", WAIT, () -> storeFailures() >= failuresBefore + 2);
                assertEquals(0, rows("select count(*) from measurement_away where endpoint = '2004'"));
            } finally {
                st.execute("alter table measurement_away rename to measurement");
            }
            TestData.await("both results stored once the table is back", WAIT, () -> measurements("2004") == 2);
            assertTrue(deadLetters.drain(Duration.ofSeconds(1)).stream().noneMatch(r -> "kt/2004".equals(r.key())),
                    "a database failure must not dead-letter valid results");
            DecisionEntity decision = QuarkusTransaction.requiringNew().call(() -> DecisionEntity
                    .<DecisionEntity>find("pbxId = ?1 and endpoint = ?2", "kt", "2004").firstResult());
            assertNotNull(decision, "the delayed results were also decided");
        }
    }
}
