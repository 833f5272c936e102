package io.vbo.writer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vbo.events.CodecDecision;
import io.vbo.events.ConfigApplied;
import io.vbo.events.EventJson;
import io.vbo.events.Topics;
import io.vbo.testkit.KafkaBrokerResource;
import io.vbo.testkit.KafkaTestClient;
import io.vbo.writer.editor.PjsipConfig;
import io.vbo.writer.listener.DesiredStateReader;
import io.vbo.writer.service.DecisionApplier;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Decisions in over real Kafka, files written, the AMI test server reloading them, ConfigApplied out. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(WriterTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DecisionFlowTest {
    @WriterTestResource.Ami
    WriterTestResource.SimulatedAsterisk asterisk;
    @WriterTestResource.ConfigDir
    Path dir;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    DecisionApplier applier;
    @Inject
    DesiredStateReader desired;
    @Inject
    io.micrometer.core.instrument.MeterRegistry meters;

    KafkaTestClient kafka;
    KafkaTestClient.Reader applied;

    @BeforeAll
    void connect() {
        kafka = new KafkaTestClient(bootstrap);
        applied = kafka.reader(Topics.CONFIG_APPLIED);
    }

    @AfterAll
    void disconnect() {
        applied.close();
        kafka.close();
    }

    @AfterEach
    void healthyAsterisk() {
        asterisk.failReloads(null);
        asterisk.misreport(Map.of());
        asterisk.server().refuseLogins(false);
    }

    static CodecDecision decision(String pbx, String endpoint, String... codecs) {
        return new CodecDecision(CodecDecision.SCHEMA, UUID.randomUUID(), pbx, endpoint, "t", List.of(codecs), null,
                new CodecDecision.Reason("test", 100_000L, Map.of(), null, "test"), Instant.now(), List.of(), List.of(),
                List.of(), false, null);
    }

    private CodecDecision send(String endpoint, String... codecs) {
        CodecDecision d = decision("lab", endpoint, codecs);
        kafka.send(Topics.CODEC_DECISIONS, d.key(), EventJson.toJson(d));
        return d;
    }

    private ConfigApplied awaitApplied(CodecDecision d) {
        ConsumerRecord<String, String> r = applied.await(1, rec -> rec.value().contains(d.decisionId().toString()),
                Duration.ofSeconds(30)).get(0);
        assertEquals("lab/" + d.endpoint(), r.key());
        return EventJson.fromJson(r.value(), ConfigApplied.class);
    }

    private List<String> inFile(String endpoint) throws Exception {
        return PjsipConfig.load(dir, "pjsip.conf").effectiveAllow(endpoint);
    }

    @Test
    void reloadSuccessIsAppliedWithTheCodecsAsteriskReports() throws Exception {
        long reloads = asterisk.reloads();
        CodecDecision d = send("1002", "gsm");
        ConfigApplied a = awaitApplied(d);
        assertEquals(ConfigApplied.Status.APPLIED, a.status(), String.valueOf(a.error()));
        assertEquals(List.of("gsm"), a.codecsReported());
        assertEquals(List.of("gsm"), inFile("1002"));
        assertEquals(reloads + 1, asterisk.reloads());
        assertTrue(Files.readString(dir.resolve("pjsip_endpoints.conf")).contains("[1002]\ntype=endpoint\ncontext=from-internal\n"
                + "disallow=all\nallow=gsm\noutgoing_call_offer_pref=local\nincoming_call_offer_pref=local\naors=1002\n"));
        assertTrue(shows() > 0 && asterisk.server().requests("Command").stream()
                .anyMatch(r -> "pjsip show endpoint 1002".equals(r.header("Command"))));
    }

    @Test
    void anOfferPreferenceAsteriskDidNotTakeRollsBack() throws Exception {
        send("1001", "alaw");
        byte[] before = awaitFile("1001", List.of("alaw"));
        asterisk.misreportOutgoingOfferPref("1001", "remote_merge");
        ConfigApplied a = awaitApplied(send("1001", "gsm", "alaw"));
        assertEquals(ConfigApplied.Status.ROLLED_BACK, a.status());
        assertEquals("Asterisk reports outgoing_call_offer_pref=remote_merge, expected local after the reload; "
                + "old files restored and reloaded", a.error());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("pjsip_endpoints.conf")));
    }

    /** {@code pjsip show endpoint} commands Asterisk received: the writer's checks. */
    private long shows() {
        return asterisk.server().requests("Command").stream()
                .filter(r -> String.valueOf(r.header("Command")).startsWith("pjsip show endpoint ")).count();
    }

    @Test
    void reloadErrorRollsBackToTheOldFile() throws Exception {
        send("1001", "ulaw", "alaw");
        byte[] before = awaitFile("1001", List.of("ulaw", "alaw"));
        asterisk.failReloads("Module 'res_pjsip.so' could not be reloaded.");
        CodecDecision d = send("1001", "g729");
        ConfigApplied a = awaitApplied(d);
        assertEquals(ConfigApplied.Status.ROLLED_BACK, a.status());
        assertTrue(a.error().contains("could not be reloaded"), a.error());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("pjsip_endpoints.conf")));
    }

    @Test
    void mismatchAfterReloadRollsBack() throws Exception {
        send("1003", "ulaw");
        byte[] before = awaitFile("1003", List.of("ulaw"));
        asterisk.misreport(Map.of("1003", List.of("ulaw", "alaw")));
        ConfigApplied a = awaitApplied(send("1003", "opus", "gsm"));
        assertEquals(ConfigApplied.Status.ROLLED_BACK, a.status());
        assertEquals(List.of("ulaw", "alaw"), a.codecsReported());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("pjsip_endpoints.conf")));
    }

    @Test
    void hundredDecisionsAreOneWriteAndOneReloadAndTheSameAgainIsNothing() throws Exception {
        awaitIdle();
        long reloads = asterisk.reloads();
        long writes = applier.writes();
        List<CodecDecision> sent = new ArrayList<>();
        String[][] tiers = {{"ulaw", "alaw", "opus", "g729", "gsm"}, {"g729", "opus", "ulaw", "alaw", "gsm"}, {"opus", "gsm", "ulaw", "alaw", "g729"}};
        // Sent in one burst (async + flush), so all 100 land inside one batch window.
        java.util.Properties props = new java.util.Properties();
        props.put(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(org.apache.kafka.clients.producer.ProducerConfig.LINGER_MS_CONFIG, "20");
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(props,
                new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.StringSerializer())) {
            for (int i = 0; i < 100; i++) {
                CodecDecision d = decision("lab", "100" + (1 + i % 3), tiers[(i / 3) % 3]);
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.CODEC_DECISIONS, d.key(), EventJson.toJson(d)));
                sent.add(d);
            }
            producer.flush();
        }
        applied.await(100, rec -> sent.stream().anyMatch(d -> rec.value().contains(d.decisionId().toString())), Duration.ofSeconds(30));
        assertEquals(1, asterisk.reloads() - reloads, "one reload for the batch");
        assertEquals(1, applier.writes() - writes, "one write: all three endpoints are in pjsip_endpoints.conf");
        List<CodecDecision> last = sent.subList(97, 100);
        for (CodecDecision d : last) {
            assertEquals(d.codecs(), inFile(d.endpoint()));
        }

        long showsBefore = shows();
        List<CodecDecision> again = new ArrayList<>();
        for (CodecDecision d : last) {
            again.add(send(d.endpoint(), d.codecs().toArray(String[]::new)));
        }
        for (CodecDecision d : again) {
            ConfigApplied a = awaitApplied(d);
            assertEquals(ConfigApplied.Status.APPLIED, a.status());
            assertEquals(d.codecs(), a.codecsReported());
        }
        assertEquals(1, asterisk.reloads() - reloads, "no reload for the same state");
        assertEquals(1, applier.writes() - writes, "no write for the same state");
        assertEquals(showsBefore + 3, shows(), "still checked against Asterisk");
    }

    @Test
    void convergeMakesTheFilesMatchTheLatestDecisions() throws Exception {
        CodecDecision d = send("1002", "g722", "ulaw");
        awaitApplied(d);
        awaitIdle();
        applier.applyNow(desired.read()).get(30, TimeUnit.SECONDS);
        // The file is changed behind the writer's back (a restore by hand while it was down).
        Path file = dir.resolve("pjsip_endpoints.conf");
        Files.writeString(file, Files.readString(file).replace("allow=g722,ulaw", "allow=alaw"));
        List<CodecDecision> state = desired.read();
        // Built from the channels' broker settings, so TLS/SASL keys reach it (no group: nothing is committed).
        assertEquals(bootstrap, desired.consumerProperties().get("bootstrap.servers"));
        assertEquals("PLAINTEXT", desired.consumerProperties().get("security.protocol"));
        assertEquals(null, desired.consumerProperties().get("group.id"));
        assertTrue(state.stream().anyMatch(s -> s.decisionId().equals(d.decisionId())), "latest decision of 1002 is desired");
        assertTrue(state.stream().allMatch(s -> s.pbxId().equals("lab")));
        assertEquals(Set.copyOf(state.stream().map(CodecDecision::endpoint).toList()).size(), state.size(), "one per endpoint");
        awaitIdle();
        long reloads = asterisk.reloads();
        List<ConfigApplied> results = applier.applyNow(state).get(30, TimeUnit.SECONDS);
        assertTrue(results.stream().anyMatch(r -> r.decisionId().equals(d.decisionId()) && r.status() == ConfigApplied.Status.APPLIED),
                results.toString());
        assertEquals(1, results.size(), "endpoints already right are not reported: " + results);
        assertEquals(List.of("g722", "ulaw"), inFile("1002"));
        assertEquals(reloads + 1, asterisk.reloads());
        assertEquals(List.of(), applier.applyNow(state).get(30, TimeUnit.SECONDS), "idempotent");
        assertEquals(reloads + 1, asterisk.reloads());
    }

    @Test
    void garbageGoesToTheDeadLetterTopicAndOtherPbxsAreIgnored() throws Exception {
        try (KafkaTestClient.Reader dead = kafka.reader(Topics.DEAD_LETTER)) {
            kafka.send(Topics.CODEC_DECISIONS, "lab/1001", "{not json");
            CodecDecision bad = decision("lab", "1001", "gsm");
            kafka.send(Topics.CODEC_DECISIONS, "lab/1001", EventJson.toJson(bad).replace("\"gsm\"", "\"ulaw\\n#include /etc/passwd\""));
            CodecDecision other = decision("elsewhere", "1001", "gsm");
            kafka.send(Topics.CODEC_DECISIONS, other.key(), EventJson.toJson(other));
            CodecDecision good = send("1001", "opus");
            assertEquals(ConfigApplied.Status.APPLIED, awaitApplied(good).status());
            List<ConsumerRecord<String, String>> letters = dead.await(2, r -> r.topic().equals(Topics.DEAD_LETTER)
                    && r.value() != null // a refused site-limit tombstone (AdmissionFlowTest) is a letter without value
                    && (r.value().equals("{not json") || r.value().contains(bad.decisionId().toString())), Duration.ofSeconds(20));
            Set<String> reasons = new HashSet<>();
            letters.forEach(r -> reasons.add(KafkaTestClient.header(r, "dead-letter-reason")));
            assertTrue(reasons.stream().anyMatch(r -> r != null && r.contains("codecs[0]")), reasons.toString());
            assertTrue(applied.drain(Duration.ofMillis(300)).stream().noneMatch(r -> r.value().contains(other.decisionId().toString())));
            assertEquals(List.of("opus"), inFile("1001"));
        }
    }

    @Test
    void unreachableAsteriskIsVisibleInHealthMetricsAndResults() throws Exception {
        awaitIdle();
        double connected = reconciliations("connected");
        asterisk.server().refuseLogins(true);
        asterisk.server().closeConnections();
        byte[] before = Files.readAllBytes(dir.resolve("pjsip_endpoints.conf"));
        CodecDecision d = send("1003", "g729");
        ConfigApplied a = awaitApplied(d);
        assertEquals(ConfigApplied.Status.FAILED, a.status());
        assertTrue(a.error().startsWith("Asterisk unreachable"), a.error());
        assertTrue(!a.error().contains("vbo-secret"), "the AMI secret is never reported");
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("pjsip_endpoints.conf")));
        RestAssured.get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'asterisk' }.status", org.hamcrest.Matchers.is("DOWN"))
                .body("checks.find { it.name == 'asterisk' }.data.configured", org.hamcrest.Matchers.is(true))
                .body("checks.find { it.name == 'asterisk' }.data.error", org.hamcrest.Matchers.containsString("refused"))
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("vbo-secret")));
        RestAssured.get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("vbo_ami_connected{pbx=\"lab\"} 0.0"))
                .body(org.hamcrest.Matchers.containsString("vbo_writer_applies_total{pbx=\"lab\",status=\"FAILED\"}"));
        asterisk.server().refuseLogins(false);
        RestAssured.get("/q/health/ready").then().statusCode(200);
        RestAssured.get("/q/metrics").then().body(org.hamcrest.Matchers.containsString("vbo_ami_connected{pbx=\"lab\"} 1.0"));

        // Asterisk is back: the reconciliation its return starts applies the decision that failed meanwhile.
        ConfigApplied repaired = DriftRepairTest.await(applied, d, ConfigApplied.Status.DRIFT_REPAIRED);
        assertEquals(List.of("g729"), repaired.codecsReported());
        assertEquals(List.of("g729"), repaired.drift().desired());
        assertEquals(List.of("g729"), inFile("1003"));
        // The event session logs in again by itself (each login starts a check): let that finish too.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> reconciliations("connected") > connected);
        awaitIdle();
    }

    private double reconciliations(String trigger) {
        return DriftRepairTest.reconciliations(meters, trigger);
    }

    /** Waits until the given endpoint's codecs are in the file (its decision applied); returns the file's bytes. */
    private byte[] awaitFile(String endpoint, List<String> codecs) throws Exception {
        Awaitility.await(endpoint + " gets " + codecs).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> inFile(endpoint).equals(codecs));
        awaitIdle();
        return Files.readAllBytes(dir.resolve("pjsip_endpoints.conf"));
    }

    /** Lets a batch that is being applied finish (the apply thread runs one task at a time). */
    private void awaitIdle() throws Exception {
        applier.applyNow(List.of()).get(30, TimeUnit.SECONDS);
    }
}
