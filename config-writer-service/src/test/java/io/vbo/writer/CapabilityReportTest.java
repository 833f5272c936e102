package io.vbo.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vbo.events.CodecDecision;
import io.vbo.events.EventJson;
import io.vbo.events.PbxCapabilities;
import io.vbo.events.Topics;
import io.vbo.testkit.KafkaBrokerResource;
import io.vbo.testkit.KafkaTestClient;
import io.vbo.lab.ami.TranslationTables;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The writer reads its own PBX's translator table and publishes it on vbo.pbx-capabilities, again after its reloads. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(WriterTestResource.class)
class CapabilityReportTest {
    /** The captured stock Asterisk 22 table: every codec with a path to and from slin (no opus, no g729). */
    static final List<String> STOCK = List.of("adpcm", "alaw", "g722", "g726", "g726aal2", "gsm", "ilbc", "lpc10",
            "slin", "slin16", "speex", "speex16", "speex32", "ulaw");

    @WriterTestResource.Ami
    WriterTestResource.SimulatedAsterisk asterisk;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private static List<PbxCapabilities> fromWriter(KafkaTestClient.Reader reader, String containing) {
        return reader.await(1, r -> r.key().equals("lab") && r.value().contains("config-writer-service")
                && r.value().contains(containing), Duration.ofSeconds(30)).stream()
                .map(r -> EventJson.fromJson(r.value(), PbxCapabilities.class)).toList();
    }

    @Test
    void theStockTableIsPublishedAndAReloadWithCodecOpusLoadedPublishesOpus() {
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
                KafkaTestClient.Reader topic = kafka.reader(Topics.PBX_CAPABILITIES)) {
            PbxCapabilities first = fromWriter(topic, "\"ulaw\"").get(0);
            assertEquals(STOCK, first.transcodable());
            assertEquals(PbxCapabilities.SOURCE_TRANSLATION, first.source());
            assertEquals("lab", first.pbxId());

            // codec_opus loaded on the PBX; the writer's next reload reads the table again.
            asterisk.translation(TranslationTables.withFormat(TranslationTables.stock(), "opus", 21000));
            CodecDecision d = DecisionFlowTest.decision("lab", "1002", "gsm", "ulaw");
            kafka.send(Topics.CODEC_DECISIONS, d.key(), EventJson.toJson(d));
            List<PbxCapabilities> after = fromWriter(topic, "\"opus\"");
            assertEquals(List.of("adpcm", "alaw", "g722", "g726", "g726aal2", "gsm", "ilbc", "lpc10", "opus", "slin",
                    "slin16", "speex", "speex16", "speex32", "ulaw"), after.get(after.size() - 1).transcodable());
        } finally {
            asterisk.translation(null);
        }
    }
}
