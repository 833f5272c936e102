package io.vbo.writer;

import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vbo.events.EventJson;
import io.vbo.events.SiteLimit;
import io.vbo.events.Topics;
import io.vbo.testkit.KafkaBrokerResource;
import io.vbo.testkit.KafkaTestClient;
import io.vbo.writer.service.AdmissionApplier;
import io.vbo.writer.service.AdmissionService;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Site limits in over real Kafka, the admission dialplan written, reloaded and read back by the AMI test server. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(WriterTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdmissionFlowTest {
    @WriterTestResource.Ami
    WriterTestResource.SimulatedAsterisk asterisk;
    @WriterTestResource.ConfigDir
    Path dir;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    AdmissionService admission;

    KafkaTestClient kafka;

    @BeforeAll
    void connect() {
        kafka = new KafkaTestClient(bootstrap);
    }

    @AfterAll
    void disconnect() {
        kafka.close();
    }

    @AfterEach
    void healthyAsterisk() {
        asterisk.server().dialplanReloadTakes(true);
    }

    private static SiteLimit limit(String pbx, String site, int maxCalls, String... endpoints) {
        return new SiteLimit(SiteLimit.SCHEMA, pbx, site, List.of(endpoints), "t2", "g729", 31200, 80000, maxCalls, 2,
                SiteLimit.ConcurrentSource.LEARNED, Instant.now());
    }

    private void send(SiteLimit l) {
        kafka.send(Topics.SITE_LIMITS, l.key(), EventJson.toJson(l));
    }

    /** Sends, then waits for the batch they start to be applied; returns its result. */
    private AdmissionApplier.Result sendAndAwait(SiteLimit... limits) {
        AdmissionApplier.Result before = admission.last();
        for (SiteLimit l : limits) {
            send(l);
        }
        Awaitility.await("a batch of site limits").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> admission.last() != null && admission.last() != before);
        return admission.last();
    }

    private String ownFile() throws Exception {
        return Files.readString(dir.resolve("extensions_vbo.conf"));
    }

    @Test
    void limitsPublishedTogetherAreOneFileOneDialplanReloadAndAreReadBack() throws Exception {
        long reloads = asterisk.server().dialplanReloads();
        long pjsipReloads = asterisk.reloads();
        int getvars = asterisk.server().requests("Getvar").size();
        AdmissionApplier.Result r = sendAndAwait(limit("lab", "branch1", 2, "1001", "1002"), limit("lab", "hq", 4, "1003"),
                limit("elsewhere", "other", 9, "1001"));
        assertEquals(AdmissionApplier.Status.APPLIED, r.status(), r.detail());
        assertEquals(List.of("branch1: 2 calls (g729 at 31200 bit/s, 80000 bit/s usable, K=2 LEARNED, tier t2)",
                "hq: 4 calls (g729 at 31200 bit/s, 80000 bit/s usable, K=2 LEARNED, tier t2)"), r.sites());
        assertEquals(reloads + 1, asterisk.server().dialplanReloads());
        assertEquals(pjsipReloads, asterisk.reloads(), "res_pjsip is not reloaded for the dialplan");
        assertTrue(asterisk.server().requests("Command").stream().noneMatch(c -> "core reload".equals(c.header("Command"))));
        String own = ownFile();
        assertTrue(own.contains("\nVBO_MAX_CALLS_branch1=2\nVBO_SITE_1001=branch1\nVBO_SITE_1002=branch1\n"), own);
        assertTrue(own.contains("\nVBO_MAX_CALLS_hq=4\nVBO_SITE_1003=hq\n"), own);
        assertTrue(!own.contains("other"), "the other PBX's site is not written");
        // Read back through Getvar: the two limits and the three endpoints' sites.
        assertTrue(asterisk.server().requests("Getvar").size() >= getvars + 5);
        String extensions = Files.readString(dir.resolve("extensions.conf"));
        assertEquals(1, extensions.split("#include extensions_vbo.conf", -1).length - 1, extensions);
        assertTrue(extensions.contains("; END VBO admission control\n;EBANDI\n[from-internal]\n"), extensions);

        RestAssured.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'admission' }.data.lastStatus", org.hamcrest.Matchers.equalTo("APPLIED"))
                .body("checks.name", hasItem("admission"));
        RestAssured.given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("vbo_writer_admission_max_calls{pbx=\"lab\",site=\"branch1\"} 2.0"));

        // The same limits again (a later decision time): no write, no reload.
        byte[] bytes = Files.readAllBytes(dir.resolve("extensions_vbo.conf"));
        AdmissionApplier.Result again = sendAndAwait(limit("lab", "branch1", 2, "1001", "1002"));
        assertEquals(AdmissionApplier.Status.UNCHANGED, again.status());
        assertArrayEquals(bytes, Files.readAllBytes(dir.resolve("extensions_vbo.conf")));
        assertEquals(reloads + 1, asterisk.server().dialplanReloads());
    }

    @Test
    void aReadBackThatFailsRollsTheFileBackAndReloadsIt() throws Exception {
        AdmissionApplier.Result first = sendAndAwait(limit("lab", "branch2", 3, "1002"));
        assertTrue(first.status() == AdmissionApplier.Status.APPLIED || first.status() == AdmissionApplier.Status.UNCHANGED,
                first.toString());
        byte[] before = Files.readAllBytes(dir.resolve("extensions_vbo.conf"));
        byte[] extensions = Files.readAllBytes(dir.resolve("extensions.conf"));
        long reloads = asterisk.server().dialplanReloads();
        asterisk.server().dialplanReloadTakes(false);

        AdmissionApplier.Result r = sendAndAwait(limit("lab", "branch2", 1, "1002"));
        assertEquals(AdmissionApplier.Status.ROLLED_BACK, r.status());
        assertEquals("read-back failed: VBO_MAX_CALLS_branch2 is '3', expected 1; previous files restored and reloaded",
                r.detail());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("extensions_vbo.conf")));
        assertArrayEquals(extensions, Files.readAllBytes(dir.resolve("extensions.conf")));
        assertEquals(reloads + 2, asterisk.server().dialplanReloads(), "the reload that did not take, then the one after restoring");
        RestAssured.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'admission' }.data.lastStatus", org.hamcrest.Matchers.equalTo("ROLLED_BACK"));
    }

    @Test
    void aHostileSiteNameGoesToTheDeadLetterTopicAndNothingOfItReachesTheFile() throws Exception {
        try (KafkaTestClient.Reader dead = kafka.reader(Topics.DEAD_LETTER)) {
            SiteLimit good = limit("lab", "branch3", 2, "1003");
            String hostile = EventJson.toJson(good).replace("\"branch3\"", "\"x)\\n[evil]\\nexten => _X.,1,Dial(PJSIP/evil)\"");
            kafka.send(Topics.SITE_LIMITS, "lab/x", hostile);
            AdmissionApplier.Result r = sendAndAwait(good);
            assertTrue(r.sites().stream().allMatch(s -> s.startsWith("branch3: ")), r.sites().toString());
            List<ConsumerRecord<String, String>> letters = dead.await(1, rec -> hostile.equals(rec.value()), Duration.ofSeconds(20));
            String reason = KafkaTestClient.header(letters.get(0), "dead-letter-reason");
            assertTrue(reason != null && reason.contains("site"), String.valueOf(reason));
            assertTrue(!ownFile().contains("evil"), ownFile());
        }
    }

    @Test
    void aTombstoneRemovesTheSiteItsGlobalsReadBackEmptyAfterOneDialplanReload() throws Exception {
        AdmissionApplier.Result first = sendAndAwait(limit("lab", "branch4", 2, "1004"));
        assertTrue(first.status() == AdmissionApplier.Status.APPLIED, first.toString());
        long reloads = asterisk.server().dialplanReloads();
        int getvars = asterisk.server().requests("Getvar").size();
        try (KafkaTestClient.Reader dead = kafka.reader(Topics.DEAD_LETTER)) {
            kafka.send(Topics.SITE_LIMITS, "lab/x)[evil]", null);
            AdmissionApplier.Result before = admission.last();
            kafka.send(Topics.SITE_LIMITS, "lab/branch4", null);
            Awaitility.await("the removal").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> admission.last() != before);
            AdmissionApplier.Result r = admission.last();
            assertEquals(AdmissionApplier.Status.APPLIED, r.status(), r.detail());
            assertEquals(List.of("branch4: removed"), r.sites());
            assertEquals(reloads + 1, asterisk.server().dialplanReloads());
            String own = ownFile();
            assertFalse(own.contains("VBO_MAX_CALLS_branch4=2"), own);
            assertTrue(own.contains("\nVBO_MAX_CALLS_branch4=\n"), own);
            assertTrue(own.contains("\nVBO_SITE_1004=\n"), own);
            // Read back: the cleared names were asked for (and the applier got them empty, or it would have rolled back).
            List<String> asked = asterisk.server().requests("Getvar").stream().map(g -> g.header("Variable")).toList();
            assertTrue(asked.subList(getvars, asked.size()).containsAll(List.of("VBO_MAX_CALLS_branch4", "VBO_SITE_1004")),
                    asked.toString());
            List<ConsumerRecord<String, String>> letters = dead.await(1, rec -> "lab/x)[evil]".equals(rec.key()),
                    Duration.ofSeconds(20));
            String reason = KafkaTestClient.header(letters.get(0), "dead-letter-reason");
            assertTrue(reason != null && reason.contains("key.site"), String.valueOf(reason));
            assertFalse(own.contains("evil"), own);
        }
    }
}
