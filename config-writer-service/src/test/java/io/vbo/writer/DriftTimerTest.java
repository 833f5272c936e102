package io.vbo.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vbo.events.CodecDecision;
import io.vbo.events.ConfigApplied;
import io.vbo.events.EventJson;
import io.vbo.events.Topics;
import io.vbo.testkit.KafkaBrokerResource;
import io.vbo.testkit.KafkaTestClient;
import io.vbo.writer.editor.PjsipConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** A hand edit that nothing announces (no reload, no restart) is found by the timer and repaired in the files. */
@QuarkusTest
@TestProfile(DriftTimerTest.ShortTimer.class)
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(WriterTestResource.class)
class DriftTimerTest {
    /** A 3 s reconciliation period instead of 5 min. */
    public static class ShortTimer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("vbo.writer.reconcile-every", "3s");
        }
    }

    @WriterTestResource.ConfigDir
    Path dir;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void theTimerFindsAFileEditedByHand() throws Exception {
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap); KafkaTestClient.Reader applied = kafka.reader(Topics.CONFIG_APPLIED)) {
            CodecDecision d = DriftRepairTest.pin("1001", "g729", "gsm");
            kafka.send(Topics.CODEC_DECISIONS, d.key(), EventJson.toJson(d));
            DriftRepairTest.await(applied, d, ConfigApplied.Status.APPLIED);
            Path file = dir.resolve("pjsip_endpoints.conf");
            Files.writeString(file, Files.readString(file).replace("[1001]\ntype=endpoint\ncontext=from-internal\ndisallow=all\n"
                    + "allow=g729,gsm\n", "[1001]\ntype=endpoint\ncontext=from-internal\ndisallow=all\n" + DriftRepairTest.OLD_ALLOW + "\n"));

            ConfigApplied repaired = DriftRepairTest.await(applied, d, ConfigApplied.Status.DRIFT_REPAIRED);
            // Asterisk was never reloaded with the edit: only the files had drifted.
            assertEquals(new ConfigApplied.Drift(List.of("ulaw", "alaw", "g722", "gsm"), List.of("g729", "gsm"),
                    List.of("g729", "gsm"), "timer"), repaired.drift());
            assertEquals(List.of("g729", "gsm"), repaired.codecsReported());
            assertEquals(List.of("g729", "gsm"), PjsipConfig.load(dir, "pjsip.conf").effectiveAllow("1001"));
        }
    }
}
