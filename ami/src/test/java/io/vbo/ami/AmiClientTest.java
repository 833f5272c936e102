package io.vbo.ami;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vbo.lab.FreePorts;
import io.vbo.lab.ami.AmiRequest;
import io.vbo.lab.ami.AmiTestServer;
import io.vbo.lab.ami.Transcripts;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The one-shot blocking client (the writer's use) against the transcript-replaying test server. */
class AmiClientTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static AmiConnection.Settings settings(int port, String secret) {
        return AmiConnection.Settings.of("w", "127.0.0.1", port, "vbo", secret)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    @Test
    void connectLoginActionsCommandAndLogoff() {
        try (AmiTestServer server = AmiTestServer.start()) {
            try (AmiClient client = AmiClient.open(vertx, settings(server.port(), "vbo-secret"))) {
                assertTrue(client.isOpen());
                assertEquals("off", server.requests("Login").get(0).header("Events"));
                AmiReply endpoint = client.list("PJSIPShowEndpoint", Map.of("Endpoint", "1001"));
                assertEquals("(ulaw|alaw|g722|gsm)", endpoint.events().stream()
                        .filter(e -> "EndpointDetail".equals(e.event())).findFirst().orElseThrow().get("Allow"));
                AmiReply unknown = client.list("PJSIPShowEndpoint", Map.of("Endpoint", "9999"));
                assertFalse(unknown.success());
                assertEquals("Unable to retrieve endpoint 9999", unknown.message());
                assertEquals("Pong", client.action("Ping", Map.of()).response().get("Ping"));
                assertEquals(Transcripts.lines("cli-module-show-like-codec.txt"), client.command("module show like codec_"));
                assertEquals(List.of("Module 'res_pjsip.so' reloaded successfully."), client.command("module reload res_pjsip.so"));
            }
            // close() sends Logoff without waiting for the server to have read it
            org.awaitility.Awaitility.await("the Logoff received").atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> server.requests("Logoff").size() == 1);
            List<String> actions = server.requests().stream().map(AmiRequest::action).toList();
            assertEquals(List.of("Challenge", "Login", "PJSIPShowEndpoint", "PJSIPShowEndpoint", "Ping", "Command", "Command",
                    "Logoff"), actions);
        }
    }

    @Test
    void wrongSecretAndRefusedConnectionFailOpenWithTheReasonAndNeverRetry() {
        try (AmiTestServer server = AmiTestServer.start()) {
            AmiException refused = assertThrows(AmiException.class, () -> AmiClient.open(vertx, settings(server.port(), "nope")));
            assertEquals("AMI w (127.0.0.1:" + server.port() + "): authentication failed (Authentication failed)",
                    refused.getMessage());
            Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                    .until(() -> server.loginAttempts() == 1);
        }
        int closed = FreePorts.next();
        AmiException down = assertThrows(AmiException.class, () -> AmiClient.open(vertx, settings(closed, "vbo-secret")));
        assertEquals("AMI w (127.0.0.1:" + closed + "): connection refused by 127.0.0.1:" + closed, down.getMessage());
    }

    @Test
    void aDroppedSessionIsNotOpenAndItsCallsFail() {
        try (AmiTestServer server = AmiTestServer.start();
                AmiClient client = AmiClient.open(vertx, settings(server.port(), "vbo-secret"))) {
            server.closeConnections();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !client.isOpen());
            AmiException e = assertThrows(AmiException.class, () -> client.command("core show translation"));
            assertEquals("not connected to w: connection closed by the PBX", e.getMessage());
            assertEquals(1, server.connections(), "a one-shot client does not reconnect");
        }
    }

    @Test
    void anUnansweredActionTimesOut() {
        try (AmiTestServer server = AmiTestServer.start();
                AmiClient client = AmiClient.open(vertx, settings(server.port(), "vbo-secret"))) {
            server.responseDelay(Duration.ofSeconds(4));
            AmiException e = assertThrows(AmiException.class, () -> client.action("Ping", Map.of()));
            assertEquals("timeout: Ping unanswered after 2000 ms", e.getMessage());
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !client.isOpen());
        }
    }

    @Test
    void aCallOnAnEventLoopIsRefused() throws Exception {
        try (AmiTestServer server = AmiTestServer.start();
                AmiClient client = AmiClient.open(vertx, settings(server.port(), "vbo-secret"))) {
            CompletableFuture<String> refusal = new CompletableFuture<>();
            vertx.runOnContext(v -> {
                try {
                    client.action("Ping", Map.of());
                    refusal.complete("not refused");
                } catch (IllegalStateException e) {
                    refusal.complete(e.getMessage());
                }
            });
            assertEquals("AmiClient blocks: call it from a worker thread, not a Vert.x event loop",
                    refusal.get(5, TimeUnit.SECONDS));
        }
    }
}
