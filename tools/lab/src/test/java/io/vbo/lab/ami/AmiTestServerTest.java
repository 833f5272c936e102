package io.vbo.lab.ami;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AmiTestServerTest {
    private static final String[] MAIN_SESSION = { "login-success", "pjsipshowcontacts", "pjsipshowendpoints",
            "pjsipshowendpoint-1001", "pjsipshowendpoint-unknown", "pjsipshowaors",
            "pjsipshowregistrationinboundcontactstatuses", "command-pjsip-show-contacts",
            "command-pjsip-show-endpoint-1001", "command-module-reload-res_pjsip", "reload-module-res_pjsip",
            "command-unknown", "unknown-action", "logoff" };

    private AmiTestServer server;

    @BeforeEach
    void start() {
        server = AmiTestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void replaysTheMainCapturedSessionByteForByte() throws IOException {
        try (Client client = new Client(server.port())) {
            for (String name : MAIN_SESSION) {
                client.send(Transcripts.text("ami-" + name + ".request.txt"));
            }
            assertEquals(Transcripts.text("ami-session-main.received.raw.txt"), client.readUntilClosed());
        }
        assertEquals(1, server.loginAttempts());
        assertEquals(MAIN_SESSION.length, server.requests().size());
        assertEquals("res_pjsip.so", server.requests("Reload").get(0).header("Module"));
    }

    @Test
    void emptyContactListIsTheCapturedErrorWithItsStrayLineFeed() throws IOException {
        server.setContacts(List.of());
        try (Client client = new Client(server.port())) {
            client.send(Transcripts.text("ami-login-success.request.txt"));
            client.send(Transcripts.text("ami-pjsipshowcontacts-empty.request.txt"));
            client.send(Transcripts.text("ami-logoff.request.txt"));
            assertEquals(Transcripts.text("ami-session-empty.received.raw.txt"), client.readUntilClosed());
        }
    }

    @Test
    void unavailableContactRendersLikeTheCapture() throws IOException {
        server.setContacts(AmiContact.allFrom(AmiContact.UNAVAILABLE));
        try (Client client = new Client(server.port())) {
            client.send(Transcripts.text("ami-login-success.request.txt"));
            client.send(Transcripts.text("ami-pjsipshowcontacts-unavail.request.txt"));
            String expected = Transcripts.text("ami-banner.txt") + Transcripts.text("ami-login-success.response.txt")
                    + Transcripts.text("ami-pjsipshowcontacts-unavail.response.txt");
            assertEquals(expected, client.read(expected.length()));
        }
    }

    @Test
    void failedLoginIsAnsweredAndTheSocketClosed() throws IOException {
        try (Client client = new Client(server.port())) {
            client.send(Transcripts.text("ami-login-failure.request.txt"));
            assertEquals(Transcripts.text("ami-session-login-failure.received.raw.txt"), client.readUntilClosed());
        }
        server.refuseLogins(true);
        try (Client client = new Client(server.port())) {
            client.send(Transcripts.text("ami-login-success.request.txt"));
            assertTrue(client.readUntilClosed().endsWith("Message: Authentication failed\r\n\r\n"));
        }
        assertEquals(2, server.loginAttempts());
    }

    @Test
    void actionBeforeLoginIsDeniedAndTheConnectionStaysOpen() throws IOException {
        try (Client client = new Client(server.port())) {
            client.send(Transcripts.text("ami-action-before-login.request.txt"));
            String expected = Transcripts.text("ami-session-no-login.received.raw.txt");
            assertEquals(expected, client.read(expected.length()));
            client.send(Transcripts.text("ami-login-success.request.txt"));
            String login = Transcripts.text("ami-login-success.response.txt");
            assertEquals(login, client.read(login.length()));
        }
    }

    @Test
    void echoesTheRequestsActionIdOrNone() throws IOException {
        try (Client client = new Client(server.port())) {
            client.send(Transcripts.text("ami-login-success.request.txt").replace("login-1", "my-id-7"));
            client.send("Action: Logoff\r\n\r\n");
            assertEquals(Transcripts.text("ami-banner.txt")
                    + Transcripts.text("ami-login-success.response.txt").replace("login-1", "my-id-7")
                    + "Response: Goodbye\r\nMessage: Thanks for all the fish.\r\n\r\n", client.readUntilClosed());
        }
    }

    @Test
    void eventsOnSessionGetsFullyBootedThenEmittedContactStatus() throws IOException {
        try (Client client = new Client(server.port())) {
            client.send(Transcripts.text("ami-login-success.request.txt").replace("Events: off", "Events: on"));
            String head = Transcripts.text("ami-banner.txt") + Transcripts.text("ami-login-success.response.txt")
                    + Transcripts.message("ami-events-session.received.raw.txt", "Event: FullyBooted");
            assertEquals(head, client.read(head.length()));
            server.awaitEventSessions(1, Duration.ofSeconds(5));
            server.updateContacts("1002", c -> c.with("Uri", "sip:1002-0x560e6d0b1270@10.231.2.2:5060"));
            assertEquals(1, server.emitContactStatus("1002", "Removed"));
            String removed = Transcripts.messages("ami-events-contact-status.txt").stream()
                    .filter(m -> m.contains("ContactStatus: Removed")).findFirst().orElseThrow();
            assertEquals(removed, client.read(removed.length()));
        }
    }

    @Test
    void contactsCanBeDroppedAddedAndChanged() throws IOException {
        server.removeContact("1002");
        server.addContact(AmiContact.generated("2001", "2001:db8::5", 5062));
        server.setContactStatus("1003", "Unreachable");
        server.setActiveChannels("1001", 2);
        try (Client client = new Client(server.port())) {
            client.send(Transcripts.text("ami-login-success.request.txt"));
            client.send("Action: PJSIPShowContacts\r\nActionID: c\r\n\r\n");
            client.send("Action: PJSIPShowEndpoints\r\nActionID: e\r\n\r\n");
            client.send("Action: Logoff\r\n\r\n");
            String all = client.readUntilClosed();
            String contacts = all.substring(all.indexOf("ActionID: c\r\n"), all.indexOf("ActionID: e\r\n"));
            assertTrue(contacts.contains(AmiContact.transcript("1001").render("c")), contacts);
            assertFalse(contacts.contains("ObjectName: 1002;@"), contacts);
            assertTrue(contacts.contains("Uri: sip:2001-0x"), contacts);
            assertTrue(contacts.contains("ViaAddr: 2001:db8::5\r\n"), contacts);
            assertTrue(contacts.contains("Status: Unreachable\r\nRoundtripUsec: N/A\r\n"), contacts);
            assertTrue(contacts.endsWith("ListItems: 3\r\n\r\nResponse: Success\r\n"), contacts);
            assertTrue(all.contains("ObjectName: 1001\r\nTransport: \r\nAor: 1001\r\nAuths: 1001-auth\r\nOutboundAuths: \r\n"
                    + "Contacts: 1001/sip:1001-0x5644aa7f0270@10.231.1.2:5060,\r\nDeviceState: In use\r\nActiveChannels: 2\r\n"), all);
            assertTrue(all.contains("ObjectName: 1002\r\nTransport: \r\nAor: 1002\r\nAuths: 1002-auth\r\nOutboundAuths: \r\n"
                    + "Contacts: \r\nDeviceState: Unavailable\r\n"), all);
            assertTrue(all.contains("EndpointListComplete\r\nActionID: e\r\nEventList: Complete\r\nListItems: 4\r\n"), all);
        }
    }

    @Test
    void endpointSettingsShowInEndpointDetailAndInTheCliText() throws IOException {
        server.endpointSettings(endpoint -> endpoint.equals("2001")
                ? new EndpointSettings(List.of("gsm", "ulaw"), "local", null) : null);
        String showCommand = Transcripts.text("ami-command-pjsip-show-endpoint-1001.request.txt");
        try (Client client = new Client(server.port())) {
            client.send(Transcripts.text("ami-login-success.request.txt"));
            client.send(Transcripts.text("ami-pjsipshowendpoint-1001.request.txt").replace("1001", "2001"));
            client.send(showCommand.replace("1001", "2001"));
            client.send(showCommand);
            client.send(showCommand.replace("1001", "9999"));
            client.send(Transcripts.text("ami-logoff.request.txt"));
            String all = client.readUntilClosed();
            assertTrue(all.contains("ObjectName: 2001\r\n"), all);
            assertTrue(all.contains("\r\nOutgoingCallOfferPref: local\r\n"), all);
            assertTrue(all.contains("\r\nAllow: (gsm|ulaw)\r\n"), all);
            assertTrue(all.contains("\r\nIncomingCallOfferPref: local\r\n"), "absent: Asterisk's default");
            assertTrue(all.contains("Output:  allow                              : (gsm|ulaw)\r\n"), all);
            assertTrue(all.contains("Output:  outgoing_call_offer_pref           : local\r\n"), all);
            assertTrue(all.contains("Output:  incoming_call_offer_pref           : local\r\n"), all);
            assertTrue(all.contains("Output:  Endpoint:  2001                                                 Not in use"), all);
            // 1001 has no settings: exactly the captured answer; 9999 is unknown.
            assertTrue(all.contains(Transcripts.text("ami-command-pjsip-show-endpoint-1001.response.txt")), all);
            assertTrue(all.contains("ActionID: cmd-endpoint-9999\r\nMessage: Command output follows\r\n"
                    + "Output: Unable to find object 9999.\r\nOutput: \r\n\r\n"), all);
        }
    }

    @Test
    void commandAndEndpointCodecsAreScriptable() throws IOException {
        server.onCommand(cmd -> cmd.startsWith("module reload") ? CommandReply.error("Module 'res_pjsip.so' failed to reload") : null);
        server.endpointAllow(endpoint -> endpoint.equals("1002") ? List.of("gsm") : null);
        try (Client client = new Client(server.port())) {
            client.send(Transcripts.text("ami-login-success.request.txt"));
            client.send(Transcripts.text("ami-command-module-reload-res_pjsip.request.txt"));
            client.send(Transcripts.text("codec-change-1002-ami-showendpoint-before.request.txt"));
            client.send(Transcripts.text("ami-logoff.request.txt"));
            String all = client.readUntilClosed();
            assertTrue(all.contains("Response: Error\r\nActionID: cmd-reload-1\r\nMessage: Command output follows\r\n"
                    + "Output: Module 'res_pjsip.so' failed to reload\r\n\r\n"), all);
            String after = Transcripts.text("codec-change-1002-ami-showendpoint-after.response.txt");
            String expected = Transcripts.withActionId(Transcripts.text("codec-change-1002-ami-showendpoint-before.response.txt")
                    .replace("Allow: (ulaw|alaw|g722|gsm)", "Allow: (gsm)"), "ep1002-before");
            assertTrue(all.contains(expected), all);
            assertTrue(after.contains("Allow: (gsm)\r\n"));
        }
        assertEquals("module reload res_pjsip.so", server.requests("Command").get(0).header("Command"));
    }

    @Test
    void commandReplyRenderingMatchesTheCaptures() {
        for (String name : List.of("command-module-reload-res_pjsip", "command-pjsip-show-contacts", "command-unknown",
                "command-pjsip-show-endpoint-1001")) {
            String file = "ami-" + name + ".response.txt";
            String id = Transcripts.text(file).lines().filter(l -> l.startsWith("ActionID: ")).findFirst().orElseThrow()
                    .substring("ActionID: ".length());
            assertEquals(Transcripts.text(file), CommandReply.transcript(file).render(id), name);
        }
        assertEquals(CommandReply.transcript("ami-command-unknown.response.txt"), CommandReply.unknownCommand("pjsip reload"));
    }

    @Test
    void droppedConnectionsAndGarbageReachTheClient() throws IOException {
        try (Client client = new Client(server.port())) {
            String banner = Transcripts.text("ami-banner.txt");
            assertEquals(banner, client.read(banner.length()));
            server.sendGarbage("\u0001\u0002 not AMI\r\n");
            assertEquals("\u0001\u0002 not AMI\r\n", client.read(12));
            server.closeConnections();
            assertEquals("", client.readUntilClosed());
        }
        assertEquals(1, server.connections());
    }

    @Test
    void challengeLoginWorksLikeAsterisk() throws Exception {
        try (Client client = new Client(server.port())) {
            client.send("Action: Challenge\r\nActionID: ch\r\nAuthType: MD5\r\n\r\n");
            String banner = Transcripts.text("ami-banner.txt");
            client.read(banner.length());
            String reply = client.readMessage();
            String challenge = reply.lines().filter(l -> l.startsWith("Challenge: ")).findFirst().orElseThrow().substring(11);
            String key = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                    .digest((challenge + "vbo-secret").getBytes(StandardCharsets.ISO_8859_1)));
            client.send("Action: Login\r\nActionID: l\r\nUsername: vbo\r\nAuthType: MD5\r\nKey: " + key + "\r\nEvents: off\r\n\r\n");
            assertEquals("Response: Success\r\nActionID: l\r\nMessage: Authentication accepted\r\n\r\n", client.readMessage());
        }
    }

    @Test
    void replaysTheCapturedCodecsSessionByteForByte() throws IOException {
        try (Client client = new Client(server.port())) {
            client.send(Transcripts.text("ami-login-success.request.txt").replace("ActionID: login-1", "ActionID: login-codecs"));
            client.send(Transcripts.text("ami-command-core-show-translation.request.txt"));
            client.send(Transcripts.text("ami-command-module-show-like-codec.request.txt"));
            client.send(Transcripts.text("ami-logoff.request.txt").replace("ActionID: logoff-1", "ActionID: logoff-codecs"));
            assertEquals(Transcripts.text("ami-session-command-codecs.received.raw.txt"), client.readUntilClosed());
        }
        assertEquals(List.of("core show translation", "module show like codec_"),
                server.requests("Command").stream().map(r -> r.header("Command")).toList());
    }

    @Test
    void aTestReplacesTheTranslationTable() throws IOException {
        server.onCommand(cli -> cli.equals("core show translation") ? CommandReply.ok("  opus", " opus -") : null);
        try (Client client = new Client(server.port())) {
            client.send(Transcripts.text("ami-login-success.request.txt"));
            client.send(Transcripts.text("ami-command-core-show-translation.request.txt"));
            client.send(Transcripts.text("ami-command-module-show-like-codec.request.txt"));
            client.send(Transcripts.text("ami-logoff.request.txt"));
            String all = client.readUntilClosed();
            assertTrue(all.contains("Response: Success\r\nActionID: cmd-translation-1\r\nMessage: Command output follows\r\n"
                    + "Output:   opus\r\nOutput:  opus -\r\n\r\n"), all);
            assertTrue(all.contains(Transcripts.text("ami-command-module-show-like-codec.response.txt")), all);
        }
    }

    @Test
    void reloadAndFullyBootedAreEmittedWithTheCapturedBytes() throws IOException {
        try (Client client = new Client(server.port())) {
            client.send(Transcripts.text("ami-login-success.request.txt").replace("Events: off", "Events: system"));
            String head = Transcripts.text("ami-banner.txt") + Transcripts.text("ami-login-success.response.txt")
                    + Transcripts.message("ami-events-session.received.raw.txt", "Event: FullyBooted");
            assertEquals(head, client.read(head.length()));
            server.awaitEventSessions(1, Duration.ofSeconds(5));
            assertEquals(1, server.emitReload("res_pjsip.so"));
            String reload = "Event: Reload\r\nPrivilege: system,all\r\nModule: res_pjsip.so\r\nStatus: 0\r\n\r\n";
            assertEquals(reload, client.readMessage());
            assertEquals(1, server.emitReload("codec_opus.so"));
            assertEquals(reload.replace("res_pjsip.so", "codec_opus.so"), client.readMessage());
            assertEquals(1, server.emitFullyBooted());
            assertEquals("Event: FullyBooted\r\nPrivilege: system,all\r\nUptime: 0\r\nLastReload: 0\r\n"
                    + "Status: Fully Booted\r\n\r\n", client.readMessage());
        }
    }

    @Test
    void aPlayedCallIsListedAnsweredByCoreShowChannelAndEmittedInTheCapturedShapes() throws IOException {
        AmiCall call = AmiCall.of("1002", 0x41, "ulaw");
        try (Client client = new Client(server.port())) {
            client.send(Transcripts.text("ami-login-events-call-reporting.request.txt"));
            client.readMessage(); // banner + login response
            client.readMessage(); // FullyBooted
            server.startCall(call);
            String newchannel = client.readMessage();
            assertTrue(newchannel.startsWith("Event: Newchannel\r\nPrivilege: call,all\r\nChannel: PJSIP/1002-00000041\r\n"),
                    newchannel);
            assertTrue(newchannel.contains("\r\nUniqueid: 1796154184.65\r\nLinkedid: 1796154184.65\r\n"), newchannel);
            assertTrue(client.readMessage().contains("\r\nChannelStateDesc: Ringing\r\n"));
            assertTrue(client.readMessage().contains("\r\nChannelStateDesc: Up\r\n"));

            client.send("Action: CoreShowChannels\r\nActionID: l-1\r\n\r\n");
            assertTrue(client.readMessage().startsWith("Response: Success\r\nActionID: l-1\r\nEventList: start\r\n"));
            String item = client.readMessage();
            assertTrue(item.startsWith("Event: CoreShowChannel\r\nActionID: l-1\r\nChannel: PJSIP/1002-00000041\r\n"), item);
            assertTrue(client.readMessage().contains("\r\nListItems: 1\r\n"));

            client.send("Action: Command\r\nActionID: c-1\r\nCommand: core show channel PJSIP/1002-00000041\r\n\r\n");
            String shown = client.readMessage();
            assertTrue(shown.contains("\r\nOutput:            Name: PJSIP/1002-00000041\r\n"), shown);
            assertTrue(shown.contains("\r\nOutput:   NativeFormats: (ulaw)\r\n"), shown);

            // 8 % of 250 packets per report: 20 lost, fraction 20 * 256 / 250 = 20 (truncated)
            List<AmiCall.Report> reports = AmiCall.steady(2, 8, 40, 150, 8000);
            assertEquals(new AmiCall.Report(20, 40, 21635, 320, 0.15, 500), reports.get(1));
            server.emitRtcp(call, reports.get(0), reports.get(0));
            String received = client.readMessage();
            assertTrue(received.startsWith("Event: RTCPReceived\r\n"), received);
            for (String field : List.of("RTT: 0.1500", "SentPackets: 250", "SentOctets: 40000", "Report0FractionLost: 20",
                    "Report0CumulativeLost: 20", "Report0HighestSequence: 21385", "Report0SequenceNumberCycles: 0",
                    "Report0IAJitter: 320", "Report0LSR: 2714603165")) {
                assertTrue(received.contains("\r\n" + field + "\r\n"), field + " in " + received);
            }
            String sent = client.readMessage();
            assertTrue(sent.startsWith("Event: RTCPSent\r\n") && !sent.contains("\r\nRTT:"), sent);
            assertTrue(sent.contains("\r\nReport0FractionLost: 20\r\n"), sent);

            server.endCall(call);
            String hangup = client.readMessage();
            assertTrue(hangup.startsWith("Event: Hangup\r\n") && hangup.endsWith("\r\nCause: 16\r\nCause-txt: Normal Clearing\r\n\r\n"),
                    hangup);
            assertEquals(List.of(), server.liveCalls());
        }
    }

    @Test
    void dialplanReloadLoadsTheIncludedFileAndShowAndGetvarAnswerFromIt() throws IOException {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("vbo-lab-dialplan");
        try {
            java.nio.file.Files.writeString(dir.resolve("extensions.conf"), "[general]\nclearglobalvars = no\n"
                    + "#include extensions_vbo.conf\n[from-internal]\nexten => 600,1,Answer()\n same => n,Echo()\n"
                    + "exten => _100X,1,Dial(PJSIP/${EXTEN},30) ; a comment\n");
            java.nio.file.Files.writeString(dir.resolve("extensions_vbo.conf"), "[globals]\nVBO_MAX_CALLS_b1=3\n");
            server.dialplan(dir.resolve("extensions.conf"));
            try (Client client = new Client(server.port())) {
                client.send(Transcripts.text("ami-login-success.request.txt"));
                assertTrue(client.readMessage().endsWith("Message: Authentication accepted\r\n\r\n"));
                client.send("Action: Command\r\nActionID: s-1\r\nCommand: dialplan show from-internal\r\n\r\n");
                assertEquals("Response: Success\r\nActionID: s-1\r\nMessage: Command output follows\r\n"
                        + "Output: [ Context 'from-internal' created by 'pbx_config' ]\r\n"
                        + "Output:   '600' =>          1. Answer()                                   [extensions.conf:5]\r\n"
                        + "Output:                     2. Echo()                                     [extensions.conf:6]\r\n"
                        + "Output:   '_100X' =>        1. Dial(PJSIP/${EXTEN},30)                    [extensions.conf:7]\r\n"
                        + "Output: \r\nOutput: -= 2 extensions (3 priorities) in 1 context. =-\r\n\r\n", client.readMessage());
                client.send("Action: Getvar\r\nActionID: g-1\r\nVariable: VBO_MAX_CALLS_b1\r\n\r\n");
                assertEquals("Response: Success\r\nActionID: g-1\r\nVariable: VBO_MAX_CALLS_b1\r\nValue: 3\r\n\r\n",
                        client.readMessage());

                java.nio.file.Files.writeString(dir.resolve("extensions_vbo.conf"), "[globals]\nVBO_MAX_CALLS_b2=1\n"
                        + "[vbo-admission]\nexten => s,1,NoOp(x)\n same => n(refuse),Congestion()\n");
                server.dialplanReloadTakes(false);
                client.send("Action: Command\r\nActionID: r-1\r\nCommand: dialplan reload\r\n\r\n");
                assertEquals("Response: Success\r\nActionID: r-1\r\nMessage: Command output follows\r\n"
                        + "Output: Dialplan reloaded.\r\n\r\n", client.readMessage());
                client.send("Action: Command\r\nActionID: s-2\r\nCommand: dialplan show vbo-admission\r\n\r\n");
                assertEquals("Response: Error\r\nActionID: s-2\r\nMessage: Command output follows\r\n"
                        + "Output: There is no existence of 'vbo-admission' context\r\n\r\n", client.readMessage());

                server.dialplanReloadTakes(true);
                client.send("Action: Command\r\nActionID: r-2\r\nCommand: dialplan reload\r\n\r\n");
                client.readMessage();
                client.send("Action: Command\r\nActionID: s-3\r\nCommand: dialplan show vbo-admission\r\n\r\n");
                assertEquals("Response: Success\r\nActionID: s-3\r\nMessage: Command output follows\r\n"
                        + "Output: [ Context 'vbo-admission' created by 'pbx_config' ]\r\n"
                        + "Output:   's' =>            1. NoOp(x)                                    [extensions_vbo.conf:4]\r\n"
                        + "Output:      [refuse]       2. Congestion()                               [extensions_vbo.conf:5]\r\n"
                        + "Output: \r\nOutput: -= 1 extension (2 priorities) in 1 context. =-\r\n\r\n", client.readMessage());
                // clearglobalvars = no: a global no longer in the files keeps its value, as in Asterisk.
                client.send("Action: Getvar\r\nActionID: g-2\r\nVariable: VBO_MAX_CALLS_b1\r\n\r\n");
                assertTrue(client.readMessage().endsWith("\r\nValue: 3\r\n\r\n"));
                client.send("Action: Getvar\r\nActionID: g-3\r\nVariable: NOT_SET\r\n\r\n");
                assertEquals("Response: Success\r\nActionID: g-3\r\nVariable: NOT_SET\r\nValue: \r\n\r\n", client.readMessage());
            }
            assertEquals(2, server.dialplanReloads());
        } finally {
            for (String f : List.of("extensions.conf", "extensions_vbo.conf")) {
                java.nio.file.Files.deleteIfExists(dir.resolve(f));
            }
            java.nio.file.Files.delete(dir);
        }
    }

    /** A raw socket client: sends bytes, reads bytes. */
    private static final class Client implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;

        Client(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(5000);
            in = socket.getInputStream();
        }

        void send(String bytes) throws IOException {
            socket.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
        }

        String read(int length) throws IOException {
            byte[] buffer = in.readNBytes(length);
            return new String(buffer, StandardCharsets.ISO_8859_1);
        }

        String readMessage() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (!out.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                out.write(b);
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }

        String readUntilClosed() throws IOException {
            try {
                return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server did not close the connection", e);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
