package io.vbo.writer.pbx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vbo.ami.AmiConnection;
import io.vbo.lab.ami.AmiTestServer;
import io.vbo.lab.ami.CommandReply;
import io.vbo.lab.ami.EndpointSettings;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The writer's AMI (the shared io.vbo.ami client) against the AMI test server replaying Asterisk 22's captured answers. */
class AmiPbxTest {
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private static AmiPbx pbx(AmiTestServer server, String secret) {
        return new AmiPbx(vertx, AmiConnection.Settings.of("lab", "127.0.0.1", server.port(), "vbo", secret)
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5))
                .withBackoff(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(200)));
    }

    @Test
    void reloadAndShowEndpointAsCaptured() throws Exception {
        try (AmiTestServer server = AmiTestServer.start();
                AmiPbx ami = pbx(server, "vbo-secret")) {
            assertEquals("Module 'res_pjsip.so' reloaded successfully.", ami.reloadPjsip());
            assertEquals(new LoadedEndpoint(List.of("ulaw", "alaw", "g722", "gsm"), "remote_merge", "local"), ami.endpoint("1001"));
            server.endpointSettings(endpoint -> endpoint.equals("1002")
                    ? new EndpointSettings(List.of("gsm", "ulaw"), "local_first", "local_first") : null);
            assertEquals(new LoadedEndpoint(List.of("gsm", "ulaw"), "local_first", "local_first"), ami.endpoint("1002"));
            server.endpointAllow(endpoint -> endpoint.equals("1002") ? List.of("gsm") : null);
            assertEquals(new LoadedEndpoint(List.of("gsm"), "remote_merge", "local"), ami.endpoint("1002"));
            PbxException unknown = assertThrows(PbxException.class, () -> ami.endpoint("9999"));
            assertEquals("Asterisk: Unable to find object 9999.", unknown.getMessage());
            assertThrows(io.vbo.events.InvalidEventException.class, () -> ami.endpoint("1002\r\nAction: Logoff"));
            List<String> commands = server.requests("Command").stream().map(r -> r.header("Command")).toList();
            assertEquals(List.of("module reload res_pjsip.so", "pjsip show endpoint 1001", "pjsip show endpoint 1002",
                    "pjsip show endpoint 1002", "pjsip show endpoint 9999"), commands);
            assertTrue(server.requests("Login").stream().allMatch(r -> r.header("Secret") == null
                    && "MD5".equals(r.header("AuthType"))), "MD5 challenge, no secret on the wire");
            assertEquals(1, server.connections(), "one connection for everything");
        }
    }

    @Test
    void anUnconfirmedReloadIsAnError() throws Exception {
        try (AmiTestServer server = AmiTestServer.start();
                AmiPbx ami = pbx(server, "vbo-secret")) {
            server.onCommand(command -> CommandReply.error("The module 'res_pjsip.so' was not properly initialized."));
            PbxException e = assertThrows(PbxException.class, ami::reloadPjsip);
            assertTrue(e.getMessage().contains("not properly initialized"), e.getMessage());
            assertTrue(!(e instanceof PbxUnreachableException));
            server.onCommand(command -> CommandReply.ok("Module 'res_pjsip.so' is not reloadable."));
            assertThrows(PbxException.class, ami::reloadPjsip);
        }
    }

    @Test
    void refusedLoginAndDroppedConnectionsAreUnreachableThenRecovered() throws Exception {
        try (AmiTestServer server = AmiTestServer.start();
                AmiPbx wrong = pbx(server, "wrong-secret");
                AmiPbx ami = pbx(server, "vbo-secret")) {
            PbxUnreachableException refused = assertThrows(PbxUnreachableException.class, wrong::ping);
            assertTrue(refused.getMessage().contains("refused"), refused.getMessage());
            assertTrue(!refused.getMessage().contains("wrong-secret"), "the secret is never in a message");
            ami.ping();
            server.closeConnections();
            server.refuseLogins(true);
            assertThrows(PbxUnreachableException.class, () -> {
                ami.ping();
                ami.ping();
            });
            server.refuseLogins(false);
            ami.ping();
            assertEquals("Module 'res_pjsip.so' reloaded successfully.", ami.reloadPjsip());
        }
    }

    @Test
    void theEventSessionReportsConnectsFullyBootedAndOnlyTheReloadsOfOthers() throws Exception {
        List<PbxChange> changes = new CopyOnWriteArrayList<>();
        try (AmiTestServer server = AmiTestServer.start(); AmiPbx ami = pbx(server, "vbo-secret")) {
            ami.listen(changes::add);
            server.awaitEventSessions(1, Duration.ofSeconds(10));
            // Asterisk greets an event session with FullyBooted.
            awaitCauses(changes, List.of(PbxChange.Cause.CONNECTED, PbxChange.Cause.FULLY_BOOTED));
            assertEquals("system", server.requests("Login").get(0).header("Events"));

            // Its own reload's Reload event reaches the event session before the answer does, and is not reported.
            ami.reloadPjsip();
            server.emitReload("res_pjsip.so");
            server.emitFullyBooted();
            awaitCauses(changes, List.of(PbxChange.Cause.CONNECTED, PbxChange.Cause.FULLY_BOOTED,
                    PbxChange.Cause.OTHER_RELOAD, PbxChange.Cause.FULLY_BOOTED));
            assertEquals("Reload of res_pjsip.so", changes.get(2).detail());
            assertEquals("FullyBooted, uptime 0 s", changes.get(3).detail());

            // Asterisk restarts: the session comes back by itself, greeted again.
            server.closeConnections();
            awaitCauses(changes, List.of(PbxChange.Cause.CONNECTED, PbxChange.Cause.FULLY_BOOTED,
                    PbxChange.Cause.OTHER_RELOAD, PbxChange.Cause.FULLY_BOOTED, PbxChange.Cause.CONNECTED,
                    PbxChange.Cause.FULLY_BOOTED));
        }
    }

    private static void awaitCauses(List<PbxChange> changes, List<PbxChange.Cause> expected) {
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> changes.stream().map(PbxChange::cause).toList().equals(expected));
    }
}
