package io.vbo.discovery;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vbo.events.ContactStatus;
import io.vbo.events.EndpointEvent;
import io.vbo.events.EndpointGone;
import io.vbo.events.EndpointObserved;
import io.vbo.events.EventJson;
import io.vbo.events.PbxCapabilities;
import io.vbo.events.Topics;
import io.vbo.testkit.KafkaBrokerResource;
import io.vbo.testkit.KafkaTestClient;
import io.vbo.lab.ami.AmiCall;
import io.vbo.lab.ami.AmiContact;
import io.vbo.lab.ami.AmiRequest;
import io.vbo.lab.ami.AmiTestServer;
import io.vbo.lab.ami.CommandReply;
import io.vbo.lab.ami.TranslationTables;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The service against two AMI test servers (one with a wrong secret) and a real Kafka broker. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(value = AmiServersResource.class, restrictToAnnotatedClass = true)
class DiscoveryServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    AmiServersResource.Servers servers;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    /** The stock capture's transcodable set (no opus, no g729), read off the table by hand. */
    private static final List<String> STOCK = List.of("adpcm", "alaw", "g722", "g726", "g726aal2", "gsm", "ilbc",
            "lpc10", "slin", "slin16", "speex", "speex16", "speex32", "ulaw");

    private KafkaTestClient kafka;
    private KafkaTestClient.Reader endpoints;
    private KafkaTestClient.Reader capabilities;

    @BeforeEach
    void open() {
        AmiTestServer ami = servers.good();
        ami.setContacts(AmiContact.allFrom(AmiContact.REGISTERED));
        ami.responseDelay(Duration.ZERO);
        ami.onCommand(AmiTestServer::defaultCommandReply);
        kafka = new KafkaTestClient(bootstrap);
        endpoints = kafka.reader(Topics.ENDPOINTS);
        capabilities = kafka.reader(Topics.PBX_CAPABILITIES);
    }

    @AfterEach
    void close() {
        endpoints.close();
        capabilities.close();
        kafka.close();
    }

    private static PbxCapabilities capabilities(ConsumerRecord<String, String> record) {
        return EventJson.fromJson(record.value(), PbxCapabilities.class);
    }

    private static EndpointEvent event(ConsumerRecord<String, String> record) {
        return EventJson.fromJson(record.value(), EndpointEvent.class);
    }

    private List<EndpointObserved> observed(String key, ContactStatus status, int count) {
        return endpoints.await(count, r -> r.key().equals(key) && event(r) instanceof EndpointObserved o && o.status() == status, WAIT)
                .stream().map(r -> (EndpointObserved) event(r)).toList();
    }

    @Test
    void threeContactsBecomeThreeEndpointObservedWithTheTranscriptFields() {
        Map<String, Long> rtts = Map.of("1001", 479L, "1002", 439L, "1003", 440L);
        Map<String, String> uris = Map.of("1001", "sip:1001-0x5644aa7f0270@10.231.1.2:5060",
                "1002", "sip:1002-0x560e6d0b1270@10.231.2.2:5060", "1003", "sip:1003-0x5629609f9270@10.231.3.2:5060");
        for (String endpoint : List.of("1001", "1002", "1003")) {
            EndpointObserved seen = observed("pbx-a/" + endpoint, ContactStatus.REACHABLE, 1).get(0);
            EndpointObserved expected = new EndpointObserved(1, "pbx-a", endpoint, endpoint, uris.get(endpoint),
                    "10.231." + endpoint.charAt(3) + ".2", 5060, "udp", ContactStatus.REACHABLE, rtts.get(endpoint),
                    "baresip v1.0.0 (x86_64/linux)", 0, seen.observedAt(), null);
            assertEquals(expected, seen);
        }
        assertTrue(endpoints.drain(Duration.ZERO).stream().noneMatch(r -> r.key().startsWith("pbx-bad/")));
    }

    @Test
    void twoContactsAtOneAddressWithDifferentPortsFormOneSite() {
        // Two phones behind one NAT router: the PBX sees one public address, two ports.
        AmiTestServer ami = servers.good();
        ami.addContact(AmiContact.generated("2101", "10.231.9.7", 5060));
        ami.addContact(AmiContact.generated("2102", "10.231.9.7", 5072));
        // A phone in the configured site's network (vbo.sites[0] of AmiServersResource: branch, 10.231.8.0/24).
        ami.addContact(AmiContact.generated("2103", "10.231.8.5", 5060));
        try {
            // A listing between the two additions carries 2101 alone (no site yet): the next one groups both.
            for (String endpoint : List.of("2101", "2102")) {
                EndpointObserved grouped = (EndpointObserved) event(endpoints.await(1, r -> r.key().equals("pbx-a/"
                        + endpoint) && event(r) instanceof EndpointObserved o && o.site() != null, WAIT).get(0));
                assertEquals("nat-10-231-9-7", grouped.site());
                assertEquals("10.231.9.7", grouped.address());
                assertEquals(endpoint.equals("2101") ? 5060 : 5072, grouped.port());
            }
            assertEquals("branch", observed("pbx-a/2103", ContactStatus.REACHABLE, 1).get(0).site());
            assertEquals(null, observed("pbx-a/1001", ContactStatus.REACHABLE, 1).get(0).site(), "alone at its address");
        } finally {
            List.of("2101", "2102", "2103").forEach(ami::removeContact);
        }
    }

    @Test
    void contactStatusEventIsPublishedWithinOneSecond() {
        servers.good().awaitEventSessions(1, WAIT);
        Instant emitted = Instant.now();
        assertEquals(1, servers.good().emitContactStatus("1003", "Unreachable"));
        ConsumerRecord<String, String> record = endpoints.await(1, r -> r.key().equals("pbx-a/1003")
                && event(r) instanceof EndpointObserved o && o.status() == ContactStatus.UNREACHABLE, WAIT).get(0);
        long millis = record.timestamp() - emitted.toEpochMilli();
        assertTrue(millis < 1000, "published " + millis + " ms after the AMI event");
        EndpointObserved unreachable = (EndpointObserved) event(record);
        assertEquals(null, unreachable.rttMicros());
        assertEquals("baresip v1.0.0 (x86_64/linux)", unreachable.userAgent());
    }

    @Test
    void removedContactProducesEndpointGone() {
        observed("pbx-a/1002", ContactStatus.REACHABLE, 1);
        servers.good().removeContact("1002");
        EndpointEvent gone = event(endpoints.await(1, r -> r.key().equals("pbx-a/1002") && event(r) instanceof EndpointGone, WAIT).get(0));
        assertEquals("sip:1002-0x560e6d0b1270@10.231.2.2:5060", ((EndpointGone) gone).contactUri());
    }

    @Test
    void activeChannelsReachTheEvents() {
        // With call events (the default) the live channels count, resynchronised by CoreShowChannels at each listing.
        AmiTestServer ami = servers.good();
        ami.awaitEventSessions(1, WAIT);
        List<AmiCall> calls = List.of(AmiCall.of("1001", 0x31, "ulaw"), AmiCall.of("1001", 0x32, "ulaw"));
        calls.forEach(ami::startCall);
        try {
            endpoints.await(1, r -> r.key().equals("pbx-a/1001") && event(r) instanceof EndpointObserved o && o.activeCalls() == 2, WAIT);
        } finally {
            calls.forEach(ami::endCall);
        }
        endpoints.await(1, r -> r.key().equals("pbx-a/1001") && event(r) instanceof EndpointObserved o && o.activeCalls() == 0, WAIT);
    }

    @Test
    void capabilitiesArePublishedAtConnectWithTheStockSet() {
        ConsumerRecord<String, String> first = capabilities.await(1, r -> r.key().equals("pbx-a"), WAIT).get(0);
        PbxCapabilities read = capabilities(first);
        assertEquals(new PbxCapabilities(1, "pbx-a", STOCK, "core show translation", "discovery-service", read.observedAt()),
                read);
        assertTrue(capabilities.drain(Duration.ZERO).stream().noneMatch(r -> r.key().equals("pbx-bad")),
                "a PBX that never logged in has no capabilities");
        String body = given().when().get("/q/health/ready").then().extract().asString();
        assertTrue(JsonPath.from(body).getString("checks.find { it.name == 'PBX connections' }.data.'pbx-a.transcodable'")
                .endsWith(" (core show translation)"), body);
    }

    @Test
    void aReloadWithAChangedTableIsPublishedWithinSeconds() {
        AmiTestServer ami = servers.good();
        ami.awaitEventSessions(1, WAIT);
        capabilities.await(1, r -> r.key().equals("pbx-a"), WAIT);
        // SYNTHETIC table (the capture plus an opus row and column): codec_opus was loaded, then a reload.
        List<String> withOpus = TranslationTables.withFormat(TranslationTables.stock(), "opus", 21000);
        ami.onCommand(cli -> cli.equals("core show translation") ? CommandReply.ok(withOpus.toArray(String[]::new)) : null);
        try {
            int before = capabilities.drain(Duration.ZERO).size();
            assertEquals(1, ami.emitReload("codec_opus.so"));
            ConsumerRecord<String, String> record = capabilities.await(1, r -> r.key().equals("pbx-a")
                    && capabilities(r).transcodable().contains("opus"), Duration.ofSeconds(5)).get(0);
            assertEquals(List.of("adpcm", "alaw", "g722", "g726", "g726aal2", "gsm", "ilbc", "lpc10", "opus", "slin",
                    "slin16", "speex", "speex16", "speex32", "ulaw"), capabilities(record).transcodable());
            assertEquals(before + 1, capabilities.drain(Duration.ofMillis(500)).size(), "one record for one change");
            // An unchanged table after FullyBooted publishes nothing.
            long reads = translationReads(ami);
            assertEquals(1, ami.emitFullyBooted());
            Awaitility.await().atMost(WAIT).until(() -> translationReads(ami) > reads);
            assertEquals(before + 1, capabilities.drain(Duration.ofSeconds(1)).size());

            // Back to the stock table: another change, published again.
            ami.onCommand(AmiTestServer::defaultCommandReply);
            ami.emitReload("codec_opus.so");
            List<ConsumerRecord<String, String>> all = capabilities.await(before + 2, r -> true, Duration.ofSeconds(5));
            assertEquals(STOCK, capabilities(all.get(before + 1)).transcodable());
        } finally {
            ami.onCommand(AmiTestServer::defaultCommandReply);
        }
    }

    private static long translationReads(AmiTestServer ami) {
        return ami.requests("Command").stream().filter(r -> "core show translation".equals(r.header("Command"))).count();
    }

    @Test
    void loginUsesTheMd5ChallengeAndTheSecretIsNeverSent() {
        AmiTestServer ami = servers.good();
        ami.awaitEventSessions(1, WAIT);
        List<AmiRequest> logins = ami.requests("Login");
        assertTrue(!logins.isEmpty());
        for (AmiRequest login : logins) {
            assertEquals("MD5", login.header("AuthType"));
            assertTrue(login.header("Key").matches("[0-9a-f]{32}"), login.headers().toString());
            assertEquals(null, login.header("Secret"));
            assertEquals("call,reporting,system", login.header("Events"));
        }
        assertTrue(ami.requests().stream().flatMap(r -> r.headers().values().stream()).noneMatch(v -> v.contains("vbo-secret")));
        assertTrue(ami.requests("Challenge").size() >= logins.size());
    }

    @Test
    void theCapabilitiesTopicIsCompacted() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.PBX_CAPABILITIES);
            Config config = admin.describeConfigs(List.of(topic)).all().get(10, TimeUnit.SECONDS).get(topic);
            assertEquals("compact", config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
        }
    }

    @Test
    void wrongSecretIsDownWithAuthenticationFailedAndNoReconnectStorm() {
        AmiTestServer bad = servers.wrongSecret();
        Awaitility.await().atMost(WAIT).until(() -> bad.loginAttempts() > 0);
        String body = given().when().get("/q/health/ready").then().statusCode(503).extract().asString();
        JsonPath health = JsonPath.from(body);
        String pbxBad = health.getString("checks.find { it.name == 'PBX connections' }.data.pbx-bad");
        assertTrue(pbxBad.startsWith("down: authentication failed"), body);
        assertEquals("connected", health.getString("checks.find { it.name == 'PBX connections' }.data.pbx-a"), body);
        // Reconnect backoff is 200 ms here: a retry loop ignoring the refusal would log in ~10 times in 2 s.
        Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> bad.loginAttempts() == 1);
    }

    @Test
    void closedSocketIsFollowedByReconnectAndResumedPublishing() {
        AmiTestServer ami = servers.good();
        ami.awaitEventSessions(1, WAIT);
        int logins = ami.loginAttempts();
        ami.closeConnections();
        ami.addContact(AmiContact.generated("2001", "2001:db8::20", 5062));
        EndpointObserved fresh = observed("pbx-a/2001", ContactStatus.REACHABLE, 1).get(0);
        assertEquals("2001:db8::20", fresh.address());
        assertEquals(5062, fresh.port());
        assertTrue(ami.loginAttempts() > logins, "a new login after the drop");
        ami.awaitEventSessions(1, WAIT);
    }

    @Test
    void garbageAndUnknownEventsDoNotStopTheService() {
        AmiTestServer ami = servers.good();
        ami.awaitEventSessions(1, WAIT);
        int connections = ami.connections();
        ami.sendGarbage("\u0000\u00ff\u0007 not AMI at all\r\n\r\n");
        ami.emitEvent("Event: SomethingAsteriskAddsLater\r\nPrivilege: system,all\r\nFoo: bar\r\n\r\n");
        ami.emitEvent("Event: ContactStatus\r\nPrivilege: system,all\r\nContactStatus: Reachable\r\n\r\n");
        ami.emitContactStatus("1001", "NonQualified");
        observed("pbx-a/1001", ContactStatus.NON_QUALIFIED, 1);
        assertEquals(connections, ami.connections(), "no reconnect was needed");
    }

    @Test
    void metricsNameEachPbx() {
        observed("pbx-a/1001", ContactStatus.REACHABLE, 1);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("vbo_ami_connected{pbx=\"pbx-a\"} 1.0"))
                .body(containsString("vbo_ami_connected{pbx=\"pbx-bad\"} 0.0"))
                .body(containsString("vbo_discovery_contacts{pbx=\"pbx-a\"}"))
                .body(containsString("vbo_discovery_published_total{pbx=\"pbx-a\",type=\"EndpointObserved\"}"));
    }
}
