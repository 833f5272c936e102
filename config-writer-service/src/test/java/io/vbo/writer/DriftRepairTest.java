package io.vbo.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
import io.vbo.writer.service.DecisionApplier;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The writer reconciles like a controller: an endpoint applied, then its file put back by hand to the codecs it had
 * before, is applied again when Asterisk announces it restarted (FullyBooted) or reloaded without the writer; its own
 * reloads start nothing. Real broker, AMI test server replaying the captured events.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(WriterTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DriftRepairTest {
    /** The lab's allow line before the writer managed anything (config-used). */
    static final String OLD_ALLOW = "allow=ulaw,alaw,g722,gsm";

    @WriterTestResource.Ami
    WriterTestResource.SimulatedAsterisk asterisk;
    @WriterTestResource.ConfigDir
    Path dir;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    DecisionApplier applier;
    @Inject
    MeterRegistry meters;

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

    /** An administrator's pin, as policy-service publishes it: the pin is the desired state. */
    static CodecDecision pin(String endpoint, String... codecs) {
        return new CodecDecision(CodecDecision.SCHEMA, UUID.randomUUID(), "lab", endpoint, "pinned", List.of(codecs), null,
                new CodecDecision.Reason("pin", null, Map.of(), null, "pinned by admin"), Instant.now(), List.of(), List.of(),
                List.of(), false, null);
    }

    static ConfigApplied await(KafkaTestClient.Reader applied, CodecDecision d, ConfigApplied.Status status) {
        return EventJson.fromJson(applied.await(1, r -> r.value().contains(d.decisionId().toString())
                && r.value().contains("\"status\":\"" + status + "\""), Duration.ofSeconds(30)).get(0).value(), ConfigApplied.class);
    }

    /** Applies {@code d} and then puts the endpoint's allow line back to the lab's, as an administrator's hand edit. */
    private void appliedThenEditedByHand(CodecDecision d, String appliedAllow) throws Exception {
        // The event session first: a Reload event of the writer's own reload that no session received would leave
        // that reload unmatched, and the next foreign Reload within the window would be taken for it.
        asterisk.server().awaitEventSessions(1, Duration.ofSeconds(15));
        kafka.send(Topics.CODEC_DECISIONS, d.key(), EventJson.toJson(d));
        assertEquals(ConfigApplied.Status.APPLIED, await(applied, d, ConfigApplied.Status.APPLIED).status());
        applier.applyNow(List.of()).get(30, TimeUnit.SECONDS);
        asterisk.server().awaitEventSessions(1, Duration.ofSeconds(15));
        Path file = dir.resolve("pjsip_endpoints.conf");
        String text = Files.readString(file);
        String section = "[" + d.endpoint() + "]\ntype=endpoint\ncontext=from-internal\ndisallow=all\n";
        assertEquals(true, text.contains(section + appliedAllow + "\n"), text);
        Files.writeString(file, text.replace(section + appliedAllow + "\n", section + OLD_ALLOW + "\n"));
    }

    /** Drift checks the writer of PBX {@code lab} has started for {@code trigger} so far. */
    static double reconciliations(MeterRegistry meters, String trigger) {
        Counter c = meters.find("vbo.writer.reconciliations").tag("pbx", "lab").tag("trigger", trigger).counter();
        return c == null ? 0 : c.count();
    }

    private double reconciliations(String trigger) {
        return reconciliations(meters, trigger);
    }

    @Test
    void aHandEditLoadedByARestartIsRepairedOnFullyBooted() throws Exception {
        CodecDecision d = pin("1002", "g722", "ulaw");
        appliedThenEditedByHand(d, "allow=g722,ulaw");
        // Asterisk restarts with the edited file and announces it.
        asterisk.startAgain();
        assertEquals(1, asterisk.server().emitFullyBooted(), "the writer's event session got it");

        ConfigApplied repaired = await(applied, d, ConfigApplied.Status.DRIFT_REPAIRED);
        assertEquals(List.of("g722", "ulaw"), repaired.codecsReported());
        assertEquals(new ConfigApplied.Drift(List.of("ulaw", "alaw", "g722", "gsm"), List.of("ulaw", "alaw", "g722", "gsm"),
                List.of("g722", "ulaw"), "fully_booted"), repaired.drift());
        assertEquals(List.of("g722", "ulaw"), PjsipConfig.load(dir, "pjsip.conf").effectiveAllow("1002"));
        RestAssured.get("/q/metrics").then().statusCode(200)
                .body(Matchers.containsString("vbo_writer_drift_repaired_total{pbx=\"lab\"}"));
    }

    @Test
    void aReloadTheWriterDidNotMakeIsChecked() throws Exception {
        CodecDecision d = pin("1003", "gsm");
        double before = reconciliations("other_reload");
        appliedThenEditedByHand(d, "allow=gsm");
        // The writer's own reload (for d) started no check.
        Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> reconciliations("other_reload") == before);

        asterisk.reloadedByOthers();
        ConfigApplied repaired = await(applied, d, ConfigApplied.Status.DRIFT_REPAIRED);
        assertEquals(List.of("gsm"), repaired.codecsReported());
        assertEquals(new ConfigApplied.Drift(List.of("ulaw", "alaw", "g722", "gsm"), List.of("ulaw", "alaw", "g722", "gsm"),
                List.of("gsm"), "other_reload"), repaired.drift());
        assertEquals(before + 1, reconciliations("other_reload"));
        assertEquals(List.of("gsm"), PjsipConfig.load(dir, "pjsip.conf").effectiveAllow("1003"));
    }
}
