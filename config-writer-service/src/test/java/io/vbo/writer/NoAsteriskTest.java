package io.vbo.writer;

import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.vbo.events.CodecDecision;
import io.vbo.events.ConfigApplied;
import io.vbo.events.EventJson;
import io.vbo.events.Topics;
import io.vbo.testkit.KafkaBrokerResource;
import io.vbo.testkit.KafkaTestClient;
import io.vbo.writer.editor.PjsipConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** A local run with no Asterisk: readiness stays UP, decisions are written and reported, nothing is reloaded. */
@QuarkusTest
@TestProfile(NoAsteriskTest.NoAsterisk.class)
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(WriterTestResource.class)
class NoAsteriskTest {
    /** reload.mode=none: what a local run without vbo.writer.ami.host amounts to. */
    public static class NoAsterisk implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("vbo.writer.reload.mode", "none");
        }
    }

    @WriterTestResource.Ami
    WriterTestResource.SimulatedAsterisk asterisk;
    @WriterTestResource.ConfigDir
    Path dir;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void readyAndWritingWithoutAsterisk() throws Exception {
        RestAssured.get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'asterisk' }.status", is("UP"))
                .body("checks.find { it.name == 'asterisk' }.data.configured", is(false));
        long reloads = asterisk.reloads();
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap); KafkaTestClient.Reader applied = kafka.reader(Topics.CONFIG_APPLIED)) {
            CodecDecision d = DecisionFlowTest.decision("lab", "1003", "ilbc", "gsm");
            kafka.send(Topics.CODEC_DECISIONS, d.key(), EventJson.toJson(d));
            ConfigApplied a = EventJson.fromJson(applied.await(1, r -> r.value().contains(d.decisionId().toString()),
                    Duration.ofSeconds(30)).get(0).value(), ConfigApplied.class);
            assertEquals(ConfigApplied.Status.APPLIED, a.status());
            assertTrue(a.error().contains("not reloaded"), a.error());
        }
        assertEquals(java.util.List.of("ilbc", "gsm"), PjsipConfig.load(dir, "pjsip.conf").effectiveAllow("1003"));
        assertEquals(reloads, asterisk.reloads());
    }
}
