package io.vbo.writer;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vbo.events.CodecDecision;
import io.vbo.events.ConfigApplied;
import io.vbo.events.EndpointCeiling;
import io.vbo.events.EventJson;
import io.vbo.events.Topics;
import io.vbo.testkit.KafkaBrokerResource;
import io.vbo.testkit.KafkaTestClient;
import io.vbo.writer.editor.PjsipConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Ceilings on vbo.endpoint-ceilings over real Kafka: from the files at start and on first management, and from the users API. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(WriterTestResource.class)
class CeilingFlowTest {
    @WriterTestResource.ConfigDir
    Path dir;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "vbo.writer.backup-dir")
    Path backups;

    private static List<EndpointCeiling> ceilings(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(r -> {
            EndpointCeiling c = EventJson.fromJson(r.value(), EndpointCeiling.class);
            assertEquals(c.key(), r.key());
            return c;
        }).toList();
    }

    private static List<EndpointCeiling> of(KafkaTestClient.Reader reader, String endpoint, EndpointCeiling.Source source,
            int count) {
        return ceilings(reader.await(count, r -> r.key().equals("lab/" + endpoint)
                && EventJson.fromJson(r.value(), EndpointCeiling.class).source() == source, Duration.ofSeconds(30)));
    }

    @Test
    void theFilesCeilingsArePublishedAndTheWritersOwnEditsNeverBecomeOne() throws Exception {
        List<String> lab = List.of("ulaw", "alaw", "g722", "gsm");
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
                KafkaTestClient.Reader topic = kafka.reader(Topics.ENDPOINT_CEILINGS);
                KafkaTestClient.Reader applied = kafka.reader(Topics.CONFIG_APPLIED)) {
            for (String endpoint : List.of("1001", "1002", "1003")) {
                EndpointCeiling c = of(topic, endpoint, EndpointCeiling.Source.FILE, 1).get(0);
                assertEquals("lab", c.pbxId());
                assertEquals(lab, c.codecs(), endpoint);
            }

            // An endpoint added by hand after the start is recorded when first managed: its audio, not its video.
            Files.writeString(dir.resolve("pjsip_endpoints.conf"), "[1004]\ntype=endpoint\ncontext=from-internal\n"
                    + "disallow=all\nallow=alaw,h264\n", StandardOpenOption.APPEND);
            CodecDecision first = DecisionFlowTest.decision("lab", "1004", "gsm");
            kafka.send(Topics.CODEC_DECISIONS, first.key(), EventJson.toJson(first));
            assertEquals(List.of("alaw"), of(topic, "1004", EndpointCeiling.Source.FILE, 1).get(0).codecs());
            ConfigApplied a = EventJson.fromJson(applied.await(1, r -> r.value().contains(first.decisionId().toString()),
                    Duration.ofSeconds(30)).get(0).value(), ConfigApplied.class);
            assertEquals(ConfigApplied.Status.APPLIED, a.status(), a.error());
            assertEquals(List.of("gsm", "h264"), a.codecsReported(), "video kept on the endpoint");
            assertTrue(Files.readString(dir.resolve("pjsip_endpoints.conf")).endsWith("[1004]\ntype=endpoint\ncontext=from-internal\n"
                    + "disallow=all\nallow=gsm,h264\noutgoing_call_offer_pref=local\nincoming_call_offer_pref=local\n"));

            // Managed again after the writer's edit: no new ceiling, whatever the file says now.
            CodecDecision second = DecisionFlowTest.decision("lab", "1004", "ulaw");
            kafka.send(Topics.CODEC_DECISIONS, second.key(), EventJson.toJson(second));
            applied.await(1, r -> r.value().contains(second.decisionId().toString()), Duration.ofSeconds(30));
            assertEquals(List.of("ulaw", "h264"), PjsipConfig.load(dir, "pjsip.conf").effectiveAllow("1004"));
            List<EndpointCeiling> all = ceilings(topic.drain(Duration.ofSeconds(1)));
            assertTrue(all.stream().filter(c -> c.source() == EndpointCeiling.Source.FILE)
                    .allMatch(c -> c.codecs().equals(c.endpoint().equals("1004") ? List.of("alaw") : lab)), all.toString());
            String state = Files.readString(backups.resolve("endpoint-ceilings.json"));
            assertTrue(state.contains("\"endpoint\" : \"1004\",\n    \"codecs\" : [ \"alaw\" ],\n    \"source\" : \"FILE\""), state);
        }
    }

    @Test
    void usersAddAndEditPublishTheirCodecsAsTheCeiling() {
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
                KafkaTestClient.Reader topic = kafka.reader(Topics.ENDPOINT_CEILINGS)) {
            admin().contentType(ContentType.JSON).body(Map.of("extension", "4001", "password", "password", "codecs", "g722, ulaw"))
                    .post("/api/v1/users").then().statusCode(201);
            assertEquals(List.of("g722", "ulaw"), of(topic, "4001", EndpointCeiling.Source.USERS, 1).get(0).codecs());
            admin().contentType(ContentType.URLENC).formParam("codecs", "gsm").patch("/api/v1/users/4001").then().statusCode(200);
            assertEquals(List.of("gsm"), of(topic, "4001", EndpointCeiling.Source.USERS, 2).get(1).codecs());
            admin().contentType(ContentType.JSON).body(Map.of("extension", "4002", "password", "password")).post("/api/v1/users")
                    .then().statusCode(201);
            assertEquals(List.of("ulaw", "alaw", "opus", "g729", "gsm"),
                    of(topic, "4002", EndpointCeiling.Source.USERS, 1).get(0).codecs(), "the users API's default");
            admin().contentType(ContentType.URLENC).formParam("password", "other-password").patch("/api/v1/users/4002").then().statusCode(200);
            admin().delete("/api/v1/users/4001").then().statusCode(200);
            admin().delete("/api/v1/users/4002").then().statusCode(200);
            List<EndpointCeiling> all = ceilings(topic.drain(Duration.ofSeconds(1)));
            assertEquals(1, all.stream().filter(c -> c.endpoint().equals("4002")).count(), "a password change sets no ceiling");
            assertTrue(all.stream().noneMatch(c -> c.endpoint().startsWith("400") && c.source() == EndpointCeiling.Source.FILE),
                    all.toString());
        }
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "admin");
    }
}
