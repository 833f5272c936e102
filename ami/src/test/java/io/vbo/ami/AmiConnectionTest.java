package io.vbo.ami;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vbo.lab.FreePorts;
import io.vbo.lab.ami.AmiRequest;
import io.vbo.lab.ami.AmiTestServer;
import io.vbo.lab.ami.CommandReply;
import io.vbo.lab.ami.Transcripts;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The AMI client against the transcript-replaying test server: login, lists, events, and every way to fail. */
class AmiConnectionTest {
    private final Vertx vertx = Vertx.vertx();
    private final List<String> downs = new CopyOnWriteArrayList<>();
    private final List<Duration> retries = new CopyOnWriteArrayList<>();
    private final List<AmiMessage> events = new CopyOnWriteArrayList<>();
    private final List<Instant> logins = new CopyOnWriteArrayList<>();
    private AmiTestServer server;
    private AmiConnection connection;

    @AfterEach
    void stop() throws Exception {
        if (connection != null) {
            connection.stop().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private AmiConnection connect(int port, String secret, Duration actionTimeout) {
        AmiConnection.Settings settings = new AmiConnection.Settings("t", "127.0.0.1", port, "vbo", secret, "system",
                Duration.ofSeconds(2), actionTimeout, Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMinutes(5));
        connection = new AmiConnection(vertx, settings, new AmiConnection.Listener() {
            @Override
            public void connected() {
                logins.add(Instant.now());
            }

            @Override
            public void event(AmiMessage event) {
                events.add(event);
            }

            @Override
            public void down(String reason, Duration retryIn) {
                downs.add(reason);
                retries.add(retryIn);
            }
        });
        connection.start();
        return connection;
    }

    private static void await(String what, BooleanSupplier condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(condition::getAsBoolean);
    }

    private static AmiReply get(io.vertx.core.Future<AmiReply> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void listsContactsAndEndpointsAndReceivesEvents() throws Exception {
        server = AmiTestServer.start();
        connect(server.port(), "vbo-secret", Duration.ofSeconds(5));
        await("login", () -> connection.state() == AmiConnection.State.CONNECTED);
        AmiReply contacts = get(connection.list("PJSIPShowContacts", Map.of()));
        assertTrue(contacts.success());
        assertEquals(3, contacts.events().size());
        assertEquals("1001;@25e7f8e94488104c30a3a033feaf04e8", contacts.events().get(0).get("ObjectName"));
        assertEquals(3, get(connection.list("PJSIPShowEndpoints", Map.of())).events().size());
        assertEquals("system", server.requests("Login").get(0).header("Events"));

        server.setContacts(List.of());
        AmiReply empty = get(connection.list("PJSIPShowContacts", Map.of()));
        assertEquals("No Contacts found", empty.message());
        assertEquals(List.of(), empty.events());

        server.emitEvent(AmiTestServer.contactStatusEvent("sip:1001@10.0.0.1", "Unreachable", "1001", "1001", "0"));
        server.emitEvent("Event: SomethingNew\r\nFoo: bar\r\n\r\n");
        await("2 events after FullyBooted", () -> events.size() >= 3);
        assertEquals("FullyBooted", events.get(0).event());
        assertEquals("Unreachable", events.get(1).get("ContactStatus"));
        assertEquals("SomethingNew", events.get(2).event());
    }

    @Test
    void wrongSecretIsReportedAndRetriedSlowly() throws Exception {
        server = AmiTestServer.start();
        connect(server.port(), "wrong-secret", Duration.ofSeconds(5));
        await("refused login", () -> !downs.isEmpty());
        assertTrue(downs.get(0).startsWith("authentication failed"), downs.get(0));
        assertEquals(AmiConnection.State.DOWN, connection.state());
        assertEquals(Duration.ofMinutes(5), retries.get(0));
        // With a 100 ms backoff a plain reconnect loop would log in ~10 more times in 1.5 s.
        Awaitility.await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                .until(() -> server.loginAttempts() == 1);
    }

    @Test
    void loginUsesTheMd5ChallengeAndNeverSendsTheSecret() throws Exception {
        server = AmiTestServer.start();
        connect(server.port(), "vbo-secret", Duration.ofSeconds(5));
        await("login", () -> logins.size() == 1);
        List<AmiRequest> sent = server.requests();
        assertEquals(List.of("Challenge", "Login"), sent.stream().map(AmiRequest::action).toList());
        assertEquals("MD5", sent.get(0).header("AuthType"));
        AmiRequest login = sent.get(1);
        assertEquals(List.of("Action", "ActionID", "AuthType", "Username", "Key", "Events"), List.copyOf(login.headers().keySet()));
        assertEquals("MD5", login.header("AuthType"));
        assertEquals("vbo", login.header("Username"));
        assertTrue(login.header("Key").matches("[0-9a-f]{32}"), login.header("Key"));
        assertNull(login.header("Secret"));
        assertTrue(sent.stream().flatMap(r -> r.headers().values().stream()).noneMatch(v -> v.contains("vbo-secret")),
                "the secret was sent in clear: " + sent);
    }

    @Test
    void md5KeyIsAsteriskS() {
        // md5("1234567890" + "vbo-secret"), computed with `printf %s 1234567890vbo-secret | md5sum`.
        assertEquals("8ca4ba3d7a9e627cef51586b686ed1ee", AmiConnection.md5Hex("1234567890vbo-secret"));
    }

    @Test
    void commandReturnsTheOutputLinesAndAnErrorFails() throws Exception {
        server = AmiTestServer.start();
        connect(server.port(), "vbo-secret", Duration.ofSeconds(5));
        await("login", () -> logins.size() == 1);
        List<String> table = connection.command("core show translation").toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertEquals(Transcripts.lines("cli-core-show-translation.txt"), table);
        assertEquals("core show translation", server.requests("Command").get(0).header("Command"));
        Exception unknown = assertThrows(Exception.class, () -> connection.command("pjsip reload").toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertEquals("'pjsip reload' answered Error: No such command 'pjsip reload' (type 'core show help pjsip reload'"
                + " for other possible commands)", unknown.getCause().getMessage());
        server.onCommand(cli -> CommandReply.ok());
        assertEquals(List.of(), connection.command("core reload").toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS));
    }

    @Test
    void refusedConnectionIsRetriedWithGrowingDelays() throws Exception {
        int port = FreePorts.next();
        connect(port, "vbo-secret", Duration.ofSeconds(5));
        await("three refusals", () -> downs.size() >= 3);
        assertTrue(downs.get(0).startsWith("connection refused"), downs.get(0));
        // 100 ms doubling, capped at 400 ms, each ±20 %: 80-120, 160-240, 320-400 ms.
        List<Duration> first = List.copyOf(retries.subList(0, 3));
        assertTrue(first.get(0).toMillis() >= 80 && first.get(0).toMillis() <= 120, first.toString());
        assertTrue(first.get(1).toMillis() >= 160 && first.get(1).toMillis() <= 240, first.toString());
        assertTrue(first.get(2).toMillis() >= 320 && first.get(2).toMillis() <= 400, first.toString());
        server = AmiTestServer.start(AmiTestServer.Options.defaults().withPort(port));
        await("login once the PBX is back", () -> connection.state() == AmiConnection.State.CONNECTED);
        assertEquals(1, server.loginAttempts());
    }

    @Test
    void droppedSocketFailsPendingActionsAndReconnects() throws Exception {
        server = AmiTestServer.start();
        connect(server.port(), "vbo-secret", Duration.ofSeconds(5));
        await("login", () -> logins.size() == 1);
        server.responseDelay(Duration.ofMillis(500));
        io.vertx.core.Future<AmiReply> pending = connection.list("PJSIPShowContacts", Map.of());
        await("the action reached the server", () -> !server.requests("PJSIPShowContacts").isEmpty());
        server.closeConnections();
        Exception failure = assertThrows(Exception.class, () -> get(pending));
        assertTrue(failure.getCause() instanceof AmiException, failure.toString());
        server.responseDelay(Duration.ZERO);
        await("second login", () -> logins.size() == 2);
        assertEquals("connection closed by the PBX", downs.get(0));
        assertEquals(3, get(connection.list("PJSIPShowContacts", Map.of())).events().size());
    }

    @Test
    void unansweredActionDropsTheSessionWithTimeout() throws Exception {
        server = AmiTestServer.start();
        connect(server.port(), "vbo-secret", Duration.ofMillis(300));
        await("login", () -> logins.size() == 1);
        server.responseDelay(Duration.ofSeconds(2));
        Exception failure = assertThrows(Exception.class,
                () -> get(connection.list("PJSIPShowContacts", Map.of())));
        assertTrue(failure.getCause().getMessage().startsWith("timeout"), failure.toString());
        await("down", () -> !downs.isEmpty());
        assertTrue(downs.get(0).startsWith("timeout"), downs.get(0));
        server.responseDelay(Duration.ZERO);
        await("reconnect", () -> logins.size() == 2);
    }

    @Test
    void garbageOnTheSocketIsSkipped() throws Exception {
        server = AmiTestServer.start();
        connect(server.port(), "vbo-secret", Duration.ofSeconds(5));
        await("login", () -> logins.size() == 1);
        server.sendGarbage("\u0000\u00ff binary junk without colon\r\n\r\n");
        server.sendGarbage("half a line ");
        AmiReply reply = get(connection.list("PJSIPShowContacts", Map.of()));
        assertTrue(reply.success(), "the response glued to the noise is still recognised");
        assertEquals(3, reply.events().size());
        assertEquals(1, server.connections());
        assertEquals(List.of(), downs);
    }

    @Test
    void somethingThatIsNotAsteriskIsRejected() throws Exception {
        try (java.net.ServerSocket fake = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            Thread peer = new Thread(() -> {
                try (java.net.Socket s = fake.accept()) {
                    s.getOutputStream().write("SSH-2.0-OpenSSH_9.2\r\n".getBytes());
                    s.getInputStream().read();
                } catch (java.io.IOException e) {
                    // the client hung up, as expected
                }
            });
            peer.start();
            connect(fake.getLocalPort(), "vbo-secret", Duration.ofSeconds(5));
            await("rejection", () -> !downs.isEmpty());
            assertTrue(downs.get(0).startsWith("not an AMI server"), downs.get(0));
            peer.join(2000);
        }
    }
}
